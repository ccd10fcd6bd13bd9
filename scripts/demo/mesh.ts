import { request } from 'node:http';

/** One destination of a managed route: the Service host and its weight. */
export interface WeightedHost {
  host: string;
  weight: number;
}

interface HttpRoute {
  name?: string;
  route?: { destination?: { host?: string }; weight?: number }[];
}

/** The destinations of route `routeName` of a VirtualService spec (weight 0 when unset). */
export function routeWeights(spec: unknown, routeName: string): WeightedHost[] {
  const routes = ((spec ?? {}) as { http?: HttpRoute[] }).http ?? [];
  const route = routes.find((r) => r.name === routeName);
  return (route?.route ?? []).map((d) => ({ host: d.destination?.host ?? '', weight: d.weight ?? 0 }));
}

/**
 * Smooth weighted round-robin (as nginx balances upstreams): each call picks one host so that over
 * any window the picks follow the weights as closely as integers allow. Hosts with weight 0 are never picked.
 */
export class WeightedPicker {
  private current = new Map<string, number>();

  /** The next host for `weights`, or undefined when every weight is 0. */
  pick(weights: readonly WeightedHost[]): string | undefined {
    const total = weights.reduce((sum, w) => sum + Math.max(0, w.weight), 0);
    if (total === 0) return undefined;
    let best: WeightedHost | undefined;
    for (const w of weights) {
      if (w.weight <= 0) continue;
      const score = (this.current.get(w.host) ?? 0) + w.weight;
      this.current.set(w.host, score);
      if (!best || score > (this.current.get(best.host) ?? 0)) best = w;
    }
    if (best) this.current.set(best.host, (this.current.get(best.host) ?? 0) - total);
    return best?.host;
  }
}

/** Where the stand-in sends a request for `host`: a loopback port, or undefined when no version serves it. */
export type Resolve = (host: string) => number | undefined;

/**
 * The service mesh stand-in: `rps` requests a second to 127.0.0.1, each routed by the live weights
 * (`weights()`, read at every request) to the port `resolve` gives for the chosen host. Returns a stop
 * function.
 */
export function sendTraffic(weights: () => WeightedHost[], resolve: Resolve, rps: number): () => void {
  const picker = new WeightedPicker();
  const timer = setInterval(
    () => {
      const host = picker.pick(weights());
      const port = host === undefined ? undefined : resolve(host);
      if (port === undefined) return;
      const req = request({ host: '127.0.0.1', port, path: '/', agent: false }, (res) => res.resume());
      req.on('error', () => {});
      req.end();
    },
    Math.max(1, Math.round(1000 / rps)),
  );
  return () => clearInterval(timer);
}
