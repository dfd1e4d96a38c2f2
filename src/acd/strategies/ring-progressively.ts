// Top-down, adding one more ringing phone every `progressiveSec` until someone answers.
import type { Strategy } from './types.js';

export const ringProgressively: Strategy = { mode: 'progressive', pick: (cands) => [...cands] };
