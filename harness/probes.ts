import { readFileSync } from 'node:fs';
import { type ClientRequest, get as httpGet, type IncomingMessage } from 'node:http';
import { request as httpsRequest } from 'node:https';
import type { Pki } from './pki.js';

/** The status code and body of one probe. */
export interface ProbeResponse {
  status: number;
  body: string;
}

function collect(
  url: string,
  timeoutMs: number,
  send: (onResponse: (res: IncomingMessage) => void) => ClientRequest,
): Promise<ProbeResponse> {
  return new Promise((resolve, reject) => {
    const req = send((res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => {
        body += chunk;
      });
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
    });
    req.setTimeout(timeoutMs, () => req.destroy(new Error(`timeout GET ${url}`)));
    req.on('error', reject);
  });
}

/** GETs a plain-http URL on loopback; resolves with the status code and body (never rejects on HTTP errors). */
export function getHttp(url: string, timeoutMs = 2000): Promise<ProbeResponse> {
  return collect(url, timeoutMs, (onResponse) => httpGet(url, onResponse));
}

/** GETs an https URL of the test control plane as the admin user (client certificate, our CA). */
export function getHttpsAsAdmin(url: string, pki: Pki, timeoutMs = 2000): Promise<ProbeResponse> {
  const tls = {
    ca: readFileSync(pki.caCert),
    cert: readFileSync(pki.adminCert),
    key: readFileSync(pki.adminKey),
  };
  return collect(url, timeoutMs, (onResponse) => {
    const req = httpsRequest(url, { method: 'GET', ...tls }, onResponse);
    req.end();
    return req;
  });
}
