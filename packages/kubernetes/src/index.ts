export * from './kubernetes-launcher';
export * from './executor-pod';
export * from './kube-config';
export * from './api-errors';
export type { V1Pod } from '@kubernetes/client-node';
