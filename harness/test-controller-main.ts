import { runControllerProcess } from '../src/compose.js';

/**
 * The controller as the integration tests start it (`startControllerProcess`): `src/main.ts`'s composition
 * plus test-only hooks, chosen by environment. `VIREO_TEST_CRASH_AFTER_GIT_PUSH=1`: the process exits (86)
 * right after a Git write-back push and before it is recorded (the restart scenario of gitops-writeback).
 */
const crashAfterPush = process.env.VIREO_TEST_CRASH_AFTER_GIT_PUSH === '1';
runControllerProcess(crashAfterPush ? { afterGitPush: () => process.exit(86) } : {});
