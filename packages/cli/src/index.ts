export * from './submit';
export * from './cli-options';
export { main } from './main';
