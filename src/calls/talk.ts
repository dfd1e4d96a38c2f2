// Two parties talking. The phones among them can use in-call features: *8
// starts or stops an on-demand recording, *9 pauses it, and a hook flash
// starts a transfer (see transfer.ts). Returns when the call is over.
import type { CallSession } from './session.js';
import type { Leg } from './leg.js';
import type { EngineEvent } from '../telephony/protocol.js';
import { toggleRecording, togglePause } from './recording.js';
import { flashTransfer } from './transfer.js';
import { featureCode } from './feature-codes.js';

export async function talk(s: CallSession, a: Leg, b: Leg, opts: { bridged?: boolean } = {}): Promise<void> {
  let pair: [Leg, Leg] | null = [a, b];
  let bridged = opts.bridged ?? false;
  while (pair) {
    const [x, y] = pair;
    if (!bridged) {
      await s.ctx.engine.bridge(x.chan, y.chan);
      s.journey.log('PartiesBridged', s.ctx.engineMs(), { chans: [x.chan, y.chan] });
    }
    bridged = false;
    const flasher = await untilFlash(s, x, y);
    await s.ctx.engine.unbridge(x.chan).catch(() => {});
    const other = flasher === x ? y : x;
    pair = await flashTransfer(s, flasher, other);
  }
}

// Waits while two legs talk: handles digit features, returns the phone that
// flashed, or throws Hangup when either side leaves.
function untilFlash(s: CallSession, x: Leg, y: Leg): Promise<Leg> {
  return new Promise<Leg>((resolve, reject) => {
    const typed = new Map<Leg, { digits: string; at: number }>();
    const listeners: [Leg, (e: EngineEvent) => void][] = [];
    const done = () => { for (const [l, f] of listeners) l.off('event', f); };
    for (const leg of [x, y]) {
      if (leg.kind !== 'fxs') continue;
      leg.clearDigits();
      const f = (e: EngineEvent) => {
        if (e.event === 'HookFlashed') { done(); resolve(leg); return; }
        if (e.event !== 'DtmfReceived' && e.event !== 'PulseDigitReceived') return;
        leg.clearDigits();
        // Feature digits must come within 2 s of each other.
        const prev = typed.get(leg);
        const digits = (prev && e.time - prev.at < 2000 ? prev.digits : '') + String(e.digit);
        typed.set(leg, { digits: digits.slice(-4), at: e.time });
        const code = featureCode(s.ctx.config.settings, digits, ['record', 'recordPause']);
        if (code === 'record') { typed.delete(leg); void toggleRecording(s, s.caller === leg ? leg : (leg === x ? y : x)).catch(() => {}); }
        if (code === 'recordPause') { typed.delete(leg); void togglePause(s).catch(() => {}); }
      };
      leg.on('event', f);
      listeners.push([leg, f]);
    }
    Promise.race([x.gone(), y.gone()]).catch((err) => { done(); reject(err); });
  });
}
