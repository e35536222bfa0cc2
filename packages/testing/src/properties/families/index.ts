import type { OperatorFamily } from './family.js';
import { joinFamily } from './joins.js';
import { stateFamily } from './state.js';
import { statelessFamily } from './stateless.js';
import { windowFamily } from './windows.js';

export * from './family.js';

/** Every family, in the order a combined job builds them. */
export const FAMILIES: OperatorFamily<any>[] = [statelessFamily, windowFamily, joinFamily, stateFamily];
