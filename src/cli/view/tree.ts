import type { AnalysisRunInfo } from './analysis-info.js';
import type { ExperimentInfo } from './experiment-info.js';
import { type Paint, paintStatus, withIcon } from './paint.js';
import type { ReplicaSetInfo, RevisionInfo, RolloutInfo } from './rollout-info.js';

/** One row of the tree: name with its icon, kind, status, age and free-form info; children nest below. */
export interface TreeNode {
  icon: string;
  name: string;
  kind: string;
  status?: string;
  age?: string;
  info?: string;
  children: TreeNode[];
}

function replicaSetNode(set: ReplicaSetInfo): TreeNode {
  return {
    icon: '⧉',
    name: set.name,
    kind: 'ReplicaSet',
    status: set.status,
    age: set.age,
    info: [set.tags.join(','), ...(set.metadata ?? [])].filter((part) => part !== '').join(' '),
    children: set.pods.map((pod) => ({
      icon: '□',
      name: pod.name,
      kind: 'Pod',
      status: pod.status,
      age: pod.age,
      info: [`ready:${pod.ready}`, ...(pod.restarts > 0 ? [`restarts:${pod.restarts}`] : [])].join(','),
      children: [],
    })),
  };
}

function analysisRunNode(run: AnalysisRunInfo): TreeNode {
  return {
    icon: 'α',
    name: run.name,
    kind: 'AnalysisRun',
    status: run.phase,
    age: run.age,
    info: [`✔ ${run.successful}`, ...(run.failed > 0 ? [`✖ ${run.failed}`] : [])].join(','),
    children: run.metrics.map((m) => ({
      icon: '·',
      name: m.name,
      kind: 'Metric',
      status: m.phase,
      info: m.value === undefined ? '' : `latest:${m.value}`,
      children: [],
    })),
  };
}

function revisionNode(rev: RevisionInfo): TreeNode {
  return {
    icon: '#',
    name: `revision:${rev.revision}`,
    kind: '',
    children: [...rev.replicaSets.map(replicaSetNode), ...rev.analysisRuns.map(analysisRunNode)],
  };
}

/** The Rollout → revision (newest first) → ReplicaSet → Pod tree, with AnalysisRuns and their metrics. */
export function rolloutTree(info: RolloutInfo): TreeNode {
  return {
    icon: '⟳',
    name: info.name,
    kind: 'Rollout',
    status: info.phase,
    age: info.age,
    children: info.revisions.map(revisionNode),
  };
}

/** The Experiment → ReplicaSet → Pod tree, then its AnalysisRuns and their metrics (Argo's `Σ` node). */
export function experimentTree(info: ExperimentInfo): TreeNode {
  return {
    icon: 'Σ',
    name: info.name,
    kind: 'Experiment',
    status: info.phase,
    age: info.age,
    children: [...info.replicaSets.map(replicaSetNode), ...info.analysisRuns.map(analysisRunNode)],
  };
}

interface Row {
  name: string;
  kind: string;
  status: string;
  rawStatus: string;
  age: string;
  info: string;
}

function flatten(node: TreeNode, prefix: string, childPrefix: string, rows: Row[]): void {
  rows.push({
    name: `${prefix}${node.icon} ${node.name}`,
    kind: node.kind,
    status: node.status === undefined ? '' : withIcon(node.status, node.kind),
    rawStatus: node.status ?? '',
    age: node.age ?? '',
    info: node.info ?? '',
  });
  node.children.forEach((child, i) => {
    const last = i === node.children.length - 1;
    flatten(child, `${childPrefix}${last ? '└──' : '├──'}`, `${childPrefix}${last ? '   ' : '│  '}`, rows);
  });
}

/**
 * The tree as aligned text lines under a `NAME KIND STATUS AGE INFO` heading. Widths are computed on the
 * uncoloured text, so colouring never shifts columns; trailing spaces are trimmed.
 */
export function renderTree(root: TreeNode, paint: Paint): string[] {
  const rows: Row[] = [];
  flatten(root, '', '', rows);
  const heading: Row = {
    name: 'NAME',
    kind: 'KIND',
    status: 'STATUS',
    rawStatus: '',
    age: 'AGE',
    info: 'INFO',
  };
  const all = [heading, ...rows];
  const width = (pick: (r: Row) => string) => Math.max(...all.map((r) => [...pick(r)].length));
  const [wName, wKind, wStatus, wAge] = [
    width((r) => r.name),
    width((r) => r.kind),
    width((r) => r.status),
    width((r) => r.age),
  ];
  const pad = (text: string, w: number) => text + ' '.repeat(Math.max(0, w - [...text].length));
  return all.map((r, i) => {
    const status = pad(r.status, wStatus);
    const cells = [
      pad(r.name, wName),
      pad(r.kind, wKind),
      i === 0 ? paint.gray(status) : paintStatus(paint, r.rawStatus, status, r.kind),
      pad(r.age, wAge),
      r.info,
    ];
    const line = cells.join('  ').trimEnd();
    return i === 0 ? paint.bold(line) : line;
  });
}
