// Far-end moves shared by the feature tests: a phone lifted, put down, asked
// what it hears; an outside call placed and its journey found.
import { journalWait, farWait, farCall, assertRebuilds, type Box } from './harness.js';
import type { Cdr } from '../../src/store/cdr-repo.js';
import type { JournalEntry } from '../../src/store/journal.js';

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export function farEnd(box: Box) {
  const events = (journey: string) => box.sup.store.journal.forJourney(journey).map((e) => e.event);
  const entries = (journey: string, event: string) => box.sup.store.journal.forJourney(journey).filter((e) => e.event === event);

  // Lifts a phone and waits for dial tone.
  async function lift(chan: number): Promise<void> {
    const seen: string[] = [];
    const watch = (e: { event: string; chan?: number; tone?: unknown }) => { if (e.chan === chan) seen.push(e.tone ? `${e.event}:${String(e.tone)}` : e.event); };
    box.far.on('event', watch);
    try {
      const tone = farWait(box, (e) => e.event === 'SimToneHeard' && e.chan === chan && e.tone === 'dial', 5000);
      await box.far.sim('offhook', chan);
      await tone;
    } catch (e) {
      const st = box.sup.engine.states.get(chan);
      throw new Error(`phone ${chan} lifted, no dial tone heard; it saw ${seen.join(', ')}; engine state ${JSON.stringify(st)}; port leg ${box.sup.ctx.ports.owner(chan) ? 'held' : 'free'}; ${(e as Error).message}`);
    } finally {
      box.far.off('event', watch);
    }
  }

  // Puts a phone down and waits until the box saw it (over a second on-hook:
  // shorter is a hook flash).
  async function hangUp(chan: number): Promise<void> {
    const down = farWait(box, (e) => e.event === 'HookChanged' && e.chan === chan && e.offhook === false);
    await box.far.sim('onhook', chan);
    await down;
  }

  // Listens up to four times 300 ms: audio that starts a moment late (a bridge
  // still being set up) counts, and silence must hold for all four.
  async function hears(chan: number, freq: number): Promise<boolean> {
    for (let i = 0; i < 4; i++) {
      const w = farWait(box, (e) => e.event === 'SimAudioMeasured' && e.chan === chan && e.freq === freq);
      await box.far.sim('listen', chan, { freq, ms: 300 });
      if ((await w).heard) return true;
    }
    return false;
  }

  // An outside call on a line; resolves with its journey once the box rings.
  async function callIn(chan: number, from: string, opts: Record<string, unknown> = {}): Promise<string> {
    const ring = journalWait(box, (e) => e.event === 'CallRinging' && e.data.chan === chan);
    await farCall(box, chan, from, opts);
    return (await ring).journey!;
  }

  // A phone dials; resolves with the journey the number opened.
  async function dial(chan: number, digits: string, lifted = false): Promise<string> {
    if (!lifted) await lift(chan);
    const dialed = journalWait(box, (e) => e.event === 'CallDialed' && e.data.dialed === digits);
    await box.far.sim('dial', chan, { digits });
    return (await dialed).journey!;
  }

  // Keys pressed one at a time, each once the box has heard the one before
  // (as a person dials; at 20x engine speed a burst outruns the supervisor).
  async function press(chan: number, digits: string): Promise<void> {
    for (const d of digits) {
      const heard = farWait(box, (e) => e.event === 'DtmfReceived' && e.chan === chan && e.digit === d);
      await box.far.sim('dial', chan, { digits: d });
      await heard;
      await sleep(25);
    }
  }

  const on = (journey: string, event: string, more: (e: Omit<JournalEntry, 'id'>) => boolean = () => true, timeoutMs?: number) =>
    journalWait(box, (e) => e.journey === journey && e.event === event && more(e), timeoutMs);

  // Every port free again and no call flow left running.
  async function settled(): Promise<void> {
    for (let i = 0; i < 100 && (box.sup.calls.activeCalls || box.sup.ctx.ports.all().some((p) => p.leg)); i++) await sleep(20);
    const held = box.sup.ctx.ports.all().filter((p) => p.leg).map((p) => p.info.chan);
    if (held.length || box.sup.calls.activeCalls) throw new Error(`ports still held: ${held.join(', ')}; ${box.sup.calls.activeCalls} call flows running`);
  }

  // The closed CDR row, checked to be what the journal alone rebuilds.
  function cdr(journey: string): Cdr {
    assertRebuilds(box, journey);
    return box.sup.store.cdr.get(journey)!;
  }

  return { events, entries, lift, hangUp, hears, callIn, dial, press, on, settled, cdr };
}
