import { ensureBinaries } from './binaries.js';

/** CLI: resolves (building if needed) every control-plane binary; prints one clear line on failure. */
try {
  const paths = ensureBinaries();
  if (process.argv.includes('--print')) process.stdout.write(`${JSON.stringify(paths, null, 2)}\n`);
} catch (err) {
  process.stderr.write(`vireo: ${(err as Error).message}\n`);
  process.exit(1);
}
