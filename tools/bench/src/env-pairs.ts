/** `K=V` command-line values (`option` names the option in the error) as environment variables. */
export function envPairs(pairs: readonly string[], option: string): Record<string, string> {
  return Object.fromEntries(
    pairs.map((kv) => {
      const at = kv.indexOf('=');
      if (at <= 0) throw new Error(`${option} wants K=V, not ${kv}`);
      return [kv.slice(0, at), kv.slice(at + 1)];
    }),
  );
}
