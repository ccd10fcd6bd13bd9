/**
 * A preload for the controller process in benches (`NODE_OPTIONS=--import=<tsx> --import=<this file>`):
 * counts every HTTP(S) request the process makes, by `verb resource` (see `classifyRequest`), and writes
 * the running counts as JSON to the file named by VIREO_BENCH_REQUEST_COUNTS (at most every 200 ms, and at
 * exit). @kubernetes/client-node sends through node-fetch, which looks `request` up on the `http`/`https`
 * module objects at each call, so wrapping them there sees every request (watches included, once each).
 * It changes nothing about the requests themselves. Without the variable it does nothing.
 */
import { writeFileSync } from 'node:fs';
import http from 'node:http';
import https from 'node:https';
import { classifyRequest, REQUEST_COUNTS_ENV, type RequestCounts } from './request-kinds.js';

const target = process.env[REQUEST_COUNTS_ENV];
const counts: RequestCounts = {};
let dirty = false;

function flush(): void {
  if (!dirty || !target) return;
  dirty = false;
  try {
    writeFileSync(target, JSON.stringify(counts));
  } catch {
    // a bench that has gone away reads nothing more
  }
}

function record(args: unknown[]): void {
  const [first, second] = args;
  const options = (typeof first === 'object' && !(first instanceof URL) ? first : second) as
    | { method?: string; path?: string }
    | undefined;
  const url = typeof first === 'string' ? new URL(first) : first instanceof URL ? first : undefined;
  const path = options?.path ?? (url ? `${url.pathname}${url.search}` : '/');
  const kind = classifyRequest(options?.method ?? 'GET', path);
  const key = `${kind.verb} ${kind.resource}`;
  counts[key] = (counts[key] ?? 0) + 1;
  dirty = true;
}

function wrap(mod: typeof http | typeof https): void {
  const original = mod.request as (...args: unknown[]) => http.ClientRequest;
  const counted = (...args: unknown[]): http.ClientRequest => {
    try {
      record(args);
    } catch {
      // counting must never break a request
    }
    return original.apply(mod, args);
  };
  (mod as { request: unknown }).request = counted;
}

if (target) {
  wrap(http);
  wrap(https);
  setInterval(flush, 200).unref();
  process.on('exit', flush);
}
