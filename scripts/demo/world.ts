import type { KubeConfig } from '@kubernetes/client-node';
import { routeWeights, type WeightedHost } from './mesh.js';
import type { MetricView, RolloutView } from './timeline.js';
import { LiveCollection, type LiveObject } from './watch.js';

const HASH_LABEL = 'rollouts-pod-template-hash';

interface ReplicaSetObject extends LiveObject {
  spec?: { template?: { spec?: { containers?: { image?: string }[] } } };
  status?: { availableReplicas?: number };
}

/** The fields of an AnalysisRun the demo reads. */
export interface AnalysisRunObject extends LiveObject {
  metadata?: LiveObject['metadata'] & { creationTimestamp?: string };
  spec?: { metrics?: { name: string; failureLimit?: number }[] };
  status?: { phase?: string; message?: string; metricResults?: MetricView[] };
}

/**
 * What the demo sees of its namespace, kept live by watches: the Rollout, its ReplicaSets, the
 * Services, the VirtualService and the AnalysisRuns. `onChange` runs after every event.
 */
export class DemoWorld {
  readonly rollouts: LiveCollection<LiveObject & RolloutView>;
  readonly replicaSets: LiveCollection<ReplicaSetObject>;
  readonly services: LiveCollection;
  readonly virtualServices: LiveCollection;
  readonly analysisRuns: LiveCollection<AnalysisRunObject>;

  constructor(
    kc: KubeConfig,
    readonly namespace: string,
    readonly names: { rollout: string; virtualService: string; route: string },
    onChange: () => void,
  ) {
    const ns = `namespaces/${namespace}`;
    this.rollouts = new LiveCollection(kc, `/apis/argoproj.io/v1alpha1/${ns}/rollouts`, onChange);
    this.replicaSets = new LiveCollection(kc, `/apis/apps/v1/${ns}/replicasets`, onChange);
    this.services = new LiveCollection(kc, `/api/v1/${ns}/services`, onChange);
    this.virtualServices = new LiveCollection(
      kc,
      `/apis/networking.istio.io/v1/${ns}/virtualservices`,
      onChange,
    );
    this.analysisRuns = new LiveCollection(kc, `/apis/argoproj.io/v1alpha1/${ns}/analysisruns`, onChange);
  }

  private get all(): LiveCollection[] {
    return [this.rollouts, this.replicaSets, this.services, this.virtualServices, this.analysisRuns];
  }

  /** Starts every watch. */
  async start(): Promise<void> {
    await Promise.all(this.all.map((c) => c.start()));
  }

  /** Stops every watch. */
  stop(): void {
    for (const c of this.all) c.stop();
  }

  /** The demo Rollout as last seen. */
  rollout(): (LiveObject & RolloutView) | undefined {
    return this.rollouts.get(this.names.rollout);
  }

  /** The live destinations of the managed route. */
  weights(): WeightedHost[] {
    return routeWeights(this.virtualServices.get(this.names.virtualService)?.spec, this.names.route);
  }

  /** The pod-template hash of the ReplicaSet whose pods run image tag `tag`. */
  hashOfTag(tag: string): string | undefined {
    for (const rs of this.replicaSets.items.values()) {
      const images = rs.spec?.template?.spec?.containers?.map((c) => c.image ?? '') ?? [];
      if (images.some((image) => image.endsWith(`:${tag}`))) return rs.metadata?.labels?.[HASH_LABEL];
    }
    return undefined;
  }

  /** The pod-template hash a Service currently selects (Vireo injects it), if any. */
  serviceHash(host: string): string | undefined {
    const spec = this.services.get(host)?.spec as { selector?: Record<string, string> } | undefined;
    return spec?.selector?.[HASH_LABEL];
  }

  /** The AnalysisRuns, oldest first. */
  runs(): AnalysisRunObject[] {
    return [...this.analysisRuns.items.values()].sort((a, b) =>
      (a.metadata?.creationTimestamp ?? '').localeCompare(b.metadata?.creationTimestamp ?? ''),
    );
  }
}
