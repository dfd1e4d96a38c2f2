// The IVR editor (admins): an IVR drawn as a tree of its menus from the start
// menu (each menu: its prompts with play buttons, its keys and where they
// lead, timeout and invalid-key handling; sub-menus nested under the menu
// whose key leads there). A destination is edited with a form whose target
// list comes from the configuration (extensions, queues, IVRs, voicemail
// boxes, this IVR's menus). Each change is checked by the box at once
// (config/doc/validate) and its errors are shown next to the node or field
// they name; Save validates again and then puts the document.
import { LitElement, html, css, nothing, type TemplateResult } from 'lit';
import { customElement, state } from 'lit/decorators.js';
import { LangMixin } from '../lang-mixin.js';
import { t, tOr } from '../i18n.js';
import { shared } from '../styles.js';
import { connection, ApiError, type FieldError } from '../data/api.js';
import { fetchConfigDocs, validateConfigDoc, putConfigDoc, docFields, type ConfigDoc } from '../data/config.js';
import { fetchPrompts, uploadPrompt, promptUrl, type Prompt } from '../data/prompts.js';

export interface Dest { type: string; [field: string]: unknown }
interface Menu {
  prompt: string | string[];
  keys: Record<string, Dest>;
  timeoutMs?: number;
  retries?: number;
  onTimeout?: Dest;
  onInvalid?: Dest;
  onExhausted?: Dest;
  [k: string]: unknown;
}
interface Ivr { id: string; name: string; language: 'zh' | 'en'; start: string; menus: Record<string, Menu>; [k: string]: unknown }

const KEYS = ['1', '2', '3', '4', '5', '6', '7', '8', '9', '*', '0', '#'];
export const DEST_TYPES = ['menu', 'back', 'repeat', 'extension', 'queue', 'voicemail', 'external', 'operator', 'hangup', 'ivr'] as const;
// The field that names where a destination of each type leads.
export const TARGET_FIELD: Record<string, string> = { menu: 'menu', extension: 'ext', queue: 'queue', voicemail: 'box', external: 'number', ivr: 'id' };
const HANDLERS = ['onTimeout', 'onInvalid', 'onExhausted'] as const;

interface Editing { menu: string; field: string; type: string; target: string }
type Targets = Record<string, { value: string; label: string }[]>;

const prompts = (p: string | string[] | undefined): string[] => (p === undefined ? [] : typeof p === 'string' ? [p] : p);
const clone = <T>(v: T): T => JSON.parse(JSON.stringify(v)) as T;

@customElement('ivr-editor')
export class IvrEditor extends LangMixin(LitElement) {
  static override styles = [shared, css`
    .bar { display: flex; gap: 8px; align-items: center; flex-wrap: wrap; margin-bottom: 12px; }
    ul.tree { list-style: none; margin: 0; padding-left: 24px; border-left: 2px solid #cbd5e1; }
    ul.tree.root { padding-left: 0; border-left: none; }
    li.menu { margin: 8px 0; }
    .node { background: #fff; border: 1px solid #d5dae3; border-radius: 6px; padding: 8px 12px; }
    .node.has-error { border-color: #b42318; }
    .node-head { font-weight: 600; display: flex; gap: 8px; align-items: center; }
    .badge { font-size: 11px; background: #dbeafe; color: #1e40af; border-radius: 8px; padding: 0 6px; font-weight: 400; }
    .via { color: #6b7280; font-size: 12px; margin: 6px 0 2px; }
    .chip { display: inline-flex; align-items: center; gap: 4px; background: #f0f2f5; border-radius: 12px; padding: 1px 4px 1px 8px; margin: 2px 4px 2px 0; }
    .chip button { padding: 0 6px; border-radius: 10px; }
    table.keys { width: auto; min-width: 420px; margin: 6px 0; }
    table.keys td { white-space: normal; }
    .field-error { color: #b42318; font-size: 12px; }
    form.dest { display: flex; gap: 6px; align-items: center; flex-wrap: wrap; background: #f8fafc; border: 1px dashed #94a3b8; padding: 6px; margin: 4px 0; }
    .handling { font-size: 13px; margin-top: 4px; }
    .handling div { margin: 2px 0; }
    .upload { margin-top: 16px; }
  `];

  @state() private ivrs: ConfigDoc[] = [];
  @state() private selected = '';
  @state() private draft: Ivr | null = null;
  @state() private targets: Targets = {};
  @state() private promptList: Prompt[] = [];
  @state() private fields: FieldError[] = [];
  @state() private editing: Editing | null = null;
  @state() private message = '';
  @state() private ok = '';
  @state() private dirty = false;
  @state() private uploadMsg = '';
  private player: HTMLAudioElement | null = null;

  override connectedCallback(): void {
    super.connectedCallback();
    void this.load();
  }

  private async load(): Promise<void> {
    const conn = connection();
    const [ivrs, ext, queues, boxes] = await Promise.all(['ivr', 'extension', 'queue', 'mailbox'].map((k) => fetchConfigDocs(conn, k).catch(() => [] as ConfigDoc[])));
    this.ivrs = ivrs!;
    const label = (d: ConfigDoc) => (typeof d.doc.name === 'string' && d.doc.name ? `${d.id} · ${d.doc.name}` : d.id);
    const withVm = ext!.filter((d) => (d.doc.voicemail as { enabled?: boolean } | undefined)?.enabled);
    this.targets = {
      extension: ext!.map((d) => ({ value: d.id, label: label(d) })),
      queue: queues!.map((d) => ({ value: d.id, label: label(d) })),
      ivr: ivrs!.map((d) => ({ value: d.id, label: label(d) })),
      voicemail: [...boxes!, ...withVm].map((d) => ({ value: d.id, label: label(d) })),
    };
    if (!this.selected && this.ivrs[0]) this.choose(this.ivrs[0].id);
  }

  private choose(id: string): void {
    const d = this.ivrs.find((x) => x.id === id);
    if (!d) return;
    this.selected = id;
    this.draft = clone(d.doc) as unknown as Ivr;
    this.fields = []; this.editing = null; this.message = ''; this.ok = ''; this.dirty = false;
    void fetchPrompts(connection(), this.draft.language).then((p) => { this.promptList = p; }, () => {});
  }

  // Errors whose path is `path` or lies under it.
  private errorsAt(path: string, exact = false): FieldError[] {
    return this.fields.filter((f) => f.path === path || (!exact && f.path.startsWith(`${path}.`)));
  }

  private errorList(list: FieldError[]): TemplateResult | typeof nothing {
    return list.length ? html`${list.map((f) => html`<div class="field-error" data-path=${f.path}>${f.message}</div>`)}` : nothing;
  }

  private describe(d: Dest | undefined): string {
    if (!d) return '–';
    const f = TARGET_FIELD[d.type];
    const what = tOr(`dest.${d.type}`, d.type);
    return f ? `${what} ${String(d[f] ?? '')}` : what;
  }

  private play(ref: string): void {
    this.player?.pause();
    this.player = new Audio(promptUrl(ref, this.draft?.language ?? 'zh'));
    void this.player.play().catch(() => { this.message = t('ivr.cannotPlay', { ref }); });
  }

  private change(fn: (ivr: Ivr) => void): void {
    if (!this.draft) return;
    const next = clone(this.draft);
    fn(next);
    this.draft = next;
    this.dirty = true;
    this.ok = '';
    void this.check(false);
  }

  private async check(save: boolean): Promise<void> {
    if (!this.draft) return;
    this.message = '';
    const conn = connection();
    try {
      await validateConfigDoc(conn, 'ivr', this.selected, this.draft);
      this.fields = [];
      if (save) {
        const r = await putConfigDoc(conn, 'ivr', this.selected, this.draft);
        this.draft = clone(r.doc) as unknown as Ivr;
        this.ivrs = this.ivrs.map((x) => (x.id === r.id ? r : x));
        this.dirty = false;
        this.ok = t('saved');
      }
    } catch (e) {
      if (e instanceof ApiError && e.fields.length) this.fields = docFields(e.fields);
      else this.message = e instanceof ApiError ? e.message : String(e);
      if (save) this.message ||= t('ivr.notSaved');
    }
  }

  private startEdit(menu: string, field: string, d: Dest | undefined): void {
    const type = d?.type ?? 'queue';
    const f = TARGET_FIELD[type];
    this.editing = { menu, field, type, target: f && d ? String(d[f] ?? '') : '' };
  }

  private optionsFor(type: string): { value: string; label: string }[] {
    if (type === 'menu') return Object.keys(this.draft?.menus ?? {}).map((m) => ({ value: m, label: m }));
    return this.targets[type] ?? [];
  }

  private applyEdit(e: Event): void {
    e.preventDefault();
    const ed = this.editing;
    if (!ed) return;
    const f = TARGET_FIELD[ed.type];
    const dest: Dest = f ? { type: ed.type, [f]: ed.target } : { type: ed.type };
    this.change((ivr) => {
      const m = ivr.menus[ed.menu]!;
      if (ed.field.startsWith('keys.')) (m.keys ??= {})[ed.field.slice(5)] = dest;
      else m[ed.field] = dest;
    });
    this.editing = null;
  }

  private removeKey(menu: string, key: string): void {
    this.change((ivr) => { delete ivr.menus[menu]!.keys[key]; });
  }

  private destForm(menu: string, field: string): TemplateResult | typeof nothing {
    const ed = this.editing;
    if (!ed || ed.menu !== menu || ed.field !== field) return nothing;
    const f = TARGET_FIELD[ed.type];
    const opts = this.optionsFor(ed.type);
    const types = field.startsWith('keys.') ? DEST_TYPES : DEST_TYPES.filter((x) => x !== 'back' && x !== 'repeat');
    return html`<form class="dest" id="dest-form" @submit=${this.applyEdit}>
      <label>${t('ivr.destType')} <select id="dest-type" .value=${ed.type}
        @change=${(e: Event) => { const type = (e.target as HTMLSelectElement).value; this.editing = { ...ed, type, target: this.optionsFor(type)[0]?.value ?? '' }; }}>
        ${types.map((x) => html`<option value=${x} ?selected=${x === ed.type}>${tOr(`dest.${x}`, x)}</option>`)}
      </select></label>
      ${!f ? nothing : ed.type === 'external'
        ? html`<label>${t('ivr.number')} <input id="dest-target" .value=${ed.target} @input=${(e: Event) => { this.editing = { ...ed, target: (e.target as HTMLInputElement).value }; }}></label>`
        : html`<label>${t('ivr.target')} <select id="dest-target" @change=${(e: Event) => { this.editing = { ...ed, target: (e.target as HTMLSelectElement).value }; }}>
            ${ed.target && !opts.some((o) => o.value === ed.target) ? html`<option value=${ed.target} selected>${ed.target}</option>` : nothing}
            ${opts.map((o) => html`<option value=${o.value} ?selected=${o.value === ed.target}>${o.label}</option>`)}
          </select></label>`}
      <button class="primary" id="dest-apply" type="submit">${t('ivr.apply')}</button>
      <button type="button" @click=${() => { this.editing = null; }}>${t('cancel')}</button>
    </form>`;
  }

  private renderMenu(id: string, done: Set<string>, via?: string): TemplateResult {
    const ivr = this.draft!;
    const m = ivr.menus[id];
    const base = `menus.${id}`;
    if (!m) return html`<li class="menu missing" data-menu=${id}>${via ? html`<div class="via">${via}</div>` : nothing}<div class="node has-error">${t('ivr.noSuchMenu', { id })}</div></li>`;
    if (done.has(id)) return html`<li class="menu link" data-menu-link=${id}>${via ? html`<div class="via">${via}</div>` : nothing}<div class="node">↩ ${t('ivr.menu')} <b>${id}</b> <span class="muted">${t('ivr.drawnAbove')}</span></div></li>`;
    done.add(id);
    const keys = KEYS.filter((k) => m.keys?.[k]);
    const unused = KEYS.filter((k) => !m.keys?.[k]);
    const own = this.fields.filter((f) => f.path === base || (f.path.startsWith(`${base}.`) && !f.path.startsWith(`${base}.keys.`) && !HANDLERS.some((h) => f.path.startsWith(`${base}.${h}`))));
    const subs = keys.filter((k) => m.keys[k]!.type === 'menu');
    const handlerSubs = HANDLERS.filter((h) => m[h] && (m[h] as Dest).type === 'menu');
    return html`<li class="menu" data-menu=${id}>
      ${via ? html`<div class="via">${via}</div>` : nothing}
      <div class="node ${this.errorsAt(base).length ? 'has-error' : ''}">
        <div class="node-head">${t('ivr.menu')} ${id} ${id === ivr.start ? html`<span class="badge">${t('ivr.start')}</span>` : nothing}</div>
        <div class="prompts">${t('ivr.prompts')}:
          ${prompts(m.prompt).map((ref, i) => html`<span class="chip" data-prompt=${ref}>${ref}
            <button title=${t('ivr.play')} data-action="play" @click=${() => this.play(ref)}>▶</button>
            ${prompts(m.prompt).length > 1 ? html`<button title=${t('remove')} @click=${() => this.change((x) => { x.menus[id]!.prompt = prompts(x.menus[id]!.prompt).filter((_, j) => j !== i); })}>×</button>` : nothing}</span>`)}
          <select class="add-prompt" @change=${(e: Event) => { const s = e.target as HTMLSelectElement; const ref = s.value; s.value = ''; if (ref) this.change((x) => { x.menus[id]!.prompt = [...prompts(x.menus[id]!.prompt), ref]; }); }}>
            <option value="">${t('ivr.addPrompt')}</option>
            ${this.promptList.map((p) => html`<option value=${p.ref}>${p.ref}</option>`)}
          </select>
          ${this.errorList(this.errorsAt(`${base}.prompt`))}
        </div>
        ${this.errorList(own.filter((f) => !f.path.startsWith(`${base}.prompt`)))}
        <table class="keys">
          <thead><tr><th>${t('ivr.key')}</th><th>${t('ivr.destination')}</th><th></th></tr></thead>
          <tbody>${keys.map((k) => {
            const d = m.keys[k]!;
            const errs = this.errorsAt(`${base}.keys.${k}`);
            return html`<tr data-key=${k} class=${errs.length ? 'has-error' : ''}>
              <td><b>${k}</b></td>
              <td data-field="destination">${this.describe(d)}${this.errorList(errs)}${this.destForm(id, `keys.${k}`)}</td>
              <td><button class="edit" @click=${() => this.startEdit(id, `keys.${k}`, d)}>${t('edit')}</button>
                  <button class="remove" @click=${() => this.removeKey(id, k)}>${t('remove')}</button></td>
            </tr>`;
          })}
          ${this.editing?.menu === id && this.editing.field.startsWith('keys.') && !keys.includes(this.editing.field.slice(5))
            ? html`<tr data-key=${this.editing.field.slice(5)}><td><b>${this.editing.field.slice(5)}</b></td><td>${this.destForm(id, this.editing.field)}</td><td></td></tr>` : nothing}
          </tbody>
        </table>
        ${unused.length ? html`<div class="bar"><select class="new-key">${unused.map((k) => html`<option value=${k}>${k}</option>`)}</select>
          <button class="add-key" @click=${(e: Event) => { const k = ((e.target as HTMLElement).previousElementSibling as HTMLSelectElement).value; this.startEdit(id, `keys.${k}`, undefined); }}>${t('ivr.addKey')}</button></div>` : nothing}
        <div class="handling">
          <div>${t('ivr.timeout')}: ${((m.timeoutMs ?? 5000) / 1000).toFixed(1)} s · ${t('ivr.retries')}: ${m.retries ?? 3}</div>
          ${HANDLERS.map((h) => html`<div data-handler=${h}>${t(`ivr.${h}`)}: ${m[h] ? this.describe(m[h] as Dest) : h === 'onExhausted' ? this.describe({ type: 'operator' }) : t('ivr.replay')}
            <button class="edit" @click=${() => this.startEdit(id, h, m[h] as Dest | undefined)}>${t('edit')}</button>
            ${this.errorList(this.errorsAt(`${base}.${h}`))}${this.destForm(id, h)}</div>`)}
        </div>
      </div>
      ${subs.length || handlerSubs.length ? html`<ul class="tree">
        ${subs.map((k) => this.renderMenu(String(m.keys[k]!.menu), done, t('ivr.viaKey', { key: k })))}
        ${handlerSubs.map((h) => this.renderMenu(String((m[h] as Dest).menu), done, t(`ivr.${h}`)))}
      </ul>` : nothing}
    </li>`;
  }

  private addMenu(e: Event): void {
    e.preventDefault();
    const input = (e.target as HTMLFormElement).elements.namedItem('menu-id') as HTMLInputElement;
    const id = input.value.trim();
    if (!id || this.draft?.menus[id]) return;
    this.change((x) => { x.menus[id] = { prompt: this.promptList[0]?.ref ?? 'builtin:main_menu', keys: {} }; });
    input.value = '';
  }

  private async upload(e: Event): Promise<void> {
    e.preventDefault();
    const form = e.target as HTMLFormElement;
    const file = (form.elements.namedItem('file') as HTMLInputElement).files?.[0];
    const name = (form.elements.namedItem('name') as HTMLInputElement).value.trim();
    this.uploadMsg = '';
    if (!file) { this.uploadMsg = t('ivr.chooseFile'); return; }
    try {
      const p = await uploadPrompt(name, file, (form.elements.namedItem('replace') as HTMLInputElement).checked);
      this.uploadMsg = t('ivr.uploaded', { ref: p.ref, s: (p.durationMs / 1000).toFixed(1) });
      this.promptList = await fetchPrompts(connection(), this.draft?.language);
      form.reset();
    } catch (err) {
      this.uploadMsg = err instanceof ApiError ? (err.fields.map((f) => `${f.path}: ${f.message}`).join('; ') || err.message) : String(err);
    }
  }

  override render() {
    const ivr = this.draft;
    const done = new Set<string>();
    const tree = ivr ? this.renderMenu(ivr.start, done) : nothing;
    const orphans = ivr ? Object.keys(ivr.menus).filter((m) => !done.has(m)) : [];
    const orphanTrees = orphans.map((m) => (done.has(m) ? nothing : this.renderMenu(m, done, t('ivr.unreachable'))));
    const global = this.fields.filter((f) => !f.path.startsWith('menus.'));
    return html`
      <div class="bar">
        <label>${t('kind.ivr')} <select id="ivr-select" @change=${(e: Event) => this.choose((e.target as HTMLSelectElement).value)}>
          ${this.ivrs.map((d) => html`<option value=${d.id} ?selected=${d.id === this.selected}>${d.id} · ${String(d.doc.name ?? '')}</option>`)}
        </select></label>
        <button id="ivr-validate" @click=${() => this.check(false)}>${t('validate')}</button>
        <button id="ivr-save" class="primary" ?disabled=${!ivr} @click=${() => this.check(true)}>${t('save')}</button>
        ${this.dirty ? html`<span class="muted" id="ivr-dirty">${t('ivr.unsaved')}</span>` : nothing}
        <span class="muted" id="ivr-ok">${this.ok}</span>
        <form @submit=${this.addMenu}><input name="menu-id" placeholder=${t('ivr.newMenuId')} size="12"> <button id="add-menu">${t('ivr.addMenu')}</button></form>
      </div>
      ${this.message ? html`<p class="error" id="ivr-error">${this.message}</p>` : nothing}
      ${global.length ? html`<div id="ivr-global-errors">${this.errorList(global)}</div>` : nothing}
      ${ivr ? html`<ul class="tree root" id="ivr-tree">${tree}${orphanTrees}</ul>` : html`<p class="muted">${t('ivr.none')}</p>`}
      <form class="upload card" id="prompt-upload" @submit=${this.upload}>
        <h2>${t('ivr.uploadTitle')}</h2>
        <input type="file" name="file" accept=".wav,.mp3,audio/wav,audio/mpeg">
        <input name="name" placeholder=${t('ivr.promptName')} pattern="[a-z0-9_\\-]{1,64}" required>
        <label><input type="checkbox" name="replace"> ${t('ivr.replace')}</label>
        <button class="primary" type="submit">${t('ivr.upload')}</button>
        <span id="upload-result">${this.uploadMsg}</span>
      </form>`;
  }
}

declare global { interface HTMLElementTagNameMap { 'ivr-editor': IvrEditor } }
