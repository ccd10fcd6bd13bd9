import { analysisTemplateIssues, mergeTemplates, substituteArgs } from '../../analysis/core/index.js';
import type {
  AnalysisSite,
  AnalysisTemplateRef,
  AnalysisTemplateSpec,
  Argument,
  FieldPath,
  Issue,
  Metric,
  Rollout,
} from '../../api/index.js';
import { analysisSitesOf, intOrStringToInt, reference } from '../../api/index.js';
import type { ObservedAnalysisTemplates } from '../core/snapshot.js';

/** A template a site reaches, with the Rollout path of the reference that led to it. */
interface Reached {
  key: string;
  name: string;
  /** Named by the analysis's own `templates[i]` (not composed through another template's `spec.templates`). */
  direct: boolean;
  label: string;
  cluster: boolean;
  at: FieldPath;
  spec: AnalysisTemplateSpec;
}

/** One pre-flight over a Rollout: what each template's own problems were reported under (once per template). */
interface Walk {
  observed: ObservedAnalysisTemplates;
  issues: Issue[];
  reported: Set<string>;
}

/** The analyses whose runs must end by themselves (Argo's check skips background analysis). */
const RUN_TO_COMPLETION: ReadonlySet<AnalysisSite['kind']> = new Set([
  'step',
  'prePromotion',
  'postPromotion',
]);

/** A value standing in for arguments the Rollout resolves when the run is created (pod hashes, fields). */
const RESOLVED_LATER = 'resolved-when-the-run-is-created';

/** Adds `issues` under `key` unless something was already reported under it. */
function report(walk: Walk, key: string, issues: readonly Issue[]): void {
  if (walk.reported.has(key)) return;
  walk.reported.add(key);
  walk.issues.push(...issues);
}

/** A problem of a template, restated on the Rollout at `at` (an unsupported feature stays `unsupported`). */
function templateIssue(at: FieldPath, label: string, issue: Issue): Issue {
  const text = issue.message.startsWith(issue.path) ? issue.message : `${issue.path}: ${issue.message}`;
  const restated = reference(at, `${label}: ${text}`);
  return issue.kind === 'unsupported' ? { ...restated, kind: 'unsupported' } : restated;
}

/** The resolution of one site's templates: what it reached so far, and whether all of them are usable. */
interface SiteWalk {
  walk: Walk;
  reached: Reached[];
  seen: Set<string>;
  complete: boolean;
}

/** A template found for a reference: checked (its problems reported once), then what it composes visited. */
function checkFound(
  state: SiteWalk,
  found: { key: string; kind: string; name: string; raw: unknown; at: FieldPath; via: string },
): void {
  const { key, kind, name, at, via } = found;
  const label = `${kind} '${name}'${via}`;
  const { template, issues } = analysisTemplateIssues({ ...(found.raw as object), kind });
  report(
    state.walk,
    key,
    issues.map((issue) => templateIssue(at, label, issue)),
  );
  if (issues.length > 0) state.complete = false;
  if (template === undefined) return;
  const cluster = kind === 'ClusterAnalysisTemplate';
  state.reached.push({ key, name, direct: via === '', label, cluster, at, spec: template.spec });
  (template.spec.templates ?? []).forEach((inner, j) => {
    visit(state, inner, at, ` (spec.templates[${j}] of ${kind} '${name}')`);
  });
}

/** Resolves one reference (once per site); a missing template is reported where the scope can be read. */
function visit(state: SiteWalk, ref: AnalysisTemplateRef, at: FieldPath, via: string): void {
  const cluster = ref.clusterScope === true;
  const kind = cluster ? 'ClusterAnalysisTemplate' : 'AnalysisTemplate';
  const name = ref.templateName;
  const key = `${kind}/${name}`;
  if (state.seen.has(key)) return;
  state.seen.add(key);
  const scope = cluster ? state.walk.observed.cluster : state.walk.observed.namespaced;
  const raw = scope?.get(name);
  if (raw !== undefined) {
    checkFound(state, { key, kind, name, raw, at, via });
    return;
  }
  state.complete = false;
  if (scope !== undefined) report(state.walk, key, [missingTemplate(at, kind, name, via)]);
}

/**
 * A template that does not exist. Named directly by an analysis's `templates[i]`: Argo's `field.Invalid` on
 * that `templates` list (`…templates: Invalid value: "x": AnalysisTemplate 'x' not found`); named by an
 * experiment step or composed by another template (`via`), at the reference's own `templateName`.
 */
function missingTemplate(at: FieldPath, kind: string, name: string, via: string): Issue {
  if (via === '' && at.at(-2) === 'templates') {
    return reference(at.slice(0, -1), `Invalid value: ${JSON.stringify(name)}: ${kind} '${name}' not found`);
  }
  return reference([...at, 'templateName'], `${kind} '${name}' not found${via}`);
}

/**
 * The templates `site` reaches (its references, then what each composes through `spec.templates`, depth
 * first, each once), AnalysisTemplates before ClusterAnalysisTemplates as Argo merges them; undefined when
 * one of them is missing, invalid or in a scope that cannot be read, after reporting why (missing or invalid).
 */
function reachedBy(walk: Walk, site: AnalysisSite): Reached[] | undefined {
  const state: SiteWalk = { walk, reached: [], seen: new Set(), complete: true };
  for (const ref of site.refs) visit(state, ref, ref.path, '');
  if (!state.complete) return undefined;
  return [...state.reached.filter((t) => !t.cluster), ...state.reached.filter((t) => t.cluster)];
}

/** The Rollout's arguments as the run will get them; values resolved at creation stand in as placeholders. */
function siteArgs(site: AnalysisSite): Argument[] {
  return site.args.map((arg) => {
    const value = arg.value ?? (arg.valueFrom === undefined ? undefined : RESOLVED_LATER);
    return value === undefined ? { name: arg.name } : { name: arg.name, value };
  });
}

/**
 * Argo's `NewAnalysisRunFromTemplates` over the reached templates and the site's arguments, dry-run and
 * retention rules: a metric name used twice, an argument with conflicting values, or one nothing supplies.
 * Worded as Argo's `field.Invalid` on the analysis's `templates` (`Invalid value: "templateNames: [a b]":
 * args.x was not resolved`); an experiment step's analysis at its own path.
 */
function mergeIssues(site: AnalysisSite, reached: readonly Reached[]): Issue[] {
  const merged = mergeTemplates({
    templates: reached.map((t) => t.spec),
    args: siteArgs(site),
    dryRun: site.dryRun,
    measurementRetention: site.measurementRetention,
  });
  if (merged.ok) return [];
  if (site.kind === 'experiment') return [reference(site.path, merged.error)];
  const names = reached.filter((t) => t.direct).map((t) => t.name);
  const value = `Invalid value: ${JSON.stringify(`templateNames: [${names.join(' ')}]`)}`;
  return [reference([...site.path, 'templates'], `${value}: ${merged.error}`)];
}

/**
 * True when `metric` would measure forever: an `interval` and no positive `count` (a templated count is
 * judged by the template's default value, and not at all without one).
 */
function runsIndefinitely(metric: Metric, spec: AnalysisTemplateSpec): boolean {
  if (metric.interval === undefined || metric.interval === '') return false;
  if (metric.count === undefined) return true;
  const defaults = (spec.args ?? []).flatMap((arg) =>
    arg.value === undefined ? [] : [{ name: arg.name, value: arg.value, secret: false }],
  );
  const count = substituteArgs(metric.count, defaults);
  return count.ok && intOrStringToInt(count.value) === 0;
}

/** Argo's check that the metrics of a step or pre/post-promotion analysis end by themselves. */
function countIssues(walk: Walk, reached: readonly Reached[]): void {
  for (const t of reached) {
    const endless = (t.spec.metrics ?? []).filter((m) => runsIndefinitely(m, t.spec));
    const issues = endless.map((m) => {
      const says = `has metric ${m.name} which runs indefinitely. Invalid value for count: ${m.count ?? '<nil>'}`;
      if (!t.direct || t.at.at(-2) !== 'templates') return reference(t.at, `${t.label} ${says}`);
      const value = `Invalid value: ${JSON.stringify(t.name)}`;
      return reference(t.at.slice(0, -1), `${value}: AnalysisTemplate ${t.name} ${says}`);
    });
    report(walk, `${t.key}#count`, issues);
  }
}

/**
 * The pre-flight of every analysis a Rollout may run (steps, background, blue-green pre-/post-promotion,
 * experiment-step analyses), from the templates observed: a template that does not exist (Argo's
 * "AnalysisTemplate 'x' not found"); a template the shared check (`analysisTemplateIssues`, as `kubectl vireo
 * lint`) refuses, such as an unsupported provider or authentication mode or a condition that does not
 * compile; arguments nothing supplies, metrics named twice (Argo's `NewAnalysisRunFromTemplates`); a step or
 * pre/post-promotion metric that runs indefinitely. Each issue carries the Rollout path of the reference
 * (and the template's own field path in its message); each template's problems are reported once. A scope
 * not observed (`observed` absent, or a namespaced install's ClusterAnalysisTemplates) is not checked. Pure.
 */
export function analysisPreflightIssues(
  rollout: Rollout,
  observed: ObservedAnalysisTemplates | undefined,
): Issue[] {
  if (observed === undefined) return [];
  const walk: Walk = { observed, issues: [], reported: new Set() };
  for (const site of analysisSitesOf(rollout)) {
    const reached = reachedBy(walk, site);
    if (reached === undefined) continue;
    walk.issues.push(...mergeIssues(site, reached));
    if (RUN_TO_COMPLETION.has(site.kind)) countIssues(walk, reached);
  }
  return walk.issues;
}
