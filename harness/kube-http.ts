import { request } from 'node:https';
import type { KubeConfig } from '@kubernetes/client-node';

/** A failed request to the API server, with the Status message it returned. */
export class KubeHttpError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
    this.name = 'KubeHttpError';
  }
}

function statusMessage(status: number, text: string): string {
  try {
    return (JSON.parse(text) as { message?: string }).message ?? text;
  } catch {
    return text || `HTTP ${status}`;
  }
}

/**
 * Sends one JSON request to the API server of `kc` and returns the parsed body. Bodies are sent
 * as given (no model serialization, so fields such as `x-kubernetes-int-or-string` survive).
 */
export async function kubeRequest<T>(
  kc: KubeConfig,
  method: string,
  path: string,
  body?: unknown,
  contentType = 'application/json',
): Promise<T> {
  const server = kc.getCurrentCluster()?.server;
  if (!server) throw new Error('kubeconfig has no current cluster');
  const url = new URL(path, server);
  const options: Parameters<typeof request>[1] = { method, headers: { accept: 'application/json' } };
  await kc.applyToHTTPSOptions(options);
  const payload = body === undefined ? undefined : JSON.stringify(body);
  if (payload !== undefined) Object.assign(options.headers ?? {}, { 'content-type': contentType });
  return new Promise<T>((resolve, reject) => {
    const req = request(url, options, (res) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => {
        text += chunk;
      });
      res.on('end', () => {
        const status = res.statusCode ?? 0;
        if (status < 200 || status > 299) reject(new KubeHttpError(status, statusMessage(status, text)));
        else resolve((text ? JSON.parse(text) : {}) as T);
      });
    });
    req.on('error', reject);
    req.end(payload);
  });
}
