// When the broker fails to start, its log is hundreds of lines of orderly shutdown after
// the one line that matters. The summary puts the ERROR lines (with the exception message
// that follows each) first, then the very end of the log for crashes that never logged.
const MAX_ERRORS = 6;
const TAIL_LINES = 15;

export function summariseBrokerLog(text: string): string {
  const lines = text.trimEnd().split('\n');
  const errors: string[] = [];
  for (const [i, line] of lines.entries()) {
    if (errors.length >= MAX_ERRORS * 2) break;
    if (!/\] (ERROR|FATAL) /.test(line)) continue;
    errors.push(line);
    const next = lines[i + 1];
    if (next !== undefined && !next.startsWith('[')) errors.push(`    ${next.trim()}`);
  }
  const tail = lines.slice(-TAIL_LINES).join('\n');
  if (errors.length === 0) return tail || '(the log is empty)';
  return `${errors.join('\n')}\n--- end of the log ---\n${tail}`;
}
