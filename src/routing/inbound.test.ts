import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { RoutingConfigError } from './config-error.js';
import { matchInbound, parseInboundRoutes, previewInbound, rankInbound, resolveDestination, type InboundCall } from './inbound.js';
import { parseTimeCondition } from './time-conditions.js';

const sh = (s: string) => new Date(`${s.replace(' ', 'T')}:00+08:00`);

const timeConditions = {
  office: parseTimeCondition({
    name: '办公时间',
    holidays: [{ name: '国庆节', from: '2026-10-01', to: '2026-10-08' }],
    specialWorkdays: [{ date: '2026-10-10', name: '国庆节调休', followsWeekday: 'fri' }],
    destinations: { work: { type: 'queue', queue: 'support' }, default: { type: 'voicemail', box: '800' } },
  }),
  // Two conditions that send calls to each other: a config mistake.
  ping: parseTimeCondition({ destinations: { default: { type: 'timecondition', id: 'pong' } } }),
  pong: parseTimeCondition({ destinations: { default: { type: 'timecondition', id: 'ping' } } }),
  // Knows no destination for its states.
  bare: parseTimeCondition({}),
};

const routes = parseInboundRoutes([
  { id: 'any', destination: { type: 'operator' } },
  { id: 'hotline', name: '400 热线', did: '_400XXXXXXX', timeCondition: 'office', byState: {
    work: { type: 'queue', queue: 'support' },
    lunch: { type: 'announcement', prompt: 'lunch-break', then: { type: 'queue', queue: 'support' } },
    default: { type: 'announcement', prompt: 'closed', then: { type: 'voicemail', box: '800' } },
  } },
  { id: 'hotline-main', did: '4008001234', destination: { type: 'ivr', menu: 'main' } },
  { id: 'vip', did: '4008001234', callerPattern: '_1390013XXXX', destination: { type: 'queue', queue: 'vip' } },
  { id: 'e1-only', did: '4008001234', trunks: ['e1-1'], destination: { type: 'queue', queue: 'e1' } },
  { id: 'anonymous', did: '_400XXXXXXX', callerPattern: '_!', priority: -1, destination: { type: 'busy' } },
  { id: 'fxo3', trunks: ['3'], destination: { type: 'timecondition', id: 'office' } },
  { id: 'off', enabled: false, did: '4008001234', priority: 100, destination: { type: 'hangup' } },
]);

const call = (did: string, caller = '13800138000', trunk = '1'): InboundCall => ({ trunk, did, caller });
const routeFor = (c: InboundCall) => matchInbound(routes, c)?.id;

function rejects(input: unknown, ...needles: string[]): void {
  try {
    parseInboundRoutes(input);
  } catch (e) {
    assert.instance(e, RoutingConfigError);
    for (const n of needles) assert.ok((e as Error).message.includes(n), `expected "${n}" in: ${(e as Error).message}`);
    return;
  }
  assert.unreachable(`expected ${JSON.stringify(input)} to be rejected`);
}

test('routes get their defaults', () => {
  assert.equal(routes[0], { id: 'any', name: '', enabled: true, trunks: [], priority: 0, destination: { type: 'operator' } });
});

test('an exact DID beats a DID pattern, which beats no DID', () => {
  assert.is(routeFor(call('4008001234')), 'hotline-main');
  assert.is(routeFor(call('4008005678')), 'hotline');
  assert.is(routeFor(call('01062345678')), 'any');
});

test('a matching caller pattern beats the same DID without one', () => {
  assert.is(routeFor(call('4008001234', '13900131234')), 'vip');
  assert.is(routeFor(call('4008001234', '13900141234')), 'hotline-main');
});

test('a route limited to trunks beats an otherwise equal route for any trunk, and only on those trunks', () => {
  assert.is(routeFor(call('4008001234', '13800138000', 'e1-1')), 'e1-only');
  assert.is(routeFor(call('4008001234', '13800138000', 'e1-2')), 'hotline-main');
  assert.is(routeFor(call('', '', '3')), 'fxo3');
  assert.is(routeFor(call('', '', '03')), 'any', 'trunk names compare exactly');
});

test('priority goes before specificity; disabled routes never match', () => {
  // `anonymous` matches every 400 call with its _! caller pattern, but its
  // priority -1 puts it after everything else that matches.
  assert.equal(rankInbound(routes, call('4008005678', '')).map((r) => r.id), ['hotline', 'any', 'anonymous']);
  const vipFirst = parseInboundRoutes([
    { id: 'did', did: '_400XXXXXXX', destination: { type: 'queue', queue: 'support' } },
    { id: 'vip', callerPattern: '13900131234', priority: 10, destination: { type: 'queue', queue: 'vip' } },
  ]);
  assert.is(matchInbound(vipFirst, call('4008001234', '13900131234'))?.id, 'vip');
  assert.is(matchInbound(vipFirst.map((r) => ({ ...r, priority: 0 })), call('4008001234', '13900131234'))?.id, 'did', 'DID first at equal priority');
});

test('list order breaks exact ties, and nothing matching gives undefined', () => {
  const twins = parseInboundRoutes([
    { id: 'a', did: '_X.', destination: { type: 'hangup' } },
    { id: 'b', did: '_X.', destination: { type: 'busy' } },
  ]);
  assert.is(matchInbound(twins, call('123'))?.id, 'a');
  assert.is(matchInbound([...twins].reverse(), call('123'))?.id, 'b');
  assert.is(matchInbound(twins, call('')), undefined);
  assert.is(matchInbound([], call('123')), undefined);
});

test('byState: a Tuesday lunch gets the lunch announcement, and the trace says why', () => {
  const r = resolveDestination(routes[1]!, timeConditions, sh('2026-05-12 12:30'));
  assert.equal(r.destination, { type: 'announcement', prompt: 'lunch-break', then: { type: 'queue', queue: 'support' } });
  assert.equal(r.problems, []);
  assert.equal(r.trace.map((s) => s.kind), ['route', 'timecondition', 'choice']);
  const tc = r.trace[1]!;
  assert.ok(tc.kind === 'timecondition' && tc.state === 'lunch' && tc.reason === 'tue lunch 12:00-13:30');
  assert.match(tc.text, /^time condition office \(办公时间\) at 2026-05-12 12:30:00 tue \+08:00: lunch \(tue lunch 12:00-13:30\), until 2026-05-12T05:30:00.000Z$/);
  assert.is(r.trace[2]!.text, 'state lunch -> announcement lunch-break, then queue support');
});

test('byState: a holiday falls to the default entry', () => {
  const r = resolveDestination(routes[1]!, timeConditions, sh('2026-10-03 10:00'));
  assert.is(r.destination.type, 'announcement');
  assert.is(r.trace[2]!.text, 'state holiday has no entry, default -> announcement closed, then voicemail box 800');
  assert.ok(r.trace[1]!.text.includes('holiday 国庆节 (2026-10-01..2026-10-08)'));
});

test('byState: the shifted Saturday is a working day', () => {
  assert.equal(resolveDestination(routes[1]!, timeConditions, sh('2026-10-10 10:00')).destination, { type: 'queue', queue: 'support' });
});

test('a timecondition destination goes through the condition\'s own table', () => {
  const fxo3 = routes.find((r) => r.id === 'fxo3')!;
  assert.equal(resolveDestination(fxo3, timeConditions, sh('2026-05-12 10:00')).destination, { type: 'queue', queue: 'support' });
  const night = resolveDestination(fxo3, timeConditions, sh('2026-05-12 22:00'));
  assert.equal(night.destination, { type: 'voicemail', box: '800' });
  assert.equal(night.trace.map((s) => s.kind), ['route', 'timecondition', 'choice']);
});

test('a missing time condition uses the route default and reports the problem', () => {
  const [r] = parseInboundRoutes([
    { id: 'x', timeCondition: 'nope', byState: { work: { type: 'queue', queue: 'q' }, default: { type: 'voicemail', box: '1' } } },
  ]);
  const res = resolveDestination(r!, timeConditions, sh('2026-05-12 10:00'));
  assert.equal(res.destination, { type: 'voicemail', box: '1' });
  assert.equal(res.problems, ['time condition nope does not exist; using the route\'s default']);
  assert.is(res.trace[2]!.text, 'no state, default -> voicemail box 1');
});

test('loops, missing conditions and missing entries end in congestion with the reason', () => {
  const via = (id: string) => parseInboundRoutes([{ id: 'r', destination: { type: 'timecondition', id } }])[0]!;
  const loop = resolveDestination(via('ping'), timeConditions, sh('2026-05-12 10:00'));
  assert.equal(loop.destination, { type: 'congestion' });
  assert.equal(loop.problems, ['time conditions loop: ping -> pong -> ping']);
  const missing = resolveDestination(via('gone'), timeConditions, sh('2026-05-12 10:00'));
  assert.equal(missing.problems, ['time condition gone does not exist']);
  const bare = resolveDestination(via('bare'), timeConditions, sh('2026-05-12 10:00'));
  assert.equal(bare.destination, { type: 'congestion' });
  assert.equal(bare.problems, ['time condition bare has no destination for state work and no default']);
});

test('previewInbound explains a call at a given time', () => {
  const p = previewInbound(routes, timeConditions, call('4008005678'), sh('2026-10-03 10:00'));
  assert.ok(p.matched);
  if (!p.matched) return;
  assert.is(p.route.id, 'hotline');
  assert.equal(p.alsoMatching, ['any', 'anonymous']);
  const lines = p.text.split('\n');
  assert.is(lines[0], 'call on trunk 1 to 4008005678 from 13800138000 at 2026-10-03T02:00:00.000Z');
  assert.is(lines[1], 'inbound route hotline (400 热线)');
  assert.ok(lines[2]!.includes('holiday 国庆节 (2026-10-01..2026-10-08)'), lines[2]);
  assert.is(lines[4], '=> announcement closed, then voicemail box 800');
  assert.is(lines[5], '(also matching, lower ranked: any, anonymous)');

  const none = previewInbound([], timeConditions, call('123', ''), sh('2026-10-03 10:00'));
  assert.not.ok(none.matched);
  assert.match(none.text, /from \(withheld\).*\nno inbound route matches$/);
});

test('route validation names the field', () => {
  rejects([{ id: 'a' }], '[0].destination: a route needs a destination');
  rejects([{ id: 'a', destination: { type: 'hangup' }, timeCondition: 'office', byState: { default: { type: 'hangup' } } }], '[0].byState', '[0].timeCondition');
  rejects([{ id: 'a', timeCondition: 'office', byState: { work: { type: 'hangup' } } }], '[0].byState.default');
  rejects([{ id: 'a', byState: { default: { type: 'hangup' } } }], '[0].timeCondition');
  rejects([{ id: 'a', did: '_400[', destination: { type: 'hangup' } }], '[0].did: pattern "_400["', 'position 5');
  rejects([{ id: 'a', callerPattern: '13x', destination: { type: 'hangup' } }], '[0].callerPattern');
  rejects([{ id: 'a', destination: { type: 'hangup' } }, { id: 'a', destination: { type: 'busy' } }], '[1].id: id "a" is already used by route [0]');
  rejects([{ id: 'a', timeCondition: 'o', byState: { default: { type: 'hangup' }, 'Lunch Time': { type: 'busy' } } }], '[0].byState.Lunch Time');
});

test.run();
