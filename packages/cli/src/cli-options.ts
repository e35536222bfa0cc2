import { checkConfInput, parseDuration, type StreamingConfInput } from '@sluice/streaming/internal';

export const SUBMIT_USAGE = `Usage: sluice submit <job file> [options] [job args...]

Runs a streaming job: the driver runs in this process, the executors as child processes
(or on other hosts, started with \`sluice executor\`). Options go before the job file;
everything after it is passed to the job.

Options:
  --master M               where tasks run: executors (default: executor processes),
                           local (in this process, 1 core), local[N] (N cores),
                           local[*] (all cores; local mode starts no executor), or
                           k8s://https://HOST:PORT: executors as pods started through
                           that Kubernetes API server (see docs/kubernetes.md)
  --executors N            executors to start (default: 2, or the number of cores if
                           fewer; 0 waits for remote executors)
  --executor-cores C       tasks each executor runs at once, each in a thread of
                           its own: C CPU cores (default: 1)
  --batch-duration D       length of a micro-batch with its unit, e.g. 1s, 500ms
                           (default: 1s; a bare number is refused)
  --block-interval D       receivers cut a block (= a partition) every D (default: 200ms)
  --default-parallelism N  partitions of shuffles (default: executors x cores;
                           local[N]: N)
  --max-rate N             records per second per receiver (default: unlimited)
  --max-frame-bytes N      largest frame a receiver accepts (default: 67108864)
  --receiver-placement P   where receivers run: driver (default) or executor
  --block-replication N    receivers on executors: copies of each block, 1 (default)
                           or 2 (the second on the driver, safe from executor loss)
  --driver-host H          address executors connect to (default: 127.0.0.1)
  --driver-port P          port executors connect to (default: any free port)
  --secret-file FILE       the secret executors authenticate with (challenge-response;
                           never sent); default: SLUICE_SECRET, else one generated for
                           the local executors (remote ones then cannot join)
  --tls-cert FILE          serve executors over TLS with this certificate (PEM)...
  --tls-key FILE           ...and its private key (PEM); executors then connect with
                           --tls-ca FILE (see docs/multi-host.md)
 Kubernetes (with --master k8s://...; the driver runs here, the executors in pods):
  --image IMAGE            the executor pods' image (required; see deploy/Dockerfile)
  --namespace NS           namespace of the pods (default: the kubeconfig context's,
                           else default)
  --kubeconfig FILE        credentials (default: KUBECONFIG, ~/.kube/config, else the
                           service account of the pod the driver runs in)
  --executor-memory M      memory each executor pod asks for and is limited to, e.g.
                           512m, 2g (default: 1g)
  --executor-env K=V       an environment variable of the executors (repeatable)
  --executor-pod-template FILE
                           a pod (YAML or JSON) the executor pods are built on
  --driver-pod-name NAME   the pod the driver runs in: the executor pods are deleted
                           with it (default: SLUICE_DRIVER_POD_NAME; outside a pod,
                           they are deleted when the driver stops)
  --run-for D              stop gracefully after D (default: run until Ctrl-C)
  --checkpoint DIR         checkpoint metadata and state to DIR each batch; if DIR
                           holds the checkpoint of an earlier run of the same job,
                           recover from it (rerun pending batches, catch up, resume)
  --wal                    receivers write a write-ahead log in the checkpoint
                           directory (receiverWriteAheadLog; needs --checkpoint)
  --conf key=value         any other setting of the configuration (repeatable; every
                           key in docs/configuration.md; a bare number for a
                           duration is milliseconds)
  --ui-port P              port of the web UI (default: 4040, or the next free one)
  --ui-host H              address the web UI listens on (default: 127.0.0.1)
  --no-ui                  do not serve the web UI (nor /metrics)
  --event-log DIR          write the listener events as JSON lines to DIR, for
                           \`sluice history DIR\`
  -h, --help               show this help

Ctrl-C or SIGTERM stops gracefully: receivers stop, what they received is processed,
then the executors stop (a second Ctrl-C stops at once). The last line says how many
batches ran and how many failed. Exit status: 0 every batch succeeded, 1 a batch failed
(a user function threw, an output failed) or the run failed, 2 a mistake on the
command line (an unknown option, a job file that is not there).

Example:
  sluice submit apps/examples/src/network-wordcount.ts localhost 9999
`;

export const MAIN_USAGE = `Usage: sluice <command> [options]

Commands:
  submit <job file> [options] [args]   run a streaming job (see sluice submit --help)
  tune <job file> [options] [args]     find the highest rate a job sustains per
                                       configuration and recommend one (see
                                       sluice tune --help)
  executor --driver <host:port>        start an executor for a running driver
  checkpoint inspect DIR               print what a checkpoint directory holds
  history <dir> [--port P] [--host H] [--app ID]
                                       serve the web UI of a finished run from the
                                       event log its driver wrote (--event-log dir)
  help                                 show this help

A job file exports the function that builds its graph:

  import type { StreamingContext } from '@sluice/streaming';
  export default function job(ssc: StreamingContext, args: string[]) {
    ssc.socketTextStream(args[0] ?? 'localhost', Number(args[1] ?? 9999))
      .flatMap((line) => line.split(' '))
      .map((word) => [word, 1] as [string, number])
      .reduceByKey((a, b) => a + b)
      .print();
  }
`;

export interface SubmitCommand {
  job: string;
  jobArgs: string[];
  conf: StreamingConfInput;
  runForMs: number | null;
  checkpointDir: string | null;
  help: boolean;
  ui: { enabled: boolean; port: number; host: string };
  eventLogDir: string | null;
  secretFile: string | null;
  tls: { certFile: string | null; keyFile: string | null };
  kubernetes: KubernetesCommand;
}

/** The options of a k8s:// master (see @sluice/kubernetes' KubernetesLauncherOptions). */
export interface KubernetesCommand {
  image: string | null;
  namespace: string | null;
  kubeconfig: string | null;
  executorMemory: string | null;
  executorEnv: Record<string, string>;
  podTemplateFile: string | null;
  driverPodName: string | null;
}

const NUMERIC: Record<string, keyof StreamingConfInput> = {
  '--executors': 'executors',
  '--executor-cores': 'executorCores',
  '--default-parallelism': 'defaultParallelism',
  '--max-rate': 'receiverMaxRate',
  '--max-frame-bytes': 'maxFrameBytes',
  '--driver-port': 'driverPort',
  '--block-replication': 'blockReplication',
};

/** Options up to the job file are sluice's; the rest belongs to the job (like spark-submit). */
export function parseSubmitArgs(argv: string[]): SubmitCommand {
  const conf: StreamingConfInput = {};
  const cmd: SubmitCommand = {
    job: '',
    jobArgs: [],
    conf,
    runForMs: null,
    checkpointDir: null,
    help: false,
    ui: { enabled: true, port: 4040, host: '127.0.0.1' },
    eventLogDir: null,
    secretFile: null,
    tls: { certFile: null, keyFile: null },
    kubernetes: {
      image: null,
      namespace: null,
      kubeconfig: null,
      executorMemory: null,
      executorEnv: {},
      podTemplateFile: null,
      driverPodName: null,
    },
  };
  const k8s = cmd.kubernetes;
  let i = 0;
  const value = (name: string): string => {
    const v = argv[++i];
    if (v === undefined) throw new Error(`${name} needs a value`);
    return v;
  };
  for (; i < argv.length; i++) {
    const arg = argv[i]!;
    if (!arg.startsWith('-')) {
      cmd.job = arg;
      cmd.jobArgs = argv.slice(i + 1);
      return checkCommand(cmd);
    }
    const [name, inline] = arg.includes('=') && arg.startsWith('--') && !arg.startsWith('--conf')
      ? [arg.slice(0, arg.indexOf('=')), arg.slice(arg.indexOf('=') + 1)]
      : [arg, undefined];
    const get = () => inline ?? value(name);
    if (name === '-h' || name === '--help') cmd.help = true;
    else if (name in NUMERIC) {
      const n = Number(get());
      if (!Number.isFinite(n)) throw new Error(`${name} needs a number`);
      (conf as Record<string, unknown>)[NUMERIC[name]!] = n;
    } else if (name === '--batch-duration') conf.batchDuration = durationWithUnit(name, get());
    else if (name === '--block-interval') conf.blockInterval = durationWithUnit(name, get());
    else if (name === '--driver-host') conf.driverHost = get();
    else if (name === '--master') conf.master = get();
    else if (name === '--receiver-placement') conf.receiverPlacement = get() as StreamingConfInput['receiverPlacement'];
    else if (name === '--run-for') cmd.runForMs = parseDuration(get(), '--run-for');
    else if (name === '--checkpoint') cmd.checkpointDir = get();
    else if (name === '--wal') conf.receiverWriteAheadLog = true;
    else if (name === '--no-ui') cmd.ui.enabled = false;
    else if (name === '--ui-port') cmd.ui.port = parsePort(get(), name);
    else if (name === '--ui-host') cmd.ui.host = get();
    else if (name === '--event-log') cmd.eventLogDir = get();
    else if (name === '--secret-file') cmd.secretFile = get();
    else if (name === '--tls-cert') cmd.tls.certFile = get();
    else if (name === '--tls-key') cmd.tls.keyFile = get();
    else if (name === '--image') k8s.image = get();
    else if (name === '--namespace') k8s.namespace = get();
    else if (name === '--kubeconfig') k8s.kubeconfig = get();
    else if (name === '--executor-memory') k8s.executorMemory = get();
    else if (name === '--executor-pod-template') k8s.podTemplateFile = get();
    else if (name === '--driver-pod-name') k8s.driverPodName = get();
    else if (name === '--executor-env') {
      const kv = get();
      const eq = kv.indexOf('=');
      if (eq < 1) throw new Error(`--executor-env expects NAME=value, got "${kv}"`);
      k8s.executorEnv[kv.slice(0, eq)] = kv.slice(eq + 1);
    }
    else if (name === '--conf') {
      const kv = get();
      const eq = kv.indexOf('=');
      if (eq < 1) throw new Error(`--conf expects key=value, got "${kv}"`);
      const raw = kv.slice(eq + 1);
      const setting = { [kv.slice(0, eq)]: raw !== '' && Number.isFinite(Number(raw)) ? Number(raw) : raw };
      checkConfInput(setting, '--conf');
      Object.assign(conf, setting);
    } else throw new Error(`unknown option ${arg}`);
  }
  return checkCommand(cmd);
}

/** `--batch-duration 1` would be one millisecond: the command line wants the unit said. */
function durationWithUnit(name: string, raw: string): string {
  if (/^\s*\d+(\.\d+)?\s*$/.test(raw)) {
    throw new Error(`${name} ${raw}: give a unit, e.g. ${raw.trim()}s or ${raw.trim()}ms (a bare number would be milliseconds)`);
  }
  return raw;
}

function checkCommand(cmd: SubmitCommand): SubmitCommand {
  if ((cmd.tls.certFile === null) !== (cmd.tls.keyFile === null)) {
    throw new Error('--tls-cert and --tls-key go together: TLS needs the certificate and its key');
  }
  const k8s = cmd.kubernetes;
  const onK8s = cmd.conf.master?.startsWith('k8s://') ?? false;
  if (onK8s && !cmd.help) {
    if (k8s.image === null) throw new Error('--master k8s://... needs --image IMAGE: the image the executor pods run');
    if (cmd.conf.driverHost === undefined) {
      throw new Error(
        '--master k8s://... needs --driver-host: an address of this machine the pods can reach (in a pod: its pod IP)',
      );
    }
  }
  if (!onK8s) {
    const flags: Record<keyof KubernetesCommand, string> = {
      image: '--image',
      namespace: '--namespace',
      kubeconfig: '--kubeconfig',
      executorMemory: '--executor-memory',
      executorEnv: '--executor-env',
      podTemplateFile: '--executor-pod-template',
      driverPodName: '--driver-pod-name',
    };
    const given = (Object.keys(flags) as (keyof KubernetesCommand)[]).find((key) => {
      const v = k8s[key];
      return v !== null && !(typeof v === 'object' && Object.keys(v).length === 0);
    });
    if (given) throw new Error(`${flags[given]} applies to --master k8s://... only`);
  }
  return cmd;
}

export function parsePort(raw: string, name: string): number {
  const n = Number(raw);
  if (!Number.isInteger(n) || n < 0 || n > 65535) throw new Error(`${name} needs a port number (0-65535), got "${raw}"`);
  return n;
}

export const HISTORY_USAGE = `Usage: sluice history <event log dir> [--port P] [--host H] [--app ID]

Serves the web UI of a finished run from the event log its driver wrote with
\`sluice submit --event-log <dir>\`: the same pages, REST API and /metrics.

Options:
  --port P     port to serve on (default: 18080, or the next free one)
  --host H     address to listen on (default: 127.0.0.1)
  --app ID     the application to show when the directory holds several logs
               (default: the newest)
`;

export interface HistoryCommand {
  dir: string;
  port: number;
  host: string;
  appId: string | undefined;
  help: boolean;
}

export function parseHistoryArgs(argv: string[]): HistoryCommand {
  const cmd: HistoryCommand = { dir: '', port: 18080, host: '127.0.0.1', appId: undefined, help: false };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    const value = () => {
      const v = argv[++i];
      if (v === undefined) throw new Error(`${arg} needs a value`);
      return v;
    };
    if (arg === '-h' || arg === '--help') cmd.help = true;
    else if (arg === '--port') cmd.port = parsePort(value(), arg);
    else if (arg === '--host') cmd.host = value();
    else if (arg === '--app') cmd.appId = value();
    else if (arg.startsWith('-')) throw new Error(`unknown option ${arg}`);
    else if (cmd.dir) throw new Error(`one event log directory only (got "${cmd.dir}" and "${arg}")`);
    else cmd.dir = arg;
  }
  return cmd;
}
