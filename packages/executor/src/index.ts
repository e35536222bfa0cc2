export * from './executor';
export * from './executor-main';
export * from './executor-pool';
export * from './local-executor-launcher';
export * from './task-codec';
export * from './executor-launcher';
