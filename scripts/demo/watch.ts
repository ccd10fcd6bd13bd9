import { type KubeConfig, Watch } from '@kubernetes/client-node';

/** An object as the API server returns it. */
export interface LiveObject {
  metadata?: { name?: string; labels?: Record<string, string>; annotations?: Record<string, string> };
  spec?: unknown;
  status?: unknown;
}

/**
 * The live contents of one collection (e.g. `/apis/argoproj.io/v1alpha1/namespaces/shop/rollouts`),
 * kept by a watch that restarts after errors; `onChange` runs after every event.
 */
export class LiveCollection<T extends LiveObject = LiveObject> {
  readonly items = new Map<string, T>();
  private request: { abort(): void } | undefined;
  private stopped = false;

  constructor(
    private readonly kc: KubeConfig,
    private readonly path: string,
    private readonly onChange: () => void,
  ) {}

  /** Starts watching (the initial ADDED events fill `items`). */
  async start(): Promise<void> {
    this.stopped = false;
    this.request = await new Watch(this.kc).watch(
      this.path,
      { allowWatchBookmarks: true },
      (type: string, object: T) => this.apply(type, object),
      () => this.restart(),
    );
  }

  /** The object named `name`, if present. */
  get(name: string): T | undefined {
    return this.items.get(name);
  }

  /** Stops the watch for good. */
  stop(): void {
    this.stopped = true;
    this.request?.abort();
  }

  private apply(type: string, object: T): void {
    const name = object.metadata?.name;
    if (!name || type === 'BOOKMARK') return;
    if (type === 'DELETED') this.items.delete(name);
    else this.items.set(name, object);
    this.onChange();
  }

  private restart(): void {
    if (this.stopped) return;
    setTimeout(() => {
      if (!this.stopped) void this.start().catch(() => this.restart());
    }, 200);
  }
}
