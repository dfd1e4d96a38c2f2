// The agent's console: their own agent (acd/me/*: the agent whose `user` is
// this user) with log in / out, ready, not ready with a reason, and time in
// state; the screen pop for whom the phone is ringing with or talking to (the
// agent's `party`, pushed on the acd topic), kept after the call until the
// next one. While the phone rings the console says to pick it up (an analog
// phone is answered by lifting it: there is no answer button); while talking
// it holds and resumes the caller (music on hold), transfers to an extension
// or a queue, and hangs up. The agent dials out from a number box or a
// customer's record (the box rings the agent's phone first). Below: the
// agent's own calls with their recordings and the wrap-up form (my-calls.ts).
import { LitElement, html, css, nothing } from 'lit';
import { customElement, property, state } from 'lit/decorators.js';
import { LangMixin } from '../lang-mixin.js';
import { t, tOr, duration } from '../i18n.js';
import { shared } from '../styles.js';
import { connection, ApiError } from '../data/api.js';
import { subscribeMyAgent, loginMe, logoutMe, pauseMe, resumeMe, holdMe, unholdMe, hangupMe, transferMe, dialMe, PAUSE_REASONS, type AgentStatus, type Party } from '../data/acd.js';
import type { WhoAmI } from '../data/auth.js';
import './screen-pop.js';
import './my-calls.js';

// The outside-line prefix the agent dials with (kept in this browser).
const PREFIX_KEY = 'hotline.dialPrefix';
export const dialPrefix = (): string => localStorage.getItem(PREFIX_KEY) ?? '9';

@customElement('agent-console')
export class AgentConsole extends LangMixin(LitElement) {
  static override styles = [shared, css`
    .row { display: flex; gap: 12px; flex-wrap: wrap; }
    .row > .card { flex: 1; min-width: 280px; }
    .number { font-size: 20px; font-weight: 600; }
    .controls { display: flex; gap: 6px; flex-wrap: wrap; align-items: center; margin: 8px 0; }
    .clock { font-size: 20px; font-variant-numeric: tabular-nums; }
    .pickup { font-size: 18px; font-weight: 600; color: #92400e; background: #fef3c7; padding: 6px 10px; border-radius: 6px; }
  `];

  @property({ attribute: false }) me: WhoAmI | null = null;
  @state() private agent: AgentStatus | null = null;
  @state() private unlinked = false;
  @state() private loadError = '';
  @state() private callError = '';
  @state() private transferTo = '';
  @state() private transferKind: 'ext' | 'queue' = 'ext';
  @state() private dialNumber = '';
  @state() private outsidePrefix = dialPrefix();
  @state() private dialed = '';
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
    if (a.party) {
      if (a.party.journey !== this.party?.journey) this.callError = '';
      this.party = a.party;
    }
  }

  private async callAct(fn: () => Promise<unknown>): Promise<void> {
    this.callError = '';
    this.busy = true;
    try { await fn(); } catch (e) { this.callError = e instanceof Error ? e.message : String(e); } finally { this.busy = false; }
  }

  // Click-to-dial (the screen pop's buttons and the number box): the outside
  // prefix goes in front of a number that is not an extension.
  private dial(raw: string): Promise<void> {
    let digits = raw.replace(/[^0-9*#+]/g, '');
    // +86 139… is dialled 139… at home, +86 21… as 021…; other countries with 00.
    if (digits.startsWith('+86')) digits = digits[3] === '1' ? digits.slice(3) : `0${digits.slice(3)}`;
    else if (digits.startsWith('+')) digits = `00${digits.slice(1)}`;
    const number = digits.length > 6 && !digits.startsWith(this.outsidePrefix) ? `${this.outsidePrefix}${digits}` : digits;
    return this.callAct(async () => { await dialMe(connection(), number); this.dialed = number; });
  }

  private callControls(live: Party) {
    const conn = connection();
    if (live.phase === 'ringing') {
      return html`<p class="pickup" id="pickup-hint">☎ ${t('agent.pickUp', { ext: this.agent?.ext ?? '' })}</p>`;
    }
    return html`<div class="controls" id="call-controls">
      ${live.held
        ? html`<span class="state paused" id="held">${t('agent.onHold')}</span>
          <button class="primary" id="call-unhold" ?disabled=${this.busy} @click=${() => this.callAct(() => unholdMe(conn))}>${t('agent.resume')}</button>`
        : html`<button id="call-hold" ?disabled=${this.busy} @click=${() => this.callAct(() => holdMe(conn))}>${t('agent.hold')}</button>`}
      <select id="transfer-kind" aria-label=${t('agent.transferTo')} @change=${(e: Event) => { this.transferKind = (e.target as HTMLSelectElement).value as 'ext' | 'queue'; }}>
        <option value="ext" ?selected=${this.transferKind === 'ext'}>${t('ext')}</option>
        <option value="queue" ?selected=${this.transferKind === 'queue'}>${t('queue')}</option>
      </select>
      <input id="transfer-to" size="6" .value=${this.transferTo} @input=${(e: Event) => { this.transferTo = (e.target as HTMLInputElement).value.trim(); }}>
      <button id="call-transfer" ?disabled=${this.busy || !this.transferTo} @click=${() => this.callAct(() => transferMe(conn, this.transferKind === 'ext' ? { ext: this.transferTo } : { queue: this.transferTo }))}>${t('agent.transfer')}</button>
      <button id="call-hangup" ?disabled=${this.busy} @click=${() => this.callAct(() => hangupMe(conn))}>${t('agent.hangUp')}</button>
    </div>`;
  }

  private dialBox(onCall: boolean) {
    return html`<form class="controls" id="dial-form" @submit=${(e: Event) => { e.preventDefault(); if (this.dialNumber) void this.dial(this.dialNumber); }}>
      <input id="dial-number" placeholder=${t('agent.numberToDial')} .value=${this.dialNumber} @input=${(e: Event) => { this.dialNumber = (e.target as HTMLInputElement).value; }}>
      <button id="dial-go" ?disabled=${this.busy || onCall || !this.dialNumber}>${t('agent.dial')}</button>
      <label class="muted">${t('agent.prefix')} <input id="dial-prefix" size="2" .value=${this.outsidePrefix}
        @change=${(e: Event) => { this.outsidePrefix = (e.target as HTMLInputElement).value.replace(/[^0-9]/g, ''); localStorage.setItem(PREFIX_KEY, this.outsidePrefix); }}></label>
      ${this.dialed ? html`<span class="muted" id="dial-ringing">${t('agent.dialRinging', { number: this.dialed })}</span>` : nothing}
    </form>`;
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
    const onCall = !!this.agent?.party;
    const error = this.callError ? html`<p class="error" id="call-error">${this.callError}</p>` : nothing;
    if (!p) return html`<p class="muted">${t('noCall')}</p>${this.dialBox(onCall)}${error}`;
    const live = this.agent?.party?.journey === p.journey ? this.agent.party : null;
    const phase = live ? t(live.phase === 'ringing' ? 'ringing' : 'talking') : t('lastCall');
    return html`<div class="muted" id="call-phase" data-phase=${live?.phase ?? 'ended'} data-held=${live?.held ? 'yes' : 'no'}>${phase} · ${t('queue')} ${p.queue}</div>
      <div class="number caller">${p.caller}</div><div class="caller-name">${p.callerName}</div>
      ${live ? this.callControls(live) : this.dialBox(onCall)}
      ${error}
      <screen-pop .party=${p} .phase=${live?.phase ?? 'ended'} .canDial=${!onCall && !this.busy} @dial-number=${(e: CustomEvent<string>) => { void this.dial(e.detail); }}></screen-pop>`;
  }

  override render() {
    if (this.unlinked) {
      return html`<div class="card" id="no-agent"><p>${t('notLinked', { name: this.me?.name ?? '' })}</p><p class="muted">${t('howToLink', { name: this.me?.name ?? '' })}</p></div>`;
    }
    if (this.loadError) return html`<p class="error">${this.loadError}</p>`;
    const a = this.agent;
    if (!a) return html`<p class="muted">${t('loading')}</p>`;
    const since = a.sinceSec === null ? null : a.sinceSec + (this.receivedAt ? (Date.now() - this.receivedAt) / 1000 : 0);
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
      <h2>${t('agent.myCalls')}</h2>
      <my-calls .current=${this.party?.journey ?? null}></my-calls>`;
  }
}

declare global { interface HTMLElementTagNameMap { 'agent-console': AgentConsole } }
