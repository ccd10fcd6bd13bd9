import type { ComponentChildren } from 'preact';

const GLYPHS: Record<string, string> = {
  Healthy: '✔',
  Successful: '✔',
  Progressing: '↻',
  Running: '↻',
  Pending: '…',
  Paused: '‖',
  Degraded: '✖',
  Failed: '✖',
  Error: '⚠',
  Inconclusive: '?',
  ScaledDown: '○',
};

/** A phase as a badge: a glyph and the word (colour is never the only signal). */
export function Status({ phase }: { phase: string }) {
  return (
    <span class={`status status-${phase.toLowerCase()}`}>
      <span aria-hidden="true">{GLYPHS[phase] ?? '•'} </span>
      {phase}
    </span>
  );
}

/** A section heading with a consistent id, so the page can be navigated by headings and links. */
export function Section(props: { id: string; title: string; children: ComponentChildren }) {
  return (
    <section aria-labelledby={`${props.id}-h`} class="card">
      <h2 id={`${props.id}-h`}>{props.title}</h2>
      {props.children}
    </section>
  );
}

/** The sentence saying the user may not read a section. */
export function Denied({ text }: { text: string | undefined }) {
  return text === undefined ? null : (
    <p class="denied" role="note">
      <span aria-hidden="true">⛔ </span>
      {text}
    </p>
  );
}
