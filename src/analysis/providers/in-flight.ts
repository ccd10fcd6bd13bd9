import type { Measurement, Metric } from '../../api/index.js';
import type { MeasureContext, MetricProvider } from './provider.js';

/** The AnalysisRun a measurement belongs to (what a provider may name or own objects after). */
export interface RunIdentity {
  readonly name: string;
  readonly namespace: string;
  readonly uid: string;
}

/** What an in-flight provider gets besides the metric. */
export interface InFlightContext extends MeasureContext {
  readonly run: RunIdentity;
  /**
   * 1 + the measurements the metric has taken so far, errors included (Argo's `count + error + 1`), so each
   * measurement of a run names its objects differently.
   */
  readonly measurementNumber: number;
}

/**
 * A provider whose measurement outlives one reconcile (Argo's `Run`/`Resume`/`Terminate`/`GarbageCollect`):
 * `start` returns a measurement in flight (no `finishedAt`, with `resumeAt`) or an Error one; `resume` and
 * `terminate` return it completed or still in flight with a later `resumeAt`. None of them rejects, and the
 * phase they return is final: conditions are not evaluated. `collect` deletes what measurements older than
 * the newest `keep` left behind; it may reject (the caller logs and carries on).
 */
export interface InFlightProvider extends MetricProvider {
  start(metric: Metric, context: InFlightContext): Promise<Measurement>;
  resume(metric: Metric, measurement: Measurement, context: InFlightContext): Promise<Measurement>;
  terminate(metric: Metric, measurement: Measurement, context: InFlightContext): Promise<Measurement>;
  collect(metric: Metric, keep: number, context: InFlightContext): Promise<void>;
  /**
   * True when what `measurement` waits for has finished already (read from a cache, no I/O), so it may be
   * resumed before its `resumeAt`: the verdict is the same, only sooner.
   */
  finished?(measurement: Measurement, run: RunIdentity): boolean;
}

/** True when `provider` measures in flight (`start`/`resume`/`terminate`) rather than with `measure`. */
export function isInFlightProvider(provider: MetricProvider): provider is InFlightProvider {
  const p = provider as Partial<InFlightProvider>;
  return typeof p.start === 'function' && typeof p.resume === 'function' && typeof p.terminate === 'function';
}
