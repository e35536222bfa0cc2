import { existsSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { CoreV1Api, KubeConfig } from '@kubernetes/client-node';

const SERVICE_ACCOUNT_TOKEN = '/var/run/secrets/kubernetes.io/serviceaccount/token';

export interface LoadedKubeConfig {
  config: KubeConfig;
  /** Where the credentials came from, for messages: "kubeconfig /x", "in-cluster service account". */
  source: string;
  /** The namespace of the kubeconfig's current context (or the service account's), if it names one. */
  namespace: string | undefined;
}

/**
 * The credentials to talk to the API server with, found as spark-submit's Kubernetes
 * client finds them: `--kubeconfig FILE`, else KUBECONFIG, else ~/.kube/config, else the
 * service account of the pod this runs in. The server itself is the one the master URL
 * names (`k8s://https://HOST:PORT`), whatever the kubeconfig's cluster says; its CA and
 * the user's token or client certificate are the kubeconfig's.
 */
export function loadKubeConfig(apiServer: string, kubeconfigFile: string | undefined, env: NodeJS.ProcessEnv = process.env): LoadedKubeConfig {
  const kc = new KubeConfig();
  let source: string;
  if (kubeconfigFile !== undefined) {
    if (!existsSync(kubeconfigFile)) throw new Error(`--kubeconfig ${kubeconfigFile}: no such file`);
    kc.loadFromFile(kubeconfigFile);
    source = `kubeconfig ${kubeconfigFile}`;
  } else if (env.KUBECONFIG) {
    kc.loadFromDefault();
    source = `kubeconfig ${env.KUBECONFIG} (KUBECONFIG)`;
  } else if (existsSync(join(homedir(), '.kube', 'config'))) {
    kc.loadFromDefault();
    source = `kubeconfig ${join(homedir(), '.kube', 'config')}`;
  } else if (existsSync(SERVICE_ACCOUNT_TOKEN)) {
    kc.loadFromCluster();
    source = 'the in-cluster service account';
  } else {
    throw new Error(
      'no Kubernetes credentials: give a kubeconfig with --kubeconfig FILE or KUBECONFIG, or run in a pod with a service account',
    );
  }
  const context = kc.getContextObject(kc.getCurrentContext());
  const current = kc.getCurrentCluster();
  if (!context || !current) throw new Error(`${source} has no current context (set current-context)`);
  kc.loadFromOptions({
    clusters: kc.clusters.map((c) => (c.name === current.name ? { ...c, server: apiServer } : c)),
    users: kc.users,
    contexts: kc.contexts,
    currentContext: kc.currentContext,
  });
  return { config: kc, source, namespace: context.namespace };
}

/** A client of the API server at `apiServer` with the credentials loadKubeConfig finds. */
export function connectKubernetes(apiServer: string, kubeconfigFile?: string): { api: CoreV1Api; namespace: string | undefined; source: string } {
  const loaded = loadKubeConfig(apiServer, kubeconfigFile);
  return { api: loaded.config.makeApiClient(CoreV1Api), namespace: loaded.namespace, source: loaded.source };
}
