// The agent's console: their own state (read-only: the API lets only
// supervisors set agent states; agents use their phone codes), the current
// call with a screen pop from the CRM (or a new-customer form with the number
// and where it is from), and the call history.
import { LitElement, html, css, nothing } from 'lit';
import { customElement, property, state } from 'lit/decorators.js';
import { LangMixin } from '../lang-mixin.js';
import { t, tOr, duration, currentLang } from '../i18n.js';
import { shared } from '../styles.js';
import { connection, ApiError } from '../data/api.js';
import { subscribeAcd, type AgentStatus } from '../data/acd.js';
import { subscribeCalls, type Cdr } from '../data/calls.js';
import { lookupNumber, createCustomer, type Lookup, type Region } from '../data/crm.js';
import type { WhoAmI } from '../data/auth.js';
import '../calls-table.js';

// The agent a user works as: the user name is the agent number, or the
// display name is the agent's name.
export function agentOf(me: WhoAmI, agents: AgentStatus[]): AgentStatus | undefined {
  return agents.find((a) => a.id === me.name) ?? agents.find((a) => !!me.user?.displayName && a.name === me.user.displayName);
}

// The call this agent is on: answered by them, or (while their phone rings)
// the queue call that waited longest without an agent.
export function currentCallOf(agent: AgentStatus, calls: Cdr[]): Cdr | undefined {
  const open = calls.filter((c) => c.disposition === 'in_progress');
  const mine = open.find((c) => c.agent === agent.id || c.extension === agent.ext);
  if (mine) return mine;
  if (agent.state !== 'reserved') return undefined;
  return open.filter((c) => c.queue && !c.agent).sort((a, b) => a.startedAt.localeCompare(b.startedAt))[0];
}

function regionText(r: Region | null): string {
  if (!r) return '';
  const zh = currentLang() === 'zh';
  switch (r.type) {
    case 'mobile': return `${tOr('region.mobile', 'mobile')} · ${zh ? r.carrierZh : r.carrier}`;
    case 'fixed': return r.city ? (zh ? `${r.provinceZh ?? ''} ${r.cityZh ?? r.city}` : `${r.city}, ${r.province ?? ''}`) : r.areaCode;
    case 'service': case 'special': return `${tOr(`region.${r.type}`, r.type)} · ${r.what}`;
    case 'international': return tOr('region.international', 'international');
    case 'local': return tOr('region.local', 'local');
  }
}

@customElement('agent-console')
export class AgentConsole extends LangMixin(LitElement) {
  static override styles = [shared, css`
    .row { display: flex; gap: 12px; flex-wrap: wrap; }
    .row > .card { flex: 1; min-width: 280px; }
    label { display: block; margin: 6px 0 2px; }
    input { width: 100%; box-sizing: border-box; }
    .number { font-size: 20px; font-weight: 600; }
  `];

  @property({ attribute: false }) me: WhoAmI | null = null;
  @state() private agent: AgentStatus | undefined;
  @state() private agentsLoaded = false;
  @state() private calls: Cdr[] = [];
  @state() private pop: Lookup | null = null;
  @state() private formError: ApiError | null = null;
  @state() private savedName = '';
  private poppedFor = '';
  private stops: Array<() => void> = [];

  override connectedCallback(): void {
    super.connectedCallback();
    const conn = connection();
    this.stops.push(subscribeAcd(conn, (s) => { this.agentsLoaded = true; this.agent = this.me ? agentOf(this.me, s.agents) : undefined; this.refreshPop(); }));
    this.stops.push(subscribeCalls(conn, (c) => { this.calls = c; this.refreshPop(); }, { limit: 30 }));
  }

  override disconnectedCallback(): void {
    for (const stop of this.stops.splice(0)) stop();
    super.disconnectedCallback();
  }

  private current(): Cdr | undefined { return this.agent ? currentCallOf(this.agent, this.calls) : undefined; }

  private refreshPop(): void {
    const call = this.current();
    if (!call) return;
    if (this.poppedFor === call.journey) return;
    this.poppedFor = call.journey;
    this.pop = null;
    this.formError = null;
    this.savedName = '';
    lookupNumber(connection(), call.caller).then((l) => { if (this.poppedFor === call.journey) this.pop = l; }, () => {});
  }

  private async saveCustomer(e: Event): Promise<void> {
    e.preventDefault();
    const data = new FormData(e.target as HTMLFormElement);
    this.formError = null;
    try {
      const c = await createCustomer(connection(), {
        name: String(data.get('name') ?? ''), company: String(data.get('company') ?? ''), address: String(data.get('address') ?? ''),
        phones: [{ number: String(data.get('number') ?? '') }],
      });
      this.savedName = c.name;
      if (this.pop) this.pop = await lookupNumber(connection(), this.pop.number);
    } catch (err) {
      this.formError = err instanceof ApiError ? err : new ApiError({ id: 'internal', message: String(err) });
    }
  }

  private fieldError(path: string) {
    const msg = this.formError?.field(path);
    return msg ? html`<div class="error">${msg}</div>` : nothing;
  }

  private screenPop(call: Cdr) {
    const p = this.pop;
    if (!p) return html`<p class="muted">${t('loading')}</p>`;
    if (p.customer) {
      const c = p.customer;
      return html`<div id="customer"><h3>${t('knownCustomer')}: <span class="customer-name">${c.name}</span></h3>
        ${c.company ? html`<div>${t('company')}: ${c.company}</div>` : nothing}
        ${c.address ? html`<div>${t('address')}: ${c.address}</div>` : nothing}
        <div>${c.tags.map((tag) => html`<span class="state">${tag}</span> `)}</div>
        ${this.savedName ? html`<p class="muted">${t('saved')}</p>` : nothing}</div>`;
    }
    return html`<form id="new-customer" @submit=${this.saveCustomer}>
      <h3>${t('newCustomer')}</h3>
      <div class="muted">${t('region')}: ${regionText(p.region)}</div>
      <label>${t('caller')}</label><input name="number" .value=${call.caller}>${this.fieldError('phones')}
      <label>${t('name')}</label><input name="name" .value=${call.callerName}>${this.fieldError('name')}
      <label>${t('company')}</label><input name="company">${this.fieldError('company')}
      <label>${t('address')}</label><input name="address">${this.fieldError('address')}
      <p><button class="primary">${t('save')}</button></p>
      ${this.formError && !this.formError.fields.length ? html`<p class="error">${this.formError.message}</p>` : nothing}
    </form>`;
  }

  override render() {
    if (!this.agentsLoaded) return html`<p class="muted">${t('loading')}</p>`;
    const a = this.agent;
    if (!a) return html`<p class="card" id="no-agent">${t('noAgentForUser', { name: this.me?.name ?? '' })}</p>`;
    const call = this.current();
    const mine = this.calls.filter((c) => c.agent === a.id || c.extension === a.ext);
    return html`
      <div class="row">
        <section class="card" id="my-state">
          <h2>${t('myState')}</h2>
          <div><b>${a.name}</b> · ${a.id} · ${t('ext')} ${a.ext}</div>
          <p><span class="state ${a.state}" data-state=${a.state}>${tOr(`state.${a.state}`, a.state)}</span> ${a.reason ? html`(${a.reason})` : nothing}</p>
          <div class="muted">${t('calls')}: ${a.calls} · ${t('talkTime')}: ${duration(a.talkSec)}</div>
          <p class="muted">${t('stateReadOnly')}</p>
        </section>
        <section class="card" id="current-call">
          <h2>${t('currentCall')}</h2>
          ${call ? html`<div class="number caller">${call.caller}</div><div class="caller-name">${call.callerName}</div>${this.screenPop(call)}` : html`<p class="muted">${t('noCall')}</p>`}
        </section>
      </div>
      <h2>${t('history')}</h2>
      <calls-table .calls=${mine}></calls-table>`;
  }
}

declare global { interface HTMLElementTagNameMap { 'agent-console': AgentConsole } }
