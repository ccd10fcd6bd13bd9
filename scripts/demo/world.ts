import type { KubeConfig } from '@kubernetes/client-node';
import { ClientNodeKubeClient } from '../../src/kube/client.js';
import type { ResilientInformer } from '../../src/kube/informer.js';
import { createInformer } from '../../src/kube/informers.js';
import { Resources, type ResourceType } from '../../src/kube/resources.js';
import type { KubeObject } from '../../src/kube/types.js';
import { routeWeights, type WeightedHost } from './mesh.js';
import type { MetricView, RolloutView } from './timeline.js';

const HASH_LABEL = 'rollouts-pod-template-hash';

interface ReplicaSetObject extends KubeObject {
  spec?: { template?: { spec?: { containers?: { image?: string }[] } } };
}

/** The fields of an AnalysisRun the demo reads. */
export interface AnalysisRunObject extends KubeObject {
  spec?: { metrics?: { name: string; failureLimit?: number }[] };
  status?: { phase?: string; message?: string; metricResults?: MetricView[] };
}

type RolloutObject = KubeObject & RolloutView;
type SpecObject = KubeObject & { spec?: unknown };

/**
 * What the demo sees of its namespace, kept by the controller's own informers: the Rollout, its
 * ReplicaSets, the Services, the VirtualService and the AnalysisRuns. `onChange` runs after every event.
 */
export class DemoWorld {
  readonly rollouts: ResilientInformer<RolloutObject>;
  readonly replicaSets: ResilientInformer<ReplicaSetObject>;
  readonly services: ResilientInformer<SpecObject>;
  readonly virtualServices: ResilientInformer<SpecObject>;
  readonly analysisRuns: ResilientInformer<AnalysisRunObject>;

  constructor(
    kc: KubeConfig,
    readonly namespace: string,
    readonly names: { rollout: string; virtualService: string; route: string },
    onChange: () => void,
  ) {
    const client = new ClientNodeKubeClient(kc);
    const handlers = { onAdd: onChange, onUpdate: onChange, onDelete: onChange };
    const informer = <T extends KubeObject>(res: ResourceType) =>
      createInformer<T>(kc, client, res, { namespace, handlers });
    this.rollouts = informer(Resources.rollouts);
    this.replicaSets = informer(Resources.replicaSets);
    this.services = informer(Resources.services);
    this.virtualServices = informer(Resources.virtualServices);
    this.analysisRuns = informer(Resources.analysisRuns);
  }

  private get all(): ResilientInformer<KubeObject>[] {
    return [this.rollouts, this.replicaSets, this.services, this.virtualServices, this.analysisRuns];
  }

  /** Starts every informer and waits until each has listed its collection. */
  async start(): Promise<void> {
    await Promise.all(this.all.map((i) => i.start()));
    await Promise.all(this.all.map((i) => i.waitForSync()));
  }

  /** Stops every informer. */
  async stop(): Promise<void> {
    await Promise.all(this.all.map((i) => i.stop()));
  }

  /** The demo Rollout as last seen. */
  rollout(): RolloutObject | undefined {
    return this.rollouts.get(this.namespace, this.names.rollout);
  }

  /** The live destinations of the managed route. */
  weights(): WeightedHost[] {
    return routeWeights(
      this.virtualServices.get(this.namespace, this.names.virtualService)?.spec,
      this.names.route,
    );
  }

  /** The pod-template hash of the ReplicaSet whose pods run image tag `tag`. */
  hashOfTag(tag: string): string | undefined {
    for (const rs of this.replicaSets.list(this.namespace)) {
      const images = rs.spec?.template?.spec?.containers?.map((c) => c.image ?? '') ?? [];
      if (images.some((image) => image.endsWith(`:${tag}`))) return rs.metadata?.labels?.[HASH_LABEL];
    }
    return undefined;
  }

  /** The pod-template hash a Service currently selects (Vireo injects it), if any. */
  serviceHash(host: string): string | undefined {
    const spec = this.services.get(this.namespace, host)?.spec as
      | { selector?: Record<string, string> }
      | undefined;
    return spec?.selector?.[HASH_LABEL];
  }

  /** The AnalysisRuns, oldest first. */
  runs(): AnalysisRunObject[] {
    const created = (run: AnalysisRunObject) => String(run.metadata?.creationTimestamp ?? '');
    return this.analysisRuns.list(this.namespace).sort((a, b) => created(a).localeCompare(created(b)));
  }
}
