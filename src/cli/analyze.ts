// `hotline analyze FILE [--json]`: what a recording holds (DTMF, caller ID,
// China call-progress tones), from the native analyzer (hl_analyze_file).
// --json prints the analyzer's JSON unchanged; otherwise a summary for a
// terminal. Caller ID comes from the line, so every string from it is made
// safe for the terminal before it is printed.
import { stat } from 'node:fs/promises';

export interface AnalyzeAddon {
  analyzeFile(path: string): string;
}

interface DtmfEvent { digit: string; startMs: number; endMs: number }
interface CallerIdEvent { standard: string; number: string; name: string | null; datetime: string | null }
interface ToneEvent { tone: string; zone: string; onMs: number; offMs: number }
interface Analysis { dtmf: DtmfEvent[]; callerId: CallerIdEvent[]; tones: ToneEvent[] }

export interface AnalyzeIo {
  out: (text: string) => void;
  err: (text: string) => void;
}

const defaultIo: AnalyzeIo = {
  out: (t) => { process.stdout.write(t); },
  err: (t) => { process.stderr.write(t); },
};

const USAGE = 'usage: hotline analyze FILE [--json]\n';

/** C0/C1 controls, DEL and bidi overrides would let a caller's name move the
 * cursor, recolour or reorder the terminal: show them as \u escapes. */
export function terminalSafe(s: string): string {
  return s.replace(/[\u0000-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/gu,
    (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

function seconds(ms: number): string {
  return (ms / 1000).toFixed(3);
}

function formatDatetime(dt: string): string {
  // MMDDHHMM, as sent by the exchange (no year)
  return `${dt.slice(0, 2)}-${dt.slice(2, 4)} ${dt.slice(4, 6)}:${dt.slice(6, 8)}`;
}

function numberText(n: string): string {
  if (n === 'P') return 'withheld (P)';
  if (n === 'O') return 'unavailable (O)';
  return n === '' ? '(none)' : terminalSafe(n);
}

export function formatSummary(a: Analysis): string {
  const lines: string[] = [];
  if (a.dtmf.length === 0) {
    lines.push('DTMF: none');
  } else {
    lines.push(`DTMF: ${terminalSafe(a.dtmf.map((d) => d.digit).join(''))} (${a.dtmf.length} digit${a.dtmf.length === 1 ? '' : 's'})`);
    for (const d of a.dtmf) {
      lines.push(`  ${terminalSafe(d.digit)}  ${seconds(d.startMs)}-${seconds(d.endMs)} s  (${d.endMs - d.startMs} ms)`);
    }
  }
  if (a.callerId.length === 0) {
    lines.push('Caller ID: none');
  } else {
    lines.push('Caller ID:');
    for (const c of a.callerId) {
      const parts = [`  ${terminalSafe(c.standard).padEnd(7)}  number ${numberText(c.number)}`];
      if (c.name !== null) parts.push(`name "${terminalSafe(c.name)}"`);
      if (c.datetime !== null) parts.push(`date ${terminalSafe(formatDatetime(c.datetime))}`);
      lines.push(parts.join('  '));
    }
  }
  if (a.tones.length === 0) {
    lines.push('Tones: none');
  } else {
    lines.push('Tones:');
    for (const t of a.tones) {
      const cadence = t.offMs > 0 ? `on ${t.onMs} ms / off ${t.offMs} ms` : `continuous (${t.onMs} ms heard before recognised)`;
      lines.push(`  ${terminalSafe(t.tone).padEnd(10)} (${terminalSafe(t.zone)})  ${cadence}`);
    }
  }
  return lines.join('\n') + '\n';
}

function isAnalysis(v: unknown): v is Analysis {
  if (typeof v !== 'object' || v === null) return false;
  const o = v as Record<string, unknown>;
  return Array.isArray(o['dtmf']) && Array.isArray(o['callerId']) && Array.isArray(o['tones']);
}

function message(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}

/** Exit codes: 0 done, 2 usage error or the file could not be analyzed. */
export async function analyzeCommand(args: string[], addon: AnalyzeAddon, io: AnalyzeIo = defaultIo): Promise<number> {
  let json = false;
  const files: string[] = [];
  for (const a of args) {
    if (a === '--json') json = true;
    else if (a === '-h' || a === '--help') { io.out(USAGE); return 0; }
    else if (a.startsWith('-') && a !== '-') { io.err(`hotline analyze: unknown option ${terminalSafe(a)}\n${USAGE}`); return 2; }
    else files.push(a);
  }
  if (files.length !== 1) {
    io.err(`hotline analyze: ${files.length === 0 ? 'no file given' : 'one file at a time'}\n${USAGE}`);
    return 2;
  }
  const file = files[0] as string;
  const shown = terminalSafe(file);
  try {
    const st = await stat(file);
    if (!st.isFile()) { io.err(`hotline analyze: ${shown}: not a regular file\n`); return 2; }
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    io.err(`hotline analyze: ${shown}: ${code === 'ENOENT' ? 'no such file' : terminalSafe(message(e))}\n`);
    return 2;
  }
  let text: string;
  try {
    text = addon.analyzeFile(file);
  } catch (e) {
    io.err(`hotline analyze: ${shown}: ${terminalSafe(message(e))}\n`);
    return 2;
  }
  if (json) {
    io.out(text.endsWith('\n') ? text : text + '\n');
    return 0;
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (e) {
    io.err(`hotline analyze: ${shown}: analyzer output is not JSON (${terminalSafe(message(e))})\n`);
    return 2;
  }
  if (!isAnalysis(parsed)) {
    io.err(`hotline analyze: ${shown}: analyzer output has an unexpected shape\n`);
    return 2;
  }
  io.out(`${shown}\n${formatSummary(parsed)}`);
  return 0;
}
