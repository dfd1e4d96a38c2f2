// The settings form of one E1 span: line (CRC-4, line code, clock),
// signalling type, and the R2 knobs (variant, max DNIS/ANI, ANI first,
// auto/immediate accept, skip category, double answer, DTMF dialing and
// detection) or the SS7 link (point codes in 3-8-3 /
// 8-8-8 notation or as numbers, network indicator, link code, CIC base).
// The server validates; its field errors are shown beside their fields and
// what was typed stays. Saving applies at once (signalling type and line
// settings at the next engine restart, which the page says).
import { LitElement, html, css, nothing } from 'lit';
import { customElement, property, state } from 'lit/decorators.js';
import { LangMixin } from '../lang-mixin.js';
import { t } from '../i18n.js';
import { shared } from '../styles.js';
import { connection, ApiError } from '../data/api.js';
import { putConfigDoc, docFields } from '../data/config.js';

type Doc = Record<string, unknown> & { r2?: Record<string, unknown>; ss7?: Record<string, unknown> };

const R2_DEFAULTS = {
  variant: 'china', dnisDigits: 0, askAni: 'after-dnis', aniDigits: 0, acceptAfterMs: 0,
  immediateAccept: false, skipCategory: false, doubleAnswer: false, dtmfDialing: false, dtmfDetection: false,
};
// The on/off R2 knobs, each a checkbox with its label and a hint (i18n keys span.<name>, span.<name>Hint).
const R2_FLAGS = ['immediateAccept', 'skipCategory', 'doubleAnswer', 'dtmfDialing', 'dtmfDetection'] as const;
const SS7_DEFAULTS = { variant: 'china', opc: '', dpc: '', networkIndicator: 'national', slc: 0, cicBase: 0 };

@customElement('span-settings')
export class SpanSettings extends LangMixin(LitElement) {
  static override styles = [shared, css`
    form { display: grid; grid-template-columns: max-content 1fr; gap: 6px 12px; align-items: center; }
    fieldset { grid-column: 1 / -1; display: grid; grid-template-columns: max-content 1fr; gap: 6px 12px; border: 1px solid #cbd2e0; border-radius: 4px; }
    .field-error { grid-column: 2; color: #b91c1c; font-size: 12px; margin-top: -4px; }
    .actions { grid-column: 1 / -1; display: flex; gap: 8px; }
    .note { grid-column: 1 / -1; }
  `];

  @property({ type: Number }) span = 0;
  @property({ attribute: false }) doc: Doc | null = null;
  @state() private draft: Doc = {};
  @state() private errors: Record<string, string> = {};
  @state() private message = '';
  @state() private busy = false;
  // What this form saved last: the page refetches after a save and hands the
  // same document back, which must not wipe the form's message.
  private saved = '';

  override willUpdate(changed: Map<string, unknown>): void {
    if (changed.has('doc') && !changed.has('span') && this.doc && JSON.stringify(this.doc) === this.saved) return;
    if (changed.has('doc') || changed.has('span')) {
      const d = this.doc ? structuredClone(this.doc) : { span: this.span, signalling: 'r2', crc4: true, lineCode: 'hdb3', clock: 'line' };
      this.draft = d as Doc;
      this.errors = {};
      this.message = '';
    }
  }

  private set(path: string, value: unknown): void {
    const d = structuredClone(this.draft);
    const [a, b] = path.split('.');
    if (b) (d as Record<string, Record<string, unknown>>)[a!] = { ...((d as Record<string, Record<string, unknown>>)[a!] ?? {}), [b]: value };
    else (d as Record<string, unknown>)[a!] = value;
    if (path === 'signalling') {
      if (value === 'ss7') { delete d.r2; d.ss7 = d.ss7 ?? { ...SS7_DEFAULTS }; } else { delete d.ss7; d.r2 = d.r2 ?? { ...R2_DEFAULTS }; }
    }
    this.draft = d;
    if (this.errors[path]) { const e = { ...this.errors }; delete e[path]; this.errors = e; }
  }

  // Point codes typed as digits only are numbers; dashed fields stay text.
  private pc(v: string): string | number { return /^[0-9]+$/.test(v) ? Number(v) : v; }

  private async save(ev: Event): Promise<void> {
    ev.preventDefault();
    this.busy = true;
    this.message = '';
    try {
      const doc = { ...this.draft, span: this.span };
      const r = await putConfigDoc(connection(), 'span', String(this.span), doc);
      this.saved = JSON.stringify(r.doc);
      this.errors = {};
      this.message = t('span.saved');
      this.dispatchEvent(new CustomEvent('saved', { bubbles: true, composed: true }));
    } catch (e) {
      if (e instanceof ApiError && e.fields?.length) {
        this.errors = Object.fromEntries(docFields(e.fields).map((f) => [f.path, f.message]));
        this.message = t('span.fixFields');
      } else {
        this.message = e instanceof Error ? e.message : String(e);
      }
    } finally {
      this.busy = false;
    }
  }

  private err(path: string) {
    return this.errors[path] ? html`<div class="field-error" data-error-for=${path}>${this.errors[path]}</div>` : nothing;
  }

  private select(path: string, value: unknown, options: string[]) {
    return html`<select name=${path} @change=${(e: Event) => this.set(path, (e.target as HTMLSelectElement).value)}>
      ${options.map((o) => html`<option value=${o} ?selected=${o === value}>${o}</option>`)}
    </select>${this.err(path)}`;
  }

  private num(path: string, value: unknown, min: number, max: number) {
    return html`<input name=${path} type="number" min=${min} max=${max} .value=${String(value ?? '')}
      @input=${(e: Event) => { const v = (e.target as HTMLInputElement).value; this.set(path, v === '' ? undefined : Number(v)); }}>${this.err(path)}`;
  }

  private check(path: string, value: unknown) {
    return html`<input type="checkbox" name=${path} .checked=${value === true}
      @change=${(e: Event) => this.set(path, (e.target as HTMLInputElement).checked)}>${this.err(path)}`;
  }

  private r2() {
    const r = { ...R2_DEFAULTS, ...(this.draft.r2 ?? {}) };
    return html`<fieldset id="r2"><legend>MFC/R2</legend>
      <label>${t('span.variant')}</label><div>${this.select('r2.variant', r.variant, ['china', 'itu'])}</div>
      <label>${t('span.dnisDigits')}</label><div>${this.num('r2.dnisDigits', r.dnisDigits, 0, 32)}</div>
      <label>${t('span.askAni')}</label><div>${this.select('r2.askAni', r.askAni, ['after-dnis', 'first', 'never'])}</div>
      <label>${t('span.aniDigits')}</label><div>${this.num('r2.aniDigits', r.aniDigits, 0, 32)}</div>
      <label>${t('span.acceptAfterMs')}</label><div>${this.num('r2.acceptAfterMs', r.acceptAfterMs, 0, 10000)}</div>
      ${R2_FLAGS.map((f) => html`<label title=${t(`span.${f}Hint` as const)}>${t(`span.${f}` as const)}</label>
        <div>${this.check(`r2.${f}`, r[f])} <span class="muted">${t(`span.${f}Hint` as const)}</span></div>`)}
    </fieldset>`;
  }

  private ss7() {
    const s = { ...SS7_DEFAULTS, ...(this.draft.ss7 ?? {}) };
    return html`<fieldset id="ss7"><legend>SS7 ISUP</legend>
      <label>${t('span.variant')}</label><div>${this.select('ss7.variant', s.variant, ['china', 'itu'])}</div>
      <label>${t('span.opc')}</label><div><input name="ss7.opc" .value=${String(s.opc ?? '')} placeholder=${s.variant === 'itu' ? '2-100-1' : '10-20-30'}
        @input=${(e: Event) => this.set('ss7.opc', this.pc((e.target as HTMLInputElement).value))}>${this.err('ss7.opc')}</div>
      <label>${t('span.dpc')}</label><div><input name="ss7.dpc" .value=${String(s.dpc ?? '')} placeholder=${s.variant === 'itu' ? '2-100-2' : '10-20-31'}
        @input=${(e: Event) => this.set('ss7.dpc', this.pc((e.target as HTMLInputElement).value))}>${this.err('ss7.dpc')}</div>
      <label>${t('span.ni')}</label><div>${this.select('ss7.networkIndicator', s.networkIndicator, ['national', 'national-spare', 'international', 'international-spare'])}</div>
      <label>SLC</label><div>${this.num('ss7.slc', s.slc, 0, 15)}</div>
      <label>${t('span.cicBase')}</label><div>${this.num('ss7.cicBase', s.cicBase, 0, 4064)}</div>
    </fieldset>`;
  }

  override render() {
    const d = this.draft;
    return html`<form id="span-form" @submit=${(e: Event) => this.save(e)}>
      <label>${t('span.name')}</label><div><input name="name" .value=${String(d.name ?? '')} maxlength="40"
        @input=${(e: Event) => this.set('name', (e.target as HTMLInputElement).value)}>${this.err('name')}</div>
      <label>${t('span.signalling')}</label><div>${this.select('signalling', d.signalling, ['r2', 'ss7'])}</div>
      <label>CRC-4</label><div><input type="checkbox" name="crc4" .checked=${d.crc4 !== false}
        @change=${(e: Event) => this.set('crc4', (e.target as HTMLInputElement).checked)}>${this.err('crc4')}</div>
      <label>${t('span.lineCode')}</label><div>${this.select('lineCode', d.lineCode ?? 'hdb3', ['hdb3', 'ami'])}</div>
      <label>${t('span.clock')}</label><div>${this.select('clock', d.clock ?? 'line', ['line', 'internal'])}</div>
      ${d.signalling === 'ss7' ? this.ss7() : this.r2()}
      ${this.err('ss7')}${this.err('r2')}
      <p class="muted note">${t('span.applyNote')}</p>
      <div class="actions"><button class="primary" type="submit" ?disabled=${this.busy}>${t('span.save')}</button>
        <span id="span-message" class=${Object.keys(this.errors).length ? 'error' : 'muted'}>${this.message}</span></div>
    </form>`;
  }
}

declare global { interface HTMLElementTagNameMap { 'span-settings': SpanSettings } }
