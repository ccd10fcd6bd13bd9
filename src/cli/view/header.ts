import { blueGreenLines } from './bluegreen-info.js';
import type { ExperimentInfo } from './experiment-info.js';
import { type Paint, paintStatus, withIcon } from './paint.js';
import type { ImageInfo, RolloutInfo } from './rollout-info.js';

const LABEL_WIDTH = 17;

function field(label: string, value: string | number): string {
  return `${`${label}:`.padEnd(LABEL_WIDTH)}${value}`;
}

function imageLines(info: { images: readonly ImageInfo[] }): string[] {
  if (info.images.length === 0) return [field('Images', '<none>')];
  return info.images.map((img, i) => {
    const text = img.tags.length > 0 ? `${img.image} (${img.tags.join(', ')})` : img.image;
    return i === 0 ? field('Images', text) : `${' '.repeat(LABEL_WIDTH)}${text}`;
  });
}

function canaryLines(info: RolloutInfo): string[] {
  return [
    ...(info.step === undefined ? [] : [field('  Step', info.step)]),
    ...(info.setWeight === undefined ? [] : [field('  SetWeight', info.setWeight)]),
    ...(info.actualWeight === undefined ? [] : [field('  ActualWeight', info.actualWeight)]),
    ...(info.pingPong === undefined ? [] : [field('  PingPong', info.pingPong)]),
  ];
}

/**
 * The header `get rollout` prints above the tree (Argo's layout): name, namespace, status with icon, message,
 * strategy (and the `spec.workloadRef` target, when set) with step i/N and set/actual weight (canary only),
 * active/preview Service → hash (blue-green), images tagged stable/canary/active/preview,
 * replica counts.
 */
export function renderHeader(info: RolloutInfo, paint: Paint): string[] {
  const r = info.replicas;
  return [
    field('Name', info.name),
    field('Namespace', info.namespace),
    `${'Status:'.padEnd(LABEL_WIDTH)}${paintStatus(paint, info.phase, withIcon(info.phase))}`,
    ...(info.message === '' ? [] : [field('Message', info.message)]),
    field('Strategy', info.strategy),
    ...(info.workloadRef === undefined ? [] : [field('WorkloadRef', info.workloadRef)]),
    ...canaryLines(info),
    ...blueGreenLines(info),
    ...imageLines(info),
    'Replicas:',
    field('  Desired', r.desired),
    field('  Current', r.current),
    field('  Updated', r.updated),
    field('  Ready', r.ready),
    field('  Available', r.available),
  ];
}

/** The header `get experiment` prints above the tree (Argo's layout): name, namespace, status, message, images. */
export function renderExperimentHeader(info: ExperimentInfo, paint: Paint): string[] {
  return [
    field('Name', info.name),
    field('Namespace', info.namespace),
    `${'Status:'.padEnd(LABEL_WIDTH)}${paintStatus(paint, info.phase, withIcon(info.phase))}`,
    ...(info.message === '' ? [] : [field('Message', info.message)]),
    ...(info.images.length === 0 ? [] : imageLines(info)),
  ];
}
