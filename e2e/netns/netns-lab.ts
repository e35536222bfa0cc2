import { spawn, spawnSync, type ChildProcess, type SpawnOptions } from 'node:child_process';
import { createServer, connect, type Server } from 'node:net';

/**
 * A small network made of Linux network namespaces for tests: one namespace per host,
 * each with a veth pair to a bridge in a namespace of its own (a switch), and a private
 * address the lab assigns (10.213.N.x/24). Nothing is added to the test's own namespace:
 * the hosts reach each other and nothing else. Needs root (CAP_NET_ADMIN and
 * CAP_SYS_ADMIN); `NetnsLab.unavailable()` says why a lab cannot be made here.
 */
export class NetnsLab {
  private readonly children = new Set<ChildProcess>();
  private readonly namespaces: string[] = [];
  private readonly relays: Server[] = [];
  readonly hosts = new Map<string, { ns: string; address: string }>();
  private readonly prefix: string;
  private readonly subnet: number;

  private constructor() {
    // Names and subnet unique to this process, so parallel labs do not collide.
    this.prefix = `sl${process.pid % 100000}`;
    this.subnet = 100 + (process.pid % 150);
  }

  /** Null when namespaces can be made here, else the reason they cannot. */
  static unavailable(): string | null {
    if (process.platform !== 'linux') return `network namespaces are Linux only (this is ${process.platform})`;
    if (process.getuid?.() !== 0) return 'making network namespaces needs root';
    const probe = `slprobe${process.pid % 100000}`;
    const add = spawnSync('ip', ['netns', 'add', probe], { encoding: 'utf8' });
    if (add.error) return `the ip command (iproute2) is not available: ${add.error.message}`;
    if (add.status !== 0) return `ip netns add failed: ${add.stderr.trim()}`;
    spawnSync('ip', ['netns', 'del', probe]);
    return null;
  }

  /** Creates the switch and one namespace per host name, with addresses .1, .2, ... */
  static create(hostNames: string[]): NetnsLab {
    const lab = new NetnsLab();
    try {
      lab.build(hostNames);
    } catch (err) {
      lab.destroy();
      throw err;
    }
    return lab;
  }

  private ip(args: string[]): void {
    const r = spawnSync('ip', args, { encoding: 'utf8' });
    if (r.status !== 0) throw new Error(`ip ${args.join(' ')} failed: ${r.stderr.trim()}`);
  }

  private build(hostNames: string[]): void {
    const sw = `${this.prefix}-sw`;
    this.ip(['netns', 'add', sw]);
    this.namespaces.push(sw);
    this.ip(['-n', sw, 'link', 'add', 'br0', 'type', 'bridge']);
    this.ip(['-n', sw, 'link', 'set', 'br0', 'up']);
    hostNames.forEach((name, i) => {
      const ns = `${this.prefix}-${name}`;
      const address = `10.213.${this.subnet}.${i + 1}`;
      this.ip(['netns', 'add', ns]);
      this.namespaces.push(ns);
      this.ip(['-n', ns, 'link', 'set', 'lo', 'up']);
      // Both ends are created inside the host namespace, then one moves to the switch.
      this.ip(['-n', ns, 'link', 'add', 'eth0', 'type', 'veth', 'peer', 'name', `p${i}`]);
      this.ip(['-n', ns, 'link', 'set', `p${i}`, 'netns', sw]);
      this.ip(['-n', sw, 'link', 'set', `p${i}`, 'master', 'br0']);
      this.ip(['-n', sw, 'link', 'set', `p${i}`, 'up']);
      this.ip(['-n', ns, 'addr', 'add', `${address}/24`, 'dev', 'eth0']);
      this.ip(['-n', ns, 'link', 'set', 'eth0', 'up']);
      this.hosts.set(name, { ns, address });
    });
  }

  address(host: string): string {
    return this.hosts.get(host)!.address;
  }

  /** Runs a command inside a host's namespace. */
  spawn(host: string, command: string, args: string[], options: SpawnOptions = {}): ChildProcess {
    const child = spawn('ip', ['netns', 'exec', this.hosts.get(host)!.ns, command, ...args], options);
    this.children.add(child);
    child.on('exit', () => this.children.delete(child));
    return child;
  }

  /**
   * Makes a TCP service of the test process (on loopback) reachable inside a host's
   * namespace at listenHost:listenPort, through a Unix socket (see unix-forwarder.mjs).
   */
  async expose(host: string, listenHost: string, listenPort: number, target: { host: string; port: number }, forwarder: string): Promise<void> {
    const path = `/tmp/${this.prefix}-${host}-${listenPort}.sock`;
    const relay = createServer((inbound) => {
      const outbound = connect(target.port, target.host);
      inbound.pipe(outbound).pipe(inbound);
      const close = () => (inbound.destroy(), outbound.destroy());
      inbound.on('error', close);
      outbound.on('error', close);
      inbound.on('close', close);
      outbound.on('close', close);
    });
    spawnSync('rm', ['-f', path]);
    await new Promise<void>((r) => relay.listen(path, r));
    this.relays.push(relay);
    const child = this.spawn(host, process.execPath, [forwarder, listenHost, String(listenPort), path], { stdio: ['ignore', 'pipe', 'inherit'] });
    await new Promise<void>((resolve, reject) => {
      child.stdout!.once('data', () => resolve());
      child.once('exit', (code) => reject(new Error(`the forwarder in ${host} exited with ${code}`)));
    });
  }

  /** Kills every process the lab started, removes the namespaces (their veths go with them). */
  destroy(): void {
    for (const child of this.children) child.kill('SIGKILL');
    for (const relay of this.relays) relay.close();
    for (const ns of this.namespaces.reverse()) {
      // Processes still inside (started by the ones killed above) would keep it busy.
      const pids = spawnSync('ip', ['netns', 'pids', ns], { encoding: 'utf8' }).stdout.split('\n').filter(Boolean);
      for (const pid of pids) {
        try {
          process.kill(Number(pid), 'SIGKILL');
        } catch {
          // already gone
        }
      }
      spawnSync('ip', ['netns', 'del', ns]);
    }
    this.namespaces.length = 0;
  }
}
