// Configuration for admins: queues, agents, extensions and IVRs listed; one
// document edited as JSON, checked or saved by the box, with each validation
// error shown by the field it names.
import { LitElement, html, css, nothing } from 'lit';
import { customElement, state } from 'lit/decorators.js';
import { LangMixin } from '../lang-mixin.js';
import { t, tOr } from '../i18n.js';
import { shared } from '../styles.js';
import { connection, ApiError, type FieldError } from '../data/api.js';
import { fetchConfigDocs, validateConfigDoc, putConfigDoc, type ConfigDoc } from '../data/config.js';

const KINDS = ['queue', 'agent', 'extension', 'ivr'] as const;

@customElement('config-panel')
export class ConfigPanel extends LangMixin(LitElement) {
  static override styles = [shared, css`
    .layout { display: flex; gap: 16px; align-items: flex-start; }
    aside { width: 240px; }
    aside ul { list-style: none; padding: 0; margin: 0 0 12px; }
    aside li button { width: 100%; text-align: left; border: none; background: transparent; padding: 2px 6px; }
    aside li button[aria-current="true"] { background: #dbeafe; }
    .editor { flex: 1; }
    textarea { width: 100%; min-height: 360px; box-sizing: border-box; font: 12px ui-monospace, monospace; }
    .fields li { margin: 2px 0; }
    code { background: #f0f2f5; padding: 0 4px; }
  `];

  @state() private docs: Record<string, ConfigDoc[]> = {};
  @state() private selected: { kind: string; id: string } | null = null;
  @state() private text = '';
  @state() private fields: FieldError[] = [];
  @state() private message = '';
  @state() private ok = '';

  override connectedCallback(): void {
    super.connectedCallback();
    void this.load();
  }

  private async load(): Promise<void> {
    const conn = connection();
    const entries = await Promise.all(KINDS.map(async (k) => [k, await fetchConfigDocs(conn, k).catch(() => [])] as const));
    this.docs = Object.fromEntries(entries);
  }

  private select(kind: string, d: ConfigDoc): void {
    this.selected = { kind, id: d.id };
    this.text = JSON.stringify(d.doc, null, 2);
    this.fields = []; this.message = ''; this.ok = '';
  }

  private async send(save: boolean): Promise<void> {
    if (!this.selected) return;
    this.fields = []; this.message = ''; this.ok = '';
    let doc: unknown;
    try { doc = JSON.parse(this.text); } catch (e) { this.message = t('invalidJson', { msg: (e as Error).message }); return; }
    const { kind, id } = this.selected;
    try {
      const conn = connection();
      const r = save ? await putConfigDoc(conn, kind, id, doc) : await validateConfigDoc(conn, kind, id, doc);
      this.ok = save ? t('saved') : t('valid');
      if (save) { this.text = JSON.stringify(r.doc, null, 2); void this.load(); }
    } catch (e) {
      if (e instanceof ApiError && e.fields.length) this.fields = e.fields.map((f) => ({ ...f, path: f.path.replace(/^doc\./, '') }));
      else this.message = e instanceof ApiError ? e.message : String(e);
    }
  }

  override render() {
    const sel = this.selected;
    return html`<div class="layout">
      <aside>${KINDS.map((k) => html`<h2>${tOr(`kind.${k}`, k)}</h2><ul data-kind=${k}>
        ${(this.docs[k] ?? []).map((d) => html`<li><button data-id=${d.id} aria-current=${sel?.kind === k && sel.id === d.id}
          @click=${() => this.select(k, d)}>${d.id}${typeof d.doc.name === 'string' ? html` <span class="muted">${d.doc.name}</span>` : nothing}</button></li>`)}
      </ul>`)}</aside>
      <section class="editor">
        ${sel ? html`
          <h2>${tOr(`kind.${sel.kind}`, sel.kind)} · ${sel.id}</h2>
          <textarea id="doc" spellcheck="false" .value=${this.text} @input=${(e: Event) => { this.text = (e.target as HTMLTextAreaElement).value; }}></textarea>
          <p><button id="validate" @click=${() => this.send(false)}>${t('validate')}</button>
             <button id="save" class="primary" @click=${() => this.send(true)}>${t('save')}</button>
             <span class="muted" id="ok">${this.ok}</span></p>
          ${this.message ? html`<p class="error" id="config-error">${this.message}</p>` : nothing}
          ${this.fields.length ? html`<ul class="fields error" id="field-errors">${this.fields.map((f) => html`<li><code>${f.path}</code> ${f.message}</li>`)}</ul>` : nothing}
        ` : html`<p class="muted">${t('choose')}</p>`}
      </section>
    </div>`;
  }
}

declare global { interface HTMLElementTagNameMap { 'config-panel': ConfigPanel } }
