import { type KubeConfig, Watch } from '@kubernetes/client-node';
import { pollUntil } from '../../../harness/wait.js';

/** One WATCH event of the VirtualService's `primary` route, with its wall-clock arrival time. */
export interface RouteEvent {
  at: number;
  stable: number;
  canary: number;
}

/** A WATCH on VirtualService `name` recording the `primary` weights of every event (abort it when done). */
export function watchRoute(kc: KubeConfig, namespace: string, name: string, events: RouteEvent[]) {
  type VirtualService = {
    spec?: { http?: { name?: string; route?: { destination: { host: string }; weight?: number }[] }[] };
  };
  const path = `/apis/networking.istio.io/v1beta1/namespaces/${namespace}/virtualservices`;
  return new Watch(kc).watch(
    path,
    { fieldSelector: `metadata.name=${name}` },
    (_type, vs: VirtualService) => {
      const route = vs.spec?.http?.find((r) => r.name === 'primary')?.route ?? [];
      const weight = (host: string) => route.find((d) => d.destination.host === host)?.weight ?? 0;
      events.push({ at: Date.now(), stable: weight(`${name}-stable`), canary: weight(`${name}-canary`) });
    },
    () => undefined,
  );
}

/** The first WATCH event at or after index `from` that passes `test`. */
export function waitForRoute(
  events: RouteEvent[],
  from: number,
  test: (e: RouteEvent) => boolean,
  what: string,
  timeoutMs = 120_000,
) {
  return pollUntil(() => events.slice(from).find(test), { timeoutMs, intervalMs: 5, description: what });
}
