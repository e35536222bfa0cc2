/**
 * A mistake on the command line (an unknown option, a job file that is not there): the
 * message after the command's name, where its options are listed, and exit status 2.
 */
export function usageMistake(command: string, message: string, helpCommand: string): number {
  process.stderr.write(`${command}: ${message}\n(${helpCommand} lists the options)\n`);
  return 2;
}
