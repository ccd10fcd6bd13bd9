import { isBuiltin } from 'node:module';
import { dirname, join, normalize, relative } from 'node:path';
import ts from 'typescript';
import {
  COMPOSITION_ONLY,
  CORE_IMPORTS,
  LAYER_RANK,
  LAZY_ONLY,
  type LayerName,
  layerOf,
  MAX_FUNCTION_LINES,
  MAX_LINES,
  matches,
  NO_RECONCILER_IMPORTS,
  PURE_LAYERS,
} from './layers.js';

/** One TypeScript file of the tree checked: its path relative to the repository root, and its text. */
export interface SourceFile {
  path: string;
  text: string;
}

/** A finding: `error`s fail `npm run lint`, `warning`s are printed only. */
export interface Finding {
  severity: 'error' | 'warning';
  path: string;
  line: number;
  rule: 'layer' | 'purity' | 'max-lines' | 'function-lines' | 'unmapped';
  message: string;
}

interface ImportRef {
  specifier: string;
  line: number;
  /** A static import or re-export of values (not `import type`, not `import()`): loaded with the module. */
  eagerValue: boolean;
}

/** True for `import type …`/`export type …` and for imports whose every named binding is `type`. */
function typeOnly(node: ts.ImportDeclaration | ts.ExportDeclaration): boolean {
  if (ts.isExportDeclaration(node)) return node.isTypeOnly;
  const clause = node.importClause;
  if (clause === undefined) return false;
  if (clause.isTypeOnly) return true;
  const named = clause.namedBindings;
  return (
    clause.name === undefined &&
    named !== undefined &&
    ts.isNamedImports(named) &&
    named.elements.length > 0 &&
    named.elements.every((e) => e.isTypeOnly)
  );
}

const KUBE_CLIENT = '@kubernetes/client-node';
const CLOCK_MODULE = 'util/clock.ts';

function lineOf(file: ts.SourceFile, node: ts.Node): number {
  return file.getLineAndCharacterOfPosition(node.getStart(file)).line + 1;
}

/** Every module specifier of `file`: static imports and re-exports, `import()` and `import x = require()`. */
/** The module specifier `node` names, for imports, re-exports, `import()` and `import x = require()`. */
function specifierOf(node: ts.Node): ts.Expression | undefined {
  if (ts.isImportDeclaration(node) || ts.isExportDeclaration(node)) return node.moduleSpecifier;
  if (ts.isCallExpression(node) && node.expression.kind === ts.SyntaxKind.ImportKeyword)
    return node.arguments[0];
  return ts.isExternalModuleReference(node) ? node.expression : undefined;
}

function importsOf(file: ts.SourceFile): ImportRef[] {
  const refs: ImportRef[] = [];
  const visit = (node: ts.Node): void => {
    const spec = specifierOf(node);
    if (spec !== undefined && ts.isStringLiteral(spec)) {
      const declaration = ts.isImportDeclaration(node) || ts.isExportDeclaration(node);
      refs.push({
        specifier: spec.text,
        line: lineOf(file, node),
        eagerValue: declaration && !typeOnly(node),
      });
    }
    ts.forEachChild(node, visit);
  };
  visit(file);
  return refs;
}

/** The repository-relative `.ts` path a relative specifier of `from` names (`./x.js` → `dir/x.ts`). */
function resolveRelative(from: string, specifier: string): string {
  return normalize(join(dirname(from), specifier)).replace(/\.js$/, '.ts');
}

const TIMERS = new Set(['setTimeout', 'setInterval', 'setImmediate']);
const CLOCK_READS = new Set(['Date.now', 'performance.now', 'process.hrtime']);

/** What `node` does that a pure module must not: read the clock, start a timer, touch `process`. */
function impureUse(file: ts.SourceFile, node: ts.Node): string | undefined {
  if (ts.isPropertyAccessExpression(node)) {
    const text = node.getText(file);
    if (CLOCK_READS.has(text)) return `${text}()`;
    if (ts.isIdentifier(node.expression) && node.expression.text === 'process') return text;
  }
  if (ts.isNewExpression(node) && node.expression.getText(file) === 'Date' && !node.arguments?.length) {
    return 'new Date()';
  }
  if (ts.isCallExpression(node) && ts.isIdentifier(node.expression) && TIMERS.has(node.expression.text)) {
    return node.expression.text;
  }
  return undefined;
}

/** Every clock read, timer and `process` use in `file`, with its line. */
function impureUses(file: ts.SourceFile): { line: number; what: string }[] {
  const found: { line: number; what: string }[] = [];
  const visit = (node: ts.Node): void => {
    const what = impureUse(file, node);
    if (what !== undefined) found.push({ line: lineOf(file, node), what });
    ts.forEachChild(node, visit);
  };
  visit(file);
  return found;
}

interface Module {
  path: string;
  src: string;
  layer: LayerName;
  feature: string;
}

function moduleOf(path: string): Module | 'outside' | 'unmapped' {
  if (!path.startsWith('src/')) return 'outside';
  const src = path.slice('src/'.length);
  const placed = layerOf(src);
  return placed === undefined ? 'unmapped' : { path, src, ...placed };
}

type ImportRule = (from: Module, target: Module) => string | undefined;

const allowedCores = (feature: string): readonly string[] => CORE_IMPORTS[feature] ?? [];

/** The layering rules, in order; the first that objects names the violation. */
const IMPORT_RULES: readonly ImportRule[] = [
  (from, target) =>
    LAYER_RANK[target.layer] > LAYER_RANK[from.layer]
      ? `${from.layer} module imports ${target.layer} module src/${target.src} (dependencies point ${target.layer} → ${from.layer} only)`
      : undefined,
  (from, target) =>
    from.layer === 'util' && target.layer !== 'util' ? 'util imports nothing from the project' : undefined,
  (from, target) =>
    from.layer === 'core' && target.layer === 'core' && !allowedCores(from.feature).includes(target.feature)
      ? `the ${from.feature} core imports the ${target.feature} core (allowed: ${allowedCores(from.feature).join(', ') || 'none'})`
      : undefined,
  (from, target) =>
    from.layer === 'reconciler' && target.layer === 'reconciler'
      ? `the ${from.feature} reconciler imports the ${target.feature} reconciler (reconcilers are independent)`
      : undefined,
  (from, target) =>
    from.layer !== 'entry' &&
    from.feature !== 'traffic' &&
    COMPOSITION_ONLY.some((p) => matches(p, target.src))
      ? `src/${target.src} is a concrete router: only the composition root builds routers (inject a RouterFactory)`
      : undefined,
  (from, target) =>
    target.layer === 'reconciler' && NO_RECONCILER_IMPORTS.some((p) => matches(p, from.src))
      ? `${from.src.split('/')[0]} imports the reconciler module src/${target.src}`
      : undefined,
];

/** Why importing `target` from `from` breaks the layering, or undefined when it is allowed. */
export function layerViolation(from: Module, target: Module): string | undefined {
  if (from.feature === target.feature && from.layer === target.layer) return undefined;
  for (const rule of IMPORT_RULES) {
    const why = rule(from, target);
    if (why !== undefined) return why;
  }
  return undefined;
}

function finding(f: Omit<Finding, 'severity'>, severity: Finding['severity'] = 'error'): Finding {
  return { severity, ...f };
}

/** The finding of one import of `from` (a package, a built-in or a project module), if it breaks a rule. */
function importFinding(file: SourceFile, from: Module, ref: ImportRef): Finding | undefined {
  const at = { path: file.path, line: ref.line };
  const pure = PURE_LAYERS.has(from.layer);
  if (!ref.specifier.startsWith('.')) {
    const impure = pure && (isBuiltin(ref.specifier) || ref.specifier === KUBE_CLIENT);
    return impure
      ? finding({ ...at, rule: 'purity', message: `pure ${from.layer} module imports ${ref.specifier}` })
      : undefined;
  }
  const target = moduleOf(resolveRelative(file.path, ref.specifier));
  if (target === 'outside' || target === 'unmapped') return undefined;
  if (pure && target.src === CLOCK_MODULE) {
    const message = `pure ${from.layer} module imports the clock (time arrives in the snapshot)`;
    return finding({ ...at, rule: 'purity', message });
  }
  const why = layerViolation(from, target);
  return why === undefined ? undefined : finding({ ...at, rule: 'layer', message: why });
}

/** A static value import that would load the Kubernetes client on the CLI's fast path. */
function lazyOnlyFinding(file: SourceFile, from: Module, ref: ImportRef): Finding | undefined {
  if (!ref.eagerValue || !matches(LAZY_ONLY.in, from.src) || LAZY_ONLY.except.includes(from.src))
    return undefined;
  const target = ref.specifier.startsWith('.') ? resolveRelative(file.path, ref.specifier) : ref.specifier;
  if (!LAZY_ONLY.modules.includes(target)) return undefined;
  const message = `${from.src} imports ${target} statically: one-shot CLI verbs load it only on demand (import())`;
  return finding({ path: file.path, line: ref.line, rule: 'layer', message });
}

function importFindings(file: SourceFile, from: Module, parsed: ts.SourceFile): Finding[] {
  return importsOf(parsed).flatMap((ref) =>
    [importFinding(file, from, ref), lazyOnlyFinding(file, from, ref)].filter((f) => f !== undefined),
  );
}

function lengthFindings(file: SourceFile, parsed: ts.SourceFile): Finding[] {
  const lines = file.text.split('\n').length - (file.text.endsWith('\n') ? 1 : 0);
  const out: Finding[] = [];
  if (lines > MAX_LINES.error) {
    out.push(
      finding({
        path: file.path,
        line: lines,
        rule: 'max-lines',
        message: `${lines} lines (at most ${MAX_LINES.error})`,
      }),
    );
  } else if (lines > MAX_LINES.warn) {
    const message = `${lines} lines (aim: at most ${MAX_LINES.warn})`;
    out.push(finding({ path: file.path, line: lines, rule: 'max-lines', message }, 'warning'));
  }
  if (!file.path.startsWith('src/')) return out;
  const visit = (node: ts.Node): void => {
    if (ts.isFunctionLike(node) && 'body' in node && node.body !== undefined) {
      const start = lineOf(parsed, node);
      const length = parsed.getLineAndCharacterOfPosition(node.getEnd()).line + 2 - start;
      if (length > MAX_FUNCTION_LINES) {
        const message = `function of ${length} lines (aim: at most ${MAX_FUNCTION_LINES})`;
        out.push(finding({ path: file.path, line: start, rule: 'function-lines', message }, 'warning'));
      }
    }
    ts.forEachChild(node, visit);
  };
  visit(parsed);
  return out;
}

/**
 * Checks `files` (repository-relative paths): for files under `src/`, every folder is mapped to a layer,
 * imports follow the layering of `layers.ts`, and pure layers import no `node:*`, no Kubernetes client and
 * no clock and call no clock, timer or `process`; every file is at most 500 lines (warning above 300) and
 * `src/` functions aim at 40 lines (warnings). Pure: reads only what it is given.
 */
export function checkArchitecture(files: readonly SourceFile[]): Finding[] {
  const findings: Finding[] = [];
  for (const file of files) {
    const parsed = ts.createSourceFile(file.path, file.text, ts.ScriptTarget.ES2022, true);
    findings.push(...lengthFindings(file, parsed));
    const from = moduleOf(file.path);
    if (from === 'outside') continue;
    if (from === 'unmapped') {
      const message = `src/${relative('src', file.path)} is in no layer: map its folder in scripts/architecture/layers.ts`;
      findings.push(finding({ path: file.path, line: 1, rule: 'unmapped', message }));
      continue;
    }
    findings.push(...importFindings(file, from, parsed));
    if (PURE_LAYERS.has(from.layer)) {
      for (const use of impureUses(parsed)) {
        const message = `pure ${from.layer} module uses ${use.what} (time arrives in the snapshot; no process state)`;
        findings.push(finding({ path: file.path, line: use.line, rule: 'purity', message }));
      }
    }
  }
  return findings;
}
