import type { Container, PodTemplateSpec } from 'kubernetes-types/core/v1.js';

type Json = Record<string, unknown>;

const PROBE_DEFAULTS = { timeoutSeconds: 1, periodSeconds: 10, successThreshold: 1, failureThreshold: 3 };
const FILE_MODE = 0o644;

/** `Always` for an image without a tag or tagged `latest` (and no digest), else `IfNotPresent`, as Kubernetes. */
export function defaultPullPolicy(image: string | undefined): string {
  if (!image || image.includes('@')) return 'IfNotPresent';
  const name = image.slice(image.lastIndexOf('/') + 1);
  const colon = name.lastIndexOf(':');
  const tag = colon < 0 ? 'latest' : name.slice(colon + 1);
  return tag === 'latest' ? 'Always' : 'IfNotPresent';
}

function withHttpGet(handler: unknown): unknown {
  if (!handler || typeof handler !== 'object') return handler;
  const h = handler as Json;
  if (!h.httpGet) return h;
  return { ...h, httpGet: { path: '/', scheme: 'HTTP', ...(h.httpGet as Json) } };
}

function withProbe(probe: unknown): unknown {
  if (!probe || typeof probe !== 'object') return probe;
  return { ...PROBE_DEFAULTS, ...(withHttpGet(probe) as Json) };
}

function withFieldRef(source: unknown): unknown {
  const s = source as { fieldRef?: Json } | undefined;
  if (!s?.fieldRef) return source;
  return { ...s, fieldRef: { apiVersion: 'v1', ...s.fieldRef } };
}

function defaultedContainer(container: Container, hostNetwork: boolean): Json {
  const c = container as unknown as Json;
  const lifecycle = c.lifecycle as Json | undefined;
  return {
    ...c,
    imagePullPolicy: container.imagePullPolicy ?? defaultPullPolicy(container.image),
    terminationMessagePath: container.terminationMessagePath ?? '/dev/termination-log',
    terminationMessagePolicy: container.terminationMessagePolicy ?? 'File',
    ...(container.ports
      ? {
          ports: container.ports.map((p) => ({
            protocol: 'TCP',
            ...(hostNetwork ? { hostPort: p.containerPort } : {}),
            ...p,
          })),
        }
      : {}),
    ...(container.env
      ? { env: container.env.map((e) => (e.valueFrom ? { ...e, valueFrom: withFieldRef(e.valueFrom) } : e)) }
      : {}),
    ...(c.livenessProbe ? { livenessProbe: withProbe(c.livenessProbe) } : {}),
    ...(c.readinessProbe ? { readinessProbe: withProbe(c.readinessProbe) } : {}),
    ...(c.startupProbe ? { startupProbe: withProbe(c.startupProbe) } : {}),
    ...(lifecycle
      ? {
          lifecycle: {
            ...lifecycle,
            ...(lifecycle.postStart ? { postStart: withHttpGet(lifecycle.postStart) } : {}),
            ...(lifecycle.preStop ? { preStop: withHttpGet(lifecycle.preStop) } : {}),
          },
        }
      : {}),
  };
}

const VOLUME_SOURCES_WITH_MODE = ['secret', 'configMap', 'downwardAPI', 'projected'];

function defaultedVolume(volume: Json): Json {
  const sources = Object.keys(volume).filter((k) => k !== 'name');
  if (sources.length === 0) return { ...volume, emptyDir: {} };
  const out: Json = { ...volume };
  for (const key of VOLUME_SOURCES_WITH_MODE) {
    const source = volume[key] as Json | undefined;
    if (source) out[key] = { defaultMode: FILE_MODE, ...source };
  }
  const hostPath = volume.hostPath as Json | undefined;
  if (hostPath) out.hostPath = { type: '', ...hostPath };
  return out;
}

/**
 * The pod template as the API server stores it in a ReplicaSet: Kubernetes' core/v1 defaults for the pod
 * spec (DNS and restart policy, grace period, scheduler, service links), its containers (pull policy, termination
 * message, port protocol, probe and HTTP handler defaults, field references) and volumes (empty source → emptyDir,
 * file modes), without the deprecated `serviceAccount` mirror. Quantities are not canonicalised. Idempotent.
 */
export function withPodTemplateDefaults(template: PodTemplateSpec): PodTemplateSpec {
  const spec = template.spec;
  if (!spec) return template;
  const hostNetwork = spec.hostNetwork === true;
  const { serviceAccount: _mirror, ...rest } = spec;
  const defaulted: Json = {
    dnsPolicy: 'ClusterFirst',
    restartPolicy: 'Always',
    terminationGracePeriodSeconds: 30,
    schedulerName: 'default-scheduler',
    enableServiceLinks: true,
    securityContext: {},
    ...rest,
    containers: (spec.containers ?? []).map((c) => defaultedContainer(c, hostNetwork)),
    ...(spec.initContainers
      ? { initContainers: spec.initContainers.map((c) => defaultedContainer(c, hostNetwork)) }
      : {}),
    ...(spec.volumes ? { volumes: spec.volumes.map((v) => defaultedVolume(v as unknown as Json)) } : {}),
  };
  return { ...template, spec: defaulted as unknown as PodTemplateSpec['spec'] };
}
