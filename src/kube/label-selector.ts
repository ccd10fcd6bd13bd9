import { CONTROLLER_INSTANCE_LABEL } from '../api/index.js';

type Requirement =
  | { op: 'in' | 'notin'; key: string; values: ReadonlySet<string> }
  | { op: 'exists' | 'absent'; key: string };

/** A parsed label selector; `matches` applies Kubernetes semantics to a label map. */
export interface LabelSelector {
  readonly text: string;
  matches(labels: Readonly<Record<string, string>> | undefined): boolean;
}

function splitTopLevel(text: string): string[] {
  const parts: string[] = [];
  let depth = 0;
  let start = 0;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i];
    if (ch === '(') depth++;
    else if (ch === ')') depth--;
    else if (ch === ',' && depth === 0) {
      parts.push(text.slice(start, i));
      start = i + 1;
    }
  }
  parts.push(text.slice(start));
  return parts.map((p) => p.trim()).filter((p) => p !== '');
}

const SET_RE = /^([^\s!=()]+)\s+(in|notin)\s+\(([^)]*)\)$/;
const EQ_RE = /^([^\s!=()]+)\s*(==|=|!=)\s*([^\s!=()]*)$/;
const KEY_RE = /^(!?)\s*([^\s!=()]+)$/;

function parseRequirement(part: string): Requirement {
  const set = SET_RE.exec(part);
  if (set?.[1] && set[2] && set[3] !== undefined) {
    const values = new Set(set[3].split(',').map((v) => v.trim()));
    return { op: set[2] === 'in' ? 'in' : 'notin', key: set[1], values };
  }
  const eq = EQ_RE.exec(part);
  if (eq?.[1] && eq[2] && eq[3] !== undefined) {
    return { op: eq[2] === '!=' ? 'notin' : 'in', key: eq[1], values: new Set([eq[3]]) };
  }
  const key = KEY_RE.exec(part);
  if (key?.[2]) return { op: key[1] === '!' ? 'absent' : 'exists', key: key[2] };
  throw new Error(`invalid label selector requirement "${part}"`);
}

function satisfies(req: Requirement, labels: Readonly<Record<string, string>>): boolean {
  const value = Object.hasOwn(labels, req.key) ? labels[req.key] : undefined;
  switch (req.op) {
    case 'exists':
      return value !== undefined;
    case 'absent':
      return value === undefined;
    case 'in':
      return value !== undefined && req.values.has(value);
    case 'notin':
      return value === undefined || !req.values.has(value);
  }
}

/**
 * Parses a label selector string (`a=b`, `a==b`, `a!=b`, `a in (x,y)`, `a notin (x)`, `a`, `!a`, joined
 * by commas). The empty selector matches everything. Throws on syntax the API server would reject.
 */
export function parseLabelSelector(text: string): LabelSelector {
  const requirements = splitTopLevel(text).map(parseRequirement);
  return {
    text,
    matches: (labels) => requirements.every((req) => satisfies(req, labels ?? {})),
  };
}

/**
 * The label selector of the objects a controller instance owns: `<label>=<id>`, or, without an id, the
 * objects without the label (Argo's rule, so unsharded and sharded controllers never overlap).
 */
export function instanceSelector(instanceId: string | undefined): string {
  return instanceId ? `${CONTROLLER_INSTANCE_LABEL}=${instanceId}` : `!${CONTROLLER_INSTANCE_LABEL}`;
}
