// Users and API tokens (admins): accounts listed with their role; create one
// with a role, disable or enable it, change its role, reset its password. API
// tokens listed (never the secret), created (the secret shown once, here) and
// revoked.
import { LitElement, html, css, nothing } from 'lit';
import { customElement, state } from 'lit/decorators.js';
import { LangMixin } from '../lang-mixin.js';
import { t, tOr } from '../i18n.js';
import { shared } from '../styles.js';
import { connection, ApiError, type FieldError } from '../data/api.js';
import type { Role } from '../data/auth.js';
import { fetchUsers, createUser, updateUser, disableUser, enableUser, fetchTokens, createToken, revokeToken, type UserRow, type TokenRow } from '../data/users.js';

const ROLES: Role[] = ['admin', 'supervisor', 'agent'];

@customElement('users-panel')
export class UsersPanel extends LangMixin(LitElement) {
  static override styles = [shared, css`
    form.row { display: flex; gap: 6px; flex-wrap: wrap; align-items: flex-start; }
    form.row label { display: flex; flex-direction: column; font-size: 12px; }
    .field-error { color: #b42318; font-size: 12px; }
    .secret { font: 13px ui-monospace, monospace; background: #fef3c7; padding: 6px 8px; border-radius: 4px; user-select: all; }
    tr.disabled td { color: #9ca3af; }
  `];

  @state() private users: UserRow[] = [];
  @state() private tokens: TokenRow[] = [];
  @state() private fields: FieldError[] = [];
  @state() private message = '';
  @state() private resetting: number | null = null;
  @state() private newToken: string | null = null;

  override connectedCallback(): void {
    super.connectedCallback();
    void this.load();
  }

  private async load(): Promise<void> {
    const conn = connection();
    [this.users, this.tokens] = await Promise.all([fetchUsers(conn), fetchTokens(conn)]);
  }

  private async act(fn: () => Promise<unknown>): Promise<boolean> {
    this.message = ''; this.fields = [];
    try { await fn(); await this.load(); return true; } catch (e) {
      if (e instanceof ApiError && e.fields.length) this.fields = e.fields;
      else this.message = e instanceof ApiError ? e.message : String(e);
      return false;
    }
  }

  private err(path: string) {
    return this.fields.filter((f) => f.path === path).map((f) => html`<span class="field-error" data-path=${f.path}>${f.message}</span>`);
  }

  private async create(e: Event): Promise<void> {
    e.preventDefault();
    const f = e.target as HTMLFormElement;
    const v = (n: string) => (f.elements.namedItem(n) as HTMLInputElement).value;
    if (await this.act(() => createUser(connection(), { username: v('username').trim(), displayName: v('displayName').trim(), role: v('role') as Role, password: v('password') }))) f.reset();
  }

  private async reset(e: Event, id: number): Promise<void> {
    e.preventDefault();
    const pw = ((e.target as HTMLFormElement).elements.namedItem('password') as HTMLInputElement).value;
    if (await this.act(() => updateUser(connection(), id, { password: pw }))) this.resetting = null;
  }

  private async makeToken(e: Event): Promise<void> {
    e.preventDefault();
    const f = e.target as HTMLFormElement;
    const v = (n: string) => (f.elements.namedItem(n) as HTMLInputElement).value;
    let token = '';
    if (await this.act(async () => { token = (await createToken(connection(), v('name').trim(), v('role') as Role)).token; })) { this.newToken = token; f.reset(); }
  }

  override render() {
    const conn = connection();
    return html`
      ${this.message ? html`<p class="error" id="users-error">${this.message}</p>` : nothing}
      <h2>${t('users.title')}</h2>
      <table id="users"><thead><tr><th>${t('username')}</th><th>${t('users.displayName')}</th><th>${t('users.role')}</th><th>${t('users.status')}</th><th></th></tr></thead>
        <tbody>${this.users.map((u) => html`<tr data-user=${u.username} class=${u.disabled ? 'disabled' : ''}>
          <td>${u.username}</td><td>${u.displayName}</td>
          <td><select class="role" @change=${(e: Event) => this.act(() => updateUser(conn, u.id, { role: (e.target as HTMLSelectElement).value as Role }))}>
            ${ROLES.map((r) => html`<option value=${r} ?selected=${r === u.role}>${tOr(`role.${r}`, r)}</option>`)}</select></td>
          <td data-field="status">${u.disabled ? t('users.disabled') : t('users.active')}</td>
          <td>${u.disabled ? html`<button class="enable" @click=${() => this.act(() => enableUser(conn, u.id))}>${t('users.enable')}</button>`
            : html`<button class="disable" @click=${() => this.act(() => disableUser(conn, u.id))}>${t('users.disable')}</button>`}
            ${this.resetting === u.id ? html`<form class="row" style="display:inline-flex" @submit=${(e: Event) => this.reset(e, u.id)}>
                <input type="password" name="password" autocomplete="new-password" placeholder=${t('users.newPassword')} required minlength="8">
                <button class="primary" type="submit">${t('users.setPassword')}</button>${this.err('password')}</form>`
              : html`<button class="reset" @click=${() => { this.resetting = u.id; }}>${t('users.resetPassword')}</button>`}</td>
        </tr>`)}</tbody></table>
      <div class="card" style="margin-top:12px"><h2>${t('users.create')}</h2>
        <form class="row" id="user-create" @submit=${this.create}>
          <label>${t('username')}<input name="username" required maxlength="40">${this.err('username')}</label>
          <label>${t('users.displayName')}<input name="displayName" maxlength="80"></label>
          <label>${t('users.role')}<select name="role">${ROLES.map((r) => html`<option value=${r} ?selected=${r === 'agent'}>${tOr(`role.${r}`, r)}</option>`)}</select></label>
          <label>${t('password')}<input type="password" name="password" autocomplete="new-password" required>${this.err('password')}</label>
          <button class="primary" type="submit" style="align-self:flex-end">${t('users.createButton')}</button>
        </form></div>
      <h2>${t('users.tokens')}</h2>
      ${this.newToken ? html`<div class="card" id="new-token"><p>${t('users.tokenOnce')}</p><p class="secret">${this.newToken}</p>
        <button @click=${() => { this.newToken = null; }}>${t('users.tokenDone')}</button></div>` : nothing}
      <table id="tokens"><thead><tr><th>${t('users.tokenName')}</th><th>${t('users.role')}</th><th>${t('users.prefix')}</th><th>${t('users.created')}</th><th>${t('users.lastUsed')}</th><th></th></tr></thead>
        <tbody>${this.tokens.map((k) => html`<tr data-token=${k.name} class=${k.revokedAt ? 'disabled' : ''}>
          <td>${k.name}</td><td>${tOr(`role.${k.role}`, k.role)}</td><td><code>${k.prefix}…</code></td><td>${k.createdAt.slice(0, 16).replace('T', ' ')}</td><td>${k.lastUsedAt?.slice(0, 16).replace('T', ' ') ?? '–'}</td>
          <td>${k.revokedAt ? t('users.revoked') : html`<button class="revoke" @click=${() => this.act(() => revokeToken(conn, k.id))}>${t('users.revoke')}</button>`}</td>
        </tr>`)}</tbody></table>
      <form class="row card" id="token-create" style="margin-top:8px" @submit=${this.makeToken}>
        <label>${t('users.tokenName')}<input name="name" required maxlength="80">${this.err('name')}</label>
        <label>${t('users.role')}<select name="role">${ROLES.map((r) => html`<option value=${r} ?selected=${r === 'supervisor'}>${tOr(`role.${r}`, r)}</option>`)}</select></label>
        <button class="primary" type="submit" style="align-self:flex-end">${t('users.createToken')}</button>
      </form>`;
  }
}

declare global { interface HTMLElementTagNameMap { 'users-panel': UsersPanel } }
