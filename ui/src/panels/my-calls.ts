// The agent's own calls (acd/me/history), newest first, each with its
// disposition tags and note, its recordings playable in the browser (the
// recording route serves an agent their own calls only), and the wrap-up form:
// a note and disposition tags saved on the call (and on the customer's
// history when the caller is a known customer). `current` is the call just
// taken: its wrap-up form opens by itself. Numbers and names come from the
// line: text bindings only.
import { LitElement, html, css, nothing } from 'lit';
import { customElement, property, state } from 'lit/decorators.js';
import { LangMixin } from '../lang-mixin.js';
import { t, tOr, duration, clock } from '../i18n.js';
import { shared } from '../styles.js';
import { connection, ApiError } from '../data/api.js';
import { subscribeMyHistory, saveWrapUp, type MyCall } from '../data/acd.js';

@customElement('my-calls')
export class MyCalls extends LangMixin(LitElement) {
  static override styles = [shared, css`
    textarea { width: 100%; box-sizing: border-box; min-height: 64px; }
    .tags { display: flex; gap: 10px; flex-wrap: wrap; margin: 6px 0; }
    .tags label { white-space: nowrap; }
    td.note { white-space: normal; max-width: 280px; }
    .tag { display: inline-block; padding: 0 6px; margin-right: 3px; border-radius: 8px; background: #e0e7ff; font-size: 12px; }
    audio { width: 280px; height: 32px; vertical-align: middle; }
    tr.editing td { background: #eef2ff; }
  `];

  // The journey of the agent's current or last call.
  @property({ attribute: false }) current: string | null = null;
  @state() private calls: MyCall[] | null = null;
  @state() private tagChoices: string[] = [];
  @state() private error = '';
  @state() private editing: string | null = null;
  @state() private note = '';
  @state() private tags = new Set<string>();
  @state() private custom = '';
  @state() private saveError: ApiError | null = null;
  @state() private savedFor = '';
  @state() private playing: number | null = null;
  private autoOpened = '';
  private stop: (() => void) | null = null;

  override connectedCallback(): void {
    super.connectedCallback();
    this.stop = subscribeMyHistory(connection(), (h) => {
      this.calls = h.calls;
      this.tagChoices = h.tags;
      this.error = '';
      this.openCurrent();
    }, (e) => { this.error = e instanceof Error ? e.message : String(e); });
  }

  override disconnectedCallback(): void {
    this.stop?.();
    super.disconnectedCallback();
  }

  override willUpdate(changed: Map<string, unknown>): void {
    if (changed.has('current')) this.openCurrent();
  }

  // The call just taken gets its wrap-up form without a click, once.
  private openCurrent(): void {
    const j = this.current;
    if (!j || j === this.autoOpened || !this.calls?.some((c) => c.cdr.journey === j)) return;
    this.autoOpened = j;
    if (!this.editing) this.edit(j);
  }

  private edit(journey: string): void {
    const c = this.calls?.find((x) => x.cdr.journey === journey);
    this.editing = journey;
    this.note = c?.wrapup?.note ?? '';
    this.tags = new Set(c?.wrapup?.tags ?? []);
    this.custom = '';
    this.saveError = null;
    this.savedFor = '';
  }

  private toggle(tag: string, on: boolean): void {
    const next = new Set(this.tags);
    if (on) next.add(tag); else next.delete(tag);
    this.tags = next;
  }

  private async save(e: Event): Promise<void> {
    e.preventDefault();
    const journey = this.editing;
    if (!journey) return;
    const tags = [...this.tags];
    const extra = this.custom.trim().toLowerCase();
    if (extra) tags.push(extra);
    this.saveError = null;
    try {
      await saveWrapUp(connection(), journey, this.note, tags);
      this.savedFor = journey;
      this.custom = '';
      if (extra) this.tags = new Set(tags);
    } catch (err) {
      this.saveError = err instanceof ApiError ? err : new ApiError({ id: 'internal', message: String(err) });
    }
  }

  private fieldError(path: string) {
    const msg = this.saveError?.field(path) ?? (path === 'tags' ? this.saveError?.fields.find((f) => f.path.startsWith('tags'))?.message : undefined);
    return msg ? html`<div class="error" data-field-error=${path}>${msg}</div>` : nothing;
  }

  private form() {
    const j = this.editing;
    if (!j) return nothing;
    const c = this.calls?.find((x) => x.cdr.journey === j);
    const choices = [...new Set([...this.tagChoices, ...this.tags])];
    return html`<form class="card" id="wrapup" data-journey=${j} @submit=${this.save}>
      <h2>${t('agent.wrapUp')}${c ? html` · <span class="caller">${c.cdr.direction === 'outbound' ? c.cdr.callee : c.cdr.caller}</span> · ${clock(c.cdr.startedAt)}` : nothing}</h2>
      <div class="tags" id="wrapup-tags">${choices.map((tag) => html`<label><input type="checkbox" name="tag" value=${tag} .checked=${this.tags.has(tag)}
        @change=${(e: Event) => this.toggle(tag, (e.target as HTMLInputElement).checked)}> ${tOr(`wrap.${tag}`, tag)}</label>`)}
        <input id="wrapup-custom" placeholder=${t('agent.otherTag')} .value=${this.custom} @input=${(e: Event) => { this.custom = (e.target as HTMLInputElement).value; }}></div>
      ${this.fieldError('tags')}
      <textarea id="wrapup-note" placeholder=${t('agent.notePlaceholder')} .value=${this.note} @input=${(e: Event) => { this.note = (e.target as HTMLTextAreaElement).value; }}></textarea>
      ${this.fieldError('note')}
      <p><button class="primary" id="wrapup-save">${t('save')}</button>
        <button type="button" id="wrapup-close" @click=${() => { this.editing = null; }}>${t('agent.close')}</button>
        ${this.savedFor === j ? html`<span class="muted" id="wrapup-saved">${c?.wrapup?.customerId ? t('agent.savedOnCustomer') : t('saved')}</span>` : nothing}</p>
      ${this.saveError && !this.saveError.fields.length ? html`<p class="error">${this.saveError.message}</p>` : nothing}
    </form>`;
  }

  private row(c: MyCall) {
    const d = c.cdr;
    const party = d.direction === 'outbound' ? d.callee : d.caller;
    const recs = c.recordings.filter((r) => !r.deleted);
    return html`<tr data-journey=${d.journey} class=${this.editing === d.journey ? 'editing' : ''}>
      <td>${new Date(d.startedAt).toLocaleDateString()} ${clock(d.startedAt)}</td>
      <td>${tOr(`dir.${d.direction}`, d.direction)}</td>
      <td class="caller">${party}</td><td class="caller-name">${d.direction === 'outbound' ? '' : d.callerName}</td>
      <td data-disposition=${d.disposition}>${tOr(`disp.${d.disposition}`, d.disposition)}</td>
      <td class="num">${duration(d.talkS)}</td>
      <td class="wrap-tags">${(c.wrapup?.tags ?? []).map((tag) => html`<span class="tag">${tOr(`wrap.${tag}`, tag)}</span>`)}</td>
      <td class="note">${c.wrapup?.note ?? ''}</td>
      <td>${recs.map((r) => this.playing === r.id
        ? html`<audio controls autoplay preload="metadata" data-recording=${r.id} src=${r.url}></audio>`
        : html`<button data-action="play" data-recording=${r.id} title=${duration(r.durationMs === null ? null : r.durationMs / 1000)} @click=${() => { this.playing = r.id; }}>▶ ${t('play')}</button>`)}</td>
      <td><button data-action="wrapup" @click=${() => this.edit(d.journey)}>${c.wrapup ? t('agent.editWrapUp') : t('agent.wrapUp')}</button></td>
    </tr>`;
  }

  override render() {
    if (this.error) return html`<p class="error" id="history-error">${this.error}</p>`;
    const calls = this.calls;
    if (!calls) return html`<p class="muted">${t('loading')}</p>`;
    return html`${this.form()}
      ${!calls.length ? html`<p class="muted" id="no-history">${t('agent.noHistory')}</p>` : html`
      <table id="my-history">
        <thead><tr><th>${t('time')}</th><th>${t('direction')}</th><th>${t('agent.number')}</th><th>${t('callerName')}</th><th>${t('disposition')}</th>
          <th class="num">${t('talk')}</th><th>${t('agent.tags')}</th><th>${t('agent.note')}</th><th>${t('agent.recording')}</th><th></th></tr></thead>
        <tbody>${calls.map((c) => this.row(c))}</tbody>
      </table>`}`;
  }
}

declare global { interface HTMLElementTagNameMap { 'my-calls': MyCalls } }
