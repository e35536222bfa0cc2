/**
 * Starts executors somewhere other than as child processes of the driver: a cluster
 * manager (Kubernetes pods, see @sluice/kubernetes). The pool decides how many executors
 * there should be and when one is replaced; the launcher only starts and ends them and
 * says when one is gone.
 */
export interface ExecutorLauncher {
  /** What the executors are, for messages: "Kubernetes pods in namespace ns". */
  readonly description: string;
  /**
   * Called once the driver listens: prepares what every executor needs (on Kubernetes,
   * the Secret holding the shared secret). A refusal here fails the application's start.
   */
  start(driver: LauncherDriverInfo): Promise<void>;
  /**
   * Starts executor `executorId`, which registers with that id. `onGone` is called once
   * when it is gone for good (failed, deleted, or ended by `kill`), with the reason.
   */
  launch(executorId: string, onGone: (reason: string) => void): LaunchedExecutor;
  /** Ends every executor it started and what start() prepared. */
  stop(): Promise<void>;
}

export interface LauncherDriverInfo {
  /** host:port the executors connect to. */
  host: string;
  port: number;
  /** The secret executors authenticate with. */
  secret: Uint8Array;
  /** Task threads per executor (`--executor-cores`). */
  cores: number;
}

export interface LaunchedExecutor {
  /** Ends the executor (the driver lost it or is stopping); `onGone` follows. */
  kill(reason: string): void;
  /** Where it runs, for messages ("pod sluice-x-exec-1"). */
  readonly where: string;
}
