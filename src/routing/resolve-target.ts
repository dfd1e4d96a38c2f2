/**
 * Following a destination through time conditions to where the call really
 * goes, keeping a trace of every step for the call journal and the route
 * preview ("what happens at 12:30 on Tuesday").
 *
 * Resolution never throws on bad config: a missing time condition, a state
 * with no destination or a loop becomes a `problem` in the trace and the call
 * gets congestion, so the journal says why a caller heard it.
 */
import { describeDestination, type Destination } from './destination.js';
import { evaluate, type LocalTime, type TimeCondition } from './time-conditions.js';

export type TimeConditionTable = Readonly<Record<string, TimeCondition>>;

export type TraceStep =
  | { kind: 'route'; routeId: string; name: string; text: string }
  | { kind: 'timecondition'; id: string; state: string; reason: string; localTime: LocalTime; until?: Date; text: string }
  | { kind: 'choice'; key: string; destination: Destination; text: string }
  | { kind: 'problem'; text: string };

export interface Resolution {
  destination: Destination;
  trace: TraceStep[];
  /** Config problems met on the way; empty when all went as configured. */
  problems: string[];
}

/** What a caller gets when routing config leads nowhere. */
export const UNRESOLVED: Destination = { type: 'congestion' };

/** Time condition chains longer than this are a config mistake, not a plan. */
const MAX_HOPS = 8;

export function lookupTimeCondition(table: TimeConditionTable, id: string): TimeCondition | undefined {
  return Object.hasOwn(table, id) ? table[id] : undefined;
}

/** Evaluates time condition `id` at `date`, traces the outcome, returns the state. */
export function traceState(id: string, tc: TimeCondition, date: Date, trace: TraceStep[]): string {
  const ev = evaluate(tc, date);
  const lt = ev.localTime;
  const label = tc.name ? `${id} (${tc.name})` : id;
  const until = ev.periodEndsAt ? `, until ${ev.periodEndsAt.toISOString()}` : '';
  trace.push({
    kind: 'timecondition',
    id,
    state: ev.state,
    reason: ev.reason,
    localTime: lt,
    ...(ev.periodEndsAt ? { until: ev.periodEndsAt } : {}),
    text: `time condition ${label} at ${lt.date} ${lt.time} ${lt.weekday} ${lt.utcOffset}: ${ev.state} (${ev.reason})${until}`,
  });
  return ev.state;
}

/** Picks `table[state]`, else `table.default`, tracing the choice. */
export function chooseByState(
  table: Readonly<Record<string, Destination>>,
  state: string | undefined,
  trace: TraceStep[],
): Destination | undefined {
  if (state !== undefined && Object.hasOwn(table, state)) {
    const d = table[state]!;
    trace.push({ kind: 'choice', key: state, destination: d, text: `state ${state} -> ${describeDestination(d)}` });
    return d;
  }
  if (Object.hasOwn(table, 'default')) {
    const d = table.default!;
    const why = state === undefined ? 'no state' : `state ${state} has no entry`;
    trace.push({ kind: 'choice', key: 'default', destination: d, text: `${why}, default -> ${describeDestination(d)}` });
    return d;
  }
  return undefined;
}

/**
 * Follows `dest` through `{type:'timecondition'}` hops until it reaches a
 * destination that handles the call. An announcement's `then` is left as is:
 * it is resolved when the announcement has played, at that later time.
 */
export function resolveTarget(dest: Destination, table: TimeConditionTable, date: Date, trace: TraceStep[] = []): Resolution {
  const problems: string[] = [];
  const fail = (text: string): Resolution => {
    trace.push({ kind: 'problem', text });
    problems.push(text);
    return { destination: UNRESOLVED, trace, problems };
  };
  const seen: string[] = [];
  let d = dest;
  while (d.type === 'timecondition') {
    if (seen.includes(d.id)) return fail(`time conditions loop: ${[...seen, d.id].join(' -> ')}`);
    if (seen.length >= MAX_HOPS) return fail(`more than ${MAX_HOPS} time conditions in a row`);
    seen.push(d.id);
    const tc = lookupTimeCondition(table, d.id);
    if (!tc) return fail(`time condition ${d.id} does not exist`);
    const state = traceState(d.id, tc, date, trace);
    const next = chooseByState(tc.destinations, state, trace);
    if (!next) return fail(`time condition ${d.id} has no destination for state ${state} and no default`);
    d = next;
  }
  return { destination: d, trace, problems };
}
