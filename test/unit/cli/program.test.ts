import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { CliIO } from '../../../src/cli/context.js';
import { globalOptions, runCli } from '../../../src/cli/program.js';

function io(): CliIO & { stdout: () => string; stderr: () => string } {
  let out = '';
  let err = '';
  return {
    out: { write: (s: string) => (out += s) },
    err: { write: (s: string) => (err += s) },
    env: {},
    now: () => new Date('2026-01-01T00:00:00Z'),
    signal: new AbortController().signal,
    stdout: () => out,
    stderr: () => err,
  };
}

describe('runCli (in process, offline verbs)', () => {
  it('prints the version, as text or JSON', async () => {
    const text = io();
    expect(await runCli(['version'], text)).toBe(0);
    expect(text.stdout()).toMatch(/^kubectl-vireo vdev \(commit unknown, node v\d+/);
    const json = io();
    expect(await runCli(['version', '-o', 'json'], json)).toBe(0);
    expect(JSON.parse(json.stdout())).toMatchObject({ version: 'dev' });
  });

  it('lints a file and exits 1 with file:line: path: message', async () => {
    const file = join(mkdtempSync(join(tmpdir(), 'vireo-lint-')), 'r.yaml');
    writeFileSync(
      file,
      'apiVersion: argoproj.io/v1alpha1\nkind: Rollout\nmetadata: {name: r}\nspec:\n  replicas: -1\n  strategy: {canary: {}}\n',
    );
    const out = io();
    expect(await runCli(['lint', file], out)).toBe(1);
    expect(out.stdout()).toMatch(new RegExp(`^${file}:5: spec\\.replicas: `));
  }, 30_000); // the first lint loads the controller's validators (zod) through vitest's transform

  it('reports usage errors and unknown verbs on stderr with exit 1', async () => {
    const missing = io();
    expect(await runCli(['promote'], missing)).toBe(1);
    expect(missing.stderr()).toContain("missing required argument 'name'");
    const unknown = io();
    expect(await runCli(['frobnicate'], unknown)).toBe(1);
    expect(unknown.stderr()).toContain("unknown command 'frobnicate'");
    const badOutput = io();
    expect(await runCli(['version', '-o', 'xml'], badOutput)).toBe(1);
  });

  it('fails with one line when the kubeconfig cannot be loaded', async () => {
    const out = io();
    expect(await runCli(['--kubeconfig', '/nonexistent/kubeconfig', 'get', 'rollout', 'web'], out)).toBe(1);
    expect(out.stderr()).toMatch(/^error: cannot load kubeconfig: .*\n$/);
  });

  it('maps global flags, wherever they appear', () => {
    expect(globalOptions({ namespace: 'x', allNamespaces: true, color: false, output: 'yaml' })).toEqual({
      namespace: 'x',
      allNamespaces: true,
      color: false,
      output: 'yaml',
    });
  });
});
