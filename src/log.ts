// Structured logs: one JSON object per line, with child loggers carrying
// context (a call's journey id, a channel). Every line also goes to the
// in-memory ring of recent lines the System page reads (log-ring.ts).
import { recentLogs } from './log-ring.js';

export interface Logger {
  info(msg: string, fields?: Record<string, unknown>): void;
  warn(msg: string, fields?: Record<string, unknown>): void;
  error(msg: string, fields?: Record<string, unknown>): void;
  child(fields: Record<string, unknown>): Logger;
}

export function createLogger(base: Record<string, unknown> = {}, out: (line: string) => void = (l) => process.stdout.write(`${l}\n`), level: 'info' | 'warn' | 'silent' = 'info'): Logger {
  const emit = (lvl: string, msg: string, fields?: Record<string, unknown>) => {
    if (level === 'silent' || (level === 'warn' && lvl === 'info')) return;
    const line = JSON.stringify({ time: new Date().toISOString(), level: lvl, msg, ...base, ...fields });
    recentLogs.push(line);
    out(line);
  };
  return {
    info: (m, f) => emit('info', m, f),
    warn: (m, f) => emit('warn', m, f),
    error: (m, f) => emit('error', m, f),
    child: (f) => createLogger({ ...base, ...f }, out, level),
  };
}
