// Sign-in, or on first start "choose the admin password" (twice). Errors from
// the API appear next to the field they name; the rest under the form.
import { LitElement, html, css, nothing } from 'lit';
import { customElement, property, state } from 'lit/decorators.js';
import { LangMixin } from './lang-mixin.js';
import { t } from './i18n.js';
import { shared } from './styles.js';
import type { ApiError } from './data/api.js';

export interface SignInSubmit { username: string; password: string }

@customElement('sign-in-form')
export class SignInForm extends LangMixin(LitElement) {
  static override styles = [shared, css`
    form { max-width: 360px; margin: 40px auto; }
    label { display: block; margin: 10px 0 2px; }
    input { width: 100%; box-sizing: border-box; }
    .field-error { font-size: 12px; margin-top: 2px; }
    .actions { margin-top: 16px; }
  `];

  @property() mode: 'setup' | 'signin' = 'signin';
  @property({ attribute: false }) error: ApiError | null = null;
  @property({ type: Boolean }) busy = false;
  @property({ type: Number }) minLength = 8;
  @state() private local: Record<string, string> = {};

  private fieldError(name: string) {
    const msg = this.local[name] ?? this.error?.field(name);
    return msg ? html`<div class="error field-error" id=${`${name}-error`}>${msg}</div>` : nothing;
  }

  private submit(e: Event): void {
    e.preventDefault();
    const form = e.target as HTMLFormElement;
    const data = new FormData(form);
    const username = String(data.get('username') ?? '').trim();
    const password = String(data.get('password') ?? '');
    const local: Record<string, string> = {};
    if (this.mode === 'setup') {
      if (password.length < this.minLength) local.password = t('tooShort', { n: this.minLength });
      else if (password !== String(data.get('password2') ?? '')) local.password2 = t('passwordsDiffer');
    }
    this.local = local;
    if (Object.keys(local).length) return;
    this.dispatchEvent(new CustomEvent<SignInSubmit>('sign-in-submit', { detail: { username, password }, bubbles: true, composed: true }));
  }

  override render() {
    const setup = this.mode === 'setup';
    const general = this.error && !this.error.fields.length ? this.error.message : '';
    return html`
      <form class="card" @submit=${this.submit} novalidate>
        <h2>${setup ? t('setupTitle') : t('signInTitle')}</h2>
        ${setup ? html`<p class="muted">${t('setupIntro')}</p>` : nothing}
        <label for="username">${t('username')}</label>
        <input id="username" name="username" autocomplete="username" .value=${setup ? 'admin' : ''} required>
        ${this.fieldError('username')}
        <label for="password">${t('password')}</label>
        <input id="password" name="password" type="password" autocomplete=${setup ? 'new-password' : 'current-password'} required>
        ${this.fieldError('password')}
        ${setup ? html`
          <label for="password2">${t('passwordAgain')}</label>
          <input id="password2" name="password2" type="password" autocomplete="new-password" required>
          ${this.fieldError('password2')}` : nothing}
        <div class="actions">
          <button class="primary" id="submit" ?disabled=${this.busy}>${setup ? t('createAdmin') : t('signIn')}</button>
        </div>
        ${general ? html`<p class="error" id="form-error">${general}</p>` : nothing}
      </form>`;
  }
}

declare global { interface HTMLElementTagNameMap { 'sign-in-form': SignInForm } }
