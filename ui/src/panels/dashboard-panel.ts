// The box at a glance (supervisors, admins): each span with its alarms, each
// channel's kind, state, hook and the call on it (from the calls in
// progress), and the calls in progress. Live from the engine topic and call
// events. Caller ID is line data: text bindings only.
import { LitElement, html, css, nothing } from 'lit';
import { customElement, state } from 'lit/decorators.js';
import { LangMixin } from '../lang-mixin.js';
import { t, clock } from '../i18n.js';
import { shared } from '../styles.js';
import { connection } from '../data/api.js';
import { subscribeEngineState, type EngineState } from '../data/engine.js';
import { subscribeCalls, type Cdr } from '../data/calls.js';

@customElement('dashboard-panel')
export class DashboardPanel extends LangMixin(LitElement) {
  static override styles = [shared, css`
    .alarm td, .alarm { background: #fee2e2; color: #991b1b; }
    .spans { display: flex; gap: 8px; flex-wrap: wrap; margin-bottom: 8px; }
    .span { border: 1px solid #e3e6ec; border-radius: 6px; padding: 4px 10px; background: #fff; }
    .busy td { background: #eff6ff; }
  `];

  @state() private engine: EngineState | null = null;
  @state() private calls: Cdr[] = [];
  @state() private error = '';
  private stops: (() => void)[] = [];

  override connectedCallback(): void {
    super.connectedCallback();
    const conn = connection();
    this.stops = [
      subscribeEngineState(conn, (s) => { this.engine = s; this.error = ''; }, (e) => { this.error = (e as Error).message; }),
      subscribeCalls(conn, (c) => { this.calls = c.filter((x) => !x.endedAt); }, { limit: 200 }),
    ];
  }

  override disconnectedCallback(): void {
    for (const s of this.stops) s();
    this.stops = [];
    super.disconnectedCallback();
  }

  private callOn(chan: number): Cdr | undefined {
    return this.calls.find((c) => c.legs?.includes(chan) || c.port === chan);
  }

  override render() {
    const e = this.engine;
    if (this.error && !e) return html`<p class="error">${this.error}</p>`;
    if (!e) return html`<p class="muted">${t('loading')}</p>`;
    const states = new Map(e.states.map((s) => [s.chan, s]));
    const channels = e.channels.filter((c) => c.kind !== 'dchan' && c.kind !== 'none');
    // The engine lists only spans that have reported alarms; every span with channels is shown.
    const alarms = new Map(e.spans.map((s) => [s.span, s.alarms]));
    const spans = [...new Set(e.channels.map((c) => c.span))].sort((a, b) => a - b).map((span) => ({
      span, alarms: alarms.get(span) ?? 0, kinds: [...new Set(e.channels.filter((c) => c.span === span && c.kind !== 'dchan' && c.kind !== 'none').map((c) => c.kind))].join('/'),
    }));
    return html`
      <h2>${t('dash.spans')}</h2>
      <div class="spans" id="spans">${spans.map((s) => html`<span class="span ${s.alarms ? 'alarm' : ''}" data-span=${s.span}>${t('dash.span')} ${s.span} (${s.kinds}): ${s.alarms ? t('dash.alarm', { code: s.alarms }) : t('dash.ok')}</span>`)}</div>
      <h2>${t('dash.channels')}</h2>
      <table id="channels">
        <thead><tr><th class="num">#</th><th>${t('dash.span')}</th><th>${t('dash.name')}</th><th>${t('dash.kind')}</th><th>${t('state')}</th><th>${t('dash.hook')}</th><th>${t('caller')}</th><th>${t('dash.onCall')}</th></tr></thead>
        <tbody>${channels.map((c) => {
          const s = states.get(c.chan);
          const call = this.callOn(c.chan);
          return html`<tr data-chan=${c.chan} class=${s?.alarms ? 'alarm' : call ? 'busy' : ''}>
            <td class="num">${c.chan}</td><td>${c.span}/${c.chanpos}</td><td>${c.name}</td><td>${c.kind}</td>
            <td class="chan-state">${s?.state ?? ''}${s?.sigState && s.sigState !== s.state ? ` (${s.sigState})` : ''}${s?.alarms ? ` · ${t('dash.alarm', { code: s.alarms })}` : ''}</td>
            <td>${s?.offhook ? t('dash.offhook') : t('dash.onhook')}</td>
            <td class="caller">${call?.caller ?? s?.callerNumber ?? ''}</td>
            <td class="who">${call ? [call.callerName, call.queue && `${t('queue')} ${call.queue}`, call.agent && `${t('agent')} ${call.agent}`, call.extension && `${t('dash.ext')} ${call.extension}`].filter(Boolean).join(' · ') : ''}</td>
          </tr>`;
        })}</tbody>
      </table>
      <h2>${t('dash.inProgress')} (${this.calls.length})</h2>
      ${!this.calls.length ? html`<p class="muted" id="no-calls">${t('dash.noCalls')}</p>` : html`
      <table id="calls-in-progress">
        <thead><tr><th>${t('time')}</th><th>${t('caller')}</th><th>${t('callerName')}</th><th>${t('dash.callee')}</th><th>${t('queue')}</th><th>${t('agent')}</th><th>${t('dash.channels')}</th></tr></thead>
        <tbody>${this.calls.map((c) => html`<tr data-journey=${c.journey}>
          <td>${clock(c.startedAt)}</td><td class="caller">${c.caller}</td><td class="caller-name">${c.callerName}</td><td>${c.callee}</td>
          <td>${c.queue ?? ''}</td><td>${c.agent ?? ''}</td><td>${(c.legs ?? []).join(', ')}</td></tr>`)}</tbody>
      </table>`}
      ${this.error ? html`<p class="error">${this.error}</p>` : nothing}`;
  }
}

declare global { interface HTMLElementTagNameMap { 'dashboard-panel': DashboardPanel } }
