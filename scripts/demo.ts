import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { KubeConfig } from '@kubernetes/client-node';
import { CONTROLLER_INSTANCE_LABEL } from '../src/api/argo-constants.js';
import { applyObjects } from '../test/cluster/apply.js';
import { ensureBinaries } from '../test/cluster/binaries.js';
import { serviceAccountKubeconfig, startControllerProcess } from '../test/cluster/controller.js';
import { envDir } from '../test/cluster/env-state.js';
import {
  checkOwnership,
  deleteDemoNamespace,
  demoPrometheus,
  demoWorkDir,
  type ExistingClusterOptions,
  installMissingCrds,
  loadUserKubeconfig,
  startDemoController,
} from './demo/existing-cluster.js';
import { startFakeNodes } from './demo/fake-nodes.js';
import { demoAnnotations, notificationConfig } from './demo/integrations.js';
import { DEMO_NAMESPACE_LABEL } from './demo/ownership.js';
import { startReceiver } from './demo/receiver.js';
import { type DemoOptions, type DemoResult, playDemo, type ScenarioName } from './demo/scenario.js';
import { demoSummary } from './demo/summary.js';
import { envDown, envUp, recordExtraProcess, stopExtraProcesses } from './env.js';

const USAGE = `usage: npm run demo -- [--scenario rollback|healthy] [--teardown]
         [--kubeconfig FILE | --existing-cluster] [--instance-id ID]
         [--prometheus-url URL --prometheus-targets-dir DIR]`;

/** The demo's command line. */
interface DemoArgs {
  scenario: ScenarioName;
  teardown: boolean;
  /** Set when the demo plays on the user's cluster instead of the local environment. */
  existing?: ExistingClusterOptions;
}

function parseDemoArgs(argv: string[]): DemoArgs {
  const text = { type: 'string' } as const;
  const { values: v } = parseArgs({
    args: argv,
    strict: true,
    options: {
      scenario: text,
      teardown: { type: 'boolean' },
      kubeconfig: text,
      'existing-cluster': { type: 'boolean' },
      'instance-id': text,
      'prometheus-url': text,
      'prometheus-targets-dir': text,
    },
  });
  const scenario = v.scenario ?? 'rollback';
  if (scenario !== 'rollback' && scenario !== 'healthy') {
    throw new Error(`--scenario: expected rollback or healthy, got "${scenario}"`);
  }
  const existing = Boolean(v.kubeconfig || v['existing-cluster']);
  const clusterOnly = ['instance-id', 'prometheus-url', 'prometheus-targets-dir'] as const;
  const misplaced = clusterOnly.find((flag) => v[flag] !== undefined && !existing);
  if (misplaced)
    throw new Error(`--${misplaced} applies to an existing cluster (--kubeconfig or --existing-cluster)`);
  return {
    scenario,
    teardown: v.teardown === true,
    existing: existing
      ? {
          kubeconfigPath: v.kubeconfig,
          instanceId: v['instance-id'],
          prometheusUrl: v['prometheus-url'],
          prometheusTargetsDir: v['prometheus-targets-dir'],
        }
      : undefined,
  };
}

const out = (line: string) => process.stdout.write(`${line}\n`);

function intro(scenario: ScenarioName): void {
  out(`Vireo demo (${scenario}): time scales are shortened to seconds (analysis every 2 s, pauses of 3 s).`);
}

/** What both routes share: the scenario with Git write-back and notifications to a local receiver. */
async function playWithReceiver(
  options: Omit<DemoOptions, 'rolloutAnnotations' | 'expectCommit' | 'receiver' | 'out'>,
  prepare: (receiverUrl: string) => Promise<void>,
): Promise<DemoResult> {
  const receiver = await startReceiver();
  try {
    await prepare(receiver.url);
    intro(options.scenario);
    return await playDemo({
      ...options,
      rolloutAnnotations: demoAnnotations,
      expectCommit: options.scenario === 'rollback',
      receiver,
      out,
    });
  } finally {
    await receiver.close();
  }
}

/**
 * The local route: the local control plane and Prometheus (built and started if needed), the controller as
 * its ServiceAccount. Leaves the environment up (unless --teardown) and prints how to inspect and stop it.
 */
async function demoLocally(args: DemoArgs): Promise<void> {
  ensureBinaries();
  const state = await envUp();
  if (!state.info) throw new Error('the environment did not report its address');
  await stopExtraProcesses();
  const admin = new KubeConfig();
  admin.loadFromFile(state.info.kubeconfigPath);
  const namespace = `shop-${Date.now().toString(36)}`;
  const workDir = join(envDir(), 'demo', namespace);
  mkdirSync(workDir, { recursive: true });
  const kubeconfig = await serviceAccountKubeconfig(admin, join(workDir, 'controller-kubeconfig.yaml'));
  const controllerLog = join(workDir, 'controller.log');
  const controller = await startControllerProcess({
    kubeconfigPath: kubeconfig,
    logPath: controllerLog,
    args: ['--allow-file-git-remotes'],
    env: { ARGO_ROLLOUTS_PROMETHEUS_ADDRESS: state.info.prometheusUrl },
  });
  if (controller.process.pid) recordExtraProcess(controller.process.pid);
  const namespaceObject = { apiVersion: 'v1', kind: 'Namespace', metadata: { name: namespace } };
  const { scenario, teardown } = args;
  const options = {
    kc: admin,
    namespace,
    prometheusTargetsDir: state.info.prometheusTargetsDir,
    workDir,
    scenario,
  };
  try {
    const result = await playWithReceiver(options, (url) =>
      applyObjects(admin, [namespaceObject, ...notificationConfig(url)]).then(() => undefined),
    );
    out('');
    out(demoSummary({ result, scenario, namespace, info: state.info, controllerLog, teardown }).join('\n'));
  } finally {
    if (teardown) {
      await envDown();
      out('vireo: environment stopped (--teardown)');
    }
  }
}

/**
 * The existing-cluster route: refuses a cluster whose Rollouts have another controller (unless --instance-id),
 * installs the CRDs it lacks, runs kwok-played fake Nodes for the pods, Prometheus and the controller locally
 * (only the demo namespace), plays the incident, then stops all of its processes and deletes its Nodes; with
 * --teardown it deletes its namespace too.
 */
async function demoOnExistingCluster(args: DemoArgs, o: ExistingClusterOptions): Promise<void> {
  const namespace = `shop-${Date.now().toString(36)}`;
  const workDir = demoWorkDir(namespace);
  const { kc, path } = loadUserKubeconfig(o, workDir);
  out(
    `Vireo demo on ${kc.getCurrentCluster()?.server} (context ${kc.getCurrentContext()}), namespace ${namespace}`,
  );
  const reasons = await checkOwnership(kc, o.instanceId);
  for (const reason of reasons) out(`  note: ${reason}; running beside it as instance ${o.instanceId}`);
  for (const crd of await installMissingCrds(kc)) out(`  installed CRD ${crd}`);
  const cleanups: (() => Promise<void>)[] = [];
  const cleanUp = async () => {
    for (const step of cleanups.reverse())
      await step().catch((err: Error) => out(`  clean-up: ${err.message}`));
  };
  process.once('SIGINT', () => void cleanUp().finally(() => process.exit(130)));
  try {
    const prometheus = await demoPrometheus(o, workDir);
    cleanups.push(() => prometheus.stop());
    out(`  metrics: ${prometheus.origin}`);
    const namespaceObject = {
      apiVersion: 'v1',
      kind: 'Namespace',
      metadata: { name: namespace, labels: { [DEMO_NAMESPACE_LABEL]: 'true' } },
    };
    await applyObjects(kc, [namespaceObject], 'vireo-demo');
    if (args.teardown) cleanups.push(() => deleteDemoNamespace(kc, namespace));
    const nodes = await startFakeNodes(kc, path, namespace, workDir);
    cleanups.push(() => nodes.stop());
    const controller = await startDemoController(path, namespace, workDir, {
      ...o,
      prometheusUrl: prometheus.url,
    });
    cleanups.push(() => controller.process.stop());
    const result = await playWithReceiver(
      {
        kc,
        namespace,
        prometheusTargetsDir: prometheus.targetsDir,
        workDir,
        scenario: args.scenario,
        podPlacement: nodes.placement,
        rolloutLabels: o.instanceId ? { [CONTROLLER_INSTANCE_LABEL]: o.instanceId } : undefined,
      },
      (url) => applyObjects(kc, notificationConfig(url, namespace), 'vireo-demo').then(() => undefined),
    );
    out('');
    out(demoSummary({ result, scenario: args.scenario, namespace, teardown: true }).join('\n'));
  } finally {
    await cleanUp();
  }
  out(
    args.teardown
      ? `vireo: namespace ${namespace}, the demo's Nodes and processes removed (--teardown)`
      : `vireo: the demo's processes and Nodes are stopped; namespace ${namespace} is kept for inspection (kubectl delete namespace ${namespace} removes it)`,
  );
}

async function demo(argv: string[]): Promise<void> {
  let args: DemoArgs;
  try {
    args = parseDemoArgs(argv);
  } catch (err) {
    process.stderr.write(`vireo: ${(err as Error).message}\n${USAGE}\n`);
    process.exit(2);
  }
  if (args.existing) await demoOnExistingCluster(args, args.existing);
  else await demoLocally(args);
  process.exit(0);
}

demo(process.argv.slice(2)).catch((err: Error) => {
  process.stderr.write(`vireo: demo failed: ${err.message}\n`);
  process.exit(1);
});
