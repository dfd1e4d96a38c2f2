/**
 * Parser for DAHDI's per-span /proc/dahdi/<N> files, as dahdi-base.c
 * (dahdi_seq_show) writes them:
 *
 *   Span 2: WCT1/0 "Wildcard TE122 Card 0" (MASTER) HDB3/CCS/CRC4 RED ClockSource
 *   <blank or "\tBPV count: 3" counter lines>
 *   \t   5 WCT1/0/1 CAS (In use) RED (EC: VPMADT032 - ACTIVE)
 *
 * A channel with no signalling configured prints nothing after its name, and
 * one whose port has no module prints "Reserved". The parser never throws: it
 * returns what it could read and a list of problems with file:line positions.
 */
import type { ChannelKind } from './profile.js';

export type DetectedKind = ChannelKind | 'none' | 'unknown';

export interface ProcChannel {
  channo: number;
  /** Position within the span, 1-based (counted in file order). */
  chanpos: number;
  name: string;
  /** As /proc prints it ("FXSKS", "Hardware-assisted HDLC"); null when unconfigured. */
  signalling: string | null;
  reserved: boolean;
  inUse: boolean;
  alarms: string[];
  echoCanceller: string | null;
}

export interface ProcSpan {
  span: number;
  name: string;
  description: string;
  master: boolean;
  lineConfig: string[];
  alarms: string[];
  channels: ProcChannel[];
}

export interface ProcProblem {
  level: 'error' | 'warning';
  path: string;
  message: string;
}

/** sigstr() names in dahdi-base.c, longest first so prefixes don't shadow. */
const SIGNALLING = [
  'Hardware-assisted HDLC', 'SF (ToneOnly)', 'Unconfigured', 'DACS+RBS', 'E&M-E1', 'HDLCRAW', 'HDLCFCS',
  'HDLCNET', 'FXSLS', 'FXSKS', 'FXSGS', 'FXOLS', 'FXOKS', 'FXOGS', 'Clear', 'Slave', 'MTP2', 'DACS', 'E&M',
  'CAS',
];
const ALARMS = new Set(['BLUE', 'YELLOW', 'RED', 'LOOP', 'RECOVERING', 'NOTOPEN']);
const LINECONFIG = new Set(['B8ZS', 'AMI', 'HDB3', 'ESF', 'D4', 'CCS', 'CRC4']);

/** Our port kind for a /proc signalling name. FXS signalling runs on our FXO
 * ports and FXO signalling on our FXS ports (DAHDI names the far end). */
export function kindOfSignalling(sig: string | null): DetectedKind {
  if (sig === null || sig === 'Unconfigured') return 'unknown';
  if (sig.startsWith('FXS')) return 'FXO';
  if (sig.startsWith('FXO')) return 'FXS';
  if (sig === 'CAS' || sig === 'Clear' || sig === 'E&M' || sig === 'E&M-E1') return 'E1';
  if (sig.startsWith('HDLC') || sig === 'Hardware-assisted HDLC' || sig === 'MTP2') return 'DCHAN';
  return 'none';
}

/** Our kind from a sysfs `sigcap` list ("FXSLS FXSKS SF (ToneOnly) Clear"):
 * what the port could do tells which module sits in it before dahdi_cfg ran. */
export function kindOfSigcap(sigcap: string): DetectedKind {
  if (/\bFXS[LKG]S\b/.test(sigcap)) return 'FXO';
  if (/\bFXO[LKG]S\b/.test(sigcap)) return 'FXS';
  if (/\bCAS\b/.test(sigcap)) return 'E1';
  if (sigcap.trim() === '') return 'none';
  return 'unknown';
}

const HEADER = /^Span (\d+): (\S+) "(.*)"(.*)$/;
const COUNTER = /^\s+[A-Za-z][A-Za-z0-9 -]*: -?\d+\s*$/;
const CHANNEL = /^\s*(\d+) (\S+)(?: (.*))?$/;

export function parseProcSpan(text: string, path: string): { span: ProcSpan | null; problems: ProcProblem[] } {
  const problems: ProcProblem[] = [];
  const lines = text.split('\n');
  const head = lines[0] ?? '';
  const m = HEADER.exec(head.trimEnd());
  if (!m) {
    problems.push({
      level: 'error',
      path,
      message: `${path}:1: not a DAHDI span header (expected 'Span N: NAME "desc"'), got ${JSON.stringify(head.slice(0, 80))}`,
    });
    return { span: null, problems };
  }
  const span: ProcSpan = {
    span: Number(m[1]),
    name: m[2] ?? '',
    description: m[3] ?? '',
    master: false,
    lineConfig: [],
    alarms: [],
    channels: [],
  };
  for (const tok of (m[4] ?? '').trim().split(/\s+/).filter(Boolean)) {
    if (tok === '(MASTER)') span.master = true;
    else if (tok === 'ClockSource') continue;
    else if (ALARMS.has(tok)) span.alarms.push(tok);
    else if (tok.split('/').every((t) => LINECONFIG.has(t))) span.lineConfig.push(...tok.split('/'));
    else problems.push({ level: 'warning', path, message: `${path}:1: unknown span flag ${JSON.stringify(tok)}` });
  }

  for (let i = 1; i < lines.length; i++) {
    const line = lines[i] ?? '';
    if (line.trim() === '' || COUNTER.test(line)) continue;
    const c = CHANNEL.exec(line.trimEnd());
    if (!c) {
      problems.push({ level: 'warning', path, message: `${path}:${i + 1}: unreadable channel line ${JSON.stringify(line.slice(0, 80))}` });
      continue;
    }
    const ch = parseChannelRest(c[3] ?? '', path, i + 1, problems);
    span.channels.push({ channo: Number(c[1]), chanpos: span.channels.length + 1, name: c[2] ?? '', ...ch });
  }
  if (span.channels.length === 0)
    problems.push({ level: 'warning', path, message: `${path}: span ${span.span} lists no channels` });
  return { span, problems };
}

function parseChannelRest(rest: string, path: string, lineNo: number, problems: ProcProblem[]) {
  let r = rest;
  let echoCanceller: string | null = null;
  const ec = /\(EC: (\S+) - [A-Z]+\)/.exec(r);
  if (ec) {
    echoCanceller = ec[1] ?? null;
    r = r.replace(ec[0], ' ');
  }
  const inUse = r.includes('(In use)');
  r = r.replace('(In use)', ' ').replace('(no pcm)', ' ');
  let signalling: string | null = null;
  let reserved = false;
  r = r.trim();
  if (r.startsWith('Reserved')) {
    reserved = true;
    r = r.slice('Reserved'.length);
  } else {
    const sig = SIGNALLING.find((s) => r === s || r.startsWith(s + ' '));
    if (sig) {
      signalling = sig;
      r = r.slice(sig.length);
    }
  }
  const alarms: string[] = [];
  for (const tok of r.trim().split(/\s+/).filter(Boolean)) {
    if (ALARMS.has(tok)) alarms.push(tok);
    else if (tok !== 'Master')
      problems.push({ level: 'warning', path, message: `${path}:${lineNo}: unknown channel field ${JSON.stringify(tok)}` });
  }
  return { signalling, reserved, inUse, alarms, echoCanceller };
}
