#!/usr/bin/env node
// Entry point of the sluice-kafka command. The tool is TypeScript with no build step,
// so tsx is registered first and the CLI is loaded from source.
import { register } from 'tsx/esm/api';

register();
await import('../src/cli.ts');
