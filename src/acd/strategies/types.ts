// What a strategy sees: the agents that may take this caller now (available,
// qualified, lowest penalty present), in the queue's member order.
export interface Candidate {
  readonly id: string;
  // Position in the queue's member list.
  readonly order: number;
  // Calls answered and talk seconds in this queue since the supervisor started.
  readonly calls: number;
  readonly talkSec: number;
  // Engine time the agent's last call (any queue) ended; -Infinity: none yet.
  readonly lastEndMs: number;
  readonly weight: number;
}

export interface StrategyContext {
  // Member order of the agent this queue offered a call to last; -1 at first.
  readonly lastOrder: number;
  readonly random: () => number;
}

// `one`: ring the first agent returned; `all`: ring all at once;
// `progressive`: ring them in the order returned, one more every few seconds.
export type RingMode = 'one' | 'all' | 'progressive';

export interface Strategy {
  readonly mode: RingMode;
  // Never called with an empty list; returns a non-empty one.
  pick(cands: readonly Candidate[], ctx: StrategyContext): Candidate[];
}

// The candidate with the smallest key; ties go to member order.
export function smallest(cands: readonly Candidate[], key: (c: Candidate) => number): Candidate {
  let best = cands[0]!;
  let bestKey = key(best);
  for (let i = 1; i < cands.length; i++) {
    const k = key(cands[i]!);
    if (k < bestKey) { best = cands[i]!; bestKey = k; }
  }
  return best;
}
