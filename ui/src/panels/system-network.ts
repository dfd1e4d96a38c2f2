// Network and time on the System page (admins): the interfaces, addresses,
// default gateway and DNS servers as the OS has them now; the DHCP or static
// setting staged for the appliance image (applied at its next network
// restart, said plainly), with each refused field named beside its input;
// the box's time and zone, and the time zone and NTP servers to use.
import { LitElement, html, css, nothing } from 'lit';
import { customElement, state } from 'lit/decorators.js';
import { LangMixin } from '../lang-mixin.js';
import { t } from '../i18n.js';
import { shared } from '../styles.js';
import { connection, ApiError } from '../data/api.js';
import { fetchNetwork, saveNetwork, fetchTime, saveTime, type NetworkInfo, type NetworkSetting, type TimeSettings } from '../data/system.js';

const lines = (s: string) => s.split(/[\s,;]+/).map((x) => x.trim()).filter(Boolean);

@customElement('system-network')
export class SystemNetwork extends LangMixin(LitElement) {
  static override styles = [shared, css`
    .grid { display: grid; grid-template-columns: max-content 1fr; gap: 6px 12px; align-items: start; max-width: 640px; }
    .notice { background: #eff6ff; border-left: 3px solid #2563eb; padding: 6px 10px; margin: 8px 0; }
    textarea { width: 260px; min-height: 52px; }
    .ok { color: #065f46; }
    td { white-space: normal; }
  `];

  @state() private net: NetworkInfo | null = null;
  @state() private form: NetworkSetting = { interface: 'eth0', mode: 'dhcp', dns: [] };
  @state() private netError: ApiError | null = null;
  @state() private netSaved = false;
  @state() private time: { now: string; boxTimezone: string; utcOffsetMin: number; settings: TimeSettings } | null = null;
  @state() private timeForm: TimeSettings = { timezone: '', ntp: [] };
  @state() private timeError: ApiError | null = null;
  @state() private timeSaved = false;
  @state() private error = '';
  private loadedAt = 0;
  private clockTimer: ReturnType<typeof setInterval> | undefined;

  override connectedCallback(): void {
    super.connectedCallback();
    void this.load();
    this.clockTimer = setInterval(() => this.requestUpdate(), 1000);
  }

  override disconnectedCallback(): void {
    clearInterval(this.clockTimer);
    super.disconnectedCallback();
  }

  private async load(): Promise<void> {
    try {
      const [n, tm] = await Promise.all([fetchNetwork(connection()), fetchTime(connection())]);
      this.net = n;
      this.form = { ...n.staged, dns: [...n.staged.dns] };
      this.time = tm;
      this.loadedAt = Date.now();
      this.timeForm = { ...tm.settings, ntp: [...tm.settings.ntp] };
    } catch (e) { this.error = (e as Error).message; }
  }

  private async saveNet(e: Event): Promise<void> {
    e.preventDefault();
    this.netError = null;
    this.netSaved = false;
    const f = this.form;
    const body: NetworkSetting = f.mode === 'dhcp' ? { interface: f.interface, mode: 'dhcp', dns: f.dns } : f;
    try {
      const r = await saveNetwork(connection(), body);
      this.form = { ...r.staged, dns: [...r.staged.dns] };
      this.netSaved = true;
    } catch (err) { this.netError = err instanceof ApiError ? err : new ApiError({ id: 'internal', message: String(err) }); }
  }

  private async saveTimeForm(e: Event): Promise<void> {
    e.preventDefault();
    this.timeError = null;
    this.timeSaved = false;
    try {
      const r = await saveTime(connection(), this.timeForm);
      this.timeForm = { ...r.settings, ntp: [...r.settings.ntp] };
      this.timeSaved = true;
    } catch (err) { this.timeError = err instanceof ApiError ? err : new ApiError({ id: 'internal', message: String(err) }); }
  }

  // The message for a field (or any item under it: dns.1 under dns).
  private fieldError(err: ApiError | null, path: string) {
    const f = err?.fields.find((x) => x.path === path || x.path.startsWith(`${path}.`));
    return f ? html`<div class="error" data-field-error=${path}>${f.message}</div>` : nothing;
  }

  private set(patch: Partial<NetworkSetting>): void { this.form = { ...this.form, ...patch }; this.netSaved = false; }

  private osNetwork(n: NetworkInfo) {
    return html`<table id="interfaces">
      <thead><tr><th>${t('sys.interface')}</th><th>${t('sys.addresses')}</th><th>${t('sys.mac')}</th></tr></thead>
      <tbody>${n.interfaces.map((i) => html`<tr data-iface=${i.name}><td>${i.name}</td>
        <td>${i.addresses.map((a) => html`<div class="addr">${a.cidr ?? a.address}</div>`)}</td><td>${i.mac ?? '–'}</td></tr>`)}</tbody>
    </table>
    <p><b>${t('sys.gateway')}:</b> <span id="os-gateway">${n.gateway ? `${n.gateway.address} (${n.gateway.interface})` : '–'}</span>
      · <b>${t('sys.dns')}:</b> <span id="os-dns">${n.dns.join(', ') || '–'}</span></p>`;
  }

  private networkForm() {
    const f = this.form;
    const e = this.netError;
    return html`<form class="card" id="network-form" @submit=${this.saveNet}>
      <h2>${t('sys.staged')}</h2>
      <p class="notice" id="network-applies">${t('sys.appliesAt')}</p>
      <div class="grid">
        <label for="net-iface">${t('sys.iface')}</label>
        <div><input id="net-iface" .value=${f.interface} @input=${(ev: Event) => this.set({ interface: (ev.target as HTMLInputElement).value.trim() })}>${this.fieldError(e, 'interface')}</div>
        <span>${t('sys.mode')}</span>
        <div><label><input type="radio" name="mode" value="dhcp" .checked=${f.mode === 'dhcp'} @change=${() => this.set({ mode: 'dhcp' })}> ${t('sys.dhcp')}</label>
          <label><input type="radio" name="mode" value="static" .checked=${f.mode === 'static'} @change=${() => this.set({ mode: 'static' })}> ${t('sys.static')}</label>${this.fieldError(e, 'mode')}</div>
        ${f.mode === 'static' ? html`
          <label for="net-address">${t('sys.address')}</label>
          <div><input id="net-address" placeholder="192.168.1.10/24" .value=${f.address ?? ''} @input=${(ev: Event) => this.set({ address: (ev.target as HTMLInputElement).value.trim() || undefined })}>${this.fieldError(e, 'address')}</div>
          <label for="net-gateway">${t('sys.gateway')}</label>
          <div><input id="net-gateway" placeholder="192.168.1.1" .value=${f.gateway ?? ''} @input=${(ev: Event) => this.set({ gateway: (ev.target as HTMLInputElement).value.trim() || undefined })}>${this.fieldError(e, 'gateway')}</div>` : nothing}
        <label for="net-dns">${t('sys.dns')}</label>
        <div><input id="net-dns" placeholder="223.5.5.5, 114.114.114.114" .value=${f.dns.join(', ')} @change=${(ev: Event) => this.set({ dns: lines((ev.target as HTMLInputElement).value) })}>${this.fieldError(e, 'dns')}</div>
      </div>
      <p><button class="primary" id="network-save">${t('sys.save')}</button>
        ${this.netSaved ? html`<span class="ok" id="network-saved">${t('sys.saved')}</span>` : nothing}</p>
      ${e && !e.fields.length ? html`<p class="error">${e.message}</p>` : nothing}
    </form>`;
  }

  private timeCard() {
    const tm = this.time;
    if (!tm) return nothing;
    const now = new Date(Date.parse(tm.now) + (Date.now() - this.loadedAt));
    const e = this.timeError;
    return html`<form class="card" id="time-form" @submit=${this.saveTimeForm}>
      <p><b>${t('sys.boxTime')}:</b> <span id="box-time">${now.toLocaleString()}</span> <span class="muted">(${tm.boxTimezone}, UTC${tm.utcOffsetMin >= 0 ? '+' : '−'}${Math.abs(tm.utcOffsetMin / 60)})</span></p>
      <div class="grid">
        <label for="time-zone">${t('sys.timezone')}</label>
        <div><input id="time-zone" list="zones" .value=${this.timeForm.timezone} @input=${(ev: Event) => { this.timeForm = { ...this.timeForm, timezone: (ev.target as HTMLInputElement).value.trim() }; this.timeSaved = false; }}>
          <datalist id="zones">${['Asia/Shanghai', 'Asia/Urumqi', 'Asia/Hong_Kong', 'Asia/Taipei', 'UTC'].map((z) => html`<option value=${z}></option>`)}</datalist>${this.fieldError(e, 'timezone')}</div>
        <label for="time-ntp">${t('sys.ntp')}</label>
        <div><textarea id="time-ntp" .value=${this.timeForm.ntp.join('\n')} @change=${(ev: Event) => { this.timeForm = { ...this.timeForm, ntp: lines((ev.target as HTMLTextAreaElement).value) }; this.timeSaved = false; }}></textarea>
          <div class="muted">${t('sys.ntpHelp')}</div>${this.fieldError(e, 'ntp')}</div>
      </div>
      <p><button class="primary" id="time-save">${t('sys.save')}</button>
        ${this.timeSaved ? html`<span class="ok" id="time-saved">${t('sys.saved')}</span>` : nothing}</p>
    </form>`;
  }

  override render() {
    if (this.error) return html`<p class="error">${this.error}</p>`;
    const n = this.net;
    if (!n) return html`<p class="muted">${t('loading')}</p>`;
    return html`<h2>${t('sys.network')}</h2>
      <section class="card" id="os-network">${this.osNetwork(n)}</section>
      ${this.networkForm()}
      <h2>${t('sys.time')}</h2>
      ${this.timeCard()}`;
  }
}

declare global { interface HTMLElementTagNameMap { 'system-network': SystemNetwork } }
