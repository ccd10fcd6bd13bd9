import { useEffect, useRef, useState } from 'preact/hooks';
import type { ActionName, ActionResult, RolloutPageView, SessionView } from '../model.js';
import { type ActionBody, postAction } from './api.js';

const LABELS: Record<ActionName, string> = {
  promote: 'Promote',
  'promote-full': 'Promote full',
  abort: 'Abort',
  retry: 'Retry',
  pause: 'Pause',
  resume: 'Resume',
  restart: 'Restart',
  'set-image': 'Set image',
  undo: 'Undo',
};

const HINTS: Partial<Record<ActionName, string>> = {
  'promote-full': 'Skip every remaining step, pause and analysis and make the new revision stable now.',
  abort: 'Send all traffic back to the stable revision and scale the canary down.',
};

const SIMPLE: readonly ActionName[] = [
  'promote',
  'promote-full',
  'abort',
  'retry',
  'pause',
  'resume',
  'restart',
];
const CONFIRM: readonly ActionName[] = ['abort', 'promote-full'];

interface Props {
  session: SessionView;
  page: RolloutPageView;
}

function ConfirmDialog(props: {
  action: ActionName | undefined;
  name: string;
  onAnswer(yes: boolean): void;
}) {
  const ref = useRef<HTMLDialogElement>(null);
  useEffect(() => {
    const dialog = ref.current;
    if (dialog === null) return;
    if (props.action !== undefined && !dialog.open) dialog.showModal();
    if (props.action === undefined && dialog.open) dialog.close();
  }, [props.action]);
  const action = props.action ?? 'abort';
  return (
    <dialog ref={ref} aria-labelledby="confirm-h" onCancel={() => props.onAnswer(false)}>
      <h2 id="confirm-h">
        {LABELS[action]} rollout {props.name}?
      </h2>
      <p>{HINTS[action]}</p>
      <div class="buttons">
        <button type="button" class="danger" onClick={() => props.onAnswer(true)}>
          Yes, {LABELS[action].toLowerCase()}
        </button>
        <button type="button" autofocus onClick={() => props.onAnswer(false)}>
          Cancel
        </button>
      </div>
    </dialog>
  );
}

/** The action buttons (the plugin's verbs), with a confirmation for abort and promote-full. */
export function Actions({ session, page }: Props) {
  const { name, namespace } = page.info;
  const [pending, setPending] = useState<ActionName | undefined>();
  const [asking, setAsking] = useState<ActionName | undefined>();
  const [result, setResult] = useState<ActionResult | undefined>();
  const [container, setContainer] = useState(page.containers[0] ?? '*');
  const [image, setImage] = useState('');
  const [revision, setRevision] = useState('0');
  const send = async (action: ActionName, body: ActionBody = {}) => {
    setPending(action);
    setResult(undefined);
    setResult(await postAction(session, namespace, name, action, body));
    setPending(undefined);
  };
  const click = (action: ActionName) => (CONFIRM.includes(action) ? setAsking(action) : void send(action));
  const answer = (yes: boolean) => {
    const action = asking;
    setAsking(undefined);
    if (yes && action !== undefined) void send(action, { confirm: true });
  };
  const revisions = page.info.revisions.map((r) => r.revision).slice(1);
  return (
    <section aria-labelledby="actions-h" class="card actions">
      <h2 id="actions-h">Actions</h2>
      <fieldset class="buttons">
        <legend class="sr-only">Rollout actions</legend>
        {SIMPLE.map((action) => (
          <button
            type="button"
            key={action}
            data-action={action}
            class={CONFIRM.includes(action) ? 'danger' : ''}
            disabled={pending !== undefined}
            onClick={() => click(action)}
          >
            {LABELS[action]}
            {CONFIRM.includes(action) ? '…' : ''}
          </button>
        ))}
      </fieldset>
      <form
        class="inline"
        onSubmit={(e) => {
          e.preventDefault();
          void send('set-image', { image: `${container}=${image.trim()}` });
        }}
      >
        <label>
          Container{' '}
          <select value={container} onChange={(e) => setContainer((e.target as HTMLSelectElement).value)}>
            {[...page.containers, '*'].map((c) => (
              <option key={c} value={c}>
                {c === '*' ? 'all containers' : c}
              </option>
            ))}
          </select>
        </label>
        <label>
          Image{' '}
          <input required value={image} onInput={(e) => setImage((e.target as HTMLInputElement).value)} />
        </label>
        <button type="submit" disabled={pending !== undefined}>
          Set image
        </button>
      </form>
      <form
        class="inline"
        onSubmit={(e) => {
          e.preventDefault();
          void send('undo', { toRevision: Number(revision) });
        }}
      >
        <label>
          Roll back to{' '}
          <select value={revision} onChange={(e) => setRevision((e.target as HTMLSelectElement).value)}>
            <option value="0">the previous revision</option>
            {revisions.map((r) => (
              <option key={r} value={String(r)}>
                revision {r}
              </option>
            ))}
          </select>
        </label>
        <button type="submit" disabled={pending !== undefined}>
          Undo
        </button>
      </form>
      <p role={result?.ok === false ? 'alert' : 'status'} class={result?.ok === false ? 'refused' : 'done'}>
        {pending !== undefined ? `${LABELS[pending]}…` : (result?.message ?? '')}
      </p>
      <ConfirmDialog action={asking} name={name} onAnswer={answer} />
    </section>
  );
}
