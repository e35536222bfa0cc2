export * from './kubernetes-launcher.js';
export * from './executor-pod.js';
export * from './kube-config.js';
export * from './api-errors.js';
export type { V1Pod } from '@kubernetes/client-node';
