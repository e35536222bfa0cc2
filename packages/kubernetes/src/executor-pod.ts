import type { V1Container, V1EnvVar, V1OwnerReference, V1Pod } from '@kubernetes/client-node';

/** Labels every executor pod carries, as Spark's spark-app-selector / spark-role / spark-exec-id. */
export const APP_ID_LABEL = 'sluice-app-id';
export const ROLE_LABEL = 'sluice-role';
export const EXECUTOR_ID_LABEL = 'sluice-exec-id';
/** The key of the shared secret in the application's Kubernetes Secret. */
export const SECRET_KEY = 'secret';

export interface ExecutorPodInput {
  appId: string;
  executorId: string;
  image: string;
  driverHost: string;
  driverPort: number;
  cores: number;
  /** A Kubernetes memory quantity ("1Gi"), see toMemoryQuantity. */
  memory: string;
  /** The Secret that holds the shared secret under SECRET_KEY. */
  secretName: string;
  /** Extra environment (`--executor-env K=V`). */
  env: Record<string, string>;
  /** The driver's pod, when the driver runs in one: executor pods go when it goes. */
  owner: V1OwnerReference | null;
  /** `--executor-pod-template FILE`: the pod everything above is laid over. */
  template: V1Pod | null;
}

export function executorPodName(appId: string, executorId: string): string {
  return `${appId}-exec-${executorId}`;
}

/**
 * The executor pod, as a pure function of its inputs (the launcher only sends it). What
 * Sluice needs wins over the template: the name, labels, image, command, the secret,
 * resources and restartPolicy Never (a failed executor is replaced by the driver with a
 * new pod, as Spark does, not restarted in place). Everything else the template says —
 * node selectors, tolerations, volumes, security contexts, sidecars — is kept. The
 * executor's container is the template's first one (Spark's default too).
 */
export function buildExecutorPod(input: ExecutorPodInput): V1Pod {
  const template = input.template ?? {};
  const [templateContainer, ...sidecars] = template.spec?.containers ?? [];
  const env: V1EnvVar[] = [
    ...(templateContainer?.env ?? []).filter((e) => !(e.name in input.env) && e.name !== 'SLUICE_SECRET'),
    ...Object.entries(input.env).map(([name, value]) => ({ name, value })),
    // From the Secret: the pod spec never holds the secret itself.
    { name: 'SLUICE_SECRET', valueFrom: { secretKeyRef: { name: input.secretName, key: SECRET_KEY } } },
    { name: 'SLUICE_APP_ID', value: input.appId },
    { name: 'SLUICE_EXECUTOR_ID', value: input.executorId },
  ];
  const container: V1Container = {
    ...templateContainer,
    name: templateContainer?.name ?? 'executor',
    image: input.image,
    command: [
      'npx', 'sluice', 'executor',
      '--driver', `${input.driverHost.includes(':') ? `[${input.driverHost}]` : input.driverHost}:${input.driverPort}`,
      '--cores', String(input.cores),
      '--executor-id', input.executorId,
    ],
    args: [],
    env,
    resources: {
      ...templateContainer?.resources,
      requests: { ...templateContainer?.resources?.requests, cpu: String(input.cores), memory: input.memory },
      limits: { ...templateContainer?.resources?.limits, memory: input.memory },
    },
  };
  return {
    ...template,
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: {
      ...template.metadata,
      name: executorPodName(input.appId, input.executorId),
      labels: {
        ...template.metadata?.labels,
        [APP_ID_LABEL]: input.appId,
        [ROLE_LABEL]: 'executor',
        [EXECUTOR_ID_LABEL]: input.executorId,
      },
      ownerReferences: [...(template.metadata?.ownerReferences ?? []), ...(input.owner ? [input.owner] : [])],
    },
    spec: {
      ...template.spec,
      restartPolicy: 'Never',
      containers: [container, ...sidecars],
    },
  };
}

/**
 * `--executor-memory` as spark-submit takes it (512m, 2g: binary units) or as a
 * Kubernetes quantity (512Mi, 2Gi), into the quantity the pod asks for.
 */
export function toMemoryQuantity(raw: string): string {
  const text = raw.trim();
  if (/^\d+(Ki|Mi|Gi|Ti)$/.test(text)) return text;
  const m = /^(\d+)\s*([kmgt])b?$/i.exec(text);
  if (!m) throw new Error(`--executor-memory ${raw}: give a size such as 512m, 2g or 2Gi`);
  return `${m[1]}${m[2]!.toUpperCase()}i`;
}
