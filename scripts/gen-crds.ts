import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { renderCrdFiles } from '../src/api/crd/crds.js';

/** Writes crds/*.yaml from the zod schemas in src/api (`npm run gen:crds`). */
const dir = join(dirname(fileURLToPath(import.meta.url)), '..', 'crds');
mkdirSync(dir, { recursive: true });
for (const [name, content] of Object.entries(renderCrdFiles())) {
  writeFileSync(join(dir, name), content);
  console.log(`wrote crds/${name}`);
}
