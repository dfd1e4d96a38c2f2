// The strategy name table: canonical names first, then the names other
// systems use for the same thing (Asterisk app_queue, FreeSWITCH
// mod_callcenter), so an imported configuration reads as meant.
import type { Strategy } from './types.js';
import { ringAll } from './ring-all.js';
import { linear } from './linear.js';
import { roundRobin } from './round-robin.js';
import { leastRecent } from './least-recent.js';
import { fewestCalls } from './fewest-calls.js';
import { leastTalkTime } from './least-talk-time.js';
import { random } from './random.js';
import { weightedRandom } from './weighted-random.js';
import { ringProgressively } from './ring-progressively.js';

export const STRATEGIES = {
  'ring-all': ringAll,
  'linear': linear,
  'round-robin': roundRobin,
  'least-recent': leastRecent,
  'fewest-calls': fewestCalls,
  'least-talk-time': leastTalkTime,
  'random': random,
  'weighted-random': weightedRandom,
  'ring-progressively': ringProgressively,
} as const satisfies Record<string, Strategy>;

export type StrategyName = keyof typeof STRATEGIES;

export const STRATEGY_ALIASES: Record<string, StrategyName> = {
  ringall: 'ring-all',
  'top-down': 'linear',
  'sequentially-by-agent-order': 'linear',
  rrmemory: 'round-robin',
  'round-robin-memory': 'round-robin',
  leastrecent: 'least-recent',
  'longest-idle-agent': 'least-recent',
  fewestcalls: 'fewest-calls',
  'agent-with-fewest-calls': 'fewest-calls',
  'agent-with-least-talk-time': 'least-talk-time',
  wrandom: 'weighted-random',
};

// A configured name (canonical or alias) to its canonical name.
export function canonicalStrategy(name: string): StrategyName | undefined {
  return name in STRATEGIES ? name as StrategyName : STRATEGY_ALIASES[name];
}
