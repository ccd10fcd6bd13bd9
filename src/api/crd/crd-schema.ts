import type { JSONSchemaProps } from 'kubernetes-types/apiextensions/v1.js';
import { z } from 'zod';
import { INT_OR_STRING, PRESERVE_UNKNOWN } from '../primitives.js';

type JsonNode = Record<string, unknown>;

const INT32 = { min: -2147483648, max: 2147483647 };
const KEPT_KEYS = [
  'description',
  'type',
  'format',
  'properties',
  'required',
  'items',
  'additionalProperties',
];

function isNode(value: unknown): value is JsonNode {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

function integerFormat(node: JsonNode): string | undefined {
  if (node.type !== 'integer') return undefined;
  return node.minimum === INT32.min && node.maximum === INT32.max ? 'int32' : 'int64';
}

function extensions(node: JsonNode): JsonNode {
  return Object.fromEntries(Object.entries(node).filter(([key]) => key.startsWith('x-kubernetes-')));
}

function withDescription(node: JsonNode, rest: JsonNode): JsonNode {
  return node.description === undefined ? rest : { description: node.description, ...rest };
}

function structuralProperties(properties: unknown, path: string): JsonNode {
  if (!isNode(properties)) throw new Error(`${path}: properties must be an object`);
  return Object.fromEntries(
    Object.entries(properties).map(([key, value]) => [key, structural(value, `${path}.${key}`)]),
  );
}

function assertRepresentable(node: JsonNode, path: string): void {
  for (const key of ['$ref', 'anyOf', 'oneOf', 'allOf', 'not', 'const']) {
    if (key in node) throw new Error(`${path}: "${key}" is not allowed in a structural schema`);
  }
  if (typeof node.type !== 'string') throw new Error(`${path}: every node needs a single type`);
}

/** One node made structural; see `toCrdSchema` for the rules. */
function structural(value: unknown, path: string): JsonNode {
  if (!isNode(value)) throw new Error(`${path}: schema node must be an object`);
  if (value[PRESERVE_UNKNOWN] === true)
    return withDescription(value, { type: 'object', [PRESERVE_UNKNOWN]: true });
  if (value[INT_OR_STRING] === true) {
    return withDescription(value, {
      anyOf: [{ type: 'integer' }, { type: 'string' }],
      [INT_OR_STRING]: true,
    });
  }
  assertRepresentable(value, path);
  const out: JsonNode = { ...withDescription(value, {}), type: value.type };
  const format = integerFormat(value);
  if (format !== undefined) out.format = format;
  if (value.properties !== undefined) out.properties = structuralProperties(value.properties, path);
  if (Array.isArray(value.required) && value.required.length > 0) out.required = value.required;
  if (value.items !== undefined) out.items = structural(value.items, `${path}[]`);
  if (value.properties === undefined && isNode(value.additionalProperties)) {
    if (Object.keys(value.additionalProperties).length === 0) throw new Error(`${path}: untyped map values`);
    out.additionalProperties = structural(value.additionalProperties, `${path}{}`);
  }
  return { ...out, ...extensions(value) };
}

/**
 * Converts a zod schema into a Kubernetes structural schema: no `$ref`, a `type` on every node, no
 * `additionalProperties` next to `properties`, no `default`/bounds/enums (defaults and ranges are applied
 * and checked in code, as Argo's CRDs do), int-or-string exactly as `anyOf: [{type: integer}, {type:
 * string}]` with `x-kubernetes-int-or-string`, preserve-unknown nodes as bare `type: object`, and integer
 * formats `int32`/`int64`. Any `x-kubernetes-*` metadata is kept. Throws on schemas it cannot express.
 */
export function toCrdSchema(schema: z.ZodType): JSONSchemaProps {
  const json = z.toJSONSchema(schema, {
    target: 'openapi-3.0',
    io: 'input',
    cycles: 'throw',
    reused: 'inline',
    unrepresentable: 'throw',
  });
  return structural(json, '') as JSONSchemaProps;
}

/** Keys `toCrdSchema` may emit on a node (plus `x-kubernetes-*` extensions and `anyOf` for int-or-string). */
export const CRD_SCHEMA_KEYS: readonly string[] = KEPT_KEYS;
