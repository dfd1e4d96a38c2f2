// A caller in a queue: joins (or is turned away by the queue's rules), hears
// the entry announcement and music, hears their position when it changes,
// may press a key to leave or to be called back, and waits until the router
// offers them to agents. Resolves with where the caller goes next when a rule
// takes them out, or null once the call was served (or became a callback).
import { secs } from './events.js';
import type { CallSession } from '../calls/session.js';
import type { Destination } from '../routing/destination.js';
import type { Queue } from './schemas.js';
import type { Offer } from './router.js';
import { offerToAgents, type Taken } from './offer.js';
import { connect } from '../calls/destinations.js';
import { sayNumber } from '../prompts/say-number.js';
import { requestCallback } from './callback.js';
import type { EngineEvent } from '../telephony/protocol.js';

type Why = 'maxWait' | 'maxLength' | 'noAgents' | 'serviceLevel' | 'leaveWhenEmpty';

// `resumeFrom`: a caller who was waiting when the supervisor restarted takes
// their place again (engine time runs on across the restart): no new
// QueueJoined, so the queue counts them once, and no join rules again.
export async function enqueue(s: CallSession, queueId: string, resumeFrom?: { joinedMs: number }): Promise<Destination | null> {
  const { ctx } = s;
  const acd = ctx.acd;
  const q = acd.queue(queueId);
  if (!q) {
    s.journey.log('RoutingProblem', ctx.engineMs(), { problem: `queue ${queueId} does not exist` });
    return { type: 'operator' };
  }
  const joinedMs = resumeFrom?.joinedMs ?? ctx.engineMs();
  const wait = () => secs(ctx.engineMs() - joinedMs);
  const sticky = acd.stickyAgent(q, s.callerNumber);
  const position = acd.router.waitingCount(q.id) + 1;
  s.journey.set({ queue: q.id });
  if (resumeFrom) acd.queueLog(s.journey.id, 'QueueResumed', { queue: q.id, waitSec: wait() });
  else acd.queueLog(s.journey.id, 'QueueJoined', { queue: q.id, priority: s.priority, position, skills: s.skills, caller: s.callerNumber, ...(sticky ? { sticky } : {}) });
  const out = (why: Why): Destination => {
    const to = overflowTo(s, q, why);
    acd.queueLog(s.journey.id, 'QueueOverflowed', { queue: q.id, why, waitSec: wait(), to });
    return to;
  };
  if (!resumeFrom && !acd.loggedIn(q.id).length && !q.joinEmpty) return out('noAgents');
  if (!resumeFrom && q.maxLength && position > q.maxLength) {
    await s.answerCaller();
    await s.caller.play([s.prompt('queue_full')]).catch(() => 'done');
    return out('maxLength');
  }
  if (!resumeFrom && q.overflow.serviceLevel) {
    const ewt = acd.estimatedWaitSec(q.id, position);
    if (ewt !== null && ewt > q.serviceLevelSec) return out('serviceLevel');
  }

  // Everything that can wake the waiting caller goes through one signal.
  let wake: () => void = () => {};
  const signal = () => wake();
  let offer: Offer | null = null;
  let emptied = false;
  const digits: string[] = [];
  const me = { queue: q.id, offer: (o: Offer) => { offer = o; signal(); } };
  acd.waiters.set(s.journey.id, me);
  let callback = false;
  const onDigit = (e: EngineEvent) => { if (e.event === 'DtmfReceived' || e.event === 'PulseDigitReceived') { digits.push(String(e.digit)); signal(); } };
  s.caller.on('event', onDigit);
  const offEmpty = q.leaveWhenEmpty ? acd.onEmpty(q.id, () => { emptied = true; signal(); }) : () => {};
  const timers: { cancel(): void }[] = [];
  const at = (ms: number) => { const t = ctx.timers.after(ms); timers.push(t); void t.promise.then(signal); };
  const music = async () => { await ctx.engine.play(s.caller.chan, [s.prompt(q.music.includes(':') ? q.music : `moh:${q.music}`)], { loop: true }).catch(() => 0); };
  let announced = 0;
  let announcing = 0;
  const announce = async () => {
    const pos = acd.router.position(s.journey.id);
    if (!pos || pos === announced) return;
    announced = pos;
    const ewt = q.announce.estimatedWait ? acd.estimatedWaitSec(q.id, pos) : null;
    const files = [s.prompt('queue_position'), ...sayNumber(pos, s.lang).map((p) => s.prompt(p)), s.prompt('queue_position_end')];
    if (ewt !== null) files.push(s.prompt('queue_wait_minutes'), ...sayNumber(Math.max(1, Math.ceil(ewt / 60)), s.lang).map((p) => s.prompt(p)), s.prompt('minutes'));
    if (q.callback.enabled) files.push(s.prompt('queue_callback_offer'));
    acd.queueLog(s.journey.id, 'QueueAnnounced', { queue: q.id, position: pos, estimatedSec: ewt });
    announcing = await ctx.engine.play(s.caller.chan, files).catch(() => 0);
  };
  // Music resumes when an announcement ends.
  const onPlayed = (e: EngineEvent) => { if (e.event === 'PlaybackFinished' && announcing && e.playbackId === announcing) { announcing = 0; void music(); } };
  s.caller.on('event', onPlayed);

  let served = false;
  try {
    // The caller holds a place from the moment they join, answered or not.
    acd.router.join({ id: s.journey.id, queue: q.id, priority: s.priority, joinedMs, skills: s.skills, ...(sticky ? { preferredAgent: sticky } : {}) });
    acd.kick();
    await s.answerCaller();
    if (q.announce.entry) {
      announcing = await ctx.engine.play(s.caller.chan, [s.prompt(q.announce.entry.includes(':') ? q.announce.entry : `custom:${q.announce.entry}`)]).catch(() => 0);
      if (!announcing) await music();
    } else await music();
    if (q.maxWaitSec) at(q.maxWaitSec * 1000);
    let nextAnnounce = q.announce.positionEverySec ? joinedMs + Math.min(q.announce.positionEverySec, 5) * 1000 : Infinity;
    if (nextAnnounce !== Infinity) at(nextAnnounce - joinedMs);
    for (;;) {
      const woke = new Promise<void>((r) => { wake = r; });
      if (!offer && !digits.length && !emptied) await Promise.race([woke, s.caller.gone()]);
      s.caller.check();
      if (offer) {
        const o: Offer = offer;
        offer = null;
        const taken = await offerToAgents(s, acd, q, o, joinedMs);
        if (taken) { served = true; return await serve(s, q, taken, joinedMs); }
        acd.router.retry(s.journey.id);
        acd.kick();
        continue;
      }
      const d = digits.shift();
      if (d !== undefined) {
        if (q.callback.enabled && d === q.callback.key && s.callerNumber) {
          served = callback = true;
          await requestCallback(s, q, joinedMs);
          return null;
        }
        const exit = q.exitKeys[d];
        if (exit) {
          acd.queueLog(s.journey.id, 'QueueExited', { queue: q.id, key: d, waitSec: wait(), to: exit });
          return exit;
        }
        continue;
      }
      if (emptied) return out('leaveWhenEmpty');
      const now = ctx.engineMs();
      if (q.maxWaitSec && now - joinedMs >= q.maxWaitSec * 1000) return out('maxWait');
      if (now >= nextAnnounce) {
        if (!announcing) await announce();
        nextAnnounce = now + q.announce.positionEverySec * 1000;
        at(q.announce.positionEverySec * 1000);
      }
    }
  } catch (e) {
    if (!served && s.caller.hungUp) {
      acd.queueLog(s.journey.id, 'QueueAbandoned', { queue: q.id, waitSec: wait(), position: acd.router.position(s.journey.id) || 1 });
      s.disposition = 'abandoned';
    }
    throw e;
  } finally {
    // A callback keeps the caller's place under a waiter of its own.
    if (acd.waiters.get(s.journey.id) === me) acd.waiters.delete(s.journey.id);
    if (!callback) acd.router.leave(s.journey.id);
    s.caller.off('event', onDigit);
    s.caller.off('event', onPlayed);
    offEmpty();
    for (const t of timers) t.cancel();
    acd.kick();
  }
}

// The agent answered: the caller leaves the queue and talks to them; the
// agent's part ends when either leaves or the call moves on (a transfer).
async function serve(s: CallSession, q: Queue, t: Taken, joinedMs: number): Promise<null> {
  const { ctx } = s;
  const acd = ctx.acd;
  acd.router.leave(s.journey.id);
  await ctx.engine.stopPlay(s.caller.chan).catch(() => {});
  const answerMs = ctx.engineMs();
  acd.queueLog(s.journey.id, 'QueueAnswered', { queue: q.id, agent: t.agent, ext: t.ext, waitSec: secs(answerMs - joinedMs) });
  s.journey.set({ agent: t.agent });
  acd.offerTaken(t.agent, { journey: s.journey.id, agentChan: t.leg.chan, callerChan: s.caller.chan });
  // A transfer under way when the agent's part ends makes it a transfer
  // (an analog agent completes an attended transfer by hanging up).
  let transferredTo: string | null = null;
  const offJournal = ctx.store.journal.subscribe((e) => {
    if (e.journey !== s.journey.id) return;
    if (e.event === 'TransferredToQueue') transferredTo = `queue:${String(e.data.queue)}`;
    else if (e.event === 'TransferStarted' || e.event === 'CallTransferred') transferredTo = `extension:${String(e.data.to)}`;
  });
  let done = false;
  acd.live.set(t.agent, { session: s, leg: t.leg });
  const complete = () => {
    if (done) return;
    done = true;
    offJournal();
    if (acd.live.get(t.agent)?.session === s) acd.live.delete(t.agent);
    const endedBy = acd.supervisedEnd.has(s.journey.id) ? 'supervisor' : s.caller.hungUp ? 'caller' : transferredTo ? 'transfer' : 'agent';
    if (endedBy === 'transfer') acd.queueLog(s.journey.id, 'QueueTransferred', { queue: q.id, agent: t.agent, to: transferredTo! });
    acd.queueLog(s.journey.id, 'QueueCallCompleted', { queue: q.id, agent: t.agent, talkSec: secs(ctx.engineMs() - answerMs), endedBy });
    acd.router.recordCall(t.agent, q.id, ctx.engineMs(), secs(ctx.engineMs() - answerMs));
    acd.callDone(t.agent, q.id);
  };
  t.leg.once('hangup', complete);
  t.leg.once('released', complete);
  s.caller.once('hangup', complete);
  const recording = q.recording;
  if (recording) s.recordingMode = recording;
  const ext = ctx.config.extension(t.ext);
  try {
    await connect(s, t.leg, ext ? { extension: ext } : {});
  } finally {
    complete();
    acd.supervisedEnd.delete(s.journey.id);
  }
  return null;
}

// Where a rule sends the caller: the queue's overflow for that rule, else the
// operator's voicemail, else busy tone.
function overflowTo(s: CallSession, q: Queue, why: Why): Destination {
  const o = q.overflow;
  const d = why === 'leaveWhenEmpty' ? o.noAgents : o[why];
  if (d) return d;
  const op = s.ctx.config.settings.operator;
  if (op && s.ctx.config.extension(op)?.voicemail.enabled) return { type: 'voicemail', box: op };
  return { type: 'busy' };
}
