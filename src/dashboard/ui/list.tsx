import { useMemo, useState } from 'preact/hooks';
import type { ListView, RolloutRowView } from '../model.js';
import { Status } from './status.js';

function matches(row: RolloutRowView, query: string): boolean {
  if (query === '') return true;
  const text = [row.name, row.phase, row.strategy, ...row.images].join(' ').toLowerCase();
  return query
    .toLowerCase()
    .split(/\s+/)
    .every((word) => text.includes(word));
}

function Row({ row }: { row: RolloutRowView }) {
  const href = `#/ns/${encodeURIComponent(row.namespace)}/rollouts/${encodeURIComponent(row.name)}`;
  return (
    <tr>
      <th scope="row">
        <a href={href}>{row.name}</a>
      </th>
      <td>{row.strategy}</td>
      <td>
        <Status phase={row.phase} />
        {row.message ? <div class="muted small">{row.message}</div> : null}
      </td>
      <td>{row.step}</td>
      <td>{row.setWeight === '-' ? '-' : `${row.setWeight}%`}</td>
      <td>{row.ready}</td>
      <td class="images">
        {row.images.map((image) => (
          <code key={image}>{image}</code>
        ))}
      </td>
      <td>{row.age}</td>
    </tr>
  );
}

/** The Rollouts of a namespace with a search box (name, phase, strategy or image). */
export function RolloutList({ view }: { view: ListView | undefined }) {
  const [query, setQuery] = useState('');
  const rows = useMemo(() => (view?.rows ?? []).filter((r) => matches(r, query.trim())), [view, query]);
  if (view === undefined) return <p aria-busy="true">Loading rollouts…</p>;
  if (view.error !== undefined) {
    return (
      <p class="denied" role="alert">
        {view.error}
      </p>
    );
  }
  return (
    <section aria-labelledby="list-h">
      <div class="toolbar">
        <h1 id="list-h">Rollouts in {view.namespace}</h1>
        <label class="search">
          Filter{' '}
          <input
            type="search"
            value={query}
            placeholder="name, phase or image"
            onInput={(e) => setQuery((e.target as HTMLInputElement).value)}
          />
        </label>
      </div>
      <p class="muted" aria-live="polite">
        {rows.length} of {view.rows.length} rollouts
      </p>
      <table class="rollouts">
        <thead>
          <tr>
            <th scope="col">Name</th>
            <th scope="col">Strategy</th>
            <th scope="col">Phase</th>
            <th scope="col">Step</th>
            <th scope="col">Set weight</th>
            <th scope="col">Ready</th>
            <th scope="col">Images</th>
            <th scope="col">Age</th>
          </tr>
        </thead>
        <tbody>
          {rows.map((row) => (
            <Row key={row.name} row={row} />
          ))}
        </tbody>
      </table>
    </section>
  );
}
