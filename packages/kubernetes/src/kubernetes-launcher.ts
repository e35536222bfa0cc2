import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { loadYaml, type CoreV1Api, type V1OwnerReference, type V1Pod } from '@kubernetes/client-node';
import type { ExecutorLauncher, LaunchedExecutor, LauncherDriverInfo } from '@sluice/executor';
import { describeKubeError, isNotFound } from './api-errors.js';
import { APP_ID_LABEL, buildExecutorPod, executorPodName, ROLE_LABEL, SECRET_KEY, toMemoryQuantity } from './executor-pod.js';
import { connectKubernetes } from './kube-config.js';

export interface KubernetesLauncherOptions {
  /** The API server, from the master URL k8s://https://HOST:PORT. */
  apiServer: string;
  image: string;
  /** Default: the kubeconfig context's namespace, else "default". */
  namespace?: string;
  /** Default: KUBECONFIG, ~/.kube/config, else the in-cluster service account. */
  kubeconfig?: string;
  /** A pod (YAML or JSON) the executor pods are built on. */
  podTemplateFile?: string;
  /** Default 1g, as Spark's spark.executor.memory. */
  executorMemory?: string;
  executorEnv?: Record<string, string>;
  /**
   * The pod the driver runs in (as Spark's spark.kubernetes.driver.pod.name): executor
   * pods and the Secret get it as their owner, so Kubernetes deletes them with it.
   */
  driverPodName?: string;
  /** How often the executor pods are listed to find failed or deleted ones (ms). */
  pollIntervalMs?: number;
  log?: (line: string) => void;
}

interface TrackedPod {
  executorId: string;
  name: string;
  onGone: (reason: string) => void;
  created: boolean;
  gone: boolean;
}

/**
 * Executors as pods (client mode): the driver runs where `sluice submit` was started and
 * asks the API server for one pod per executor, all labelled with the application id.
 * The shared secret goes into a Secret of the application, which the pods read into
 * SLUICE_SECRET. Pods are listed every pollIntervalMs (as Spark's executor pods polling
 * snapshot source does): a pod that failed, ended or was deleted is reported gone, and
 * the pool asks for a new one. stop() deletes every pod of the application and the Secret.
 */
export class KubernetesLauncher implements ExecutorLauncher {
  readonly appId = `sluice-${Date.now().toString(36)}-${randomBytes(3).toString('hex')}`;
  readonly namespace: string;
  readonly description: string;
  private readonly api: CoreV1Api;
  private readonly credentials: string;
  private readonly memory: string;
  private readonly template: V1Pod | null;
  private readonly pods = new Map<string, TrackedPod>();
  private readonly log: (line: string) => void;
  private driver: LauncherDriverInfo | null = null;
  private owner: V1OwnerReference | null = null;
  private poller: NodeJS.Timeout | null = null;
  private lastPollError = '';
  private stopped = false;
  /** Nothing to clean up until the Secret exists (start() failed before that). */
  private created = false;

  constructor(private readonly options: KubernetesLauncherOptions) {
    this.log = options.log ?? ((line) => process.stderr.write(`sluice: ${line}\n`));
    const loaded = connectKubernetes(options.apiServer, options.kubeconfig);
    this.api = loaded.api;
    this.credentials = loaded.source;
    this.namespace = options.namespace ?? loaded.namespace ?? 'default';
    this.memory = toMemoryQuantity(options.executorMemory ?? '1g');
    this.template = options.podTemplateFile ? readPodTemplate(options.podTemplateFile) : null;
    this.description = `Kubernetes pods (image ${options.image}, namespace ${this.namespace}, API server ${options.apiServer}, application ${this.appId})`;
  }

  get secretName(): string {
    return `${this.appId}-secret`;
  }

  async start(driver: LauncherDriverInfo): Promise<void> {
    this.driver = driver;
    const ns = this.namespace;
    if (this.options.driverPodName) {
      const name = this.options.driverPodName;
      const pod = await this.call(`reading the driver pod ${ns}/${name}`, () => this.api.readNamespacedPod({ name, namespace: ns }));
      this.owner = { apiVersion: 'v1', kind: 'Pod', name, uid: pod.metadata!.uid!, controller: true };
    } else {
      this.log(
        `the driver runs outside a pod (no --driver-pod-name): the executor pods of ${this.appId} are deleted when it stops, ` +
          `but if it dies without stopping, delete them with \`kubectl delete pods,secrets -n ${ns} -l ${APP_ID_LABEL}=${this.appId}\``,
      );
    }
    await this.call(`creating the Secret ${ns}/${this.secretName}`, () =>
      this.api.createNamespacedSecret({
        namespace: ns,
        body: {
          metadata: { name: this.secretName, labels: { [APP_ID_LABEL]: this.appId }, ownerReferences: this.owner ? [this.owner] : [] },
          type: 'Opaque',
          data: { [SECRET_KEY]: Buffer.from(driver.secret).toString('base64') },
        },
      }),
    );
    this.created = true;
    this.poller = setInterval(() => void this.poll(), this.options.pollIntervalMs ?? 1000);
  }

  launch(executorId: string, onGone: (reason: string) => void): LaunchedExecutor {
    const driver = this.driver;
    if (!driver) throw new Error('KubernetesLauncher.launch before start');
    const name = executorPodName(this.appId, executorId);
    const tracked: TrackedPod = { executorId, name, onGone, created: false, gone: false };
    this.pods.set(name, tracked);
    const body = buildExecutorPod({
      appId: this.appId,
      executorId,
      image: this.options.image,
      driverHost: driver.host,
      driverPort: driver.port,
      cores: driver.cores,
      memory: this.memory,
      secretName: this.secretName,
      env: this.options.executorEnv ?? {},
      owner: this.owner,
      template: this.template,
    });
    this.api.createNamespacedPod({ namespace: this.namespace, body }).then(
      () => {
        tracked.created = true;
        this.log(`created executor pod ${this.namespace}/${name}`);
      },
      (err) => this.gone(tracked, describeKubeError(err, `creating executor pod ${name}`, this.options.apiServer, this.credentials)),
    );
    return { where: `pod ${name}`, kill: (reason) => void this.deletePod(tracked, reason) };
  }

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.poller) clearInterval(this.poller);
    if (!this.created) return;
    const ns = this.namespace;
    const labelSelector = `${APP_ID_LABEL}=${this.appId},${ROLE_LABEL}=executor`;
    for (const pod of this.pods.values()) pod.gone = true;
    try {
      await this.api.deleteCollectionNamespacedPod({ namespace: ns, labelSelector });
      this.log(`deleted the executor pods of ${this.appId}`);
    } catch (err) {
      this.log(describeKubeError(err, `deleting the executor pods (${labelSelector})`, this.options.apiServer, this.credentials));
    }
    try {
      await this.api.deleteNamespacedSecret({ name: this.secretName, namespace: ns });
    } catch (err) {
      if (!isNotFound(err)) this.log(describeKubeError(err, `deleting the Secret ${this.secretName}`, this.options.apiServer, this.credentials));
    }
  }

  private async deletePod(pod: TrackedPod, reason: string): Promise<void> {
    if (pod.gone) return;
    try {
      await this.api.deleteNamespacedPod({ name: pod.name, namespace: this.namespace });
    } catch (err) {
      if (!isNotFound(err)) this.log(describeKubeError(err, `deleting executor pod ${pod.name}`, this.options.apiServer, this.credentials));
    }
    this.gone(pod, reason);
  }

  private gone(pod: TrackedPod, reason: string): void {
    if (pod.gone) return;
    pod.gone = true;
    this.pods.delete(pod.name);
    pod.onGone(reason);
  }

  /** Lists the application's executor pods and reports the ones that ended or vanished. */
  private async poll(): Promise<void> {
    let listed: V1Pod[];
    try {
      const list = await this.api.listNamespacedPod({
        namespace: this.namespace,
        labelSelector: `${APP_ID_LABEL}=${this.appId},${ROLE_LABEL}=executor`,
      });
      listed = list.items;
      this.lastPollError = '';
    } catch (err) {
      const message = describeKubeError(err, 'listing the executor pods', this.options.apiServer, this.credentials);
      if (message !== this.lastPollError) this.log(message);
      this.lastPollError = message;
      return;
    }
    if (this.stopped) return;
    const byName = new Map(listed.map((p) => [p.metadata?.name ?? '', p]));
    for (const pod of [...this.pods.values()]) {
      if (!pod.created || pod.gone) continue;
      const found = byName.get(pod.name);
      if (!found) this.gone(pod, `pod ${pod.name} was deleted`);
      else if (found.status?.phase === 'Failed' || found.status?.phase === 'Succeeded') {
        void this.deletePod(pod, `pod ${pod.name} ${podEnd(found)}`);
      }
    }
  }

  private async call<T>(what: string, request: () => Promise<T>): Promise<T> {
    try {
      return await request();
    } catch (err) {
      throw new Error(describeKubeError(err, what, this.options.apiServer, this.credentials));
    }
  }
}

/** "failed: container executor terminated with exit code 137 (OOMKilled)", from the pod's status. */
function podEnd(pod: V1Pod): string {
  const phase = pod.status?.phase === 'Failed' ? 'failed' : 'ended';
  const terminated = pod.status?.containerStatuses?.find((s) => s.state?.terminated)?.state?.terminated;
  const why = pod.status?.reason ?? terminated?.reason;
  const exit = terminated ? `exit code ${terminated.exitCode}` : '';
  const detail = [exit, why, pod.status?.message].filter(Boolean).join(', ');
  return detail ? `${phase} (${detail})` : phase;
}

function readPodTemplate(file: string): V1Pod {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (err) {
    throw new Error(`--executor-pod-template ${file}: ${(err as Error).message}`);
  }
  let pod: V1Pod;
  try {
    pod = loadYaml<V1Pod>(text);
  } catch (err) {
    throw new Error(`--executor-pod-template ${file} is not valid YAML or JSON: ${(err as Error).message}`);
  }
  if (!pod || typeof pod !== 'object' || (pod.kind !== undefined && pod.kind !== 'Pod')) {
    throw new Error(`--executor-pod-template ${file} must hold a Pod (kind: Pod), got ${pod?.kind ?? typeof pod}`);
  }
  return pod;
}
