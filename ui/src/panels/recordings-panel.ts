// Recorded calls (the recent calls whose CDR lists recordings), refreshed on
// call events; choosing one loads its recordings (calls/cdr/get) into <audio>
// players fed by GET /api/recordings/<id>.wav, which answers byte ranges so
// the player can seek. The ids are the recordings' one public id: the same in
// the CDR, this player's URL and the call-record CSV exported here (its
// recordings and recordingUrls columns). Caller ID and names are line data:
// text bindings only.
import { LitElement, html, css, nothing } from 'lit';
import { customElement, state } from 'lit/decorators.js';
import { LangMixin } from '../lang-mixin.js';
import { t, duration, clock } from '../i18n.js';
import { shared } from '../styles.js';
import { connection } from '../data/api.js';
import { subscribeCalls, fetchCall, recordingUrl, exportCalls, type Cdr, type Recording } from '../data/calls.js';
import { saveAs } from '../data/system.js';

@customElement('recordings-panel')
export class RecordingsPanel extends LangMixin(LitElement) {
  static override styles = [shared, css`
    tr.selected td { background: #eef2ff; }
    audio { width: 100%; margin-top: 6px; }
  `];

  @state() private calls: Cdr[] | null = null;
  @state() private selected: string | null = null;
  @state() private recordings: Recording[] = [];
  @state() private error = '';
  private stop: (() => void) | null = null;

  override connectedCallback(): void {
    super.connectedCallback();
    this.stop = subscribeCalls(connection(), (c) => { this.calls = c.filter((x) => x.recordings?.length); }, { limit: 200 });
  }

  override disconnectedCallback(): void {
    this.stop?.();
    super.disconnectedCallback();
  }

  private async choose(journey: string): Promise<void> {
    this.selected = journey;
    this.recordings = [];
    this.error = '';
    try {
      const r = await fetchCall(connection(), journey);
      if (this.selected === journey) this.recordings = r.recordings;
    } catch (e) {
      this.error = e instanceof Error ? e.message : String(e);
    }
  }

  private async exportCsv(): Promise<void> {
    try {
      const r = await exportCalls(connection());
      saveAs(r.filename, r.csv, 'text/csv');
    } catch (e) { this.error = e instanceof Error ? e.message : String(e); }
  }

  private player() {
    if (!this.selected) return nothing;
    return html`<section class="card" id="player">
      ${this.error ? html`<p class="error">${this.error}</p>` : nothing}
      ${this.recordings.map((r) => html`<div data-recording=${r.id}>
        <span class="muted">#${r.id} · ${clock(r.startedAt)} · ${duration(r.durationMs === null ? null : r.durationMs / 1000)} · ${r.status}</span>
        <audio controls preload="metadata" src=${recordingUrl(r.id)}></audio></div>`)}
    </section>`;
  }

  override render() {
    const calls = this.calls;
    if (!calls) return html`<p class="muted">${t('loading')}</p>`;
    if (!calls.length) return html`<p class="muted" id="no-recordings">${t('noRecordings')}</p>`;
    return html`
      <p><button id="export-calls" @click=${this.exportCsv}>${t('rec.exportCsv')}</button></p>
      ${this.player()}
      <table id="recorded-calls">
        <thead><tr><th>${t('time')}</th><th>${t('caller')}</th><th>${t('callerName')}</th><th>${t('queue')}</th><th>${t('agent')}</th><th class="num">${t('talk')}</th><th></th></tr></thead>
        <tbody>${calls.map((c) => html`<tr data-journey=${c.journey} class=${this.selected === c.journey ? 'selected' : ''}>
          <td>${new Date(c.startedAt).toLocaleDateString()} ${clock(c.startedAt)}</td><td class="caller">${c.caller}</td><td class="caller-name">${c.callerName}</td>
          <td>${c.queue ?? ''}</td><td>${c.agent ?? ''}</td><td class="num">${duration(c.talkS)}</td>
          <td><button data-action="play" @click=${() => this.choose(c.journey)}>${t('play')}</button></td>
        </tr>`)}</tbody>
      </table>`;
  }
}

declare global { interface HTMLElementTagNameMap { 'recordings-panel': RecordingsPanel } }
