// Every qualified free agent's phone rings at once; the first to answer takes the call.
import type { Strategy } from './types.js';

export const ringAll: Strategy = { mode: 'all', pick: (cands) => [...cands] };
