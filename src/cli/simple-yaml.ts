/**
 * A reader for the plain YAML that kubectl and client-go write kubeconfigs in, so the fast path need not
 * load a full YAML library: block mappings and sequences, plain and quoted single-line scalars, `{}`/`[]`,
 * comments. Anything else (anchors, tags, flow collections, block or multi-line scalars, several
 * documents, tabs, duplicate keys) throws {@link Unsupported}; callers then parse with the `yaml` package.
 */
export class Unsupported extends Error {
  override readonly name = 'Unsupported';
}

interface Line {
  indent: number;
  text: string;
}

const ESCAPES: Readonly<Record<string, string>> = { '"': '"', '\\': '\\', '/': '/', n: '\n', t: '\t' };

function doubleQuoted(body: string): string {
  return body.replace(/\\(.)/g, (_, c: string) => {
    const out = ESCAPES[c];
    if (out === undefined) throw new Unsupported(`escape \\${c}`);
    return out;
  });
}

function quoted(text: string): string | undefined {
  const double = /^"((?:[^"\\]|\\.)*)"$/.exec(text);
  if (double) return doubleQuoted(double[1] as string);
  const single = /^'((?:[^']|'')*)'$/.exec(text);
  return single ? (single[1] as string).replace(/''/g, "'") : undefined;
}

function scalar(raw: string): unknown {
  const text = raw.replace(/\s+#.*$/, '').trim();
  if (text === '' || text === '~' || text === 'null') return null;
  if (text === '{}') return {};
  if (text === '[]') return [];
  if (/^["']/.test(text)) {
    const value = quoted(text);
    if (value === undefined) throw new Unsupported('quoted scalar');
    return value;
  }
  if (/^[[{&*!|>%@`]/.test(text) || text.includes(': ') || /^-\s/.test(text)) throw new Unsupported(text);
  if (text === 'true' || text === 'false') return text === 'true';
  if (/^-?(0|[1-9]\d*)(\.\d+)?$/.test(text)) return Number(text);
  if (/^(True|TRUE|False|FALSE|Null|NULL|[-+.\d])/.test(text)) throw new Unsupported(text);
  return text;
}

function lines(source: string): Line[] {
  const out: Line[] = [];
  let started = false;
  for (const raw of source.replace(/\r\n/g, '\n').split('\n')) {
    if (/^\s*(#.*)?$/.test(raw) || (out.length === 0 && raw === '---' && !started)) {
      started ||= raw === '---';
      continue;
    }
    if (/^\t| \t/.test(raw.match(/^\s*/)?.[0] ?? '') || raw === '---' || raw === '...')
      throw new Unsupported('layout');
    out.push({ indent: raw.length - raw.trimStart().length, text: raw.trim() });
  }
  return out;
}

class Reader {
  private at = 0;

  constructor(private readonly src: Line[]) {}

  document(): unknown {
    if (this.src.length === 0) return null;
    const value = this.block(this.src[0]?.indent ?? 0);
    if (this.at < this.src.length) throw new Unsupported('trailing content');
    return value;
  }

  private block(indent: number): unknown {
    const first = this.src[this.at];
    if (!first || first.indent !== indent) throw new Unsupported('indentation');
    return first.text === '-' || first.text.startsWith('- ') ? this.sequence(indent) : this.mapping(indent);
  }

  private sequence(indent: number): unknown[] {
    const items: unknown[] = [];
    for (let line = this.src[this.at]; line?.indent === indent; line = this.src[this.at]) {
      if (!(line.text === '-' || line.text.startsWith('- '))) break;
      const rest = line.text.slice(1).trimStart();
      if (rest === '') {
        this.at++;
        items.push(this.nested(indent));
      } else if (/^[^"'\s#][^:]*:(\s|$)/.test(rest)) {
        const inner = indent + (line.text.length - rest.length);
        this.src[this.at] = { indent: inner, text: rest };
        items.push(this.mapping(inner));
      } else {
        this.at++;
        items.push(scalar(rest));
      }
    }
    return items;
  }

  private mapping(indent: number): Record<string, unknown> {
    const map: Record<string, unknown> = {};
    for (let line = this.src[this.at]; line?.indent === indent; line = this.src[this.at]) {
      const pair = /^([^"'\s#\-?:[{][^:]*?):(?:\s+(.*))?$/.exec(line.text);
      if (!pair) throw new Unsupported(`not a mapping entry: ${line.text}`);
      const key = pair[1] as string;
      if (Object.hasOwn(map, key) || /^(<<|__proto__)$|\s#|\s$/.test(key)) throw new Unsupported(key);
      this.at++;
      const rest = pair[2] ?? '';
      map[key] = rest === '' || rest.startsWith('#') ? this.nested(indent, true) : scalar(rest);
    }
    return map;
  }

  /** The block under a key or `-` at `indent`: deeper lines, or (for a key) a sequence at the same indent. */
  private nested(indent: number, underKey = false): unknown {
    const next = this.src[this.at];
    if (next && next.indent > indent) return this.block(next.indent);
    if (underKey && next?.indent === indent && (next.text === '-' || next.text.startsWith('- ')))
      return this.sequence(indent);
    return null;
  }
}

/**
 * Parses `source` as the YAML subset described above; the result equals what the `yaml` package returns
 * for the same text. Throws {@link Unsupported} for anything outside the subset, never guesses.
 */
export function parseSimpleYaml(source: string): unknown {
  return new Reader(lines(source)).document();
}
