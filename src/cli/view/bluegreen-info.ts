import type { ReplicaSet } from 'kubernetes-types/apps/v1.js';
import { EPHEMERAL_METADATA_ANNOTATION, type Rollout } from '../../api/index.js';
import type { RolloutInfo } from './rollout-info.js';

const LABEL_WIDTH = 17;

/**
 * The injected (ephemeral) pod metadata a ReplicaSet records, as `key=value` texts: labels first, then
 * annotations, each sorted by key. `[]` when nothing is recorded or the record is not JSON.
 * Example: `{"labels":{"role":"preview"}}` → `['role=preview']`.
 */
export function injectedMetadata(rs: ReplicaSet): string[] {
  const text = rs.metadata?.annotations?.[EPHEMERAL_METADATA_ANNOTATION];
  if (text === undefined) return [];
  try {
    const parsed = JSON.parse(text) as { labels?: object; annotations?: object } | null;
    const pairs = (map: object | undefined) =>
      Object.entries(map ?? {})
        .filter(([, value]) => typeof value === 'string')
        .sort(([a], [b]) => a.localeCompare(b))
        .map(([key, value]) => `${key}=${value}`);
    return [...pairs(parsed?.labels), ...pairs(parsed?.annotations)];
  } catch {
    return [];
  }
}

/**
 * The blue-green members of the `get rollout` model (none for canary): the active and preview Service names
 * and the pod-template hashes they select according to `status.blueGreen`.
 */
export function blueGreenFields(rollout: Rollout): Partial<RolloutInfo> {
  const bg = rollout.spec.strategy.blueGreen;
  if (bg === undefined) return {};
  const selectors = rollout.status?.blueGreen;
  return {
    activeService: bg.activeService,
    ...(bg.previewService ? { previewService: bg.previewService } : {}),
    ...(selectors?.activeSelector ? { activeSelector: selectors.activeSelector } : {}),
    ...(selectors?.previewSelector ? { previewSelector: selectors.previewSelector } : {}),
  };
}

function field(label: string, value: string): string {
  return `${`${label}:`.padEnd(LABEL_WIDTH)}${value}`;
}

/**
 * Header lines of a blue-green Rollout: `  Active:  <service> → <hash>` and the same for the preview Service
 * (`-` for a hash not recorded yet); none for canary.
 */
export function blueGreenLines(info: RolloutInfo): string[] {
  if (info.activeService === undefined) return [];
  const lines = [field('  Active', `${info.activeService} → ${info.activeSelector ?? '-'}`)];
  if (info.previewService !== undefined)
    lines.push(field('  Preview', `${info.previewService} → ${info.previewSelector ?? '-'}`));
  return lines;
}
