export * from './submit';
export * from './cli-options';
export { main } from './main';
export { runTune, type TuneReport } from './tune/run-tune';
export { parseTuneArgs, TUNE_USAGE, type TuneCommand } from './tune/tune-options';
export { exitOnSignals } from './tune/tune-command';
