// Rebuilds a call's CDR from its journal entries alone. The live CDR row is a
// convenience for queries; the journal is the record, and reports computed
// from it must agree with the rows (tests compare the two for every call).
import type { JournalEntry } from '../store/journal.js';
import type { Cdr, Direction, Disposition } from '../store/cdr-repo.js';

export type RebuiltCdr = Omit<Cdr, 'legs'>;

export function cdrFromJournal(journey: string, entries: readonly Omit<JournalEntry, 'id'>[]): RebuiltCdr | undefined {
  let cdr: RebuiltCdr | undefined;
  const ivr: string[] = [];
  for (const e of entries) {
    if (e.journey !== journey) continue;
    const d = e.data;
    if (e.event === 'CallStarted') {
      cdr = {
        journey, direction: d.direction as Direction, caller: str(d.caller) ?? '', callerName: str(d.callerName) ?? '', callee: str(d.callee) ?? '',
        trunk: str(d.trunk) ?? null, port: num(d.port) ?? null, did: str(d.did) ?? null, startedAt: String(d.startedAt),
        answeredAt: null, endedAt: null, startMs: e.engineMs, answerMs: null, talkS: null, waitS: null,
        disposition: 'in_progress', hangupSide: null, hangupCause: null, route: str(d.route) ?? null, ivrPath: null,
        queue: str(d.queue) ?? null, agent: null, extension: str(d.extension) ?? null, recordings: [], tags: [],
      };
      continue;
    }
    if (!cdr) continue;
    const at = (ms: number | null) => new Date(Date.parse(cdr!.startedAt) + ((ms ?? 0) - (cdr!.startMs ?? 0))).toISOString();
    switch (e.event) {
      case 'CallerIdentified': cdr.caller = str(d.number) ?? ''; cdr.callerName = str(d.name) ?? ''; break;
      case 'RouteChosen': cdr.route = str(d.route) ?? null; break;
      case 'OutboundRouteChosen': cdr.route = str(d.route) ?? null; cdr.callee = str(d.number) ?? cdr.callee; break;
      case 'IvrExited': ivr.push(...((d.path as string[]) ?? [])); cdr.ivrPath = ivr.join(' '); break;
      case 'TrunkConnected': if (d.primary !== false) { cdr.trunk = str(d.trunk) ?? null; cdr.port = num(d.chan) ?? null; } break;
      case 'ExtensionTargeted': cdr.extension = str(d.ext) ?? null; cdr.callee = str(d.ext) ?? cdr.callee; break;
      case 'CallAnswered':
        if (cdr.answerMs === null) {
          cdr.answerMs = e.engineMs;
          cdr.answeredAt = at(e.engineMs);
          cdr.waitS = secs((e.engineMs ?? 0) - (cdr.startMs ?? 0));
        }
        if ('extension' in d) cdr.extension = str(d.extension) ?? null;
        if (str(d.agent) !== undefined) cdr.agent = str(d.agent)!;
        if (str(d.callee) !== undefined) cdr.callee = str(d.callee)!;
        break;
      case 'QueueJoined': cdr.queue = str(d.queue) ?? cdr.queue; break;
      case 'QueueAnswered': cdr.agent = str(d.agent) ?? cdr.agent; break;
      case 'CallTransferred': cdr.extension = str(d.to) ?? cdr.extension; break;
      case 'RecordingStarted': if (num(d.recordingId) !== undefined) cdr.recordings.push(num(d.recordingId)!); break;
      case 'CallTagged': if (str(d.tag) && !cdr.tags.includes(str(d.tag)!)) cdr.tags.push(str(d.tag)!); break;
      case 'CallEnded':
        cdr.disposition = d.disposition as Disposition;
        cdr.hangupSide = str(d.side) ?? null;
        cdr.hangupCause = str(d.cause) ?? null;
        cdr.endedAt = at(e.engineMs);
        cdr.talkS = cdr.answerMs !== null ? secs((e.engineMs ?? 0) - cdr.answerMs) : 0;
        cdr.waitS = cdr.answerMs !== null ? secs(cdr.answerMs - (cdr.startMs ?? 0)) : secs((e.engineMs ?? 0) - (cdr.startMs ?? 0));
        break;
      case 'CallInterrupted':
        cdr.disposition = 'interrupted';
        cdr.hangupSide = 'system';
        cdr.hangupCause = 'supervisor-restart';
        cdr.endedAt = e.at;
        break;
    }
  }
  return cdr;
}

function str(v: unknown): string | undefined { return typeof v === 'string' ? v : undefined; }
function num(v: unknown): number | undefined { return typeof v === 'number' ? v : undefined; }
function secs(ms: number): number { return Math.max(0, Math.round(ms / 1000)); }
