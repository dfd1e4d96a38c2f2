// Time conditions (admins): the weekly schedule, holidays and shifted
// workdays of one time condition (edited as JSON, checked by the box, errors
// by field); a month calendar of each day's state; and "what happens at X":
// a caller number and a wall time in the condition's zone, answered by
// routing/preview/run with the route, the time condition's state and the
// destination.
import { LitElement, html, css, nothing } from 'lit';
import { customElement, state } from 'lit/decorators.js';
import { LangMixin } from '../lang-mixin.js';
import { t, tOr, currentLang } from '../i18n.js';
import { shared } from '../styles.js';
import { connection, ApiError, type FieldError } from '../data/api.js';
import { fetchConfigDocs, validateConfigDoc, putConfigDoc, docFields, type ConfigDoc } from '../data/config.js';
import { previewCall, type CallPreview } from '../data/routing.js';

const WEEKDAYS = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'] as const;
interface Period { state: string; start: string; end: string }
interface Tc {
  name?: string; timezone?: string; dayState?: string; defaultState?: string;
  weekly?: Partial<Record<(typeof WEEKDAYS)[number], Period[]>>;
  holidays?: { name: string; from: string; to: string }[];
  specialWorkdays?: { date: string; name?: string; followsWeekday?: string }[];
}
export type DayKind = 'work' | 'off' | 'holiday' | 'shifted';

const ymd = (y: number, m: number, d: number) => `${y}-${String(m + 1).padStart(2, '0')}-${String(d).padStart(2, '0')}`;

// A date's kind from the document: a holiday, a shifted workday (调休), else
// whether its weekday has periods of the day state.
export function dayKind(tc: Tc, date: string): { kind: DayKind; name: string } {
  const h = (tc.holidays ?? []).find((x) => x.from <= date && date <= x.to);
  if (h) return { kind: 'holiday', name: h.name };
  const s = (tc.specialWorkdays ?? []).find((x) => x.date === date);
  if (s) return { kind: 'shifted', name: s.name ?? '' };
  const wd = WEEKDAYS[(new Date(`${date}T12:00:00Z`).getUTCDay() + 6) % 7]!;
  const work = (tc.weekly?.[wd] ?? []).some((p) => p.state === (tc.dayState ?? 'work'));
  return { kind: work ? 'work' : 'off', name: '' };
}

// The UTC instant of a wall time (YYYY-MM-DDTHH:MM) in an IANA zone.
export function zonedToUtc(wall: string, zone: string): Date {
  const [d, hm] = wall.split('T');
  const [y, mo, da] = d!.split('-').map(Number);
  const [h, mi] = (hm ?? '00:00').split(':').map(Number);
  const guess = Date.UTC(y!, mo! - 1, da!, h!, mi!);
  const fmt = new Intl.DateTimeFormat('en-US', { timeZone: zone, hourCycle: 'h23', year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit' });
  const offset = (ms: number) => {
    const p = Object.fromEntries(fmt.formatToParts(new Date(ms)).map((x) => [x.type, x.value]));
    return Date.UTC(+p.year!, +p.month! - 1, +p.day!, +p.hour!, +p.minute!) - ms;
  };
  let utc = guess - offset(guess);
  utc = guess - offset(utc);
  return new Date(utc);
}

@customElement('time-panel')
export class TimePanel extends LangMixin(LitElement) {
  static override styles = [shared, css`
    .cols { display: grid; grid-template-columns: minmax(0, 1fr) minmax(0, 1fr); gap: 16px; align-items: start; }
    .cal { display: grid; grid-template-columns: repeat(7, minmax(0, 1fr)); gap: 3px; }
    .cal .hd { font-size: 12px; color: #6b7280; text-align: center; }
    .cal .day { min-height: 40px; border-radius: 4px; padding: 2px 4px; font-size: 12px; background: #f3f4f6; }
    .cal .day.work { background: #d1fae5; }
    .cal .day.holiday { background: #fee2e2; }
    .cal .day.shifted { background: #fef3c7; }
    .cal .day .n { font-weight: 600; }
    .cal .day .nm { font-size: 10px; overflow: hidden; white-space: nowrap; text-overflow: ellipsis; }
    .legend span { display: inline-block; padding: 0 6px; border-radius: 4px; margin-right: 6px; font-size: 12px; }
    textarea { width: 100%; min-height: 240px; box-sizing: border-box; font: 12px ui-monospace, monospace; }
    #preview-result ol { margin: 4px 0; padding-left: 20px; }
    .dest { font-size: 16px; font-weight: 600; }
    td { white-space: normal; }
  `];

  @state() private tcs: ConfigDoc[] = [];
  @state() private selected = '';
  @state() private month = new Date().toISOString().slice(0, 7);
  @state() private json = '';
  @state() private editing = false;
  @state() private fields: FieldError[] = [];
  @state() private message = '';
  @state() private ok = '';
  @state() private preview: CallPreview | null = null;
  @state() private previewError = '';

  override connectedCallback(): void {
    super.connectedCallback();
    void this.load();
  }

  private async load(): Promise<void> {
    this.tcs = await fetchConfigDocs(connection(), 'timeCondition').catch(() => []);
    if (!this.selected && this.tcs[0]) this.selected = this.tcs[0].id;
  }

  private get tc(): Tc { return (this.tcs.find((x) => x.id === this.selected)?.doc ?? {}) as Tc; }

  private edit(): void {
    this.json = JSON.stringify(this.tc, null, 2);
    this.editing = true;
    this.fields = []; this.message = ''; this.ok = '';
  }

  private async send(save: boolean): Promise<void> {
    this.fields = []; this.message = ''; this.ok = '';
    let doc: unknown;
    try { doc = JSON.parse(this.json); } catch (e) { this.message = t('invalidJson', { msg: (e as Error).message }); return; }
    try {
      const conn = connection();
      await validateConfigDoc(conn, 'timeCondition', this.selected, doc);
      if (save) {
        const r = await putConfigDoc(conn, 'timeCondition', this.selected, doc);
        this.tcs = this.tcs.map((x) => (x.id === r.id ? r : x));
        this.editing = false;
      }
      this.ok = save ? t('saved') : t('valid');
    } catch (e) {
      if (e instanceof ApiError && e.fields.length) this.fields = docFields(e.fields);
      else this.message = e instanceof ApiError ? e.message : String(e);
    }
  }

  private async runPreview(e: Event): Promise<void> {
    e.preventDefault();
    const f = e.target as HTMLFormElement;
    const caller = (f.elements.namedItem('caller') as HTMLInputElement).value.trim();
    const wall = (f.elements.namedItem('at') as HTMLInputElement).value;
    this.preview = null; this.previewError = '';
    if (!wall) { this.previewError = t('time.needTime'); return; }
    try {
      const at = zonedToUtc(wall, this.tc.timezone ?? 'Asia/Shanghai').toISOString();
      this.preview = await previewCall(connection(), { caller, at });
    } catch (err) {
      this.previewError = err instanceof ApiError ? (err.fields.map((x) => `${x.path}: ${x.message}`).join('; ') || err.message) : String(err);
    }
  }

  private shiftMonth(n: number): void {
    const [y, m] = this.month.split('-').map(Number);
    const d = new Date(Date.UTC(y!, m! - 1 + n, 1));
    this.month = d.toISOString().slice(0, 7);
  }

  private calendar() {
    const [y, m] = this.month.split('-').map(Number) as [number, number];
    const first = new Date(Date.UTC(y, m - 1, 1));
    const days = new Date(Date.UTC(y, m, 0)).getUTCDate();
    const lead = (first.getUTCDay() + 6) % 7;
    const tc = this.tc;
    const title = first.toLocaleDateString(currentLang() === 'zh' ? 'zh-CN' : 'en-GB', { year: 'numeric', month: 'long', timeZone: 'UTC' });
    return html`<div class="card">
      <div><button id="prev-month" @click=${() => this.shiftMonth(-1)}>‹</button> <b id="month-title">${title}</b> <button id="next-month" @click=${() => this.shiftMonth(1)}>›</button>
        <input type="month" id="month" .value=${this.month} @change=${(e: Event) => { const v = (e.target as HTMLInputElement).value; if (v) this.month = v; }}></div>
      <p class="legend"><span class="day work" style="background:#d1fae5">${t('time.work')}</span><span style="background:#f3f4f6">${t('time.off')}</span><span style="background:#fee2e2">${t('time.holiday')}</span><span style="background:#fef3c7">${t('time.shifted')}</span></p>
      <div class="cal" id="calendar">
        ${WEEKDAYS.map((w) => html`<div class="hd">${tOr(`wd.${w}`, w)}</div>`)}
        ${Array.from({ length: lead }, () => html`<div></div>`)}
        ${Array.from({ length: days }, (_, i) => {
          const date = ymd(y, m - 1, i + 1);
          const k = dayKind(tc, date);
          return html`<div class="day ${k.kind}" data-date=${date} data-state=${k.kind} title=${`${t(`time.${k.kind}`)}${k.name ? ` · ${k.name}` : ''}`}><div class="n">${i + 1}</div><div class="nm">${k.name}</div></div>`;
        })}
      </div>
    </div>`;
  }

  private previewView() {
    const p = this.preview;
    if (!p) return nothing;
    const dest = p.outcome === 'blocked' ? `${t('time.blocked')} (${p.entry}: ${p.why}) → ${p.action}`
      : p.outcome === 'vip' ? `VIP ${p.entry} → ${JSON.stringify(p.destination)}`
      : p.outcome === 'unmatched' ? t('time.noRoute') : `${p.description}`;
    return html`<div id="preview-result" data-outcome=${p.outcome}>
      <div class="dest" id="preview-destination">→ ${dest}</div>
      ${p.route ? html`<div>${t('time.route')}: <b>${p.route}</b></div>` : nothing}
      ${p.trace?.length ? html`<ol id="preview-trace">${p.trace.map((s) => html`<li data-kind=${s.kind} data-state=${s.state ?? ''}>${s.text}</li>`)}</ol>` : nothing}
      ${p.problems?.length ? html`<div class="error">${p.problems.join('; ')}</div>` : nothing}
    </div>`;
  }

  override render() {
    const tc = this.tc;
    return html`
      <p><label>${t('time.condition')} <select id="tc-select" @change=${(e: Event) => { this.selected = (e.target as HTMLSelectElement).value; this.editing = false; }}>
        ${this.tcs.map((d) => html`<option value=${d.id} ?selected=${d.id === this.selected}>${d.id}${(d.doc as Tc).name ? ` · ${(d.doc as Tc).name}` : ''}</option>`)}
      </select></label> <span class="muted">${tc.timezone ?? ''}</span></p>
      <div class="cols">
        <div>
          <div class="card"><h2>${t('time.weekly')}</h2>
            <table id="weekly"><tbody>${WEEKDAYS.map((w) => html`<tr data-day=${w}><th>${tOr(`wd.${w}`, w)}</th>
              <td>${(tc.weekly?.[w] ?? []).map((p) => html`<span class="state ${p.state === (tc.dayState ?? 'work') ? 'ready' : ''}">${p.state} ${p.start}–${p.end}</span> `)}
              ${(tc.weekly?.[w] ?? []).length ? nothing : html`<span class="muted">${tc.defaultState ?? 'night'}</span>`}</td></tr>`)}</tbody></table>
            <h2>${t('time.holidays')}</h2>
            <table id="holidays"><tbody>${(tc.holidays ?? []).map((h) => html`<tr><td>${h.name}</td><td>${h.from} – ${h.to}</td></tr>`)}</tbody></table>
            <h2>${t('time.specialWorkdays')}</h2>
            <table id="special-workdays"><tbody>${(tc.specialWorkdays ?? []).map((s) => html`<tr><td>${s.date}</td><td>${s.name ?? ''}</td><td>${t('time.follows')} ${tOr(`wd.${s.followsWeekday ?? 'mon'}`, s.followsWeekday ?? 'mon')}</td></tr>`)}</tbody></table>
            <p>${this.editing ? nothing : html`<button id="tc-edit" @click=${this.edit}>${t('time.editJson')}</button>`} <span class="muted" id="tc-ok">${this.ok}</span></p>
            ${this.editing ? html`
              <textarea id="tc-json" spellcheck="false" .value=${this.json} @input=${(e: Event) => { this.json = (e.target as HTMLTextAreaElement).value; }}></textarea>
              <p><button id="tc-validate" @click=${() => this.send(false)}>${t('validate')}</button>
                 <button id="tc-save" class="primary" @click=${() => this.send(true)}>${t('save')}</button>
                 <button @click=${() => { this.editing = false; }}>${t('cancel')}</button></p>` : nothing}
            ${this.message ? html`<p class="error">${this.message}</p>` : nothing}
            ${this.fields.length ? html`<ul class="error" id="tc-errors">${this.fields.map((f) => html`<li><code>${f.path}</code> ${f.message}</li>`)}</ul>` : nothing}
          </div>
        </div>
        <div>
          ${this.calendar()}
          <form class="card" id="preview-form" @submit=${this.runPreview}>
            <h2>${t('time.previewTitle')}</h2>
            <label>${t('time.caller')} <input name="caller" id="preview-caller" inputmode="tel" size="14"></label>
            <label>${t('time.at')} (${tc.timezone ?? 'Asia/Shanghai'}) <input type="datetime-local" name="at" id="preview-at"></label>
            <button class="primary" id="preview-run" type="submit">${t('time.run')}</button>
            ${this.previewError ? html`<p class="error" id="preview-error">${this.previewError}</p>` : nothing}
            ${this.previewView()}
          </form>
        </div>
      </div>`;
  }
}

declare global { interface HTMLElementTagNameMap { 'time-panel': TimePanel } }
