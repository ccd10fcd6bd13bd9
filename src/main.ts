import { runControllerProcess } from './compose.js';

/**
 * The shipped controller entry point (bundled by `npm run build`, run by the Deployment): the composition
 * root of `compose.ts` with no hooks. Test-only hooks live in `harness/test-controller-main.ts`, which
 * wraps the same composition, so nothing test-specific reaches the bundle.
 */
runControllerProcess();
