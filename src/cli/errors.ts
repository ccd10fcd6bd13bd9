import { ApiError } from '../kube/errors.js';

/**
 * A failure the user can act on. Invariant: `message` is one line without a trailing newline; the CLI
 * prints it as `error: <message>` (or as is when it already names its class) and exits with `exitCode`.
 */
export class CliError extends Error {
  override readonly name = 'CliError';

  constructor(
    message: string,
    readonly exitCode = 1,
    /** The API error reason behind it (`Conflict`, `Forbidden`…), when there was one. */
    readonly reason?: string,
  ) {
    super(message.replace(/\s*\n\s*/g, ' ').trim());
  }
}

/** The API request a failure happened in: verb (`get`, `list`, `patch`…), `plural[/subresource]`, scope. */
export interface RequestDescription {
  verb: string;
  resource: string;
  /** Undefined for a request across all namespaces. */
  namespace: string | undefined;
  name?: string;
}

function scope(req: RequestDescription): string {
  return req.namespace === undefined ? 'at the cluster scope' : `in namespace ${req.namespace}`;
}

function notFound(req: RequestDescription): string {
  const kind = req.resource.split('/')[0]?.replace(/s$/, '') ?? req.resource;
  if (req.name === undefined) {
    return `the server does not serve ${req.resource} (are the Argo Rollouts CRDs installed?)`;
  }
  return `${kind} "${req.name}" not found ${scope(req)}`;
}

/**
 * One line for a failed API request. 403 names the missing permission exactly as RBAC would grant it
 * (`forbidden: cannot patch rollouts/status in namespace shop`); 404 names the object; a connection
 * failure says the server could not be reached. Never includes credentials or response bodies beyond
 * the API server's own `Status.message`.
 */
export function describeApiError(err: ApiError, req: RequestDescription): string {
  switch (err.reason) {
    case 'Forbidden':
      return `forbidden: cannot ${req.verb} ${req.resource} ${scope(req)}`;
    case 'NotFound':
      return notFound(req);
    case 'Conflict':
      return `conflict: ${req.resource} "${req.name ?? ''}" was changed concurrently; run the command again`;
    case 'Invalid':
      return `invalid: ${err.message}`;
    default:
      break;
  }
  if (err.code === 401) return 'unauthorized: the credentials in the kubeconfig were rejected';
  if (err.code === 0) return `cannot reach the API server: ${err.message}`;
  return `${req.verb} ${req.resource} ${scope(req)}: ${err.message}`;
}

/** `err` as a {@link CliError}: API errors described by {@link describeApiError}, others by their message. */
export function toCliError(err: unknown, req?: RequestDescription): CliError {
  if (err instanceof CliError) return err;
  if (err instanceof ApiError && req !== undefined)
    return new CliError(describeApiError(err, req), 1, err.reason);
  return new CliError(err instanceof Error ? err.message : String(err));
}
