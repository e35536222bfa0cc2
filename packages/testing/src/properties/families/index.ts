import type { OperatorFamily } from './family';
import { joinFamily } from './joins';
import { stateFamily } from './state';
import { statelessFamily } from './stateless';
import { windowFamily } from './windows';

export * from './family';

/** Every family, in the order a combined job builds them. */
export const FAMILIES: OperatorFamily<any>[] = [statelessFamily, windowFamily, joinFamily, stateFamily];
