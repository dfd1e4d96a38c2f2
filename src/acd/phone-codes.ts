// The ACD's feature codes on an analog phone: agent login, logout, pause
// with a reason, ready; and a supervisor phone listening, whispering or
// barging into an agent's call.
import type { CallContext } from '../calls/context.js';
import { Leg } from '../calls/leg.js';
import type { Extension } from '../config/schemas.js';
import { AcdError } from './acd.js';
import type { EngineEvent } from '../telephony/protocol.js';

type AgentCode = 'agentLogin' | 'agentLogout' | 'agentPause' | 'agentReady';
type TapMode = 'listen' | 'whisper' | 'barge';
type Permission = TapMode | 'intercept';

export async function agentCode(ctx: CallContext, leg: Leg, ext: Extension, name: AgentCode, arg: string): Promise<void> {
  const acd = ctx.acd;
  const say = (p: string) => leg.play([ctx.prompt(p, ext.language)]).catch(() => 'done' as const);
  // The agent at this phone: logged in here, else configured on this extension.
  const here = [...acd.agents.values()].find((a) => a.state !== 'logged-out' && a.ext === ext.ext)
    ?? [...acd.agents.values()].find((a) => acd.agentConfig(a.id)?.ext === ext.ext);
  try {
    switch (name) {
      case 'agentLogin': {
        const [id, pin] = arg ? arg.split('*') : [here?.id];
        const cfg = id ? acd.agentConfig(id) : undefined;
        if (!cfg) { await say('invalid'); return; }
        // Logging in at another agent's phone needs the agent's PIN when one is set.
        if (cfg.pin && cfg.pin !== pin && cfg.ext !== ext.ext) { await say('invalid'); return; }
        if (cfg.pin && pin !== undefined && cfg.pin !== pin) { await say('invalid'); return; }
        acd.login(cfg.id, 'phone', { ext: ext.ext });
        await say('agent_logged_in');
        return;
      }
      case 'agentLogout':
        if (!here || here.state === 'logged-out') { await say('invalid'); return; }
        acd.logout(here.id, 'phone');
        await say('agent_logged_out');
        return;
      case 'agentPause': {
        if (!here || here.state === 'logged-out') { await say('invalid'); return; }
        const reasons = ctx.config.settings.acd.pauseReasons;
        const reason = arg ? reasons[arg] : 'break';
        if (!reason) { await say('invalid'); return; }
        acd.pause(here.id, reason, 'phone');
        await say('agent_paused');
        return;
      }
      case 'agentReady':
        if (!here || here.state === 'logged-out') { await say('invalid'); return; }
        acd.resume(here.id, 'phone');
        await say('agent_ready');
        return;
    }
  } catch (e) {
    if (!(e instanceof AcdError)) throw e;
    ctx.log.warn('agent code refused', { ext: ext.ext, code: name, error: e.message });
    await say('invalid');
  }
}

// Whether this phone may monitor that agent in this way.
export function maySupervise(ctx: CallContext, supervisorExt: string, agent: string, mode: Permission): boolean {
  const sup = ctx.config.settings.acd.supervisors.find((x) => x.ext === supervisorExt);
  if (!sup || !sup.may.includes(mode)) return false;
  if (!sup.queues.length) return true;
  return ctx.acd.queuesOf(agent).some((q) => sup.queues.includes(q));
}

// A supervisor's phone taps the agent's channel until either hangs up; keys
// 4, 5 and 6 switch between listen, whisper and barge (each allowed mode),
// and 7 takes the caller over from the agent.
// `by`: a panel user who asked for this (their role was checked by the API),
// in place of the phone's own permission.
export async function superviseFromPhone(ctx: CallContext, leg: Leg, ext: Extension, mode: TapMode, agent: string, opts: { by?: string } = {}): Promise<void> {
  const acd = ctx.acd;
  const say = (p: string) => leg.play([ctx.prompt(p, ext.language)]).catch(() => 'done' as const);
  const a = acd.agents.get(agent);
  const allowed = (m: Permission) => (opts.by ? true : maySupervise(ctx, ext.ext, agent, m));
  if (!a || !allowed(mode)) {
    ctx.store.journal.append('agent', 'SupervisionRefused', { data: { agent, mode, by: ext.ext }, at: ctx.now(), engineMs: ctx.engineMs() });
    await say('invalid');
    return;
  }
  if (!a.call) { await say('invalid'); return; }
  const call = a.call;
  const log = (m: TapMode | 'stop') => acd.supervised(agent, m, opts.by ?? `ext:${ext.ext}`, call.journey);
  await ctx.engine.tap(leg.chan, call.agentChan, mode);
  log(mode);
  let current = mode;
  const keys: Record<string, TapMode> = { 4: 'listen', 5: 'whisper', 6: 'barge' };
  let tookOver!: () => void;
  const takeOver = new Promise<void>((r) => { tookOver = r; });
  const onKey = (e: EngineEvent) => {
    if (e.event !== 'DtmfReceived') return;
    if (String(e.digit) === '7' && allowed('intercept')) { tookOver(); return; }
    const m = keys[String(e.digit)];
    if (!m || m === current || !allowed(m)) return;
    current = m;
    void ctx.engine.tap(leg.chan, call.agentChan, m).then(() => log(m), () => {});
  };
  leg.on('event', onKey);
  let intercept = false;
  try {
    // Ends when the supervisor hangs up (Hangup thrown), the agent's call
    // ends, or the supervisor takes the call over.
    await new Promise<void>((resolve, reject) => {
      const check = (id: string) => { if (id === agent && a.call?.journey !== call.journey) { acd.off('agent', check); resolve(); } };
      acd.on('agent', check);
      void takeOver.then(() => { acd.off('agent', check); intercept = true; resolve(); });
      leg.gone().catch((err) => { acd.off('agent', check); reject(err); });
    });
  } finally {
    leg.off('event', onKey);
    await ctx.engine.untap(leg.chan).catch(() => {});
    if (!intercept) log('stop');
  }
  if (intercept) await takeOverCall(ctx, leg, ext, agent, say, opts.by);
}

// Monitoring asked for from the panel: the box rings the supervisor's phone
// (caller ID "Monitor <agent>") and taps the agent's call once it is
// answered. Resolves once the phone rings; the tap runs on its own.
export async function monitorByPhone(ctx: CallContext, extNo: string, agent: string, mode: TapMode, by: string): Promise<void> {
  const ext = ctx.config.extension(extNo);
  if (!ext || ext.port === undefined) throw new AcdError('bad_extension', `extension ${extNo} has no phone to ring`);
  const a = ctx.acd.agents.get(agent);
  if (!a) throw new AcdError('not_found', `agent ${agent} does not exist`);
  if (!a.call) throw new AcdError('wrong_state', `agent ${agent} is not in a call`);
  const port = ext.port;
  const leg = new Leg(port, 'fxs', ctx.engine, ctx.timers);
  if (!ctx.ports.isFree(port) || !ctx.ports.claim(port, leg)) throw new AcdError('busy', `phone ${extNo} is busy`);
  const since = leg.mark();
  try {
    await ctx.engine.ring(port, { number: agent, name: `Monitor ${agent}`, callerId: 'bell202' });
  } catch (e) {
    await leg.release();
    throw new AcdError('busy', `phone ${extNo} cannot ring: ${(e as Error).message}`);
  }
  void (async () => {
    try {
      const answered = await leg.wait((e) => e.event === 'ChannelAnswered', 30_000, since);
      if (answered) await superviseFromPhone(ctx, leg, ext, mode, agent, { by });
    } catch { /* the supervisor hung up or never answered */ } finally {
      await ctx.engine.stopRing(port).catch(() => {});
      if (!leg.handedOver) await leg.release();
    }
  })();
}

// `*44<agent>#`: the supervisor's phone takes the agent's caller over.
export async function interceptFromPhone(ctx: CallContext, leg: Leg, ext: Extension, agent: string): Promise<void> {
  const say = (p: string) => leg.play([ctx.prompt(p, ext.language)]).catch(() => 'done' as const);
  if (!ctx.acd.agents.has(agent) || !maySupervise(ctx, ext.ext, agent, 'intercept')) {
    ctx.store.journal.append('agent', 'SupervisionRefused', { data: { agent, mode: 'intercept', by: ext.ext }, at: ctx.now(), engineMs: ctx.engineMs() });
    await say('invalid');
    return;
  }
  await takeOverCall(ctx, leg, ext, agent, say);
}

async function takeOverCall(ctx: CallContext, leg: Leg, ext: Extension, agent: string, say: (p: string) => Promise<unknown>, by?: string): Promise<void> {
  try {
    await ctx.acd.intercept(agent, leg, by ?? `ext:${ext.ext}`);
    // The caller's call owns this phone's leg now.
    leg.handedOver = true;
  } catch (e) {
    if (!(e instanceof AcdError)) throw e;
    await say('invalid');
  }
}
