import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

const repoRoot = join(import.meta.dirname, '..', '..', '..');
const SHARED = 'shared';

/**
 * Ways a file could reach the development machines' folder beside the clone (built from parts so that
 * this file does not match itself).
 */
const OUTSIDE_REFERENCES: RegExp[] = [
  new RegExp(`\\.\\./${SHARED}\\b`),
  new RegExp(`VIREO_${SHARED.toUpperCase()}_DIR`),
  new RegExp(`['"]\\.\\.['"]\\s*,\\s*['"]${SHARED}['"]`),
  new RegExp(`/work/${SHARED}\\b`),
];

function trackedFiles(): string[] {
  return execFileSync('git', ['ls-files', '-z'], { cwd: repoRoot, encoding: 'utf8' })
    .split('\0')
    .filter(Boolean);
}

describe('the repository stands alone', () => {
  it("no tracked file refers to the parent folder's shared/", () => {
    const offenders: string[] = [];
    for (const file of trackedFiles()) {
      let text: string;
      try {
        text = readFileSync(join(repoRoot, file), 'utf8');
      } catch {
        continue; // deleted in the working tree but still in the index
      }
      text.split('\n').forEach((line, index) => {
        if (OUTSIDE_REFERENCES.some((re) => re.test(line)))
          offenders.push(`${file}:${index + 1}: ${line.trim()}`);
      });
    }
    expect(offenders).toEqual([]);
  });

  it('the patterns catch the forms that existed', () => {
    const samples = [
      `join(repoRoot, '..', '${SHARED}')`,
      `process.env.VIREO_${SHARED.toUpperCase()}_DIR`,
      `see ../${SHARED}/testdata/istio-crds.yaml`,
      `/work/${SHARED}/reference/argo.md`,
    ];
    for (const sample of samples)
      expect(
        OUTSIDE_REFERENCES.some((re) => re.test(sample)),
        sample,
      ).toBe(true);
    expect(OUTSIDE_REFERENCES.some((re) => re.test("labels: { tier: 'shared' }"))).toBe(false);
  });
});
