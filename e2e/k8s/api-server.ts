/**
 * A real Kubernetes API server for the k8s:// tests: kube-apiserver as built by
 * tools/k8s/build-apiserver.sh, over an etcd (Debian's etcd-server), both on loopback,
 * with a generated service-account key and bearer tokens. There is no scheduler, kubelet
 * or controller manager: pods stay Pending until the test itself plays the kubelet.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { generateKeyPairSync, randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { request } from 'node:https';
import { createServer, type AddressInfo } from 'node:net';
import { homedir, tmpdir } from 'node:os';
import { join } from 'node:path';

export const K8S_VERSION = 'v1.34.4';
export const APISERVER_BIN = join(homedir(), '.cache', 'sluice', `k8s-${K8S_VERSION}`, 'bin', 'kube-apiserver');

/** Why the API server cannot be started here, or null when it can. */
export function missingPieces(): string | null {
  const missing: string[] = [];
  if (!existsSync(APISERVER_BIN)) missing.push(`kube-apiserver (build it once with tools/k8s/build-apiserver.sh: about an hour; it lands in ${APISERVER_BIN})`);
  if (spawnSync('etcd', ['--version']).status !== 0) missing.push('etcd (apt-get install etcd-server)');
  return missing.length ? `needs ${missing.join(' and ')}` : null;
}

export interface ApiServer {
  url: string;
  /** A kubeconfig with an administrator's token (system:masters). */
  adminKubeconfig: string;
  /** A kubeconfig of a user with no role at all: everything is forbidden to it. */
  nobodyKubeconfig: string;
  stop(): Promise<void>;
  /** The last lines the API server logged, for failure messages. */
  logTail(): string;
}

export async function startApiServer(): Promise<ApiServer> {
  const dir = mkdtempSync(join(tmpdir(), 'sluice-k8s-'));
  const [etcdClient, etcdPeer, securePort] = await freePorts(3);
  const children: ChildProcess[] = [];
  const logs = { etcd: '', apiserver: '' };
  const stop = async () => {
    for (const child of children.reverse()) await kill(child);
    rmSync(dir, { recursive: true, force: true });
  };
  try {
    const etcd = spawn(
      'etcd',
      [
        '--data-dir', join(dir, 'etcd'),
        '--listen-client-urls', `http://127.0.0.1:${etcdClient}`,
        '--advertise-client-urls', `http://127.0.0.1:${etcdClient}`,
        '--listen-peer-urls', `http://127.0.0.1:${etcdPeer}`,
        '--initial-advertise-peer-urls', `http://127.0.0.1:${etcdPeer}`,
        '--initial-cluster', `default=http://127.0.0.1:${etcdPeer}`,
      ],
      { stdio: ['ignore', 'pipe', 'pipe'] },
    );
    children.push(etcd);
    collect(etcd, (t) => (logs.etcd = (logs.etcd + t).slice(-20_000)));

    const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
    writeFileSync(join(dir, 'sa.key'), privateKey.export({ type: 'pkcs1', format: 'pem' }));
    writeFileSync(join(dir, 'sa.pub'), publicKey.export({ type: 'spki', format: 'pem' }));
    const adminToken = randomBytes(16).toString('hex');
    const nobodyToken = randomBytes(16).toString('hex');
    writeFileSync(join(dir, 'tokens.csv'), `${adminToken},admin,admin-uid,system:masters\n${nobodyToken},nobody,nobody-uid\n`);
    const apiserver = spawn(
      APISERVER_BIN,
      [
        '--etcd-servers', `http://127.0.0.1:${etcdClient}`,
        '--bind-address', '127.0.0.1',
        '--advertise-address', '127.0.0.1',
        '--secure-port', String(securePort),
        '--cert-dir', join(dir, 'certs'),
        '--service-account-issuer', 'https://kubernetes.default.svc',
        '--service-account-key-file', join(dir, 'sa.pub'),
        '--service-account-signing-key-file', join(dir, 'sa.key'),
        '--token-auth-file', join(dir, 'tokens.csv'),
        '--authorization-mode', 'RBAC',
        '--service-cluster-ip-range', '10.96.0.0/24',
        // Its own Service endpoint would be a loopback address, which it refuses to record.
        '--endpoint-reconciler-type', 'none',
      ],
      { stdio: ['ignore', 'pipe', 'pipe'] },
    );
    children.push(apiserver);
    collect(apiserver, (t) => (logs.apiserver = (logs.apiserver + t).slice(-20_000)));
    const url = `https://127.0.0.1:${securePort}`;
    await waitReady(url, adminToken, apiserver, () => logs.apiserver);
    // The serving certificate it generated for itself (and its CA) is what clients trust.
    const ca = readFileSync(join(dir, 'certs', 'apiserver.crt'));
    const kubeconfig = (user: string, token: string) => {
      const file = join(dir, `${user}.kubeconfig`);
      writeFileSync(file, kubeconfigText(url, ca, user, token));
      return file;
    };
    return {
      url,
      adminKubeconfig: kubeconfig('admin', adminToken),
      nobodyKubeconfig: kubeconfig('nobody', nobodyToken),
      stop,
      logTail: () => logs.apiserver.split('\n').slice(-30).join('\n'),
    };
  } catch (err) {
    await stop();
    throw new Error(`${(err as Error).message}\netcd:\n${logs.etcd.slice(-3000)}\nkube-apiserver:\n${logs.apiserver.slice(-3000)}`);
  }
}

function kubeconfigText(url: string, ca: Buffer, user: string, token: string): string {
  return JSON.stringify({
    apiVersion: 'v1',
    kind: 'Config',
    clusters: [{ name: 'test', cluster: { server: url, 'certificate-authority-data': ca.toString('base64') } }],
    users: [{ name: user, user: { token } }],
    contexts: [{ name: user, context: { cluster: 'test', user } }],
    'current-context': user,
  });
}

async function waitReady(url: string, token: string, child: ChildProcess, log: () => string): Promise<void> {
  const deadline = Date.now() + 120_000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`kube-apiserver exited with code ${child.exitCode}`);
    if ((await readyz(url, token)) === 200) return;
    await new Promise((r) => setTimeout(r, 500));
  }
  throw new Error(`kube-apiserver was not ready within 120 s:\n${log().slice(-3000)}`);
}

function readyz(url: string, token: string): Promise<number> {
  return new Promise((resolve) => {
    // Only to learn that it serves: its certificate does not exist until it starts.
    const req = request(`${url}/readyz`, { headers: { Authorization: `Bearer ${token}` }, rejectUnauthorized: false }, (res) => {
      res.resume();
      resolve(res.statusCode ?? 0);
    });
    req.on('error', () => resolve(0));
    req.setTimeout(5000, () => req.destroy());
    req.end();
  });
}

function collect(child: ChildProcess, sink: (text: string) => void): void {
  child.stdout?.on('data', (d: Buffer) => sink(d.toString()));
  child.stderr?.on('data', (d: Buffer) => sink(d.toString()));
}

function kill(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    const timer = setTimeout(() => child.kill('SIGKILL'), 5000);
    child.once('exit', () => {
      clearTimeout(timer);
      resolve();
    });
    child.kill('SIGTERM');
  });
}

export async function freePorts(n: number): Promise<number[]> {
  const servers = await Promise.all(
    Array.from({ length: n }, () => new Promise<ReturnType<typeof createServer>>((resolve) => {
      const s = createServer();
      s.listen(0, '127.0.0.1', () => resolve(s));
    })),
  );
  const ports = servers.map((s) => (s.address() as AddressInfo).port);
  await Promise.all(servers.map((s) => new Promise((r) => s.close(r))));
  return ports;
}
