// Types of load-entry.mjs (plain JavaScript, shipped as it is), for the TypeScript that uses it.

/** The environment variable that selects the sources (src/ through tsx) over dist/. */
export declare const FROM_SOURCE_ENV: 'SLUICE_FROM_SOURCE';

/** True when SLUICE_FROM_SOURCE asks for the sources. */
export declare function fromSourceRequested(env?: NodeJS.ProcessEnv): boolean;

/** Makes this thread load Sluice's TypeScript sources (the `sluice-source` condition, tsx). */
export declare function useSources(): Promise<void>;

/** Imports program module `name` of the package whose bin/ holds `binUrl`, from dist/ or src/. */
export declare function loadEntry(binUrl: string, name: string, options?: { fromSource?: boolean }): Promise<Record<string, unknown>>;
