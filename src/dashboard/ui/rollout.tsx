import { useEffect } from 'preact/hooks';
import type { ReplicaSetInfo, RevisionInfo, RolloutPageView, SessionView, WeightView } from '../model.js';
import { Actions } from './actions.js';
import { AnalysisRun } from './analysis.js';
import { Denied, Section, Status } from './status.js';

const STEP_GLYPH = { done: '✔', current: '▶', next: '○' } as const;

function Steps({ page }: { page: RolloutPageView }) {
  if (page.steps.length === 0) return null;
  return (
    <Section id="steps" title={`Steps (${page.info.step ?? ''})`}>
      <ol class="steps">
        {page.steps.map((s) => (
          <li
            key={s.index}
            class={`step step-${s.state}`}
            aria-current={s.state === 'current' ? 'step' : undefined}
          >
            <span aria-hidden="true">{STEP_GLYPH[s.state]} </span>
            {s.text} <span class="muted small">({s.state})</span>
          </li>
        ))}
      </ol>
    </Section>
  );
}

function WeightBar({ w }: { w: WeightView }) {
  return (
    <div class="weight">
      <div class="weight-label">
        <strong>{w.router}</strong>: stable {w.stable}% · canary {w.canary}%
        {w.additional > 0 ? ` · other ${w.additional}%` : ''}
        {w.verified === false ? ' (not verified yet)' : ''}
      </div>
      <div class="bar" aria-hidden="true">
        <span class="bar-stable" style={{ width: `${w.stable}%` }} />
        <span class="bar-canary" style={{ width: `${w.canary}%` }} />
      </div>
    </div>
  );
}

function ReplicaSet({ rs }: { rs: ReplicaSetInfo }) {
  return (
    <li>
      <div>
        <Status phase={rs.status} /> <code>{rs.name}</code>{' '}
        {rs.tags.map((t) => (
          <span key={t} class={`tag tag-${t}`}>
            {t}
          </span>
        ))}{' '}
        <span class="muted small">
          {rs.available}/{rs.desired} available · {rs.images.join(', ')} · {rs.age}
        </span>
      </div>
      {rs.pods.length === 0 ? null : (
        <ul class="pods">
          {rs.pods.map((p) => (
            <li key={p.name}>
              <Status phase={p.status} /> <code>{p.name}</code>{' '}
              <span class="muted small">
                ready {p.ready}, {p.restarts} restarts, {p.age}
              </span>
            </li>
          ))}
        </ul>
      )}
    </li>
  );
}

function Revision({ rev }: { rev: RevisionInfo }) {
  return (
    <li class="revision">
      <strong>revision {rev.revision}</strong>
      <ul>
        {rev.replicaSets.map((rs) => (
          <ReplicaSet key={rs.name} rs={rs} />
        ))}
        {rev.analysisRuns.map((run) => (
          <li key={run.name}>
            <Status phase={run.phase} /> AnalysisRun <a href={`#run-${run.name}`}>{run.name}</a>{' '}
            <span class="muted small">
              ✔ {run.successful} ✖ {run.failed}
            </span>
          </li>
        ))}
      </ul>
    </li>
  );
}

function Summary({ page }: { page: RolloutPageView }) {
  const i = page.info;
  return (
    <div class="card summary">
      <h1>
        {i.name} <Status phase={i.phase} />
      </h1>
      {i.message ? <p class="message">{i.message}</p> : null}
      <dl>
        <dt>Strategy</dt>
        <dd>{i.strategy}</dd>
        {i.step ? [<dt key="s">Step</dt>, <dd key="sv">{i.step}</dd>] : null}
        {i.setWeight === undefined ? null : [<dt key="w">Set weight</dt>, <dd key="wv">{i.setWeight}%</dd>]}
        {i.actualWeight === undefined
          ? null
          : [<dt key="a">Actual weight</dt>, <dd key="av">{i.actualWeight}%</dd>]}
        {i.activeService
          ? [
              <dt key="ac">Active</dt>,
              <dd key="acv">
                {i.activeService} → {i.activeSelector ?? '-'}
              </dd>,
            ]
          : null}
        {i.previewService
          ? [
              <dt key="pr">Preview</dt>,
              <dd key="prv">
                {i.previewService} → {i.previewSelector ?? '-'}
              </dd>,
            ]
          : null}
        <dt>Replicas</dt>
        <dd>
          {i.replicas.ready} ready / {i.replicas.desired} desired ({i.replicas.updated} updated)
        </dd>
        <dt>Images</dt>
        <dd>
          {i.images.map((im) => (
            <div key={im.image}>
              <code>{im.image}</code> {im.tags.length > 0 ? `(${im.tags.join(', ')})` : ''}
            </div>
          ))}
        </dd>
      </dl>
    </div>
  );
}

function EventRows({ events }: { events: RolloutPageView['events'] }) {
  return (
    <table class="small">
      <thead>
        <tr>
          <th scope="col">Type</th>
          <th scope="col">Reason</th>
          <th scope="col">Age</th>
          <th scope="col">Message</th>
        </tr>
      </thead>
      <tbody>
        {events.map((e, n) => (
          <tr key={`${n}${e.reason}${e.lastSeen}`}>
            <td>{e.type === 'Warning' ? <Status phase="Error" /> : e.type}</td>
            <td>{e.reason}</td>
            <td>
              {e.age}
              {e.count > 1 ? ` (×${e.count})` : ''}
            </td>
            <td>{e.message}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

/** The newest events; the older ones (up to 50) behind a disclosure. */
const RECENT_EVENTS = 8;

function Events({ page }: { page: RolloutPageView }) {
  const older = page.events.slice(RECENT_EVENTS);
  return (
    <Section id="events" title="Events">
      <Denied text={page.denied.events} />
      {page.events.length === 0 ? <p class="muted">No events.</p> : null}
      {page.events.length === 0 ? null : <EventRows events={page.events.slice(0, RECENT_EVENTS)} />}
      {older.length === 0 ? null : (
        <details>
          <summary>{older.length} older events</summary>
          <EventRows events={older} />
        </details>
      )}
    </Section>
  );
}

function GitAndNotifications({ page }: { page: RolloutPageView }) {
  const { git, notifications } = page;
  return (
    <>
      {git === undefined ? null : (
        <Section id="git" title="Git write-back">
          <dl>
            <dt>Repository</dt>
            <dd>
              <code>{git.repo}</code>
            </dd>
            {git.commit
              ? [
                  <dt key="c">Rollback commit</dt>,
                  <dd key="cv">
                    <code>{git.commit}</code> on {git.branch ?? '?'}
                  </dd>,
                ]
              : null}
            {git.abortedAt ? [<dt key="a">For the abort at</dt>, <dd key="av">{git.abortedAt}</dd>] : null}
            {git.error
              ? [
                  <dt key="e">Last error</dt>,
                  <dd key="ev" class="refused">
                    {git.error}
                  </dd>,
                ]
              : null}
          </dl>
        </Section>
      )}
      {notifications === undefined ? null : (
        <Section id="notifications" title="Notifications">
          <ul>
            {notifications.subscriptions.map((s) => (
              <li key={`${s.trigger}${s.service}${s.recipient}`}>
                {s.trigger} → {s.service}
                {s.recipient ? ` (${s.recipient})` : ''}
              </li>
            ))}
          </ul>
          {notifications.delivered.length === 0 ? null : (
            <ul class="small">
              {notifications.delivered.map((d) => (
                <li key={d.key}>
                  delivered {d.key} at {d.at}
                </li>
              ))}
            </ul>
          )}
        </Section>
      )}
    </>
  );
}

/** The User Timing mark of the first paint of a Rollout page with its data. */
export const PAINTED_MARK = 'vireo:rollout-page-painted';

/** The Rollout page: summary, actions, steps, weights, the ReplicaSet tree, analysis charts, events. */
export function RolloutPage({ page, session }: { page: RolloutPageView; session: SessionView }) {
  // A User Timing mark once the page with its data has been painted (effects run after the paint), so
  // the first paint can be measured in the field and by the bench.
  useEffect(() => {
    if (performance.getEntriesByName(PAINTED_MARK).length === 0) performance.mark(PAINTED_MARK);
  }, []);
  return (
    <div class="rollout">
      <Summary page={page} />
      <Actions session={session} page={page} />
      <Steps page={page} />
      {page.weights.length === 0 ? null : (
        <Section id="weights" title="Traffic weights">
          {page.weights.map((w) => (
            <WeightBar key={w.router} w={w} />
          ))}
        </Section>
      )}
      <Section id="revisions" title="Revisions">
        <Denied text={page.denied.replicasets} />
        <Denied text={page.denied.pods} />
        <ul class="tree">
          {page.info.revisions.map((rev) => (
            <Revision key={rev.revision} rev={rev} />
          ))}
        </ul>
      </Section>
      <Section id="analysis" title="Analysis">
        <Denied text={page.denied.analysisruns} />
        {page.analysisRuns.length === 0 ? <p class="muted">No AnalysisRun.</p> : null}
        {page.analysisRuns.map((run) => (
          <AnalysisRun key={run.name} run={run} />
        ))}
      </Section>
      <Events page={page} />
      <GitAndNotifications page={page} />
    </div>
  );
}
