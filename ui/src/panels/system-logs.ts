// The supervisor's recent log lines on the System page (admins): the lowest
// level shown, a text search (message and fields), newest first, refreshed
// on demand and every 5 s; the lines shown download as a JSON-lines file.
// Log text can hold line data (caller numbers): text bindings only.
import { LitElement, html, css, nothing } from 'lit';
import { customElement, state } from 'lit/decorators.js';
import { LangMixin } from '../lang-mixin.js';
import { t } from '../i18n.js';
import { shared } from '../styles.js';
import { connection } from '../data/api.js';
import { fetchLogs, saveAs, type LogLine } from '../data/system.js';

@customElement('system-logs')
export class SystemLogs extends LangMixin(LitElement) {
  static override styles = [shared, css`
    .bar { display: flex; gap: 8px; align-items: center; flex-wrap: wrap; margin-bottom: 8px; }
    .log { max-height: 360px; overflow: auto; font-family: ui-monospace, monospace; font-size: 12px; background: #fff; border: 1px solid #e3e6ec; }
    .line { padding: 2px 6px; border-bottom: 1px solid #f0f2f5; white-space: pre-wrap; word-break: break-all; }
    .line.warn .lvl { color: #92400e; }
    .line.error .lvl { color: #b42318; font-weight: 600; }
    .lvl { display: inline-block; width: 44px; }
  `];

  @state() private level: 'info' | 'warn' | 'error' = 'info';
  @state() private q = '';
  @state() private lines: LogLine[] | null = null;
  @state() private error = '';
  private timer: ReturnType<typeof setInterval> | undefined;
  private searchTimer: ReturnType<typeof setTimeout> | undefined;

  override connectedCallback(): void {
    super.connectedCallback();
    void this.load();
    this.timer = setInterval(() => { void this.load(); }, 5000);
  }

  override disconnectedCallback(): void {
    clearInterval(this.timer);
    clearTimeout(this.searchTimer);
    super.disconnectedCallback();
  }

  private async load(): Promise<void> {
    try {
      const r = await fetchLogs(connection(), { level: this.level, q: this.q || undefined, limit: 500 });
      this.lines = r.lines;
      this.error = '';
    } catch (e) { this.error = (e as Error).message; }
  }

  private download(): void {
    const text = (this.lines ?? []).slice().reverse().map((l) => JSON.stringify({ time: l.time, level: l.level, msg: l.msg, ...l.fields })).join('\n');
    saveAs(`hotline-log-${new Date().toISOString().slice(0, 19).replace(/[:T]/g, '-')}.jsonl`, `${text}\n`, 'application/x-ndjson');
  }

  override render() {
    return html`<h2>${t('sys.logs')}</h2>
      <div class="bar">
        <label>${t('sys.level')} <select id="log-level" @change=${(e: Event) => { this.level = (e.target as HTMLSelectElement).value as 'info'; void this.load(); }}>
          ${(['info', 'warn', 'error'] as const).map((l) => html`<option value=${l} ?selected=${l === this.level}>${l === 'info' ? t('sys.allLevels') : `≥ ${l}`}</option>`)}
        </select></label>
        <input id="log-search" type="search" placeholder=${t('sys.search')} .value=${this.q}
          @input=${(e: Event) => { this.q = (e.target as HTMLInputElement).value; clearTimeout(this.searchTimer); this.searchTimer = setTimeout(() => { void this.load(); }, 250); }}>
        <button id="log-refresh" @click=${() => this.load()}>↻</button>
        <button id="log-download" ?disabled=${!this.lines?.length} @click=${this.download}>${t('sys.download')}</button>
        ${this.lines ? html`<span class="muted" id="log-count">${this.lines.length}</span>` : nothing}
      </div>
      ${this.error ? html`<p class="error">${this.error}</p>` : nothing}
      ${!this.lines ? html`<p class="muted">${t('loading')}</p>` : !this.lines.length ? html`<p class="muted" id="no-logs">${t('sys.noLogs')}</p>` : html`
      <div class="log" id="log-lines">${this.lines.map((l) => html`<div class="line ${l.level}" data-level=${l.level}><span class="muted">${l.time.slice(0, 19).replace('T', ' ')}</span> <span class="lvl">${l.level}</span> <span class="msg">${l.msg}</span>${Object.keys(l.fields).length ? html` <span class="muted">${JSON.stringify(l.fields)}</span>` : nothing}</div>`)}</div>`}`;
  }
}

declare global { interface HTMLElementTagNameMap { 'system-logs': SystemLogs } }
