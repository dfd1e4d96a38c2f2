import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { RoutingConfigError } from './config-error.js';
import { chinaDialPlan } from './dial-plan.js';
import { dialState, parseOutboundRoutes, planOutbound, type OutboundPlan } from './outbound.js';

// A typical China site: 9 for an outside line, mobiles through a GSM
// gateway (cheaper, reserved to long-distance extensions), international
// through a SIP trunk, emergency numbers dialed bare on the analog lines.
const routes = parseOutboundRoutes([
  { id: 'gsm', patterns: ['_91[3-9]XXXXXXXXX'], stripDigits: 1, trunks: ['gsm1', 'gsm2'], minClass: 'long-distance' },
  { id: 'pstn', name: '市话', patterns: ['_9.'], stripDigits: 1, trunks: ['fxo1', 'fxo2', 'e1'] },
  { id: 'intl', patterns: ['_900.'], stripDigits: 1, prepend: '17909', trunks: ['sip-intl'] },
  { id: 'emergency', patterns: ['110', '119', '120', '122'], trunks: ['fxo1'] },
  { id: 'off', enabled: false, patterns: ['_8.'], trunks: ['x'] },
]);

function ok(p: OutboundPlan): Extract<OutboundPlan, { ok: true }> {
  assert.ok(p.ok, `expected a route, got ${p.ok ? '' : `${p.reason}: ${p.message}`}`);
  return p as Extract<OutboundPlan, { ok: true }>;
}
function refused(p: OutboundPlan, reason: 'forbidden' | 'no_route'): Extract<OutboundPlan, { ok: false }> {
  assert.not.ok(p.ok, `expected ${reason}, got route ${p.ok ? p.route.id : ''}`);
  const r = p as Extract<OutboundPlan, { ok: false }>;
  assert.is(r.reason, reason, r.message);
  return r;
}

test('a local call strips the access code and keeps the trunk failover order', () => {
  const p = ok(planOutbound(routes, '962345678', 'local'));
  assert.is(p.route.id, 'pstn');
  assert.is(p.pattern, '_9.');
  assert.is(p.number, '62345678');
  assert.equal(p.trunks, ['fxo1', 'fxo2', 'e1']);
  assert.is(p.numberClass, 'local');
  assert.is(p.emergencyFallback, false);
});

test('the most specific route wins when the extension may use it', () => {
  const p = ok(planOutbound(routes, '913800138000', 'long-distance'));
  assert.is(p.route.id, 'gsm');
  assert.is(p.number, '13800138000');
  assert.equal(p.trunks, ['gsm1', 'gsm2']);
  assert.is(p.numberClass, 'mobile');
});

test('a route the extension may not use falls through to the next matching route', () => {
  const p = ok(planOutbound(routes, '913800138000', 'local'));
  assert.is(p.route.id, 'pstn');
  assert.is(p.numberClass, 'mobile', 'mobiles count as local calls by default');
});

test('the mobile knob makes mobiles long-distance', () => {
  const plan = chinaDialPlan({ mobileCos: 'long-distance' });
  const r = refused(planOutbound(routes, '913800138000', 'local', { dialPlan: plan }), 'forbidden');
  assert.is(r.numberClass, 'mobile');
  assert.match(r.message, /route gsm needs class long-distance/);
});

test('class of service: internal < local < long-distance < international', () => {
  const dial = (n: string, cos: 'internal' | 'local' | 'long-distance' | 'international') => planOutbound(routes, n, cos).ok;
  assert.equal(['internal', 'local', 'long-distance', 'international'].map((c) => dial('962345678', c as never)), [false, true, true, true]);
  assert.equal(['internal', 'local', 'long-distance', 'international'].map((c) => dial('901062345678', c as never)), [false, false, true, true]);
  assert.equal(['internal', 'local', 'long-distance', 'international'].map((c) => dial('90044207946000', c as never)), [false, false, false, true]);
});

test('a forbidden call says what the number is and what was missing', () => {
  const r = refused(planOutbound(routes, '901062345678', 'local'), 'forbidden');
  assert.is(r.numberClass, 'long-distance');
  assert.is(r.message, '01062345678 is long-distance (long distance, Beijing 010); route pstn needs class long-distance, the extension has local');
});

test('international goes out on its own route with the carrier prefix', () => {
  const p = ok(planOutbound(routes, '90044207946000', 'international'));
  assert.is(p.route.id, 'intl');
  assert.is(p.number, '179090044207946000');
  assert.is(p.numberClass, 'international', 'classified before the prefix is added');
});

test('emergency numbers are allowed for every class, bare or after the access code', () => {
  const bare = ok(planOutbound(routes, '110', 'internal'));
  assert.is(bare.route.id, 'emergency');
  assert.is(bare.numberClass, 'emergency');
  const viaNine = ok(planOutbound(routes, '9120', 'internal'));
  assert.is(viaNine.route.id, 'pstn');
  assert.is(viaNine.number, '120');
  // Even through a route the extension could not otherwise use.
  const guarded = parseOutboundRoutes([{ id: 'pstn', patterns: ['_9.'], stripDigits: 1, trunks: ['fxo1'], minClass: 'long-distance' }]);
  assert.is(ok(planOutbound(guarded, '9122', 'internal')).number, '122');
  refused(planOutbound(guarded, '962345678', 'local'), 'forbidden');
});

test('an emergency number no route matches goes out on every route\'s trunks', () => {
  const onlyNine = parseOutboundRoutes([
    { id: 'gsm', patterns: ['_91[3-9]XXXXXXXXX'], stripDigits: 1, trunks: ['gsm1', 'fxo1'] },
    { id: 'pstn', patterns: ['_9.'], stripDigits: 1, trunks: ['fxo1', 'fxo2'] },
  ]);
  const p = ok(planOutbound(onlyNine, '119', 'internal'));
  assert.is(p.emergencyFallback, true);
  assert.is(p.number, '119');
  assert.equal(p.trunks, ['gsm1', 'fxo1', 'fxo2']);
  assert.is(p.route.id, '(emergency)');
  refused(planOutbound([], '119', 'international'), 'no_route');
});

test('no matching route, disabled routes, and unknown numbers', () => {
  const r = refused(planOutbound(routes, '8123', 'international'), 'no_route');
  assert.is(r.message, 'no outbound route matches 8123');
  // 9 + 5 matches _9. but "5" is no number of the plan: only international may try it.
  const u = refused(planOutbound(routes, '95', 'long-distance'), 'forbidden');
  assert.is(u.numberClass, 'unknown');
  assert.ok(planOutbound(routes, '95', 'international').ok);
});

test('extensions given as options classify as internal', () => {
  const local = parseOutboundRoutes([{ id: 'all', patterns: ['_X.'], trunks: ['t'] }]);
  assert.is(ok(planOutbound(local, '8001', 'internal', { extensions: ['8001'] })).numberClass, 'internal');
  assert.is(refused(planOutbound(local, '8001', 'internal'), 'forbidden').numberClass, 'unknown');
});

test('route validation names the field', () => {
  const rejects = (input: unknown, ...needles: string[]) => {
    try {
      parseOutboundRoutes(input);
    } catch (e) {
      assert.instance(e, RoutingConfigError);
      for (const n of needles) assert.ok((e as Error).message.includes(n), `expected "${n}" in: ${(e as Error).message}`);
      return;
    }
    assert.unreachable('expected a RoutingConfigError');
  };
  rejects([{ id: 'a', patterns: ['_9.', '_9[2-'], trunks: ['t'] }], '[0].patterns[1]: pattern "_9[2-"', 'position 3');
  rejects([{ id: 'a', patterns: ['_9.'], trunks: [] }], '[0].trunks', 'at least one trunk');
  rejects([{ id: 'a', patterns: [], trunks: ['t'] }], '[0].patterns', 'at least one pattern');
  rejects([{ id: 'a', patterns: ['_9X'], stripDigits: 2, trunks: ['t'] }], '[0].patterns[0]: stripDigits 2 would strip every digit');
  rejects([{ id: 'a', patterns: ['_9.'], prepend: '17 909', trunks: ['t'] }], '[0].prepend');
  rejects([{ id: 'a', patterns: ['_9.'], trunks: ['t'], minClass: 'global' }], '[0].minClass');
  rejects([{ id: 'a', patterns: ['_9.'], trunks: ['t'] }, { id: 'a', patterns: ['_8.'], trunks: ['t'] }], '[1].id');
});

const extensions = ['8001', '8002', '801', '8101'];
const featureCodes = ['*72', '_*73X.'];
const state = (d: string) => dialState(d, extensions, routes, featureCodes);

test('dialState: extensions end as soon as no longer extension fits', () => {
  assert.is(state(''), 'incomplete');
  assert.is(state('8'), 'incomplete');
  assert.is(state('800'), 'incomplete');
  assert.is(state('8001'), 'complete');
  assert.is(state('801'), 'complete', 'no extension starts with 801 and is longer');
  assert.is(state('810'), 'incomplete');
  assert.is(state('8003'), 'invalid');
  assert.is(state('7'), 'invalid');
  assert.is(state('#'), 'invalid');
});

test('dialState: outside numbers end when the dial plan knows their length', () => {
  assert.is(state('9'), 'incomplete');
  assert.is(state('91380013800'), 'incomplete');
  assert.is(state('913800138000'), 'complete', 'a whole mobile number');
  assert.is(state('962345678'), 'complete', 'an 8-digit local number');
  assert.is(state('96234567'), 'incomplete', 'could be 7 or 8 digits: the timeout decides');
  assert.is(state('901062345678'), 'complete');
  assert.is(state('94008001234'), 'complete');
  assert.is(state('90044207946000'), 'incomplete', 'international numbers wait for the timeout');
  assert.is(state('9110'), 'complete');
});

test('dialState: emergency numbers and feature codes', () => {
  assert.is(state('110'), 'complete');
  assert.is(state('11'), 'incomplete');
  assert.is(dialState('120', [], [], []), 'complete', 'even with no routes at all');
  assert.is(dialState('12', [], [], []), 'incomplete');
  assert.is(dialState('13', [], [], []), 'invalid');
  assert.is(state('*72'), 'complete');
  assert.is(state('*7'), 'incomplete');
  assert.is(state('*73'), 'incomplete');
  assert.is(state('*7301'), 'incomplete', 'open-ended feature code');
  assert.is(state('*74'), 'invalid');
});

test('dialState: a 7-digit city makes local numbers end at 7 digits', () => {
  const plan = chinaDialPlan({ localDigits: 7 });
  assert.is(dialState('96234567', extensions, routes, featureCodes, plan), 'complete');
});

test.run();
