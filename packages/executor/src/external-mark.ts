/**
 * Marker a job bundle carries in place of an external import specifier; the executor
 * replaces it with the file URL the package resolves to on its host (see job-cache.ts),
 * so the bundle can be cached anywhere. In a module of its own: the executor reads
 * bundles without loading the bundler (esbuild) that writes them.
 */
export const EXTERNAL_MARK = '__sluice_external__:';
