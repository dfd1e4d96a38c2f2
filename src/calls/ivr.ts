// Runs an IVR for a caller: the menu machine (src/ivr) decides, this plays its
// prompts on the caller's channel, feeds it digits, prompt ends and engine-time
// timers, and returns where the caller chose to go.
import type { CallSession } from './session.js';
import { MenuMachine, type Action, type ExtensionMatch } from '../ivr/menu-machine.js';
import type { ExitDestination, IvrDefinition } from '../ivr/definition.js';
import type { Timer } from './timers.js';
import type { EngineEvent } from '../telephony/protocol.js';

export function extensionMatcher(s: CallSession): (digits: string) => ExtensionMatch {
  return (digits) => {
    const exts = s.ctx.config.extensions().map((e) => e.ext);
    if (exts.includes(digits)) return exts.some((e) => e !== digits && e.startsWith(digits)) ? 'prefix' : 'yes';
    return exts.some((e) => e.startsWith(digits)) ? 'prefix' : 'no';
  };
}

export async function runIvr(s: CallSession, ivr: IvrDefinition): Promise<ExitDestination> {
  await s.answerCaller();
  s.selfService = true;
  const leg = s.caller;
  const lang = ivr.language;
  const machine = new MenuMachine(ivr, { isExtension: extensionMatcher(s) });
  s.journey.log('IvrStarted', s.ctx.engineMs(), { ivr: ivr.id });
  let timer: Timer | null = null;
  let timerFired = false;
  let playback: { machineId: number; engineId: number } | null = null;
  leg.clearDigits();
  // Events are taken in order from here on: a key pressed while a command is
  // on its way to the engine is not lost.
  let cursor = leg.mark();

  const apply = async (actions: Action[]): Promise<ExitDestination | null> => {
    for (const a of actions) {
      switch (a.type) {
        case 'play': {
          const files = a.prompts.map((p) => s.ctx.prompt(p, lang));
          const engineId = await s.ctx.engine.play(leg.chan, files);
          playback = { machineId: a.id, engineId };
          break;
        }
        case 'stopPlay':
          playback = null;
          await s.ctx.engine.stopPlay(leg.chan).catch(() => {});
          break;
        case 'startTimer':
          timer?.cancel();
          timerFired = false;
          timer = s.ctx.timers.after(a.ms);
          void timer.promise.then(() => { timerFired = true; leg.onEvent({ event: 'IvrTimer', seq: 0, time: s.ctx.engineMs() }); });
          break;
        case 'cancelTimer':
          timer?.cancel();
          timer = null;
          break;
        case 'exit':
          timer?.cancel();
          s.journey.addIvrStep(...a.path);
          s.journey.log('IvrExited', s.ctx.engineMs(), { ivr: ivr.id, path: a.path, to: a.destination });
          return a.destination;
      }
    }
    return null;
  };

  let exit = await apply(machine.start());
  while (!exit) {
    if (timerFired) {
      timerFired = false;
      exit = await apply(machine.onTimer());
      continue;
    }
    const e: EngineEvent | null = await leg.wait((x) =>
      x.event === 'DtmfReceived' || x.event === 'PulseDigitReceived' || x.event === 'IvrTimer'
      || (x.event === 'PlaybackFinished' && playback !== null && x.playbackId === playback.engineId), undefined, cursor);
    if (!e) continue;
    if (e.seq > 0) cursor = e.seq;
    if (e.event === 'IvrTimer') {
      if (!timerFired) continue;
      timerFired = false;
      exit = await apply(machine.onTimer());
    } else if (e.event === 'PlaybackFinished') {
      const p = playback!;
      playback = null;
      if (e.reason === 'done') exit = await apply(machine.onPromptFinished(p.machineId));
    } else {
      leg.clearDigits();
      exit = await apply(machine.onDigit(String(e.digit)));
    }
  }
  return exit;
}
