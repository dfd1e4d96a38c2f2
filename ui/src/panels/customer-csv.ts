// Customer data as CSV on the System page: import a file (every row, or none
// when a row has a problem: each problem listed with its row and field) and
// export all customers, each with a progress bar of rows done of all, pushed
// by the box while it works.
import { LitElement, html, css, nothing } from 'lit';
import { customElement, state } from 'lit/decorators.js';
import { LangMixin } from '../lang-mixin.js';
import { t } from '../i18n.js';
import { shared } from '../styles.js';
import { connection, ApiError } from '../data/api.js';
import { importCustomers, exportCustomers, saveAs, type JobProgress } from '../data/system.js';

@customElement('customer-csv')
export class CustomerCsv extends LangMixin(LitElement) {
  static override styles = [shared, css`
    .row { display: flex; gap: 8px; align-items: center; flex-wrap: wrap; margin: 6px 0; }
    progress { width: 320px; }
    .ok { color: #065f46; }
    ul.problems { max-height: 200px; overflow: auto; }
  `];

  @state() private importing: JobProgress | null = null;
  @state() private exporting: JobProgress | null = null;
  @state() private busy = false;
  @state() private result = '';
  @state() private error: ApiError | null = null;

  private async doImport(e: Event): Promise<void> {
    const input = e.target as HTMLInputElement;
    const file = input.files?.[0];
    if (!file) return;
    this.busy = true;
    this.result = '';
    this.error = null;
    this.importing = { id: '', kind: 'crm-import', phase: 'checking', done: 0, total: 0 };
    try {
      const r = await importCustomers(connection(), await file.text(), (p) => { this.importing = p; });
      this.importing = { ...this.importing!, phase: 'done', done: r.imported, total: r.imported };
      this.result = t('sys.imported', { n: r.imported });
    } catch (err) {
      this.importing = this.importing ? { ...this.importing, phase: 'failed' } : null;
      this.error = err instanceof ApiError ? err : new ApiError({ id: 'internal', message: String(err) });
    } finally {
      this.busy = false;
      input.value = '';
    }
  }

  private async doExport(): Promise<void> {
    this.busy = true;
    this.result = '';
    this.error = null;
    this.exporting = { id: '', kind: 'crm-export', phase: 'reading', done: 0, total: 0 };
    try {
      const r = await exportCustomers(connection(), (p) => { this.exporting = p; });
      this.exporting = { ...this.exporting!, phase: 'done', done: r.count, total: r.count };
      saveAs(r.filename, r.csv, 'text/csv');
      this.result = t('sys.exported', { n: r.count });
    } catch (err) {
      this.exporting = this.exporting ? { ...this.exporting, phase: 'failed' } : null;
      this.error = err instanceof ApiError ? err : new ApiError({ id: 'internal', message: String(err) });
    } finally {
      this.busy = false;
    }
  }

  private bar(p: JobProgress | null, id: string) {
    if (!p) return nothing;
    const pct = p.phase === 'done' ? 100 : p.total ? Math.round((p.done / p.total) * 100) : 0;
    return html`<div class="row" id=${id} data-phase=${p.phase}><progress max="100" value=${pct}></progress>
      <span class="muted">${t(`sys.phase.${p.phase}` as 'sys.phase.done')} ${p.total ? t('sys.rows', { done: p.done, total: p.total }) : ''}</span></div>`;
  }

  override render() {
    const e = this.error;
    return html`<h2>${t('sys.customers')}</h2>
      <section class="card">
        <div class="row"><label>${t('sys.importCsv')} <input type="file" id="import-file" accept=".csv,text/csv" ?disabled=${this.busy} @change=${this.doImport}></label></div>
        ${this.bar(this.importing, 'import-progress')}
        <div class="row"><button id="export-csv" ?disabled=${this.busy} @click=${this.doExport}>${t('sys.exportCsv')}</button></div>
        ${this.bar(this.exporting, 'export-progress')}
        ${this.result ? html`<p class="ok" id="csv-result">${this.result}</p>` : nothing}
        ${e ? html`<div class="error" id="csv-error"><p>${e.message.slice(0, 300)}</p>
          ${e.fields.length ? html`<ul class="problems">${e.fields.slice(0, 50).map((f) => html`<li>${f.row !== undefined ? `${f.row}: ` : ''}${f.path}: ${f.message}</li>`)}</ul>` : nothing}</div>` : nothing}
      </section>`;
  }
}

declare global { interface HTMLElementTagNameMap { 'customer-csv': CustomerCsv } }
