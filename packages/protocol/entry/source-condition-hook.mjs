// A module resolution hook (node:module register) that adds the `sluice-source` export
// condition, as `node --conditions=sluice-source` would: each Sluice package then resolves
// to its TypeScript sources in src/ rather than its built dist/ (see load-entry.mjs).
export async function resolve(specifier, context, nextResolve) {
  const conditions = context.conditions.includes('sluice-source') ? context.conditions : [...context.conditions, 'sluice-source'];
  return nextResolve(specifier, { ...context, conditions });
}
