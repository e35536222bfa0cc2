/**
 * Plays the kubelet for pods that no node will ever run (the test cluster has no
 * kubelet): each new pod's container command runs here as a process, with the pod's
 * environment, `secretKeyRef`s read from their Secrets as a kubelet reads them.
 */
import { spawn, type ChildProcess, type SpawnOptions } from 'node:child_process';
import type { connectKubernetes, V1Pod } from '@sluice/kubernetes';

type Api = ReturnType<typeof connectKubernetes>['api'];

export interface PodProcess {
  pod: V1Pod;
  child: ChildProcess;
  output: () => string;
  exited: Promise<number | null>;
}

export class PodRunner {
  readonly started = new Map<string, PodProcess>();
  private timer: NodeJS.Timeout | null = null;
  private busy = false;

  constructor(
    private readonly api: Api,
    private readonly namespace: string,
    private readonly labelSelector: string,
    /** Where the command runs (the image's working directory). */
    private readonly cwd: string,
    private readonly extraEnv: Record<string, string>,
    /** How a pod's command is started: here by default, or inside a network namespace of its own (a node). */
    private readonly spawnPod: (command: string, args: string[], options: SpawnOptions) => ChildProcess = spawn,
  ) {}

  start(): void {
    this.timer = setInterval(() => void this.tick(), 200);
  }

  async stop(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    for (const p of this.started.values()) if (p.child.exitCode === null && p.child.signalCode === null) killGroup(p.child, 'SIGKILL');
    await Promise.all([...this.started.values()].map((p) => p.exited));
  }

  /** Kills the pod's processes as an OOM kill would, and records the pod Failed as its kubelet would. */
  async failPod(name: string): Promise<void> {
    const p = this.started.get(name);
    if (!p) throw new Error(`no process runs pod ${name}`);
    killGroup(p.child, 'SIGKILL');
    await p.exited;
    const pod = await this.api.readNamespacedPod({ name, namespace: this.namespace });
    const container = pod.spec!.containers[0]!.name;
    pod.status = {
      ...pod.status,
      phase: 'Failed',
      containerStatuses: [
        {
          name: container,
          image: pod.spec!.containers[0]!.image!,
          imageID: '',
          ready: false,
          restartCount: 0,
          state: { terminated: { exitCode: 137, reason: 'OOMKilled' } },
        },
      ],
    };
    await this.api.replaceNamespacedPodStatus({ name, namespace: this.namespace, body: pod });
  }

  private async tick(): Promise<void> {
    if (this.busy) return;
    this.busy = true;
    try {
      const { items } = await this.api.listNamespacedPod({ namespace: this.namespace, labelSelector: this.labelSelector });
      for (const pod of items) {
        const name = pod.metadata!.name!;
        if (!this.started.has(name) && !pod.metadata?.deletionTimestamp) this.started.set(name, await this.run(pod));
      }
    } catch {
      // The API server stopping at the end of a test; the next tick or none.
    } finally {
      this.busy = false;
    }
  }

  private async run(pod: V1Pod): Promise<PodProcess> {
    const container = pod.spec!.containers[0]!;
    const env: Record<string, string> = {};
    for (const e of container.env ?? []) {
      const ref = e.valueFrom?.secretKeyRef;
      if (ref) {
        const secret = await this.api.readNamespacedSecret({ name: ref.name!, namespace: this.namespace });
        env[e.name] = Buffer.from(secret.data![ref.key]!, 'base64').toString('utf8');
      } else env[e.name] = e.value ?? '';
    }
    const [command, ...args] = [...(container.command ?? []), ...(container.args ?? [])];
    const child = this.spawnPod(command!, args, {
      cwd: this.cwd,
      // Not the test's environment: what the pod says, as in a container.
      env: { PATH: process.env.PATH, HOME: process.env.HOME, ...this.extraEnv, ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
      detached: true,
    });
    let out = '';
    child.stdout!.on('data', (d: Buffer) => (out += d.toString()));
    child.stderr!.on('data', (d: Buffer) => (out += d.toString()));
    const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
    return { pod, child, output: () => out, exited };
  }
}

/** npx starts node under it: the whole process group goes, as a container's would. */
function killGroup(child: ChildProcess, signal: NodeJS.Signals): void {
  try {
    process.kill(-child.pid!, signal);
  } catch {
    // gone already
  }
}
