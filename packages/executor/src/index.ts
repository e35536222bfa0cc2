export * from './executor.js';
export * from './executor-main.js';
export * from './executor-pool.js';
export * from './local-executor-launcher.js';
export * from './task-codec.js';
export * from './executor-launcher.js';
export type { ExecutorWarmUp } from './warm-up.js';
