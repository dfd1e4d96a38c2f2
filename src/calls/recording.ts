// Recording policy: always / never / on demand, decided by the most specific
// setting that speaks (extension, then queue, then route, then trunk). A call
// is recorded on the caller's channel in stereo (caller left, our side right),
// so the file follows the journey through transfers; *8 starts and stops an
// on-demand recording, *9 pauses it while sensitive data is spoken.
import type { CallSession } from './session.js';
import type { Leg } from './leg.js';
import type { CallContext } from './context.js';
import type { EngineEvent } from '../telephony/protocol.js';
import { diskLow } from '../housekeeping/housekeeping.js';

export type RecordingMode = 'always' | 'never' | 'on-demand';

export function decideRecording(...modes: (RecordingMode | undefined)[]): RecordingMode {
  for (const m of modes) if (m) return m;
  return 'on-demand';
}

export async function startRecording(s: CallSession, leg: Leg, why: 'policy' | 'on-demand'): Promise<boolean> {
  if (s.recording || s.recordingMode === 'never') return false;
  if (diskLow(s.ctx)) {
    s.journey.log('RecordingSkipped', s.ctx.engineMs(), { why: 'low disk', minFreeMb: s.ctx.config.settings.storage.minFreeMb });
    return false;
  }
  const n = s.journey.legChannels.length;
  try {
    const r = await s.ctx.engine.record(leg.chan, { name: `${s.journey.id}-${leg.chan}-${Date.now() % 100000}-${n}`, stereo: s.ctx.config.settings.recordStereo });
    // The recordings table's id is the public one (CDR, API, downloads); the
    // engine's number is kept in the journal only.
    const id = s.ctx.store.recordings.start({ journey: s.journey.id, path: r.path, channel: leg.chan, stereo: s.ctx.config.settings.recordStereo, at: s.ctx.now() });
    s.recording = { chan: leg.chan, path: r.path, id, paused: false };
    s.journey.addRecording(id);
    s.journey.log('RecordingStarted', s.ctx.engineMs(), { recordingId: id, engineRecordingId: r.recordingId, path: r.path, why });
    return true;
  } catch (e) {
    s.journey.log('RecordingFailed', s.ctx.engineMs(), { error: (e as Error).message });
    return false;
  }
}

export async function stopRecording(s: CallSession, why: string): Promise<void> {
  if (!s.recording) return;
  const id = s.recording.id;
  await s.stopRecording();
  s.journey.log('RecordingStopped', s.ctx.engineMs(), { recordingId: id, why });
}

export async function toggleRecording(s: CallSession, leg: Leg): Promise<void> {
  if (s.recording) { await stopRecording(s, 'on-demand'); return; }
  if (s.recordingMode === 'never') { s.journey.log('RecordingRefused', s.ctx.engineMs(), { why: 'policy is never' }); return; }
  await startRecording(s, leg, 'on-demand');
}

export async function togglePause(s: CallSession): Promise<void> {
  if (!s.recording) return;
  s.recording.paused = !s.recording.paused;
  if (s.recording.paused) await s.ctx.engine.recordPause(s.recording.chan);
  else await s.ctx.engine.recordResume(s.recording.chan);
  s.journey.log(s.recording.paused ? 'RecordingPaused' : 'RecordingResumed', s.ctx.engineMs(), { recordingId: s.recording.id });
}

// Resolves once the engine has closed (and synced) the recording file at
// `path`, or after timeoutMs as a safety net. Call it right after the record
// command, before anything can stop the recording, so the event is not missed.
export function recordingClosed(ctx: CallContext, path: string, timeoutMs = 5000): Promise<void> {
  return new Promise((resolve) => {
    const on = (e: EngineEvent) => { if (e.event === 'RecordingFinished' && e.path === path) done(); };
    const timer = setTimeout(done, timeoutMs);
    function done(): void { clearTimeout(timer); ctx.engine.off('event', on); resolve(); }
    ctx.engine.on('event', on);
  });
}
