#!/usr/bin/env node
// The executor program: TypeScript sources run through tsx, like job files.
import { register } from 'tsx/esm/api';

register();
const { executorMain } = await import('../src/executor-main.ts');
const code = await executorMain(process.argv.slice(2));
process.exit(code);
