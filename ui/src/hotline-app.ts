// The panel's root: first-run setup or sign-in, then the face for the user's
// role (wallboard, the dashboard of channels and calls, reports, recordings and the E1 spans for supervisors and
// admins, the agent console for agents, the IVR editor, time conditions, screening, users, the configuration forms,
// the JSON configuration (advanced) and System (backups, restore) for admins), each panel loaded only when first shown.
import { LitElement, html, css, nothing, type TemplateResult } from 'lit';
import { customElement, state } from 'lit/decorators.js';
import { LangMixin } from './lang-mixin.js';
import { t, setLang, currentLang, type StringKey } from './i18n.js';
import { shared } from './styles.js';
import { ApiError, connection } from './data/api.js';
import { fetchSetupStatus, createAdmin, login, logout, whoami, MIN_PASSWORD, type WhoAmI, type Role } from './data/auth.js';
import './sign-in-form.js';
import type { SignInSubmit } from './sign-in-form.js';

type Tab = 'dashboard' | 'system' | 'wallboard' | 'reports' | 'recordings' | 'e1' | 'console' | 'ivr' | 'schedule' | 'screening' | 'users' | 'forms' | 'config';
const TABS: Record<Role, Tab[]> = { admin: ['wallboard', 'dashboard', 'reports', 'recordings', 'e1', 'ivr', 'schedule', 'screening', 'users', 'forms', 'config', 'system'], supervisor: ['wallboard', 'dashboard', 'reports', 'recordings', 'e1'], agent: ['console'] };
const LOADERS: Record<Tab, () => Promise<unknown>> = {
  wallboard: () => import('./panels/wallboard-panel.js'),
  dashboard: () => import('./panels/dashboard-panel.js'),
  system: () => import('./panels/system-panel.js'),
  reports: () => import('./panels/reports-panel.js'),
  recordings: () => import('./panels/recordings-panel.js'),
  e1: () => import('./panels/e1-panel.js'),
  console: () => import('./panels/agent-console.js'),
  ivr: () => import('./panels/ivr-editor.js'),
  schedule: () => import('./panels/time-panel.js'),
  screening: () => import('./panels/screening-panel.js'),
  users: () => import('./panels/users-panel.js'),
  forms: () => import('./panels/config-forms-panel.js'),
  config: () => import('./panels/config-panel.js'),
};
// Configuration is edited in forms; the JSON editor stays as the advanced page.
const TAB_LABEL: Partial<Record<Tab, StringKey>> = { forms: 'forms', config: 'forms.advanced' };

@customElement('hotline-app')
export class HotlineApp extends LangMixin(LitElement) {
  static override styles = [shared, css`
    header { display: flex; align-items: center; gap: 12px; padding: 8px 16px; background: #1d2330; color: #fff; }
    header h1 { font-size: 16px; margin: 0 12px 0 0; }
    header nav { display: flex; gap: 4px; flex: 1; }
    header nav button { background: transparent; color: #cbd2e0; border-color: transparent; }
    header nav button[aria-selected="true"] { background: #3a4358; color: #fff; }
    header .who { color: #cbd2e0; }
    header button.plain { background: transparent; color: #fff; border-color: #4b5568; }
    main { padding: 16px; }
    .banner { background: #fef3c7; padding: 4px 16px; }
  `];

  @state() private phase: 'loading' | 'setup' | 'signin' | 'in' | 'error' = 'loading';
  @state() private me: WhoAmI | null = null;
  @state() private tab: Tab = 'wallboard';
  @state() private loaded = new Set<Tab>();
  @state() private offline = false;
  @state() private error: ApiError | null = null;
  @state() private busy = false;

  override connectedCallback(): void {
    super.connectedCallback();
    void this.start();
  }

  private async start(): Promise<void> {
    try {
      const me = await whoami();
      if (me) return this.enter(me);
      const { needsSetup } = await fetchSetupStatus();
      this.phase = needsSetup ? 'setup' : 'signin';
    } catch (e) {
      this.error = e instanceof ApiError ? e : new ApiError({ id: 'internal', message: String(e) });
      this.phase = 'error';
    }
  }

  private async enter(me: WhoAmI): Promise<void> {
    this.me = me;
    const conn = connection();
    conn.onStatus((s) => { this.offline = s === 'closed'; });
    await this.show(TABS[me.role][0]!);
    this.phase = 'in';
  }

  private async show(tab: Tab): Promise<void> {
    if (!this.loaded.has(tab)) {
      await LOADERS[tab]();
      this.loaded = new Set([...this.loaded, tab]);
    }
    this.tab = tab;
  }

  private async onSubmit(e: CustomEvent<SignInSubmit>): Promise<void> {
    const { username, password } = e.detail;
    this.busy = true;
    this.error = null;
    try {
      if (this.phase === 'setup') await createAdmin(username, password);
      else await login(username, password);
      const me = await whoami();
      if (me) await this.enter(me);
    } catch (err) {
      this.error = err instanceof ApiError ? err : new ApiError({ id: 'internal', message: String(err) });
      // Someone else finished the setup meanwhile: sign in instead.
      if (this.phase === 'setup' && this.error.id === 'conflict') this.phase = 'signin';
    } finally {
      this.busy = false;
    }
  }

  private async signOut(): Promise<void> {
    await logout().catch(() => {});
    this.me = null;
    this.loaded = new Set();
    this.phase = 'signin';
  }

  private panel(tab: Tab): TemplateResult {
    switch (tab) {
      case 'wallboard': return html`<wallboard-panel .viewerRole=${this.me!.role}></wallboard-panel>`;
      case 'dashboard': return html`<dashboard-panel></dashboard-panel>`;
      case 'system': return html`<system-panel></system-panel>`;
      case 'reports': return html`<reports-panel></reports-panel>`;
      case 'recordings': return html`<recordings-panel></recordings-panel>`;
      case 'e1': return html`<e1-panel></e1-panel>`;
      case 'console': return html`<agent-console .me=${this.me}></agent-console>`;
      case 'ivr': return html`<ivr-editor></ivr-editor>`;
      case 'schedule': return html`<time-panel></time-panel>`;
      case 'screening': return html`<screening-panel></screening-panel>`;
      case 'users': return html`<users-panel></users-panel>`;
      case 'forms': return html`<config-forms-panel></config-forms-panel>`;
      case 'config': return html`<config-panel></config-panel>`;
    }
  }

  override render() {
    const langButton = html`<button class="plain" id="lang" @click=${() => setLang(currentLang() === 'zh' ? 'en' : 'zh')}>${t('language')}</button>`;
    if (this.phase === 'loading') return html`<main class="muted">${t('loading')}</main>`;
    if (this.phase === 'error') return html`<main class="error">${this.error?.message}</main>`;
    if (this.phase === 'setup' || this.phase === 'signin') {
      return html`<header><h1>${t('title')}</h1><nav></nav>${langButton}</header>
        <main><sign-in-form .mode=${this.phase} .error=${this.error} .busy=${this.busy} .minLength=${MIN_PASSWORD}
          @sign-in-submit=${this.onSubmit}></sign-in-form></main>`;
    }
    const me = this.me!;
    return html`
      <header>
        <h1>${t('title')}</h1>
        <nav role="tablist">${TABS[me.role].map((tab) => html`<button role="tab" data-tab=${tab} aria-selected=${this.tab === tab} @click=${() => this.show(tab)}>${t(TAB_LABEL[tab] ?? tab)}</button>`)}</nav>
        <span class="who">${me.user?.displayName || me.name} · ${me.role}</span>
        ${langButton}
        <button class="plain" id="signout" @click=${this.signOut}>${t('signOut')}</button>
      </header>
      ${this.offline ? html`<div class="banner">${t('disconnected')}</div>` : nothing}
      <main>${this.panel(this.tab)}</main>`;
  }
}

declare global { interface HTMLElementTagNameMap { 'hotline-app': HotlineApp } }
