import type { JobSpec } from 'kubernetes-types/batch/v1.js';
import { z } from 'zod';
import { HeaderSchema, PodMetadataSchema, preserveUnknown } from './primitives.js';

/** OAuth2 client-credentials settings (Prometheus and Web providers). */
export const OAuth2Schema = z.object({
  tokenUrl: z.string().optional(),
  clientId: z.string().optional(),
  clientSecret: z.string().optional(),
  scopes: z.array(z.string()).optional(),
});

/**
 * Argo's `Authentication`, shared by the Prometheus and web providers: SigV4 (Amazon Managed Prometheus),
 * OAuth2 client credentials, basic auth. Which provider implements which mode: `providers/auth.ts`.
 */
export const AuthenticationSchema = z.object({
  sigv4: z
    .object({ region: z.string().optional(), profile: z.string().optional(), roleArn: z.string().optional() })
    .optional(),
  oauth2: OAuth2Schema.optional(),
  basicAuth: z.object({ username: z.string().optional(), password: z.string().optional() }).optional(),
});

/** Range query window; `start`/`end` are expressions such as `now() - duration("1h")`. */
export const PrometheusRangeQuerySchema = z.object({
  start: z.string().optional(),
  end: z.string().optional(),
  step: z.string().optional(),
});

/** `provider.prometheus`: `address` falls back to env `ARGO_ROLLOUTS_PROMETHEUS_ADDRESS`; timeout in seconds. */
export const PrometheusMetricSchema = z.object({
  address: z.string().optional(),
  query: z.string().optional(),
  authentication: AuthenticationSchema.optional(),
  timeout: z.int().optional(),
  insecure: z.boolean().optional(),
  headers: z.array(HeaderSchema).optional(),
  rangeQuery: PrometheusRangeQuerySchema.optional(),
});
export type PrometheusMetric = z.infer<typeof PrometheusMetricSchema>;

/** `provider.web`: HTTP call whose JSON body (at `jsonPath`) becomes `result`. */
export const WebMetricSchema = z.object({
  url: z.string(),
  method: z.string().optional(),
  headers: z.array(HeaderSchema).optional(),
  body: z.string().optional(),
  jsonBody: preserveUnknown().optional(),
  timeoutSeconds: z.int().optional(),
  jsonPath: z.string().optional(),
  insecure: z.boolean().optional(),
  authentication: AuthenticationSchema.optional(),
});
export type WebMetric = z.infer<typeof WebMetricSchema>;

/** Allowed values of `provider.web.method`. */
export const WEB_METHODS = ['GET', 'POST', 'PUT'] as const;

/** `provider.job`: a batch/v1 Job whose completion is the measurement. */
export const JobMetricSchema = z.object({
  metadata: PodMetadataSchema.optional(),
  spec: preserveUnknown<JobSpec>(),
});
export type JobMetric = z.infer<typeof JobMetricSchema>;

/**
 * `metric.provider`: exactly one member is set (checked by `validateAnalysisTemplate`). Providers Vireo
 * does not implement are opaque objects so they survive the API server and are reported as unsupported.
 */
export const MetricProviderSchema = z.object({
  prometheus: PrometheusMetricSchema.optional(),
  web: WebMetricSchema.optional(),
  job: JobMetricSchema.optional(),
  kayenta: preserveUnknown().optional(),
  datadog: preserveUnknown().optional(),
  wavefront: preserveUnknown().optional(),
  newRelic: preserveUnknown().optional(),
  cloudWatch: preserveUnknown().optional(),
  graphite: preserveUnknown().optional(),
  influxdb: preserveUnknown().optional(),
  skywalking: preserveUnknown().optional(),
  plugin: preserveUnknown().optional(),
});
export type MetricProvider = z.infer<typeof MetricProviderSchema>;

/** Every key of `metric.provider`, supported or not. */
export const METRIC_PROVIDER_KEYS = [
  'prometheus',
  'web',
  'job',
  'kayenta',
  'datadog',
  'wavefront',
  'newRelic',
  'cloudWatch',
  'graphite',
  'influxdb',
  'skywalking',
  'plugin',
] as const satisfies readonly (keyof MetricProvider)[];
export type MetricProviderKey = (typeof METRIC_PROVIDER_KEYS)[number];
