import type { AnalysisRunView, MetricChartView, PointView } from '../model.js';
import {
  CHART,
  failureLimitText,
  thresholdText,
  ticksOf,
  tickText,
  valueRange,
  xOf,
  yOf,
} from './chart-scale.js';
import { Status } from './status.js';

/** The mark of one measurement: a circle when successful, a cross when failed, a triangle otherwise. */
function Mark({ point, x, y }: { point: PointView; x: number; y: number }) {
  const phase = point.phase.toLowerCase();
  const label = `${point.phase}: ${point.text || 'no value'}${point.at ? ` at ${point.at}` : ''}`;
  if (point.phase === 'Successful') {
    return (
      <circle class={`point point-${phase}`} cx={x} cy={y} r={5}>
        <title>{label}</title>
      </circle>
    );
  }
  if (point.phase === 'Failed') {
    return (
      <path
        class={`point point-${phase}`}
        d={`M${x - 5} ${y - 5}L${x + 5} ${y + 5}M${x - 5} ${y + 5}L${x + 5} ${y - 5}`}
      >
        <title>{label}</title>
      </path>
    );
  }
  return (
    <path class={`point point-${phase}`} d={`M${x} ${y - 6}L${x + 6} ${y + 5}L${x - 6} ${y + 5}Z`}>
      <title>{label}</title>
    </path>
  );
}

function Axis({ range }: { range: { min: number; max: number } }) {
  const ticks = ticksOf(range);
  return (
    <g class="axis">
      <line x1={CHART.left} y1={CHART.top} x2={CHART.left} y2={CHART.height - CHART.bottom} />
      <line
        x1={CHART.left}
        y1={CHART.height - CHART.bottom}
        x2={CHART.width - CHART.right}
        y2={CHART.height - CHART.bottom}
      />
      {ticks.map((t) => (
        <text key={t} x={CHART.left - 6} y={yOf(t, range) + 4} text-anchor="end">
          {tickText(t)}
        </text>
      ))}
      <text x={CHART.width - CHART.right} y={CHART.height - 8} text-anchor="end">
        measurements, oldest → newest
      </text>
    </g>
  );
}

function summary(chart: MetricChartView): string {
  const last = chart.points[chart.points.length - 1];
  const lastText =
    last === undefined ? 'no measurement yet' : `last ${last.text || 'no value'} (${last.phase})`;
  return `${chart.name}: ${chart.points.length} measurements, ${failureLimitText(chart)}; ${lastText}`;
}

/** A chart of every measured value of one metric against its success/failure thresholds. */
export function MetricChart({ chart }: { chart: MetricChartView }) {
  const range = valueRange(chart);
  const plotted = chart.points.map((p, i) => ({ p, x: xOf(i, chart.points.length) }));
  const line = plotted
    .filter(({ p }) => p.value !== undefined)
    .map(({ p, x }) => `${x},${yOf(p.value ?? 0, range)}`)
    .join(' ');
  const overLimit = chart.failureLimit >= 0 && chart.failed > chart.failureLimit;
  return (
    <figure class="metric" data-metric={chart.name}>
      <figcaption>
        <strong>{chart.name}</strong> <Status phase={chart.phase} />{' '}
        <span class={overLimit ? 'over-limit' : 'muted'}>{failureLimitText(chart)}</span>
        <div class="small">
          {chart.successCondition ? (
            <span>
              success: <code>{chart.successCondition}</code>{' '}
            </span>
          ) : null}
          {chart.failureCondition ? (
            <span>
              failure: <code>{chart.failureCondition}</code>
            </span>
          ) : null}
        </div>
      </figcaption>
      <svg
        viewBox={`0 0 ${CHART.width} ${CHART.height}`}
        role="img"
        aria-label={summary(chart)}
        class="chart"
      >
        <Axis range={range} />
        {chart.thresholds.map((t) => (
          <g key={`${t.of}${t.op}${t.value}`} class={`threshold threshold-${t.of}`}>
            <line
              x1={CHART.left}
              x2={CHART.width - CHART.right}
              y1={yOf(t.value, range)}
              y2={yOf(t.value, range)}
            />
            <text x={CHART.width - CHART.right - 4} y={yOf(t.value, range) - 4} text-anchor="end">
              {thresholdText(t)}
            </text>
          </g>
        ))}
        {line === '' ? null : <polyline class="series" points={line} />}
        {plotted.map(({ p, x }, i) => (
          <Mark
            key={`${i}${p.at}`}
            point={p}
            x={x}
            y={p.value === undefined ? CHART.top + 6 : yOf(p.value, range)}
          />
        ))}
      </svg>
      <details>
        <summary>Values ({chart.points.length})</summary>
        <table class="small">
          <thead>
            <tr>
              <th scope="col">#</th>
              <th scope="col">Finished</th>
              <th scope="col">Value</th>
              <th scope="col">Phase</th>
            </tr>
          </thead>
          <tbody>
            {chart.points.map((p, i) => (
              <tr key={`${i}${p.at}`}>
                <td>{i + 1}</td>
                <td>{p.at}</td>
                <td>
                  <code>{p.text}</code>
                </td>
                <td>
                  <Status phase={p.phase} />
                  {p.message ? ` ${p.message}` : ''}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </details>
    </figure>
  );
}

/** One AnalysisRun: phase, message and a chart per metric. */
export function AnalysisRun({ run }: { run: AnalysisRunView }) {
  return (
    <article class="run" aria-labelledby={`run-${run.name}`}>
      <h3 id={`run-${run.name}`}>
        <Status phase={run.phase} /> {run.name}{' '}
        <span class="muted small">
          {run.type ? `${run.type}, ` : ''}revision {run.revision}, {run.age}
        </span>
      </h3>
      {run.message ? <p class="small">{run.message}</p> : null}
      {run.metrics.length === 0 ? <p class="muted">No measurement yet.</p> : null}
      {run.metrics.map((m) => (
        <MetricChart key={m.name} chart={m} />
      ))}
    </article>
  );
}
