// Configuration as forms (admins): extensions and phones, trunks (analog and
// E1 with the R2 block), inbound and outbound routes, queues, agents,
// mailboxes and the settings with their sections. Each collection is a table
// with add, edit, duplicate and delete (asked twice); the form comes from the
// box's own schema (config/schema/get) and saves through config/doc/put, so
// the box is the judge: its field errors are shown beside the fields, with
// what was typed kept. Names and numbers are text bindings only.
import { LitElement, html, css, nothing } from 'lit';
import { customElement, state } from 'lit/decorators.js';
import { LangMixin } from '../lang-mixin.js';
import { t, tOr, type StringKey } from '../i18n.js';
import { shared } from '../styles.js';
import { connection, ApiError } from '../data/api.js';
import {
  fetchConfigSchemas, fetchConfigDocs, putConfigDoc, validateConfigDoc, removeConfigDoc, docFields,
  type CollectionSchema, type ConfigDoc,
} from '../data/config.js';
import { fieldLabel } from '../forms/field-labels.js';
import { formatList, initialValue, type FieldError, type JsonSchema } from '../forms/schema-model.js';
import { problemText, type FormGroup, type SchemaForm } from '../forms/schema-form.js';
import '../forms/schema-form.js';

interface Collection { kind: string; title: StringKey; columns: string[] }

const COLLECTIONS: Collection[] = [
  { kind: 'extension', title: 'forms.c.extension', columns: ['ext', 'name', 'port', 'cos'] },
  { kind: 'trunk', title: 'forms.c.trunk', columns: ['id', 'name', 'ports', 'r2'] },
  { kind: 'inboundRoute', title: 'forms.c.inboundRoute', columns: ['id', 'name', 'did', 'callerPattern', 'destination', 'timeCondition'] },
  { kind: 'outboundRoute', title: 'forms.c.outboundRoute', columns: ['id', 'name', 'patterns', 'trunks', 'minClass'] },
  { kind: 'queue', title: 'forms.c.queue', columns: ['id', 'name', 'number', 'strategy', 'members'] },
  { kind: 'agent', title: 'forms.c.agent', columns: ['id', 'name', 'ext', 'user'] },
  { kind: 'mailbox', title: 'forms.c.mailbox', columns: ['id', 'name', 'members'] },
  { kind: 'settings', title: 'forms.c.settings', columns: [] },
];

const SETTINGS_GROUPS: { id: string; keys: string[] }[] = [
  { id: 'general', keys: ['operator', 'language', 'zone', 'interDigitMs'] },
  { id: 'recording', keys: ['recordStereo'] },
  { id: 'voicemail', keys: ['voicemail'] },
  { id: 'storage', keys: ['storage'] },
  { id: 'acd', keys: ['acd'] },
  { id: 'park', keys: ['park'] },
  { id: 'featureCodes', keys: ['featureCodes'] },
  { id: 'smtp', keys: ['smtp'] },
];

interface Editing { mode: 'new' | 'edit'; id: string | null; doc: unknown }

// One table cell: lists of ports as ranges, rows as a count, a destination as "type target".
function cell(v: unknown, s: JsonSchema | undefined): string {
  if (v === undefined || v === null || v === '') return '–';
  if (typeof v === 'boolean') return v ? t('forms.yes') : t('forms.no');
  if (Array.isArray(v)) {
    if (v.every((x) => typeof x !== 'object')) return formatList(v, s?.items ?? {}) || '–';
    return String(v.length);
  }
  if (typeof v === 'object') {
    const o = v as Record<string, unknown>;
    if (typeof o.type === 'string') return [o.type, ...Object.entries(o).filter(([k, x]) => k !== 'type' && typeof x !== 'object').map(([, x]) => String(x))].join(' ');
    if (typeof o.variant === 'string') return o.variant;
    return Object.keys(o).join(', ') || '–';
  }
  return s?.enum ? tOr(`forms.enum.${String(v)}`, String(v)) : String(v);
}

@customElement('config-forms-panel')
export class ConfigFormsPanel extends LangMixin(LitElement) {
  static override styles = [shared, css`
    nav.collections { display: flex; flex-wrap: wrap; gap: 4px; margin-bottom: 12px; }
    nav.collections button[aria-selected="true"] { background: #dbeafe; border-color: #93c5fd; }
    td { white-space: normal; }
    td.actions { white-space: nowrap; }
    .confirm { background: #fef3f2; }
    .bar { display: flex; gap: 8px; align-items: center; margin-top: 8px; }
    .ok { color: #067647; }
    .unsaved { background: #fef3c7; padding: 6px 10px; border-radius: 4px; }
  `];

  @state() private schemas = new Map<string, CollectionSchema>();
  @state() private active = 'extension';
  @state() private items: ConfigDoc[] = [];
  @state() private editing: Editing | null = null;
  @state() private errors: FieldError[] = [];
  @state() private confirming: string | null = null;
  @state() private message = '';
  @state() private ok = '';
  @state() private busy = false;
  @state() private suggestions: Record<string, string[]> = {};
  // What the admin asked for while the open form had unsaved changes.
  @state() private pending: (() => void) | null = null;
  private offReconnect: (() => void) | null = null;

  override connectedCallback(): void {
    super.connectedCallback();
    // Changes made while the socket was down (another admin, a config import) show after it is back.
    this.offReconnect = connection().onReconnect(() => { void this.load().catch(() => {}); void this.loadSuggestions(); });
    void this.start();
  }

  override disconnectedCallback(): void {
    this.offReconnect?.();
    super.disconnectedCallback();
  }

  // Typed values are not thrown away unasked: leaving a changed form asks first.
  private guard(action: () => void): void {
    const form = this.renderRoot.querySelector<SchemaForm>('schema-form');
    if (this.editing && form?.dirty) this.pending = action;
    else action();
  }

  private async start(): Promise<void> {
    try {
      const { collections } = await fetchConfigSchemas(connection());
      this.schemas = new Map(collections.map((c) => [c.kind, c]));
      await this.open(this.active);
      void this.loadSuggestions();
    } catch (e) { this.fail(e); }
  }

  // The ids other documents refer to, offered while typing a reference.
  private async loadSuggestions(): Promise<void> {
    const conn = connection();
    const kinds = ['extension', 'agent', 'queue', 'trunk', 'mailbox', 'ivr', 'timeCondition'];
    const ids = Object.fromEntries(await Promise.all(kinds.map(async (k) => [k, (await fetchConfigDocs(conn, k).catch(() => [])).map((d) => d.id)] as const)));
    const ext = ids.extension ?? [];
    this.suggestions = {
      ext, operator: ext, agent: ids.agent ?? [], queue: ids.queue ?? [], trunk: ids.trunk ?? [],
      box: [...(ids.mailbox ?? []), ...ext], menu: ids.ivr ?? [], timeCondition: ids.timeCondition ?? [],
    };
  }

  private fail(e: unknown): void { this.message = e instanceof ApiError || e instanceof Error ? e.message : String(e); }

  private get collection(): CollectionSchema | undefined { return this.schemas.get(this.active); }

  private async open(kind: string): Promise<void> {
    this.active = kind;
    this.pending = null;
    this.editing = null; this.errors = []; this.confirming = null; this.message = ''; this.ok = '';
    await this.load();
    const c = this.collection;
    if (c?.singleton) this.edit({ mode: 'edit', id: c.singleton, doc: this.items.find((d) => d.id === c.singleton)?.doc ?? initialValue(c.schema) });
  }

  private async load(): Promise<void> {
    const kind = this.active;
    const docs = await fetchConfigDocs(connection(), kind);
    if (kind === this.active) this.items = docs.sort((a, b) => a.id.localeCompare(b.id, undefined, { numeric: true }));
  }

  private edit(e: Editing): void {
    this.pending = null;
    this.editing = e; this.errors = []; this.message = ''; this.ok = ''; this.confirming = null;
  }

  private add(): void {
    const c = this.collection;
    if (c) this.edit({ mode: 'new', id: null, doc: initialValue(c.schema) });
  }

  private duplicate(d: ConfigDoc): void {
    const c = this.collection;
    if (!c?.idField) return;
    const doc = JSON.parse(JSON.stringify(d.doc)) as Record<string, unknown>;
    doc[c.idField] = '';
    this.edit({ mode: 'new', id: null, doc });
  }

  private async removeItem(id: string): Promise<void> {
    this.message = ''; this.ok = '';
    try {
      await removeConfigDoc(connection(), this.active, id);
      this.confirming = null;
      if (this.editing?.id === id) this.editing = null;
      this.ok = t('forms.deleted', { id });
      await this.load();
      void this.loadSuggestions();
    } catch (e) { this.confirming = null; this.fail(e); }
  }

  private async save(checkOnly: boolean): Promise<void> {
    const c = this.collection;
    const form = this.renderRoot.querySelector<SchemaForm>('schema-form');
    if (!c || !form || !this.editing) return;
    this.message = ''; this.ok = '';
    const { doc, problems } = form.collect();
    if (problems.length) {
      this.message = `${t('forms.notSaved')}: ${problems.map((p) => `${p.path} ${problemText(p.problem)}`).join('; ')}`;
      form.requestUpdate();
      return;
    }
    const idField = c.idField;
    const id = c.singleton ?? (this.editing.mode === 'edit' ? this.editing.id! : String((doc as Record<string, unknown>)[idField!] ?? '').trim());
    if (!id && idField) { this.errors = [{ path: idField, message: t('forms.check.required') }]; this.message = t('forms.notSaved'); return; }
    if (this.editing.mode === 'new' && idField && this.items.some((d) => d.id === id)) {
      this.errors = [{ path: idField, message: t('forms.exists', { id }) }];
      this.message = t('forms.notSaved');
      return;
    }
    this.busy = true;
    try {
      const conn = connection();
      if (checkOnly) {
        await validateConfigDoc(conn, this.active, id, doc);
        this.errors = [];
        this.ok = t('forms.valid');
        return;
      }
      const saved = await putConfigDoc(conn, this.active, id, doc);
      this.ok = t('forms.saved', { id });
      await this.load();
      void this.loadSuggestions();
      // The settings stay open, showing what the box stored; an item's form closes.
      this.editing = c.singleton ? { mode: 'edit', id, doc: saved.doc } : null;
      this.errors = [];
    } catch (e) {
      if (e instanceof ApiError && e.fields.length) {
        // "id" is the command's own input: for a form it is the id field.
        this.errors = docFields(e.fields).map((f) => (f.path === 'id' && idField ? { ...f, path: idField } : f));
        this.message = t('forms.notSaved');
      } else this.fail(e);
    } finally { this.busy = false; }
  }

  override render() {
    const c = this.collection;
    const meta = COLLECTIONS.find((x) => x.kind === this.active)!;
    return html`
      <nav class="collections" role="tablist">${COLLECTIONS.filter((x) => this.schemas.has(x.kind)).map((x) => html`<button role="tab" data-collection=${x.kind}
        aria-selected=${x.kind === this.active} @click=${() => this.guard(() => { void this.open(x.kind); })}>${t(x.title)}</button>`)}</nav>
      ${this.ok ? html`<p class="ok" id="forms-ok">${this.ok}</p>` : nothing}
      ${this.message && !this.editing ? html`<p class="error" id="forms-error">${this.message}</p>` : nothing}
      ${c && !c.singleton ? this.table(c, meta) : nothing}
      ${c && this.editing ? this.editor(c) : nothing}`;
  }

  private table(c: CollectionSchema, meta: Collection) {
    const props = c.schema.properties ?? {};
    return html`<h2>${t(meta.title)}</h2>
      <table id="items" data-kind=${c.kind}><thead><tr>${meta.columns.map((k) => html`<th>${fieldLabel(k)}</th>`)}<th></th></tr></thead>
        <tbody>${this.items.length ? this.items.map((d) => html`<tr data-id=${d.id} class=${this.confirming === d.id ? 'confirm' : ''}>
          ${meta.columns.map((k) => html`<td data-col=${k}>${cell(d.doc[k], props[k])}</td>`)}
          <td class="actions">${this.confirming === d.id
            ? html`<span>${t('forms.confirmDelete', { id: d.id })}</span>
                <button class="confirm-delete primary" @click=${() => this.removeItem(d.id)}>${t('forms.delete')}</button>
                <button class="cancel-delete" @click=${() => { this.confirming = null; }}>${t('forms.cancel')}</button>`
            : html`<button class="edit" @click=${() => this.guard(() => this.edit({ mode: 'edit', id: d.id, doc: d.doc }))}>${t('forms.edit')}</button>
                <button class="duplicate" @click=${() => this.guard(() => this.duplicate(d))}>${t('forms.duplicate')}</button>
                <button class="delete" @click=${() => { this.confirming = d.id; this.ok = ''; this.message = ''; }}>${t('forms.delete')}</button>`}</td>
        </tr>`) : html`<tr><td colspan=${meta.columns.length + 1} class="muted">${t('forms.empty')}</td></tr>`}</tbody></table>
      <p><button id="add-item" class="primary" @click=${() => this.guard(() => this.add())}>${t('forms.add')}</button></p>`;
  }

  private editor(c: CollectionSchema) {
    const e = this.editing!;
    const meta = COLLECTIONS.find((x) => x.kind === c.kind)!;
    const groups: FormGroup[] = c.singleton ? SETTINGS_GROUPS.map((g) => ({ ...g, title: t(`forms.g.${g.id}` as StringKey) })) : [];
    const title = c.singleton ? t(meta.title) : e.mode === 'new' ? t('forms.new', { what: t(meta.title) }) : t('forms.editing', { what: t(meta.title), id: e.id ?? '' });
    return html`<div class="card" id="editor" data-mode=${e.mode} data-id=${e.id ?? ''}>
      <h2>${title}</h2>
      <schema-form .schema=${c.schema} .value=${e.doc} .errors=${this.errors} .groups=${groups} .idField=${c.idField} .suggestions=${this.suggestions}
        .locked=${e.mode === 'edit' && c.idField ? [c.idField] : []}></schema-form>
      <div class="bar">
        <button id="form-save" class="primary" ?disabled=${this.busy} @click=${() => this.save(false)}>${t('forms.save')}</button>
        <button id="form-check" ?disabled=${this.busy} @click=${() => this.save(true)}>${t('forms.check')}</button>
        ${c.singleton ? nothing : html`<button id="form-cancel" @click=${() => this.guard(() => { this.editing = null; this.message = ''; })}>${t('forms.cancel')}</button>`}
        ${this.message ? html`<span class="error" id="form-error">${this.message}</span>` : nothing}
      </div>
      ${this.pending ? html`<div class="bar unsaved" id="unsaved">${t('forms.unsaved')}
        <button id="discard" @click=${() => { const go = this.pending!; this.pending = null; go(); }}>${t('forms.discard')}</button>
        <button id="keep-editing" class="primary" @click=${() => { this.pending = null; }}>${t('forms.keepEditing')}</button></div>` : nothing}
    </div>`;
  }
}

declare global { interface HTMLElementTagNameMap { 'config-forms-panel': ConfigFormsPanel } }
