// Screening (admins): the blacklist and the VIP list, each entry with its
// match, and what a blocked caller gets or where a VIP goes. An entry is
// added or removed through the configuration (kind "screening"); the box's
// errors are shown next to the field they name. Numbers are line data: text
// bindings only.
import { LitElement, html, css, nothing } from 'lit';
import { customElement, state } from 'lit/decorators.js';
import { LangMixin } from '../lang-mixin.js';
import { t, tOr } from '../i18n.js';
import { shared } from '../styles.js';
import { connection, ApiError, type FieldError } from '../data/api.js';
import { fetchConfigDocs, putConfigDoc, removeConfigDoc, docFields, type ConfigDoc } from '../data/config.js';

interface Entry { id: string; list: 'block' | 'vip'; match: { type: string; value?: string }; action?: string; destination?: { type: string; [k: string]: unknown }; note?: string; expiresAt?: string }
const ACTIONS = ['busy', 'congestion', 'hangup', 'voicemail', 'announcement'];
const VIP_DEST: Record<string, { kind: string; field: string }> = { extension: { kind: 'extension', field: 'ext' }, queue: { kind: 'queue', field: 'queue' }, ivr: { kind: 'ivr', field: 'menu' }, voicemail: { kind: 'mailbox', field: 'box' } };

@customElement('screening-panel')
export class ScreeningPanel extends LangMixin(LitElement) {
  static override styles = [shared, css`
    form.add { display: grid; grid-template-columns: max-content 1fr; gap: 6px 10px; align-items: center; max-width: 640px; }
    .field-error { color: #b42318; font-size: 12px; grid-column: 2; }
    td { white-space: normal; }
  `];

  @state() private entries: Entry[] = [];
  @state() private targets: Record<string, string[]> = {};
  @state() private list: 'block' | 'vip' = 'block';
  @state() private matchType = 'exact';
  @state() private destType = 'extension';
  @state() private fields: FieldError[] = [];
  @state() private message = '';
  @state() private ok = '';

  override connectedCallback(): void {
    super.connectedCallback();
    void this.load();
  }

  private async load(): Promise<void> {
    const conn = connection();
    const [s, ...rest] = await Promise.all(['screening', 'extension', 'queue', 'ivr', 'mailbox'].map((k) => fetchConfigDocs(conn, k).catch(() => [] as ConfigDoc[])));
    this.entries = s!.map((d) => d.doc as unknown as Entry);
    this.targets = Object.fromEntries(['extension', 'queue', 'ivr', 'mailbox'].map((k, i) => [k, rest[i]!.map((d) => d.id)]));
    if (this.targets.mailbox) this.targets.mailbox = [...this.targets.mailbox, ...rest[0]!.filter((d) => (d.doc.voicemail as { enabled?: boolean } | undefined)?.enabled).map((d) => d.id)];
  }

  private err(path: string) {
    const list = this.fields.filter((f) => f.path === path || f.path.startsWith(`${path}.`));
    return list.map((f) => html`<div class="field-error" data-path=${f.path}>${f.message}</div>`);
  }

  private async add(e: Event): Promise<void> {
    e.preventDefault();
    const f = e.target as HTMLFormElement;
    const v = (n: string) => ((f.elements.namedItem(n) as HTMLInputElement | HTMLSelectElement | null)?.value ?? '').trim();
    this.fields = []; this.message = ''; this.ok = '';
    const id = v('id');
    if (!id) { this.fields = [{ path: 'id', message: t('screen.needId') }]; return; }
    if (this.entries.some((x) => x.id === id)) { this.fields = [{ path: 'id', message: t('screen.idTaken', { id }) }]; return; }
    const doc: Entry = { id, list: this.list, match: this.matchType === 'anonymous' ? { type: 'anonymous' } : { type: this.matchType, value: v('value') }, note: v('note') };
    if (this.list === 'block') doc.action = v('action');
    else {
      const d = VIP_DEST[this.destType]!;
      doc.destination = { type: this.destType, [d.field]: v('target') };
    }
    try {
      await putConfigDoc(connection(), 'screening', id, doc);
      this.ok = t('saved');
      f.reset();
      await this.load();
    } catch (err) {
      if (err instanceof ApiError && err.fields.length) this.fields = docFields(err.fields);
      else this.message = err instanceof ApiError ? err.message : String(err);
    }
  }

  private async removeEntry(id: string): Promise<void> {
    this.message = '';
    try { await removeConfigDoc(connection(), 'screening', id); await this.load(); } catch (e) { this.message = e instanceof ApiError ? e.message : String(e); }
  }

  private table(list: 'block' | 'vip') {
    const rows = this.entries.filter((e) => e.list === list);
    return html`<table id=${`${list}-list`}>
      <thead><tr><th>ID</th><th>${t('screen.match')}</th><th>${list === 'block' ? t('screen.action') : t('screen.destination')}</th><th>${t('screen.note')}</th><th>${t('screen.expires')}</th><th></th></tr></thead>
      <tbody>${rows.map((e) => html`<tr data-entry=${e.id}>
        <td>${e.id}</td>
        <td>${tOr(`match.${e.match.type}`, e.match.type)} <code>${e.match.value ?? ''}</code></td>
        <td>${list === 'block' ? tOr(`action.${e.action ?? 'busy'}`, e.action ?? 'busy') : e.destination ? `${tOr(`dest.${e.destination.type}`, e.destination.type)} ${Object.entries(e.destination).filter(([k]) => k !== 'type').map(([, x]) => String(x)).join(' ')}` : '–'}</td>
        <td>${e.note ?? ''}</td><td>${e.expiresAt ?? ''}</td>
        <td><button class="remove" @click=${() => this.removeEntry(e.id)}>${t('remove')}</button></td>
      </tr>`)}
      ${rows.length ? nothing : html`<tr><td colspan="6" class="muted">${t('screen.empty')}</td></tr>`}</tbody>
    </table>`;
  }

  override render() {
    const d = VIP_DEST[this.destType]!;
    return html`
      <h2>${t('screen.blacklist')}</h2>${this.table('block')}
      <h2>${t('screen.vips')}</h2>${this.table('vip')}
      <div class="card" style="margin-top:16px">
        <h2>${t('screen.add')}</h2>
        <form class="add" id="screen-add" @submit=${this.add}>
          <label for="s-list">${t('screen.list')}</label>
          <select id="s-list" name="list" @change=${(e: Event) => { this.list = (e.target as HTMLSelectElement).value as 'block' | 'vip'; }}>
            <option value="block" ?selected=${this.list === 'block'}>${t('screen.blacklist')}</option><option value="vip" ?selected=${this.list === 'vip'}>${t('screen.vips')}</option></select>
          <label for="s-id">ID</label><input id="s-id" name="id" maxlength="40">${this.err('id')}
          <label for="s-match">${t('screen.match')}</label>
          <span><select id="s-match" name="matchType" @change=${(e: Event) => { this.matchType = (e.target as HTMLSelectElement).value; }}>
            ${['exact', 'prefix', 'pattern', 'anonymous'].map((m) => html`<option value=${m} ?selected=${m === this.matchType}>${tOr(`match.${m}`, m)}</option>`)}</select>
            ${this.matchType === 'anonymous' ? nothing : html`<input id="s-value" name="value" maxlength="40" placeholder="13800138000">`}</span>
          ${this.err('match')}
          ${this.list === 'block' ? html`<label for="s-action">${t('screen.action')}</label>
            <select id="s-action" name="action">${ACTIONS.map((a) => html`<option value=${a}>${tOr(`action.${a}`, a)}</option>`)}</select>${this.err('action')}`
          : html`<label for="s-dest">${t('screen.destination')}</label>
            <span><select id="s-dest" name="destType" @change=${(e: Event) => { this.destType = (e.target as HTMLSelectElement).value; }}>
              ${Object.keys(VIP_DEST).map((x) => html`<option value=${x} ?selected=${x === this.destType}>${tOr(`dest.${x}`, x)}</option>`)}</select>
              <select id="s-target" name="target">${(this.targets[d.kind] ?? []).map((x) => html`<option value=${x}>${x}</option>`)}</select></span>
            ${this.err('destination')}`}
          <label for="s-note">${t('screen.note')}</label><input id="s-note" name="note" maxlength="200">${this.err('note')}
          <span></span><span><button class="primary" id="screen-save" type="submit">${t('screen.addButton')}</button> <span class="muted" id="screen-ok">${this.ok}</span></span>
        </form>
        ${this.message ? html`<p class="error" id="screen-error">${this.message}</p>` : nothing}
        ${this.fields.filter((f) => !/^(id|match|action|destination|note)\b/.test(f.path)).map((f) => html`<p class="error"><code>${f.path}</code> ${f.message}</p>`)}
      </div>`;
  }
}

declare global { interface HTMLElementTagNameMap { 'screening-panel': ScreeningPanel } }
