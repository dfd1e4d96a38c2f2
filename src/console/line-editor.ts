// Line input for a terminal we know nothing about (a field tech's laptop on a
// serial cable): bytes in, echo out, whole lines as events. Backspace erases
// with "\b \b", which every terminal understands; Ctrl-C drops the line,
// Ctrl-D on an empty line means "log out", Ctrl-U erases the line. Escape
// sequences from arrow and function keys are swallowed, never echoed, and no
// other control character reaches the line.
import { StringDecoder } from 'node:string_decoder';

export type EditorEvent = { type: 'line'; text: string } | { type: 'cancel' } | { type: 'eof' };

export const MAX_LINE = 4096;
const MAX_PENDING = 65536;

export class LineEditor {
  private buf: string[] = [];
  private decoder = new StringDecoder('utf8');
  private esc: 'none' | 'esc' | 'csi' | 'ss3' = 'none';
  private lastCr = false;
  // Echo typed characters (off for passwords: nothing is shown, not even stars).
  echo = true;

  constructor(private write: (s: string) => void) {}

  get text(): string { return this.buf.join(''); }

  // Feeds received bytes and works through them up to the first line end,
  // Ctrl-C or Ctrl-D, which it returns; the rest waits for the next call
  // (feed('')), so the caller can turn echo off for a password typed ahead.
  feed(data: Buffer | string): EditorEvent | undefined {
    const text = typeof data === 'string' ? data : this.decoder.write(data);
    // A flood (a cat of a file, a line-noise storm) is cut, not queued without end.
    if (this.pending.length < MAX_PENDING) this.pending.push(...text.slice(0, MAX_PENDING - this.pending.length));
    while (this.pending.length) {
      const ev = this.char(this.pending.shift()!);
      if (ev) return ev;
    }
    return undefined;
  }

  // Every event the input completes, echo unchanged (tests, tools).
  feedAll(data: Buffer | string): EditorEvent[] {
    const out: EditorEvent[] = [];
    for (let ev = this.feed(data); ev; ev = this.feed('')) out.push(ev);
    return out;
  }

  private pending: string[] = [];

  private char(ch: string): EditorEvent | undefined {
    {
      const c = ch.codePointAt(0)!;
      const wasCr = this.lastCr;
      this.lastCr = false;
      if (this.esc !== 'none') { this.escape(ch, c); return undefined; }
      if (c === 0x0d || c === 0x0a) {
        if (c === 0x0a && wasCr) return undefined;   // CR LF is one Enter
        this.lastCr = c === 0x0d;
        const text = this.text;
        this.buf = [];
        this.write('\r\n');
        return { type: 'line', text };
      } else if (c === 0x7f || c === 0x08) {
        const gone = this.buf.pop();
        if (gone !== undefined && this.echo) this.write(erase(gone));
      } else if (c === 0x03) {
        this.buf = [];
        this.write('^C\r\n');
        return { type: 'cancel' };
      } else if (c === 0x04) {
        if (this.buf.length === 0) return { type: 'eof' };
      } else if (c === 0x15) {
        if (this.echo) this.write(this.buf.map(erase).join(''));
        this.buf = [];
      } else if (c === 0x1b) {
        this.esc = 'esc';
      } else if (c < 0x20 || (c >= 0x80 && c < 0xa0)) {
        // tab and the other controls: not part of a command line
      } else if (this.buf.length < MAX_LINE) {
        this.buf.push(ch);
        if (this.echo) this.write(ch);
      }
    }
    return undefined;
  }

  // Forgets a half-typed line (at a new prompt).
  reset(): void { this.buf = []; this.esc = 'none'; }

  private escape(ch: string, c: number): void {
    if (this.esc === 'esc') this.esc = ch === '[' ? 'csi' : ch === 'O' ? 'ss3' : 'none';
    else if (this.esc === 'ss3') this.esc = 'none';
    else if (c >= 0x40 && c <= 0x7e) this.esc = 'none';   // CSI final byte
  }
}

// East Asian wide characters take two columns.
function erase(ch: string): string {
  return isWide(ch.codePointAt(0)!) ? '\b\b  \b\b' : '\b \b';
}

export function isWide(c: number): boolean {
  return (c >= 0x1100 && c <= 0x115f) || (c >= 0x2e80 && c <= 0xa4cf) || (c >= 0xac00 && c <= 0xd7a3)
    || (c >= 0xf900 && c <= 0xfaff) || (c >= 0xfe30 && c <= 0xfe4f) || (c >= 0xff00 && c <= 0xff60)
    || (c >= 0xffe0 && c <= 0xffe6) || (c >= 0x1f300 && c <= 0x1faff) || (c >= 0x20000 && c <= 0x3fffd);
}
