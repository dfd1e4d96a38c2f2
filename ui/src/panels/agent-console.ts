// The agent's console: their own agent (acd/me/*: the agent whose `user` is
// this user) with log in / out, ready, not ready with a reason, and time in
// state; the screen pop for whom the phone is ringing with or talking to (the
// agent's `party`, pushed on the acd topic), kept after the call until the
// next one; and the agent's call history.
import { LitElement, html, css, nothing } from 'lit';
import { customElement, property, state } from 'lit/decorators.js';
import { LangMixin } from '../lang-mixin.js';
import { t, tOr, duration } from '../i18n.js';
import { shared } from '../styles.js';
import { connection, ApiError } from '../data/api.js';
import { subscribeMyAgent, loginMe, logoutMe, pauseMe, resumeMe, PAUSE_REASONS, type AgentStatus, type Party } from '../data/acd.js';
import { subscribeCalls, type Cdr } from '../data/calls.js';
import type { WhoAmI } from '../data/auth.js';
import '../calls-table.js';
import './screen-pop.js';

@customElement('agent-console')
export class AgentConsole extends LangMixin(LitElement) {
  static override styles = [shared, css`
    .row { display: flex; gap: 12px; flex-wrap: wrap; }
    .row > .card { flex: 1; min-width: 280px; }
    .number { font-size: 20px; font-weight: 600; }
    .controls { display: flex; gap: 6px; flex-wrap: wrap; align-items: center; margin: 8px 0; }
    .clock { font-size: 20px; font-variant-numeric: tabular-nums; }
  `];

  @property({ attribute: false }) me: WhoAmI | null = null;
  @state() private agent: AgentStatus | null = null;
  @state() private unlinked = false;
  @state() private loadError = '';
  @state() private calls: Cdr[] = [];
  // The last call popped: kept after hang-up until the next call rings.
  @state() private party: Party | null = null;
  @state() private reason: string = PAUSE_REASONS[0];
  @state() private actionError = '';
  @state() private busy = false;
  @state() private tick = 0;
  private receivedAt = 0;
  private stops: Array<() => void> = [];
  private timer: ReturnType<typeof setInterval> | undefined;

  override connectedCallback(): void {
    super.connectedCallback();
    const conn = connection();
    this.stops.push(subscribeMyAgent(conn, (a) => this.onAgent(a), (e) => {
      if (e instanceof ApiError && e.id === 'not_found') this.unlinked = true;
      else this.loadError = e instanceof Error ? e.message : String(e);
    }));
    this.stops.push(subscribeCalls(conn, (c) => { this.calls = c; }, { limit: 50 }));
    this.timer = setInterval(() => { this.tick++; }, 1000);
  }

  override disconnectedCallback(): void {
    for (const stop of this.stops.splice(0)) stop();
    clearInterval(this.timer);
    super.disconnectedCallback();
  }

  private onAgent(a: AgentStatus): void {
    this.agent = a;
    this.unlinked = false;
    this.loadError = '';
    this.receivedAt = Date.now();
    if (a.party) this.party = a.party;
  }

  private async act(fn: () => Promise<unknown>): Promise<void> {
    this.actionError = '';
    this.busy = true;
    try { await fn(); } catch (e) { this.actionError = e instanceof Error ? e.message : String(e); } finally { this.busy = false; }
  }

  private controls(a: AgentStatus) {
    const conn = connection();
    if (a.state === 'logged-out') {
      return html`<div class="controls"><button class="primary" id="me-login" ?disabled=${this.busy} @click=${() => this.act(() => loginMe(conn))}>${t('logIn')}</button></div>`;
    }
    const notReady = a.state === 'paused' || a.state === 'wrap-up';
    return html`<div class="controls">
      <button id="me-ready" class=${notReady ? 'primary' : ''} ?disabled=${this.busy || !notReady} @click=${() => this.act(() => resumeMe(conn))}>${t('ready')}</button>
      <select id="pause-reason" aria-label=${t('reason')} @change=${(e: Event) => { this.reason = (e.target as HTMLSelectElement).value; }}>
        ${PAUSE_REASONS.map((r) => html`<option value=${r} ?selected=${r === this.reason}>${tOr(`reason.${r}`, r)}</option>`)}
      </select>
      <button id="me-pause" ?disabled=${this.busy || a.state === 'paused'} @click=${() => this.act(() => pauseMe(conn, this.reason))}>${t('notReady')}</button>
      <button id="me-logout" ?disabled=${this.busy} @click=${() => this.act(() => logoutMe(conn))}>${t('logOut')}</button>
    </div>`;
  }

  private currentCall() {
    const p = this.party;
    if (!p) return html`<p class="muted">${t('noCall')}</p>`;
    const live = this.agent?.party?.journey === p.journey ? this.agent.party : null;
    const phase = live ? t(live.phase === 'ringing' ? 'ringing' : 'talking') : t('lastCall');
    return html`<div class="muted" id="call-phase" data-phase=${live?.phase ?? 'ended'}>${phase} · ${t('queue')} ${p.queue}</div>
      <div class="number caller">${p.caller}</div><div class="caller-name">${p.callerName}</div>
      <screen-pop .party=${p}></screen-pop>`;
  }

  override render() {
    if (this.unlinked) {
      return html`<div class="card" id="no-agent"><p>${t('notLinked', { name: this.me?.name ?? '' })}</p><p class="muted">${t('howToLink', { name: this.me?.name ?? '' })}</p></div>`;
    }
    if (this.loadError) return html`<p class="error">${this.loadError}</p>`;
    const a = this.agent;
    if (!a) return html`<p class="muted">${t('loading')}</p>`;
    const since = a.sinceSec === null ? null : a.sinceSec + (this.receivedAt ? (Date.now() - this.receivedAt) / 1000 : 0);
    const mine = this.calls.filter((c) => c.agent === a.id);
    return html`
      <div class="row">
        <section class="card" id="my-state">
          <h2>${t('myState')}</h2>
          <div><b>${a.name}</b> · ${a.id} · ${t('ext')} ${a.ext}</div>
          <p><span class="state ${a.state}" data-state=${a.state}>${tOr(`state.${a.state}`, a.state)}</span>
            ${a.reason ? html`<span id="my-reason">(${tOr(`reason.${a.reason}`, a.reason)})</span>` : nothing}
            <span class="clock" id="time-in-state" title=${t('inState')}>${duration(since)}</span></p>
          ${this.controls(a)}
          ${this.actionError ? html`<p class="error" id="me-error">${this.actionError}</p>` : nothing}
          <div class="muted">${t('calls')}: ${a.calls} · ${t('talkTime')}: ${duration(a.talkSec)}</div>
        </section>
        <section class="card" id="current-call">
          <h2>${t('currentCall')}</h2>
          ${this.currentCall()}
        </section>
      </div>
      <h2>${t('history')}</h2>
      <calls-table .calls=${mine}></calls-table>`;
  }
}

declare global { interface HTMLElementTagNameMap { 'agent-console': AgentConsole } }
