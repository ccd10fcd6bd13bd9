/**
 * The subset of Apache APISIX's `ApisixRoute` (apisix.apache.org/v2) Vireo reads and edits. Index signatures
 * keep unknown fields.
 */

/** One backend of an HTTP rule; APISIX gives a backend without `weight` the weight 100. */
export interface ApisixBackend {
  serviceName?: string;
  servicePort?: number | string;
  weight?: number;
  [key: string]: unknown;
}

/** One `match.exprs` entry: a request variable compared with a value. */
export interface ApisixExpr {
  subject: { scope: string; name?: string };
  op: string;
  value?: string;
  [key: string]: unknown;
}

/** An HTTP rule (`spec.http[]`), named; `priority` orders rules with overlapping matches. */
export interface ApisixHttpRule {
  name?: string;
  priority?: number;
  match?: { exprs?: readonly ApisixExpr[]; [key: string]: unknown };
  backends?: readonly ApisixBackend[];
  [key: string]: unknown;
}

/** An ApisixRoute as read from the API server. */
export interface ApisixRoute {
  apiVersion?: string;
  kind?: string;
  metadata?: {
    name?: string;
    namespace?: string;
    labels?: Record<string, string>;
    annotations?: Record<string, string>;
    [key: string]: unknown;
  };
  spec?: { http?: readonly ApisixHttpRule[]; [key: string]: unknown };
  [key: string]: unknown;
}
