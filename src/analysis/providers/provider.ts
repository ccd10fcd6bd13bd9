import type { Metric } from '../../api/index.js';
import type { ResolvedArgs } from '../core/index.js';
import type { MeasuredValue } from '../core/types.js';

export type { MeasuredValue } from '../core/types.js';

/** What a provider gets besides the metric: resolved arguments, cancellation and the reconcile's clock. */
export interface MeasureContext {
  /** The run's arguments with Secret values resolved; substituted into the provider block by the provider. */
  readonly args: ResolvedArgs;
  /** Aborted when the controller shuts down or the reconcile is cancelled. */
  readonly signal: AbortSignal;
  /** The reconcile's `now`: used for query times, never `Date.now()`. */
  readonly now: Date;
}

/**
 * A metric provider: takes one measurement and returns its value or an error, never a verdict (the core
 * judges with the metric's conditions). `measure` never rejects, and no result or error contains a
 * header value or a secret argument.
 */
export interface MetricProvider {
  /** The `metric.provider` key this provider serves, e.g. `prometheus`. */
  readonly type: string;
  measure(metric: Metric, context: MeasureContext): Promise<MeasuredValue>;
}
