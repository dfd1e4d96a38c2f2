// The recent log lines the System page shows: a bounded ring of the
// supervisor's structured lines, newest kept, oldest dropped. Every logger
// made by createLogger feeds it (one per process, as stdout is), so the page
// works on a box that logs to the journal and keeps no file of its own.
export interface LogLine { seq: number; time: string; level: string; msg: string; fields: Record<string, unknown> }

export class LogRing {
  private lines: LogLine[] = [];
  private next = 1;
  constructor(readonly capacity = 2000) {}

  push(line: string): void {
    let o: Record<string, unknown>;
    try { o = JSON.parse(line) as Record<string, unknown>; } catch { o = { msg: line }; }
    const { time, level, msg, ...fields } = o;
    this.lines.push({ seq: this.next++, time: String(time ?? new Date().toISOString()), level: String(level ?? 'info'), msg: String(msg ?? ''), fields });
    if (this.lines.length > this.capacity) this.lines.splice(0, this.lines.length - this.capacity);
  }

  // Newest first; level is the lowest level shown (warn: warn and error).
  query(q: { level?: 'info' | 'warn' | 'error'; text?: string; limit?: number } = {}): { lines: LogLine[]; total: number; capacity: number } {
    const rank = { info: 0, warn: 1, error: 2 } as Record<string, number>;
    const min = rank[q.level ?? 'info'] ?? 0;
    const text = q.text?.toLowerCase();
    const out: LogLine[] = [];
    for (let i = this.lines.length - 1; i >= 0 && out.length < (q.limit ?? 500); i--) {
      const l = this.lines[i]!;
      if ((rank[l.level] ?? 0) < min) continue;
      if (text && !`${l.msg} ${JSON.stringify(l.fields)}`.toLowerCase().includes(text)) continue;
      out.push(l);
    }
    return { lines: out, total: this.lines.length, capacity: this.capacity };
  }
}

export const recentLogs = new LogRing();
