// System (admins), in four sections: backups with a progress bar while one
// is made (left at 100 % when done), download links and delete, the backup
// policy (keep the last N, the automatic daily backup and its hour), a backup
// file uploaded to restore, its verification result and the notice of a
// restore waiting for the next start; network and time (system-network.ts);
// the supervisor's recent logs (system-logs.ts); customer CSV import and
// export with progress (customer-csv.ts). File names and messages are shown
// as text only.
import { LitElement, html, css, nothing } from 'lit';
import { customElement, state } from 'lit/decorators.js';
import { LangMixin } from '../lang-mixin.js';
import { t } from '../i18n.js';
import { shared } from '../styles.js';
import { connection, ApiError } from '../data/api.js';
import { fetchBackups, createBackup, deleteBackup, fetchRestoreStatus, cancelRestore, uploadRestore, fetchBackupPolicy, saveBackupPolicy, type Backup, type BackupProgress, type PendingRestore, type BackupPolicy } from '../data/system.js';
import './system-network.js';
import './system-logs.js';
import './customer-csv.js';

type Section = 'backups' | 'network' | 'logs' | 'customers';
const SECTIONS: Section[] = ['backups', 'network', 'logs', 'customers'];
const SECTION_TITLE = { backups: 'system.backups', network: 'sys.network', logs: 'sys.logs', customers: 'sys.customers' } as const;

const size = (n: number) => (n >= 1 << 20 ? `${(n / (1 << 20)).toFixed(1)} MB` : `${Math.max(1, Math.round(n / 1024))} KB`);

@customElement('system-panel')
export class SystemPanel extends LangMixin(LitElement) {
  static override styles = [shared, css`
    progress { width: 320px; vertical-align: middle; }
    .notice { background: #fef3c7; border-color: #f59e0b; }
    .ok { color: #065f46; }
    .row { display: flex; gap: 8px; align-items: center; flex-wrap: wrap; }
    nav.sections { display: flex; gap: 4px; margin-bottom: 8px; border-bottom: 1px solid #e3e6ec; }
    nav.sections button { border: none; border-bottom: 2px solid transparent; border-radius: 0; background: none; }
    nav.sections button.active { border-bottom-color: #2563eb; color: #1e40af; font-weight: 600; }
    input[type=number] { width: 64px; }
  `];

  @state() private section: Section = 'backups';
  @state() private policy: (BackupPolicy & { lastAutomatic: string | null }) | null = null;
  @state() private policyError: ApiError | null = null;
  @state() private policySaved = '';

  @state() private backups: Backup[] | null = null;
  @state() private progress: BackupProgress | null = null;
  @state() private busy = false;
  @state() private pending: PendingRestore | null = null;
  @state() private error = '';
  @state() private uploadResult = '';
  @state() private uploadError = '';
  @state() private uploading = false;

  override connectedCallback(): void {
    super.connectedCallback();
    void this.refresh();
  }

  private async refresh(): Promise<void> {
    try {
      const [b, r, p] = await Promise.all([fetchBackups(connection()), fetchRestoreStatus(connection()), fetchBackupPolicy(connection())]);
      this.backups = b.backups;
      this.pending = r.pending;
      this.policy = p;
      if (b.progress && b.progress.phase !== 'done' && b.progress.phase !== 'failed') this.progress = b.progress;
    } catch (e) { this.error = (e as Error).message; }
  }

  private async create(): Promise<void> {
    this.busy = true;
    this.error = '';
    this.progress = null;
    try {
      await createBackup(connection(), (p) => { this.progress = p; });
      await this.refresh();
    } catch (e) {
      this.error = (e as Error).message;
    } finally {
      this.busy = false;
    }
  }

  private async removeBackup(name: string): Promise<void> {
    if (!confirm(t('system.confirmDelete', { name }))) return;
    try { await deleteBackup(connection(), name); await this.refresh(); } catch (e) { this.error = (e as Error).message; }
  }

  private async upload(e: Event): Promise<void> {
    const input = e.target as HTMLInputElement;
    const file = input.files?.[0];
    if (!file) return;
    this.uploading = true;
    this.uploadResult = '';
    this.uploadError = '';
    try {
      const r = await uploadRestore(file);
      this.pending = r.pending;
      this.uploadResult = t('system.verified', { schema: r.verified.schemaVersion, files: r.pending.files });
    } catch (err) {
      this.uploadError = err instanceof ApiError ? (err.field('(body)') ?? err.message) : String(err);
    } finally {
      this.uploading = false;
      input.value = '';
    }
  }

  private async cancel(): Promise<void> {
    try { await cancelRestore(connection()); this.pending = null; this.uploadResult = ''; } catch (e) { this.error = (e as Error).message; }
  }

  private async savePolicy(e: Event): Promise<void> {
    e.preventDefault();
    const p = this.policy;
    if (!p) return;
    this.policyError = null;
    this.policySaved = '';
    try {
      const r = await saveBackupPolicy(connection(), { keepLast: p.keepLast, daily: p.daily, hour: p.hour });
      this.policySaved = r.pruned.length ? `${t('sys.saved')} · −${r.pruned.length}` : t('sys.saved');
      await this.refresh();
    } catch (err) { this.policyError = err instanceof ApiError ? err : new ApiError({ id: 'internal', message: String(err) }); }
  }

  private policyForm() {
    const p = this.policy;
    if (!p) return nothing;
    const set = (patch: Partial<BackupPolicy>) => { this.policy = { ...p, ...patch }; this.policySaved = ''; };
    const err = (path: string) => { const m = this.policyError?.field(path); return m ? html`<span class="error" data-field-error=${path}>${m}</span>` : nothing; };
    return html`<form class="card" id="backup-policy" @submit=${this.savePolicy}>
      <h2>${t('sys.retention')}</h2>
      <div class="row"><label>${t('sys.keepLast')} <input type="number" id="keep-last" min="1" max="100" .value=${String(p.keepLast)}
        @input=${(e: Event) => set({ keepLast: Number((e.target as HTMLInputElement).value) })}></label> ${err('keepLast')}</div>
      <div class="row"><label><input type="checkbox" id="daily" .checked=${p.daily} @change=${(e: Event) => set({ daily: (e.target as HTMLInputElement).checked })}> ${t('sys.daily')}</label>
        <label>${t('sys.hour')} <input type="number" id="daily-hour" min="0" max="23" .value=${String(p.hour)} ?disabled=${!p.daily}
          @input=${(e: Event) => set({ hour: Number((e.target as HTMLInputElement).value) })}></label> ${err('hour')}</div>
      ${p.lastAutomatic ? html`<p class="muted">${t('sys.lastAuto')}: ${new Date(p.lastAutomatic).toLocaleString()}</p>` : nothing}
      <p><button class="primary" id="policy-save">${t('sys.save')}</button> ${this.policySaved ? html`<span class="ok" id="policy-saved">${this.policySaved}</span>` : nothing}</p>
    </form>`;
  }

  private bar() {
    const p = this.progress;
    if (!p) return nothing;
    const pct = p.phase === 'database' ? (p.total ? Math.round((p.done / p.total) * 90) : 0) : p.phase === 'done' ? 100 : 95;
    return html`<div id="backup-progress" class="row" data-phase=${p.phase}><progress max="100" value=${pct}></progress>
      <span class="muted">${t(`system.phase.${p.phase}`)} ${p.phase === 'database' ? `${p.done}/${p.total}` : ''}</span></div>`;
  }

  override render() {
    return html`<nav class="sections">${SECTIONS.map((x) => html`<button data-section=${x} class=${this.section === x ? 'active' : ''} @click=${() => { this.section = x; }}>${t(SECTION_TITLE[x])}</button>`)}</nav>
      ${this.section === 'network' ? html`<system-network></system-network>`
        : this.section === 'logs' ? html`<system-logs></system-logs>`
        : this.section === 'customers' ? html`<customer-csv></customer-csv>`
        : this.backupSection()}`;
  }

  private backupSection() {
    const pending = this.pending;
    return html`
      ${pending ? html`<section class="card notice" id="pending-restore">
        <strong>${t('system.pendingTitle')}</strong>
        <p>${t('system.pendingText', { at: new Date(pending.backupCreatedAt).toLocaleString(), by: pending.stagedBy })} <span class="muted">(${pending.source})</span></p>
        <button id="cancel-restore" @click=${this.cancel}>${t('system.cancelRestore')}</button>
      </section>` : nothing}
      <h2>${t('system.backups')}</h2>
      <div class="row">
        <button class="primary" id="create-backup" ?disabled=${this.busy} @click=${this.create}>${t('system.createBackup')}</button>
        ${this.bar()}
      </div>
      ${this.error ? html`<p class="error">${this.error}</p>` : nothing}
      ${!this.backups ? html`<p class="muted">${t('loading')}</p>` : !this.backups.length ? html`<p class="muted" id="no-backups">${t('system.noBackups')}</p>` : html`
      <table id="backups">
        <thead><tr><th>${t('system.file')}</th><th>${t('time')}</th><th class="num">${t('system.size')}</th><th></th></tr></thead>
        <tbody>${this.backups.map((b) => html`<tr data-backup=${b.name}>
          <td class="name">${b.name}</td><td>${new Date(b.createdAt).toLocaleString()}</td><td class="num">${size(b.size)}</td>
          <td><a href=${b.url} download=${b.name}>${t('system.download')}</a> <button data-action="delete" @click=${() => this.removeBackup(b.name)}>${t('system.delete')}</button></td>
        </tr>`)}</tbody>
      </table>`}
      <h2>${t('system.restore')}</h2>
      <section class="card">
        <p class="muted">${t('system.restoreHelp')}</p>
        <input type="file" id="restore-file" accept=".tar,application/x-tar" ?disabled=${this.uploading} @change=${this.upload}>
        ${this.uploading ? html`<span class="muted">${t('system.verifying')}</span>` : nothing}
        ${this.uploadResult ? html`<p class="ok" id="restore-result">${this.uploadResult}</p>` : nothing}
        ${this.uploadError ? html`<p class="error" id="restore-error">${t('system.refused')} ${this.uploadError}</p>` : nothing}
      </section>
      ${this.policyForm()}`;
  }
}

declare global { interface HTMLElementTagNameMap { 'system-panel': SystemPanel } }
