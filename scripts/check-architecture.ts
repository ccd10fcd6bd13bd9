import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { checkArchitecture, type Finding, type SourceFile } from './architecture/check.js';

const SKIPPED = new Set(['node_modules', 'dist', '.git', 'results']);
const TREES = ['src', 'test', 'scripts', 'bench'];

/** Every `.ts` file under `root`'s src, test, scripts and bench folders (node_modules and dist skipped). */
export function loadTree(root: string): SourceFile[] {
  const files: SourceFile[] = [];
  const walk = (dir: string): void => {
    let entries: import('node:fs').Dirent[];
    try {
      entries = readdirSync(dir, { withFileTypes: true });
    } catch {
      return;
    }
    for (const entry of entries) {
      const path = join(dir, entry.name);
      if (entry.isDirectory() && !SKIPPED.has(entry.name)) walk(path);
      else if (entry.isFile() && entry.name.endsWith('.ts')) {
        files.push({ path: relative(root, path), text: readFileSync(path, 'utf8') });
      }
    }
  };
  for (const tree of TREES) walk(join(root, tree));
  return files.sort((a, b) => a.path.localeCompare(b.path));
}

/** `path:line rule: message`, one per finding. */
export function formatFinding(f: Finding): string {
  return `${f.path}:${f.line} ${f.severity} ${f.rule}: ${f.message}`;
}

/**
 * `npm run lint`'s architecture check of the repository at `root` (default: this checkout): prints every error
 * and warning and returns the exit code, 1 when there is an error.
 */
export function runArchitectureCheck(root: string, out: (line: string) => void = console.log): number {
  const findings = checkArchitecture(loadTree(root));
  const errors = findings.filter((f) => f.severity === 'error');
  for (const f of findings) out(formatFinding(f));
  out(`architecture: ${errors.length} errors, ${findings.length - errors.length} warnings`);
  return errors.length > 0 ? 1 : 0;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  process.exitCode = runArchitectureCheck(
    process.argv[2] ?? join(fileURLToPath(import.meta.url), '..', '..'),
  );
}
