// The E1 page: spans with their alarms, signalling and (SS7) link state, each
// span's settings form, a grid of R2 or SS7 circuits coloured by state with
// block/unblock, a span reset (SS7: group reset, or a link restart), and the
// signalling trace of a recent call on an E1 trunk (shown and downloadable as
// text). The lists are refetched on call events and after each action. Text
// bindings only.
import { LitElement, html, css, nothing } from 'lit';
import { customElement, state } from 'lit/decorators.js';
import { LangMixin } from '../lang-mixin.js';
import { t, clock } from '../i18n.js';
import { shared } from '../styles.js';
import { connection } from '../data/api.js';
import { subscribeCalls, type Cdr } from '../data/calls.js';
import { fetchSpans, blockCircuit, unblockCircuit, resetSpan, restartLink, applySpan, fetchTrace, fetchTraceText, type Span, type Circuit, type Trace } from '../data/e1.js';
import './span-settings.js';

@customElement('e1-panel')
export class E1Panel extends LangMixin(LitElement) {
  static override styles = [shared, css`
    .grid { display: grid; grid-template-columns: repeat(auto-fill, minmax(92px, 1fr)); gap: 6px; margin: 8px 0; }
    .circuit { border: 1px solid #cbd2e0; border-radius: 4px; padding: 4px 6px; font-size: 12px; }
    .circuit[data-state="idle"] { background: #ecfdf5; }
    .circuit[data-state="in-call"] { background: #dbeafe; }
    .circuit[data-state="blocked-local"] { background: #fef3c7; }
    .circuit[data-state="blocked-remote"] { background: #fde68a; }
    .circuit[data-state="alarm"] { background: #fee2e2; }
    .circuit button { font-size: 11px; padding: 1px 6px; margin-top: 2px; }
    .alarm { color: #b91c1c; }
    pre { background: #f6f7f9; padding: 8px; max-height: 360px; overflow: auto; }
  `];

  @state() private spans: Span[] | null = null;
  @state() private calls: Cdr[] = [];
  @state() private selected: string | null = null;
  @state() private traces: Trace[] = [];
  @state() private error = '';
  @state() private editing: number | null = null;
  private e1Trunks = new Set<string>();
  private stop: (() => void) | null = null;

  override connectedCallback(): void {
    super.connectedCallback();
    void this.refresh();
    this.stop = subscribeCalls(connection(), (c) => { this.calls = c.filter((x) => !!x.trunk && this.e1Trunks.has(x.trunk)); void this.refresh(); }, { limit: 100 });
  }

  override disconnectedCallback(): void {
    this.stop?.();
    super.disconnectedCallback();
  }

  private async refresh(): Promise<void> {
    try {
      this.spans = await fetchSpans(connection());
      for (const s of this.spans) for (const c of s.circuits) if (c.trunk) this.e1Trunks.add(c.trunk);
    } catch (e) { this.error = e instanceof Error ? e.message : String(e); }
  }

  private async act(fn: () => Promise<unknown>): Promise<void> {
    this.error = '';
    try { await fn(); } catch (e) { this.error = e instanceof Error ? e.message : String(e); }
    await this.refresh();
  }

  // The span is re-laid at once; an SS7 link then takes a few seconds to
  // align: follow it until it is up (or 30 s) so the page does not show a
  // link stuck in its first state.
  private async applyNow(span: number): Promise<void> {
    await this.act(() => applySpan(connection(), span));
    for (let i = 0; i < 30 && this.isConnected; i++) {
      const link = this.spans?.find((x) => x.span === span)?.link;
      if (!link || link.state === 'up') break;
      await new Promise((r) => setTimeout(r, 1000));
      await this.refresh();
    }
  }

  private async showTrace(journey: string): Promise<void> {
    this.selected = journey;
    this.traces = [];
    this.error = '';
    try {
      const r = await fetchTrace(connection(), journey);
      if (this.selected === journey) this.traces = r.traces;
    } catch (e) { this.error = e instanceof Error ? e.message : String(e); }
  }

  private async download(journey: string): Promise<void> {
    const r = await fetchTraceText(connection(), journey);
    const a = document.createElement('a');
    a.href = URL.createObjectURL(new Blob([r.text], { type: 'text/plain' }));
    a.download = r.filename;
    a.click();
    URL.revokeObjectURL(a.href);
  }

  private circuit(c: Circuit) {
    const blockedByUs = c.state === 'blocked-local';
    return html`<div class="circuit" data-chan=${c.chan} data-state=${c.state}>
      <div><b>${c.chan}</b> <span class="muted">TS${c.timeslot}${c.cic !== null ? html` · ${t('e1.cic')} ${c.cic}` : nothing}</span></div>
      <div class="state">${t(`e1.${c.state}`)}</div>
      ${blockedByUs
        ? html`<button data-action="unblock" @click=${() => this.act(() => unblockCircuit(connection(), c.chan))}>${t('e1.unblock')}</button>`
        : html`<button data-action="block" ?disabled=${c.state === 'alarm'} @click=${() => this.act(() => blockCircuit(connection(), c.chan))}>${t('e1.block')}</button>`}
    </div>`;
  }

  private trace() {
    if (!this.selected) return nothing;
    return html`<section class="card" id="trace">
      <h3>${t('e1.trace')} <button data-action="download" @click=${() => this.download(this.selected!)}>${t('e1.download')}</button></h3>
      ${this.traces.map((tr) => html`<p class="muted">${t('e1.channel')} ${tr.chan}${tr.dropped ? ` (+${tr.dropped})` : ''}</p>
        <pre>${tr.entries.map(([ms, dir, what]) => `${String(ms).padStart(6)} ${dir} ${what}`).join('\n')}</pre>`)}
    </section>`;
  }

  override render() {
    if (!this.spans) return html`<p class="muted">${this.error || t('loading')}</p>`;
    return html`
      ${this.error ? html`<p class="error">${this.error}</p>` : nothing}
      ${this.spans.length ? nothing : html`<p class="muted" id="no-spans">${t('e1.noSpans')}</p>`}
      ${this.spans.map((s) => html`<section class="card" data-span=${s.span}>
        <h3>${t('e1.span')} ${s.span}
          <span class=${s.alarms.length ? 'alarm' : 'muted'}>${s.alarms.length ? s.alarms.join(', ') : t('e1.noAlarms')}</span>
          <span class="muted">${s.signalling === 'ss7' ? 'SS7' : s.signalling === 'r2' ? 'MFC/R2' : ''}</span>
          <button data-action="settings" @click=${() => { this.editing = this.editing === s.span ? null : s.span; }}>${t('e1.settings')}</button>
          <button data-action="reset" @click=${() => this.act(() => resetSpan(connection(), s.span))}>${t('e1.reset')}</button>
          ${s.link ? html`<button data-action="restart-link" @click=${() => this.act(() => restartLink(connection(), s.span))}>${t('e1.restartLink')}</button>` : nothing}</h3>
        ${s.errors ? html`<p class="muted line-errors" data-errors=${s.errors.bpv + s.errors.crc4 + s.errors.ebit + s.errors.fas}>${t('e1.lineErrors')}: BPV ${s.errors.bpv} · CRC-4 ${s.errors.crc4} · E-bit ${s.errors.ebit} · FAS ${s.errors.fas}</p>` : nothing}
        ${s.link ? html`<p class="link" data-link-state=${s.link.state}>${t('e1.link')}: <b>${s.link.state === 'unconfigured' ? t('e1.unconfigured') : s.link.state}</b>
          ${s.link.counters ? html`<span class="muted counters">· MSU ${s.link.counters.msuIn}/${s.link.counters.msuOut} · ${t('e1.badFrames')} ${s.link.counters.badFrames}
            · ${t('e1.retransmissions')} ${s.link.counters.retransmissions} · ${t('e1.linkFailures')} ${s.link.counters.failures} · ${t('e1.isupErrors')} ${s.link.counters.isupErrors}</span>` : nothing}</p>` : nothing}
        ${s.mismatch ? html`<p class="error" id="mismatch-${s.span}">${s.mismatch}
          <button data-action="apply" id="apply-${s.span}" @click=${() => void this.applyNow(s.span)}>${t('e1.applyNow')}</button></p>` : nothing}
        ${this.editing === s.span ? html`<span-settings .span=${s.span} .doc=${s.settings} @saved=${() => void this.refresh()}></span-settings>` : nothing}
        <div class="grid">${s.circuits.map((c) => this.circuit(c))}</div>
      </section>`)}
      ${this.trace()}
      <table id="e1-calls">
        <thead><tr><th>${t('time')}</th><th>${t('caller')}</th><th>${t('e1.callee')}</th><th>${t('e1.disposition')}</th><th></th></tr></thead>
        <tbody>${this.calls.map((c) => html`<tr data-journey=${c.journey}>
          <td>${clock(c.startedAt)}</td><td class="caller">${c.caller}</td><td>${c.callee}</td><td>${c.disposition}</td>
          <td><button data-action="trace" @click=${() => this.showTrace(c.journey)}>${t('e1.trace')}</button></td>
        </tr>`)}</tbody>
      </table>`;
  }
}

declare global { interface HTMLElementTagNameMap { 'e1-panel': E1Panel } }
