import { abortPatch, pausePatch, restartPatch, resumePatch, retryPatch } from '../../api/user-commands.js';
import { runPatchVerb } from '../../cli/commands/patch-verb.js';
import { runPromote } from '../../cli/commands/promote.js';
import { runSetImage } from '../../cli/commands/set-image.js';
import { runUndo } from '../../cli/commands/undo.js';
import type { CliContext } from '../../cli/context.js';
import { CliError, toCliError } from '../../cli/errors.js';
import type { RolloutsApi } from '../../cli/kube.js';
import { noPaint } from '../../cli/view/paint.js';
import type { ActionName, ActionResult } from '../model.js';

/** Every action the dashboard offers, in the order the page shows them. */
export const ACTION_NAMES: readonly ActionName[] = [
  'promote',
  'promote-full',
  'abort',
  'retry',
  'pause',
  'resume',
  'restart',
  'set-image',
  'undo',
];

/** Actions the UI asks to confirm, and the server refuses without `confirm: true`. */
export const CONFIRMED_ACTIONS: readonly ActionName[] = ['abort', 'promote-full'];

/** What a POSTed action carries besides its name. */
export interface ActionArgs {
  confirm?: boolean;
  /** set-image: `CONTAINER=IMAGE` (`*` for every container). */
  image?: string;
  /** undo: the revision to restore, 0 (default) for the previous one. */
  toRevision?: number;
}

/**
 * A {@link CliContext} over `api` that prints into `sink`: the plugin's verbs run unchanged, as the user
 * `api` acts for, and their one-line answer becomes the dashboard's message.
 */
function verbContext(api: RolloutsApi, now: () => Date, sink: string[]): CliContext {
  const write = (text: string) => {
    sink.push(text.trim());
  };
  return {
    io: { out: { write }, err: { write }, env: {}, now, signal: new AbortController().signal },
    opts: { allNamespaces: false, color: false },
    tty: false,
    paint: noPaint,
    kube: async () => ({
      api,
      kubeConfig: () => Promise.reject(new CliError('the dashboard runs no watch through a verb')),
    }),
    print: (lines) => write(typeof lines === 'string' ? lines : lines.join('\n')),
  };
}

type Verb = (ctx: CliContext, name: string, args: ActionArgs) => Promise<number>;

/**
 * Each action is the plugin's own verb: the same read, the same patch builder (src/api/user-commands.ts), the
 * same send order (spec, then the status subresource), the same retries for set image and undo.
 */
const VERBS: Record<ActionName, Verb> = {
  promote: (ctx, name) => runPromote(ctx, name, false),
  'promote-full': (ctx, name) => runPromote(ctx, name, true),
  abort: (ctx, name) => runPatchVerb(ctx, name, { build: abortPatch, done: 'aborted' }),
  retry: (ctx, name) => runPatchVerb(ctx, name, { build: retryPatch, done: 'retried' }),
  pause: (ctx, name) => runPatchVerb(ctx, name, { build: pausePatch, done: 'paused' }),
  resume: (ctx, name) =>
    runPatchVerb(ctx, name, { build: resumePatch, done: 'resumed', nothing: 'is not paused' }),
  restart: (ctx, name) =>
    runPatchVerb(ctx, name, { build: () => restartPatch(ctx.io.now()), done: 'restarts' }),
  'set-image': (ctx, name, args) => runSetImage(ctx, name, args.image ?? ''),
  undo: (ctx, name, args) => runUndo(ctx, name, args.toRevision ?? 0),
};

/** True for a known action name. */
export function isActionName(text: string): text is ActionName {
  return (ACTION_NAMES as readonly string[]).includes(text);
}

/**
 * A refusal in the user's words: `forbidden: cannot patch rollouts/status in namespace shop` becomes
 * `you may not patch rollouts/status in namespace shop`; other errors keep the plugin's line.
 */
export function refusalText(err: CliError): string {
  if (err.reason === 'Forbidden') return err.message.replace(/^forbidden: cannot /, 'you may not ');
  return err.message;
}

/**
 * Runs `action` on the Rollout `name` through `api` (the user's credentials, or in-cluster the dashboard's
 * after SubjectAccessReview of each request). Abort and promote-full need `confirm`. Never throws: a
 * failure is `{ok: false}` with one line saying why.
 */
export async function runAction(
  api: RolloutsApi,
  name: string,
  action: ActionName,
  args: ActionArgs,
  now: () => Date = () => new Date(),
): Promise<ActionResult> {
  if (CONFIRMED_ACTIONS.includes(action) && args.confirm !== true) {
    return { ok: false, message: `${action} needs confirmation` };
  }
  const sink: string[] = [];
  try {
    await VERBS[action](verbContext(api, now, sink), name, args);
    return { ok: true, message: sink.join(' ') || `${action} sent` };
  } catch (err) {
    return { ok: false, message: refusalText(toCliError(err)) };
  }
}
