import { ensureBinaries } from './binaries.js';
import { ensureUpstreamCrds } from './upstream-crds.js';

/**
 * CLI of the bootstrap step: caches the pinned upstream CRDs, then resolves (building if needed) every
 * control-plane binary unless `--no-binaries`. Prints one clear line on failure.
 */
try {
  for (const fetched of ensureUpstreamCrds()) process.stderr.write(`vireo: cached the CRDs of ${fetched}\n`);
  if (!process.argv.includes('--no-binaries')) {
    const paths = ensureBinaries();
    if (process.argv.includes('--print')) process.stdout.write(`${JSON.stringify(paths, null, 2)}\n`);
  }
} catch (err) {
  process.stderr.write(`vireo: ${(err as Error).message}\n`);
  process.exit(1);
}
