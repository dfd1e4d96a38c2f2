// Top-down: the first free agent in the member list, every time.
import type { Strategy } from './types.js';

export const linear: Strategy = { mode: 'one', pick: (cands) => [cands[0]!] };
