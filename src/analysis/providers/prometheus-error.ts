/**
 * Why a query failed: `timeout` (our deadline), `aborted` (the caller's signal), `network` (connect, DNS,
 * TLS, reset), `http` (non-2xx without a Prometheus error body), `prometheus` (`status: "error"` from the
 * API), `bad_response` (not JSON, wrong shape, too large), `config` (unusable address).
 */
export type PromErrorKind =
  | 'timeout'
  | 'aborted'
  | 'network'
  | 'http'
  | 'prometheus'
  | 'bad_response'
  | 'config';

/**
 * Every failure of `promQuery`/`promRangeQuery`. Messages name the endpoint and the cause but never
 * contain header values or URL credentials. `status` is the HTTP status when a response arrived.
 */
export class PromError extends Error {
  override readonly name = 'PromError';

  constructor(
    readonly kind: PromErrorKind,
    message: string,
    readonly status?: number,
    readonly errorType?: string,
  ) {
    super(message);
  }
}
