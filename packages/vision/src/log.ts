/** Receives one-line diagnostic messages (backend chosen, model loaded, ...). */
export type Log = (line: string) => void;

/**
 * Diagnostics go to stderr by default: an executor's stdout may be a protocol or
 * result channel, and these lines are for operators.
 */
export const logToStderr: Log = (line) => {
  process.stderr.write(`${line}\n`);
};
