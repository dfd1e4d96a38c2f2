// The screen pop for one caller: the customer record with its contact
// history, or for an unknown number a new-customer form holding the number and
// where it is from. The caller's number and name are line data: text bindings
// (and input values) only. Each number of a known customer (and an unknown
// caller's number) has a call button: it fires `dial-number` for the console
// to click-to-dial (the box rings the agent's phone, then dials). Recordings
// in the history play in the browser (an agent gets their own calls' only).
import { LitElement, html, css, nothing } from 'lit';
import { customElement, property, state } from 'lit/decorators.js';
import { LangMixin } from '../lang-mixin.js';
import { t, tOr, clock, duration, currentLang } from '../i18n.js';
import { shared } from '../styles.js';
import { connection, ApiError } from '../data/api.js';
import { lookupNumber, createCustomer, type Lookup, type Region, type HistoryItem } from '../data/crm.js';
import type { Party } from '../data/acd.js';

export function regionText(r: Region | null): string {
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

@customElement('screen-pop')
export class ScreenPop extends LangMixin(LitElement) {
  static override styles = [shared, css`
    label { display: block; margin: 6px 0 2px; }
    input { width: 100%; box-sizing: border-box; }
    ul.history { list-style: none; padding: 0; margin: 8px 0 0; max-height: 260px; overflow: auto; }
    ul.history li { padding: 3px 0; border-bottom: 1px solid #eef0f3; }
    h3 { margin: 8px 0; font-size: 15px; }
  `];

  // The call being popped; a new journey looks the caller up again.
  @property({ attribute: false }) party: Party | null = null;
  // The agent is free to dial (not in a call).
  @property({ attribute: false }) canDial = false;
  @state() private playing: number | null = null;
  @state() private lookup: Lookup | null = null;
  @state() private error = '';
  @state() private formError: ApiError | null = null;
  @state() private saved = false;
  private lookedUpFor = '';

  // The call's phase (ringing, talking, ended): when it moves on, the
  // history is fetched again so the call just finished shows as it ended.
  @property() phase = '';

  override willUpdate(changed: Map<string, unknown>): void {
    const p = this.party;
    if (p && p.journey === this.lookedUpFor && changed.has('phase') && changed.get('phase') !== undefined) {
      const journey = p.journey;
      lookupNumber(connection(), p.caller).then((l) => { if (this.lookedUpFor === journey) this.lookup = l; }, () => {});
      return;
    }
    if (!p || p.journey === this.lookedUpFor) return;
    this.lookedUpFor = p.journey;
    this.lookup = null;
    this.error = '';
    this.formError = null;
    this.saved = false;
    const journey = p.journey;
    lookupNumber(connection(), p.caller).then(
      (l) => { if (this.lookedUpFor === journey) this.lookup = l; },
      (e) => { if (this.lookedUpFor === journey) this.error = e instanceof Error ? e.message : String(e); },
    );
  }

  private async save(e: Event): Promise<void> {
    e.preventDefault();
    const data = new FormData(e.target as HTMLFormElement);
    const text = (k: string) => String(data.get(k) ?? '').trim();
    this.formError = null;
    const journey = this.lookedUpFor;
    try {
      await createCustomer(connection(), {
        name: text('name'), company: text('company'), address: text('address'),
        phones: [{ number: text('number') }],
      });
      const l = await lookupNumber(connection(), this.party?.caller ?? text('number'));
      if (this.lookedUpFor === journey) { this.lookup = l; this.saved = true; }
    } catch (err) {
      this.formError = err instanceof ApiError ? err : new ApiError({ id: 'internal', message: String(err) });
    }
  }

  private fieldError(path: string) {
    const msg = this.formError?.field(path);
    return msg ? html`<div class="error">${msg}</div>` : nothing;
  }

  private historyItem(h: HistoryItem) {
    if (h.type === 'note') return html`<li class="note"><span class="muted">${clock(h.at)}</span> ${h.note.author}: ${h.note.body}</li>`;
    const c = h.call;
    const recs = (h.recordings ?? []).filter((r) => !r.deleted);
    return html`<li class="call" data-journey=${c.journey}><span class="muted">${new Date(c.startedAt).toLocaleDateString()} ${clock(c.startedAt)}</span>
      ${tOr(`dir.${c.direction}`, c.direction)} · ${tOr(`disp.${c.disposition}`, c.disposition)} · ${duration(c.talkS)}${c.agent ? html` · ${t('agent')} ${c.agent}` : nothing}
      ${recs.map((r) => this.playing === r.id
        ? html`<div><audio controls autoplay preload="metadata" data-recording=${r.id} src=${r.url}></audio></div>`
        : html` <button data-action="play" data-recording=${r.id} @click=${() => { this.playing = r.id; }}>▶ ${t('play')}</button>`)}</li>`;
  }

  private dialButton(number: string) {
    return html`<button class="dial" data-number=${number} ?disabled=${!this.canDial} title=${t('agent.dial')}
      @click=${(e: Event) => { e.preventDefault(); this.dispatchEvent(new CustomEvent<string>('dial-number', { detail: number, bubbles: true, composed: true })); }}>☎ ${t('agent.dial')}</button>`;
  }

  override render() {
    const p = this.party;
    if (!p) return nothing;
    if (this.error) return html`<p class="error">${this.error}</p>`;
    const l = this.lookup;
    if (!l) return html`<p class="muted">${t('loading')}</p>`;
    const history = html`<h3>${t('contactHistory')}</h3>
      ${l.history.length ? html`<ul class="history" id="pop-history">${l.history.map((h) => this.historyItem(h))}</ul>` : html`<p class="muted">${t('noHistory')}</p>`}`;
    if (l.customer) {
      const c = l.customer;
      return html`<div id="customer" data-customer=${c.id} data-journey=${p.journey}>
        <h3>${t('knownCustomer')}: <span class="customer-name">${c.name}</span></h3>
        ${c.company ? html`<div>${t('company')}: ${c.company}</div>` : nothing}
        ${c.address ? html`<div>${t('address')}: ${c.address}</div>` : nothing}
        <div id="customer-phones">${c.phones.map((ph) => html`<div class="phone"><span class="number">${ph.number}</span> ${ph.label ? html`<span class="muted">${ph.label}</span> ` : nothing}${this.dialButton(ph.number)}</div>`)}</div>
        <div>${c.tags.map((tag) => html`<span class="state">${tag}</span> `)}</div>
        ${l.otherMatches ? html`<p class="muted">${t('otherMatches', { n: l.otherMatches })}</p>` : nothing}
        ${this.saved ? html`<p class="muted" id="saved">${t('saved')}</p>` : nothing}
        ${history}</div>`;
    }
    return html`<form id="new-customer" data-journey=${p.journey} @submit=${this.save}>
      <h3>${t('newCustomer')}</h3>
      <div class="muted" id="region">${t('region')}: ${regionText(l.region) || '–'}</div>
      <label>${t('caller')}</label><input name="number" .value=${p.caller}>${this.fieldError('phones')}
      ${/^[+0-9]{3,}$/.test(p.caller) ? html`<div>${this.dialButton(p.caller)}</div>` : nothing}
      <label>${t('name')}</label><input name="name" .value=${p.callerName}>${this.fieldError('name')}
      <label>${t('company')}</label><input name="company">${this.fieldError('company')}
      <label>${t('address')}</label><input name="address">${this.fieldError('address')}
      <p><button class="primary" id="save-customer">${t('save')}</button></p>
      ${this.formError && !this.formError.fields.length ? html`<p class="error">${this.formError.message}</p>` : nothing}
      ${l.history.length ? history : nothing}
    </form>`;
  }
}

declare global { interface HTMLElementTagNameMap { 'screen-pop': ScreenPop } }
