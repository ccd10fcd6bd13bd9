import { existsSync, readFileSync } from 'node:fs';

/** The fields of a kube-apiserver audit event (audit.k8s.io/v1, level Metadata) the tests read. */
export interface AuditEvent {
  verb: string;
  user: { username: string };
  userAgent?: string;
  objectRef?: {
    resource?: string;
    subresource?: string;
    namespace?: string;
    name?: string;
    apiGroup?: string;
  };
  responseStatus?: { code?: number };
  requestReceivedTimestamp?: string;
}

/** Every event of the JSON-lines audit log at `path` (none when the file does not exist yet). */
export function readAuditLog(path: string): AuditEvent[] {
  if (!existsSync(path)) return [];
  return readFileSync(path, 'utf8')
    .split('\n')
    .filter((line) => line.trim() !== '')
    .map((line) => JSON.parse(line) as AuditEvent);
}

/**
 * The successful deletions of `resource` objects in `namespace` whose name starts with `prefix`, as one
 * line each: time, name, user and user agent (the agent names the controller, e.g. the garbage collector).
 */
export function deletionsIn(path: string, resource: string, namespace: string, prefix = ''): string[] {
  return readAuditLog(path)
    .filter((e) => e.verb === 'delete' || e.verb === 'deletecollection')
    .filter((e) => e.objectRef?.resource === resource && e.objectRef.namespace === namespace)
    .filter((e) => (e.objectRef?.name ?? '').startsWith(prefix))
    .filter((e) => (e.responseStatus?.code ?? 0) < 300)
    .map(
      (e) =>
        `${e.requestReceivedTimestamp} ${e.verb} ${e.objectRef?.name ?? '(collection)'} by ${e.user.username} (${e.userAgent ?? 'no user agent'})`,
    );
}
