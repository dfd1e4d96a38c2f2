// The supervisor's wallboard: queues and agents live from the acd topic (the
// box pushes each change), agent actions, and recent calls refreshed on every
// call event. Caller ID and names are line data: text bindings only.
import { LitElement, html, css, nothing } from 'lit';
import { customElement, property, state } from 'lit/decorators.js';
import { LangMixin } from '../lang-mixin.js';
import { t, tOr, duration } from '../i18n.js';
import { shared } from '../styles.js';
import { connection, ApiError } from '../data/api.js';
import { subscribeAcd, pauseAgent, resumeAgent, logoutAgent, loginAgent, hangupAgent, monitorAgent, type AcdStatus, type AgentStatus, type AgentState, type MonitorMode } from '../data/acd.js';
import { subscribeCalls, type Cdr } from '../data/calls.js';
import type { Role } from '../data/auth.js';
import '../calls-table.js';

const STATES: AgentState[] = ['ready', 'reserved', 'on-call', 'wrap-up', 'paused'];
const pct = (x: number | null) => (x === null ? '–' : `${Math.round(x * 100)}%`);

@customElement('wallboard-panel')
export class WallboardPanel extends LangMixin(LitElement) {
  static override styles = [shared, css`
    .tiles { display: flex; flex-wrap: wrap; gap: 12px; }
    .actions button { padding: 1px 8px; margin-right: 4px; }
    .big { font-size: 20px; font-weight: 600; }
  `];

  @property({ attribute: false }) viewerRole: Role = 'supervisor';
  @state() private status: AcdStatus | null = null;
  @state() private calls: Cdr[] = [];
  @state() private actionError = '';
  @state() private tick = 0;
  // The supervisor's own phone, rung for listen/whisper/barge (kept in this browser).
  @state() private myPhone = localStorage.getItem('hotline.myPhone') ?? '';
  private receivedAt = 0;
  private stops: Array<() => void> = [];
  private timer: ReturnType<typeof setInterval> | undefined;

  override connectedCallback(): void {
    super.connectedCallback();
    const conn = connection();
    this.stops.push(subscribeAcd(conn, (s) => { this.status = s; this.receivedAt = Date.now(); }));
    this.stops.push(subscribeCalls(conn, (c) => { this.calls = c; }, { limit: 20 }));
    this.timer = setInterval(() => { this.tick++; }, 1000);
  }

  override disconnectedCallback(): void {
    for (const stop of this.stops.splice(0)) stop();
    clearInterval(this.timer);
    super.disconnectedCallback();
  }

  // Seconds since the snapshot, so clocks run between pushes.
  private age(): number { return this.receivedAt ? (Date.now() - this.receivedAt) / 1000 : 0; }

  private async act(fn: () => Promise<unknown>): Promise<void> {
    this.actionError = '';
    try { await fn(); } catch (e) { this.actionError = e instanceof ApiError ? e.message : String(e); }
  }

  private agentActions(a: AgentStatus) {
    const conn = connection();
    const loggedOut = a.state === 'logged-out';
    return html`<span class="actions">
      ${loggedOut ? html`<button data-action="login" @click=${() => this.act(() => loginAgent(conn, a.id))}>${t('logIn')}</button>` : html`
        ${a.state === 'paused' || a.state === 'wrap-up'
          ? html`<button data-action="resume" @click=${() => this.act(() => resumeAgent(conn, a.id))}>${t('resume')}</button>`
          : html`<button data-action="pause" @click=${() => this.act(() => pauseAgent(conn, a.id))}>${t('pause')}</button>`}
        <button data-action="logout" @click=${() => this.act(() => logoutAgent(conn, a.id))}>${t('logOut')}</button>
        ${a.state === 'on-call' ? html`<button data-action="hangup" @click=${() => this.act(() => hangupAgent(conn, a.id))}>${t('hangUp')}</button>
          ${(['listen', 'whisper', 'barge'] as MonitorMode[]).map((m) => html`<button data-action=${m} ?disabled=${!this.myPhone}
            title=${this.myPhone ? '' : t('myPhoneFirst')} @click=${() => this.act(() => monitorAgent(conn, a.id, m, this.myPhone))}>${t(m)}</button>`)}` : nothing}`}
    </span>`;
  }

  override render() {
    const s = this.status;
    if (!s) return html`<p class="muted">${t('loading')}</p>`;
    const age = this.age();
    return html`
      <h2>${t('queues')}</h2>
      <table id="queues">
        <thead><tr>
          <th>${t('queue')}</th><th class="num">${t('waiting')}</th><th class="num">${t('longestWait')}</th><th class="num">${t('loggedIn')}</th>
          <th>${t('byState')}</th><th class="num">${t('offered')}</th><th class="num">${t('answered')}</th><th class="num">${t('abandoned')}</th>
          <th class="num">${t('serviceLevel')}</th><th class="num">${t('asa')}</th><th class="num">${t('aht')}</th>
        </tr></thead>
        <tbody>${s.queues.map((q) => html`<tr data-queue=${q.id}>
          <td>${q.id}</td>
          <td class="num big" data-field="waiting">${q.waiting}</td>
          <td class="num" data-field="longestWait">${duration(q.waiting ? q.longestWaitSec + age : q.longestWaitSec)}</td>
          <td class="num" data-field="loggedIn">${q.loggedIn}</td>
          <td>${STATES.filter((st) => q.agentsByState[st]).map((st) => html`<span class="state ${st}">${tOr(`state.${st}`, st)} ${q.agentsByState[st]}</span> `)}</td>
          <td class="num" data-field="offered">${q.offered}</td>
          <td class="num" data-field="answered">${q.answered}</td>
          <td class="num" data-field="abandoned">${q.abandoned}</td>
          <td class="num" data-field="serviceLevel">${pct(q.serviceLevel)}</td>
          <td class="num">${duration(q.asaSec)}</td>
          <td class="num">${duration(q.ahtSec)}</td>
        </tr>`)}</tbody>
      </table>

      <h2>${t('agents')}</h2>
      <label class="muted">${t('myPhone')} <input id="my-phone" size="6" inputmode="numeric" .value=${this.myPhone}
        @change=${(e: Event) => { this.myPhone = (e.target as HTMLInputElement).value.trim(); localStorage.setItem('hotline.myPhone', this.myPhone); }}></label>
      ${this.actionError ? html`<p class="error" id="action-error">${this.actionError}</p>` : nothing}
      <table id="agents">
        <thead><tr><th>${t('agent')}</th><th>${t('name')}</th><th>${t('ext')}</th><th>${t('state')}</th><th>${t('reason')}</th>
          <th class="num">${t('inState')}</th><th>${t('caller')}</th><th class="num">${t('calls')}</th><th class="num">${t('talkTime')}</th><th>${t('actions')}</th></tr></thead>
        <tbody>${s.agents.map((a) => html`<tr data-agent=${a.id}>
          <td>${a.id}</td><td>${a.name}</td><td>${a.ext}</td>
          <td><span class="state ${a.state}" data-field="state" data-state=${a.state}>${tOr(`state.${a.state}`, a.state)}</span></td>
          <td data-field="reason">${a.reason ? tOr(`reason.${a.reason}`, a.reason) : ''}</td>
          <td class="num">${a.sinceSec === null ? '–' : duration(a.sinceSec + age)}</td>
          <td data-field="party">${a.party ? `${a.party.caller} ${a.party.callerName}`.trim() : ''}</td>
          <td class="num">${a.calls}</td>
          <td class="num">${duration(a.talkSec)}</td>
          <td>${this.agentActions(a)}</td>
        </tr>`)}</tbody>
      </table>

      <h2>${t('recentCalls')}</h2>
      <calls-table .calls=${this.calls}></calls-table>`;
  }
}

declare global { interface HTMLElementTagNameMap { 'wallboard-panel': WallboardPanel } }
