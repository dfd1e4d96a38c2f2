// Voicemail on the phone line: leaving a message (greeting, beep, record until
// # or hang-up or the length limit), listening by phone menu, the message
// lamp on analog phones, and email delivery.
import fs from 'node:fs';
import path from 'node:path';
import type { CallSession } from './session.js';
import type { CallContext } from './context.js';
import { Hangup, type Leg } from './leg.js';
import { sendVoicemailMail } from '../voicemail/mailer.js';
import { recordingClosed } from './recording.js';
import { stopRecording } from './recording.js';

export interface BoxInfo { id: string; name: string; pin: string | undefined; emails: string[]; attachAudio: boolean; lampExts: string[] }

export function mailbox(ctx: CallContext, id: string): BoxInfo | undefined {
  const ext = ctx.config.extension(id);
  if (ext) {
    if (!ext.voicemail.enabled) return undefined;
    return { id, name: ext.name, pin: ext.voicemail.pin, emails: ext.voicemail.email ? [ext.voicemail.email] : [], attachAudio: ext.voicemail.attachAudio, lampExts: [id] };
  }
  const box = ctx.config.doc('mailbox', id);
  if (!box) return undefined;
  return { id, name: box.name, pin: box.pin, emails: box.emails, attachAudio: box.attachAudio, lampExts: box.members };
}

export function greetingFile(ctx: CallContext, box: string): string | null {
  const f = path.join(ctx.dataDir, 'voicemail', box, 'greeting.wav');
  return fs.existsSync(f) ? f : null;
}

// Lights or clears the message lamp (stutter dial tone) on the box's phones.
export async function updateLamps(ctx: CallContext, box: BoxInfo): Promise<void> {
  for (const extNo of box.lampExts) {
    const ext = ctx.config.extension(extNo);
    if (ext?.port === undefined) continue;
    const boxes = [extNo, ...ctx.config.list('mailbox').filter((m) => m.members.includes(extNo)).map((m) => m.id)];
    const waiting = boxes.some((b) => ctx.store.voicemail.countNew(b) > 0);
    await ctx.engine.setMwi(ext.port, waiting).catch(() => {});
  }
}

export async function leaveVoicemail(s: CallSession, boxId: string): Promise<void> {
  const { ctx } = s;
  const box = mailbox(ctx, boxId);
  await s.answerCaller();
  if (!box) {
    s.journey.log('VoicemailUnavailable', ctx.engineMs(), { box: boxId });
    await s.caller.play([s.prompt('not_in_service')]);
    return;
  }
  s.disposition = 'voicemail';
  s.journey.tag('voicemail');
  await s.caller.play([greetingFile(ctx, boxId) ?? s.prompt('voicemail_greeting_default')], { interruptible: true });
  s.caller.clearDigits();
  await s.caller.play([s.ctx.prompt('tone:beep')]);
  // A call recorded so far (a transfer that ends here) holds the channel's recorder.
  await stopRecording(s, 'voicemail');
  const maxMs = ctx.config.settings.voicemail.maxMessageSec * 1000;
  const rec = await ctx.engine.record(s.caller.chan, { name: `vm-${boxId}-${s.journey.id}`, stereo: false });
  const closed = recordingClosed(ctx, rec.path);
  const startMs = ctx.engineMs();
  s.journey.log('VoicemailRecording', startMs, { box: boxId, recordingId: rec.recordingId });
  let hungUp = false;
  try {
    await s.caller.wait((e) => e.event === 'DtmfReceived' && e.digit === '#', maxMs);
    await ctx.engine.recordStop(s.caller.chan).catch(() => {});
  } catch (e) {
    if (!(e instanceof Hangup)) throw e;
    hungUp = true;
  }
  const durationMs = Math.max(0, ctx.engineMs() - startMs);
  if (durationMs < 1000) {
    // Nothing said: no message, no lamp, no email.
    s.journey.log('VoicemailEmpty', ctx.engineMs(), { box: boxId });
    void closed.then(() => fs.rm(rec.path, { force: true }, () => {}));
    if (hungUp) throw s.caller.hungUp!;
    return;
  }
  const id = ctx.store.voicemail.add({ box: boxId, journey: s.journey.id, caller: s.callerNumber, callerName: s.callerName, receivedAt: ctx.now().toISOString(), durationMs, path: rec.path });
  s.journey.log('VoicemailLeft', ctx.engineMs(), { box: boxId, messageId: id, durationMs });
  await updateLamps(ctx, box);
  if (box.emails.length) void emailMessage(ctx, box, id, { caller: s.callerNumber, callerName: s.callerName, durationMs, path: rec.path }, closed);
  if (hungUp) throw s.caller.hungUp!;
  await s.caller.play([s.prompt('vm_saved'), s.prompt('goodbye')]).catch(() => {});
}

async function emailMessage(ctx: CallContext, box: BoxInfo, id: number, m: { caller: string; callerName: string; durationMs: number; path: string }, closed: Promise<void>): Promise<void> {
  const smtp = ctx.config.settings.smtp;
  if (!smtp) { ctx.store.voicemail.emailed(id, 'no SMTP server is configured'); return; }
  // The engine closes the file when the recording stops; wait for it to be complete.
  await closed;
  for (const to of box.emails) {
    try {
      await sendVoicemailMail(smtp, { to, box: box.id, caller: m.caller, callerName: m.callerName, receivedAt: ctx.now(), durationMs: m.durationMs, wav: box.attachAudio ? m.path : null });
      ctx.store.voicemail.emailed(id, null);
      ctx.store.journal.append('system', 'VoicemailEmailed', { data: { box: box.id, messageId: id, to } });
    } catch (e) {
      ctx.store.voicemail.emailed(id, (e as Error).message);
      ctx.store.journal.append('system', 'VoicemailEmailFailed', { data: { box: box.id, messageId: id, to, error: (e as Error).message } });
    }
  }
}

// Listening by phone: PIN (unless it is the box's own phone), then each
// message with caller and time; 1 replay, 2 save and next, 3 delete, # quit.
export async function listenVoicemail(s: CallSession, leg: Leg, boxId: string, ownPhone: boolean): Promise<void> {
  const { ctx } = s;
  const box = mailbox(ctx, boxId);
  if (!box) { await leg.play([s.prompt('not_in_service')]); return; }
  if (!ownPhone) {
    // Another phone needs the PIN; a box without one is only heard from its own phones.
    if (!box.pin) { await leg.play([s.prompt('not_in_service')]); return; }
    for (let tries = 0; ; tries++) {
      if (tries === 3) { await leg.play([s.prompt('goodbye')]); return; }
      await leg.play([s.prompt('password')], { interruptible: true });
      const pin = await leg.collect({ max: 8, firstMs: 8000, interMs: 4000, terminator: '#' });
      if (pin === box.pin) break;
      s.journey.log('VoicemailPinRejected', ctx.engineMs(), { box: boxId });
      await leg.play([s.prompt('invalid')]);
    }
  }
  s.journey.log('VoicemailListened', ctx.engineMs(), { box: boxId });
  const messages = ctx.store.voicemail.list(boxId);
  const fresh = messages.filter((m) => m.status === 'new').length;
  const count = messages.length ? [s.prompt('vm_you_have'), ...digits(s, fresh), s.prompt('vm_new_messages')] : [s.prompt('vm_no_messages')];
  leg.clearDigits();
  await leg.play([...count, s.prompt('vm_main_menu')], { interruptible: true });
  const choice = await leg.nextDigit(8000);
  if (choice === '9') { await recordGreeting(s, leg, boxId); return; }
  if (choice === '#' || !messages.length) { await leg.play([s.prompt('goodbye')]).catch(() => {}); return; }
  for (let i = 0; i < messages.length;) {
    const m = messages[i]!;
    leg.clearDigits();
    const files = fs.existsSync(m.path) ? [m.path] : [];
    await leg.play([...files, s.prompt('vm_menu')], { interruptible: true });
    const d = await leg.nextDigit(8000);
    if (d === '1') continue;
    if (d === '3') { ctx.store.voicemail.setStatus(m.id, 'deleted'); await leg.play([s.prompt('vm_deleted')]); i++; continue; }
    if (d === '#') break;
    if (m.status === 'new') ctx.store.voicemail.setStatus(m.id, 'saved');
    if (d === null) { i++; continue; }
    if (d === '2') { await leg.play([s.prompt('vm_saved')]); i++; continue; }
    i++;
  }
  ctx.store.flush();
  await updateLamps(ctx, box);
  await leg.play([s.prompt('goodbye')]).catch(() => {});
}

function digits(s: CallSession, n: number): string[] {
  return String(n).split('').map((d) => s.prompt(`digit_${d}`));
}

// The box's own greeting, recorded from the phone: beep, speak, # to end. It
// replaces the default greeting for every later caller.
async function recordGreeting(s: CallSession, leg: Leg, boxId: string): Promise<void> {
  const { ctx } = s;
  await leg.play([s.prompt('vm_greeting_record'), ctx.prompt('tone:beep')]);
  leg.clearDigits();
  const rec = await ctx.engine.record(leg.chan, { name: `greeting-${boxId}-${s.journey.id}`, stereo: false });
  const closed = recordingClosed(ctx, rec.path);
  const start = ctx.engineMs();
  try {
    await leg.wait((e) => e.event === 'DtmfReceived' && e.digit === '#', 60_000);
    await ctx.engine.recordStop(leg.chan);
  } catch (e) {
    if (!(e instanceof Hangup)) throw e;
  }
  await closed;
  if (ctx.engineMs() - start < 1000) {
    fs.rmSync(rec.path, { force: true });
    if (!leg.hungUp) await leg.play([s.prompt('invalid')]).catch(() => {});
    return;
  }
  const dest = path.join(ctx.dataDir, 'voicemail', boxId, 'greeting.wav');
  fs.mkdirSync(path.dirname(dest), { recursive: true });
  fs.renameSync(rec.path, dest);
  ctx.store.journal.append('system', 'VoicemailGreetingRecorded', { data: { box: boxId, durationMs: ctx.engineMs() - start }, at: ctx.now() });
  if (!leg.hungUp) await leg.play([dest, s.prompt('vm_greeting_saved')]).catch(() => {});
}
