/** One output operation's work for one batch. */
export interface Job {
  batchTime: number;
  outputOp: number;
  name: string;
  callSite: string;
  run(): Promise<void>;
}

export interface JobSet {
  batchTime: number;
  jobs: Job[];
  submissionTime: number;
  /** How long after its batch time the batch clock ticked for it (0 when on time). */
  tickDelay?: number;
}
