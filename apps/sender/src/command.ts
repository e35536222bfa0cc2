/** One subcommand of sluice-sender. */
export interface Command {
  name: string;
  /** One line for the overview printed by `sluice-sender --help`. */
  summary: string;
  /** The full help text printed by `sluice-sender <name> --help`. */
  usage: string;
  /** Runs the command with the arguments after its name; rejects with UsageError for bad arguments. */
  run(args: string[]): Promise<void>;
}
