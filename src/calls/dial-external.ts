// Calling out through trunk lines: hunt a free port in each trunk in order,
// seize it, wait for dial tone and dial. A line without dial tone is skipped
// (journaled) and the next one tried: that is the failover. With polarity
// answer supervision the far end's answer is waited for; without it the call
// counts as connected once dialing ends and the caller hears the exchange's
// own ringback or busy tone through the bridge.
import type { CallSession } from './session.js';
import { Hangup, type Leg } from './leg.js';

export type DialOutResult =
  | { outcome: 'answered'; leg: Leg; trunk: string }
  | { outcome: 'busy' | 'congestion' | 'no-answer' | 'no-trunk' | 'failed' };

export async function dialOut(s: CallSession, number: string, trunkIds: string[], opts: { watch?: Leg; ringSec?: number } = {}): Promise<DialOutResult> {
  const watch = opts.watch ?? s.caller;
  let tried = 0;
  for (const id of trunkIds) {
    const trunk = s.ctx.config.trunk(id);
    if (!trunk) continue;
    for (const port of trunk.ports) {
      // A blocked R2 circuit (either side) would be refused: not a try.
      if (s.ctx.ports.get(port)?.blocked) continue;
      const leg = s.claim(port);
      if (!leg) continue;
      tried++;
      s.journey.log('TrunkSeized', s.ctx.engineMs(), { trunk: id, chan: port, number });
      try {
        const since = leg.mark();
        // On an E1 (R2) timeslot the number goes as DNIS with our ANI and category.
        const e1 = leg.kind === 'e1';
        await s.ctx.engine.dial(port, number, e1
          ? { ani: trunk.ani ?? (s.caller.trunk ? '' : s.callerNumber), category: trunk.r2?.category ?? 1 }
          : { mode: trunk.dialMode, waitDialToneMs: 3000 });
        // An analog line is through when dialing ends; an R2 call when the
        // exchange accepts it (group B), or answers straight away.
        const through = (x: { event: string }) => x.event === 'DialFailed' || (e1 ? x.event === 'CallAccepted' || x.event === 'ChannelAnswered' : x.event === 'DialCompleted');
        const e = await Promise.race([leg.wait(through, undefined, since), watch.gone()]);
        if (e?.event === 'DialFailed') {
          s.journey.log('TrunkFailed', s.ctx.engineMs(), { trunk: id, chan: port, reason: e.reason });
          await leg.release();
          // The exchange's word on the number itself: another line gets the same answer.
          if (e1 && (e.reason === 'busy' || e.reason === 'unallocated')) return { outcome: e.reason === 'busy' ? 'busy' : 'failed' };
          continue;
        }
        // The CDR keeps the line the call came in on; an outgoing call takes this one.
        if (!s.caller.trunk) s.journey.set({ trunk: id, port });
        s.journey.log('TrunkConnected', s.ctx.engineMs(), { trunk: id, chan: port, number, primary: !s.caller.trunk });
        // R2 signals the answer itself; an analog line may not.
        if (e?.event === 'ChannelAnswered' || (!e1 && trunk.answerSupervision === 'none')) return { outcome: 'answered', leg, trunk: id };
        const ans = await Promise.race([leg.wait((x) => x.event === 'ChannelAnswered', (opts.ringSec ?? 60) * 1000, since), watch.gone()]);
        if (!ans) { await leg.release(); return { outcome: 'no-answer' }; }
        return { outcome: 'answered', leg, trunk: id };
      } catch (err) {
        if (err instanceof Hangup && err.chan === port) {
          await leg.release();
          return { outcome: err.cause === 'busy' ? 'busy' : err.cause === 'congestion' ? 'congestion' : 'failed' };
        }
        await leg.release();
        throw err;
      }
    }
  }
  s.journey.log('NoTrunkAvailable', s.ctx.engineMs(), { trunks: trunkIds, tried });
  return { outcome: tried ? 'failed' : 'no-trunk' };
}
