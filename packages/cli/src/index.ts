export * from './submit.js';
export * from './cli-options.js';
export { main } from './main.js';
export { runTune, type TuneReport } from './tune/run-tune.js';
export { parseTuneArgs, TUNE_USAGE, type TuneCommand } from './tune/tune-options.js';
export { exitOnSignals } from './tune/tune-command.js';
export { usageMistake } from './usage-mistake.js';
