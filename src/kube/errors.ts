import { ApiException } from '@kubernetes/client-node';

/** The Kubernetes failure classes callers branch on; everything else is `Other`. */
export type ApiErrorReason =
  | 'NotFound'
  | 'Conflict'
  | 'AlreadyExists'
  | 'Forbidden'
  | 'Invalid'
  | 'Gone'
  | 'Other';

/**
 * A failed API call. `code` is the HTTP status (0 when no response arrived, e.g. a network error);
 * `reason` comes from the `Status` body when it names a known reason, else from the HTTP code; `message`
 * is the `Status.message` when present. Never contains request headers or credentials.
 */
export class ApiError extends Error {
  override readonly name = 'ApiError';

  constructor(
    readonly code: number,
    readonly reason: ApiErrorReason,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

/** True when `err` is an {@link ApiError}, optionally of the given reason. */
export function isApiError(err: unknown, reason?: ApiErrorReason): err is ApiError {
  return err instanceof ApiError && (reason === undefined || err.reason === reason);
}

const KNOWN_REASONS: ReadonlySet<string> = new Set([
  'NotFound',
  'Conflict',
  'AlreadyExists',
  'Forbidden',
  'Invalid',
  'Gone',
]);

const REASON_BY_CODE: Readonly<Record<number, ApiErrorReason>> = {
  403: 'Forbidden',
  404: 'NotFound',
  409: 'Conflict',
  410: 'Gone',
  422: 'Invalid',
};

interface StatusBody {
  reason?: unknown;
  message?: unknown;
}

function parseStatus(body: unknown): StatusBody {
  if (typeof body === 'string') {
    try {
      const parsed: unknown = JSON.parse(body);
      return typeof parsed === 'object' && parsed !== null ? (parsed as StatusBody) : {};
    } catch {
      return { message: body.slice(0, 500) };
    }
  }
  if (Buffer.isBuffer(body)) return parseStatus(body.toString('utf8'));
  return typeof body === 'object' && body !== null ? (body as StatusBody) : {};
}

/**
 * Builds an {@link ApiError} from an HTTP status and a raw response body (a `Status` object as JSON text
 * or already parsed). A body reason such as `AlreadyExists` wins over the code's default (409 → Conflict).
 */
export function apiErrorFromResponse(code: number, body: unknown, cause?: unknown): ApiError {
  const status = parseStatus(body);
  const bodyReason =
    typeof status.reason === 'string' && KNOWN_REASONS.has(status.reason) ? status.reason : undefined;
  const reason = (bodyReason as ApiErrorReason | undefined) ?? REASON_BY_CODE[code] ?? 'Other';
  const message =
    typeof status.message === 'string' && status.message !== '' ? status.message : `HTTP ${code} ${reason}`;
  return new ApiError(code, reason, message, { cause });
}

/**
 * Normalises anything a client-node call can throw into an {@link ApiError}: `ApiException` keeps its
 * code and Status body; other errors (network, abort) become code 0, reason `Other`.
 */
export function toApiError(err: unknown): ApiError {
  if (err instanceof ApiError) return err;
  if (err instanceof ApiException) return apiErrorFromResponse(err.code, err.body, err);
  const message = err instanceof Error ? err.message : String(err);
  return new ApiError(0, 'Other', message, { cause: err });
}
