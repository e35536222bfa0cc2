import { parseArgs, type ParseArgsConfig } from 'node:util';

/** A mistake in the command line: main prints it with a pointer to --help and exits 2. */
export class UsageError extends Error {
  override name = 'UsageError';
}

type OptionsConfig = NonNullable<ParseArgsConfig['options']>;

/**
 * Parses `--name value` options strictly: unknown options and stray arguments are errors.
 * (The return type is spelled out for the emitted declarations, which cannot name
 * node:util's internal result type.)
 */
export function parseOptions<const O extends OptionsConfig>(
  args: string[],
  options: O,
): ReturnType<typeof parseArgs<{ args: string[]; options: O; strict: true; allowPositionals: false }>>['values'] {
  try {
    return parseArgs({ args, options, strict: true, allowPositionals: false }).values;
  } catch (error) {
    // node:util's messages are good but carry a hint about '--' that does not apply here.
    const message = (error as Error).message.replace(/\. To specify a positional argument.*$/s, '');
    throw new UsageError(message);
  }
}

export function required<T>(value: T | undefined, flag: string): T {
  if (value === undefined) throw new UsageError(`${flag} is required`);
  return value;
}

/** A whole number >= min (default 1), or undefined when the option was not given. */
export function integerOption(value: string | undefined, flag: string, min = 1): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (!/^\s*\d+\s*$/.test(value) || !Number.isSafeInteger(n) || n < min) {
    throw new UsageError(`${flag} must be a whole number >= ${min}, got '${value}'`);
  }
  return n;
}

/** A number > 0, or undefined when the option was not given. */
export function positiveNumberOption(value: string | undefined, flag: string): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (value.trim() === '' || !Number.isFinite(n) || n <= 0) {
    throw new UsageError(`${flag} must be a number > 0, got '${value}'`);
  }
  return n;
}

/** A probability in [0, 1]; 0 when the option was not given. */
export function probabilityOption(value: string | undefined, flag: string): number {
  if (value === undefined) return 0;
  const p = Number(value);
  if (value.trim() === '' || !(p >= 0 && p <= 1)) {
    throw new UsageError(`${flag} must be a probability between 0 and 1, got '${value}'`);
  }
  return p;
}

export function choiceOption<const C extends string>(value: string | undefined, flag: string, choices: readonly C[], fallback: C): C {
  if (value === undefined) return fallback;
  if (!(choices as readonly string[]).includes(value)) {
    throw new UsageError(`${flag} must be one of ${choices.join(', ')}; got '${value}'`);
  }
  return value as C;
}

export interface ListenAddress {
  host: string;
  port: number;
}

/** "host:port", "[v6 address]:port", ":port" or "port"; the host defaults to 127.0.0.1. */
export function listenOption(value: string | undefined, fallback: string): ListenAddress {
  const text = value ?? fallback;
  const match = /^(?:\[([^\]]+)\]|([^:[\]]*)):(\d+)$/.exec(text) ?? /^()()(\d+)$/.exec(text);
  const port = match ? Number(match[3]) : NaN;
  if (!match || port > 65535) {
    throw new UsageError(`--listen must be host:port (for example 127.0.0.1:9999, port 0 for any free port); got '${text}'`);
  }
  return { host: match[1] || match[2] || '127.0.0.1', port };
}
