// Reports: a period (today, yesterday, this week, this month or custom dates,
// in the browser's time zone) grouped by queue, agent, hour, day or month;
// the rows as a table and as bars (offered / answered / abandoned, drawn as
// inline SVG), and the same report as a CSV download. The box computes it in a
// worker, which can take a while: a spinner shows meanwhile.
import { LitElement, html, css, svg, nothing } from 'lit';
import { customElement, state } from 'lit/decorators.js';
import { LangMixin } from '../lang-mixin.js';
import { t, duration } from '../i18n.js';
import { shared } from '../styles.js';
import { connection } from '../data/api.js';
import { runReport, runReportCsv, type AcdReport, type GroupBy, type ReportQuery, type ReportRow } from '../data/acd.js';

export type Period = 'today' | 'yesterday' | 'thisWeek' | 'thisMonth' | 'custom';
const PERIODS: Period[] = ['today', 'yesterday', 'thisWeek', 'thisMonth', 'custom'];
const GROUPS: GroupBy[] = ['queue', 'agent', 'hour', 'day', 'month'];
const pct = (x: number | null) => (x === null ? '–' : `${Math.round(x * 100)}%`);

const DAY = 86_400_000;
const ymd = (ms: number) => new Date(ms).toISOString().slice(0, 10);
const dayMs = (date: string) => Date.parse(`${date}T00:00:00Z`);

// The period's first day and the day after its last, as wall dates in `tz`
// (the report reads a date without an offset as midnight in tz).
export function periodRange(period: Period, tz: string, now = Date.now(), custom?: { from: string; to: string }): { from: string; to: string } {
  const today = dayMs(new Date(now).toLocaleDateString('en-CA', { timeZone: tz }));
  switch (period) {
    case 'today': return { from: ymd(today), to: ymd(today + DAY) };
    case 'yesterday': return { from: ymd(today - DAY), to: ymd(today) };
    case 'thisWeek': return { from: ymd(today - ((new Date(today).getUTCDay() + 6) % 7) * DAY), to: ymd(today + DAY) };
    case 'thisMonth': return { from: `${ymd(today).slice(0, 8)}01`, to: ymd(today + DAY) };
    case 'custom': {
      const from = custom?.from || ymd(today);
      const to = custom?.to || from;
      return { from, to: ymd(dayMs(to) + DAY) };
    }
  }
}

// The label and the three bar values of one row.
function bars(row: ReportRow): { label: string; values: [number, number, number] } {
  if ('agent' in row) return { label: row.name ? `${row.agent} ${row.name}` : row.agent, values: [row.offers, row.answered, row.offersMissed] };
  const label = 'queue' in row ? row.queue : row.period.replace(/^\d{4}-(\d\d-\d\d)T(\d\d):00[+-]\d\d:\d\d$/, '$1 $2h');
  return { label, values: [row.offered, row.answered, row.abandoned] };
}

@customElement('reports-panel')
export class ReportsPanel extends LangMixin(LitElement) {
  static override styles = [shared, css`
    form { display: flex; flex-wrap: wrap; gap: 8px; align-items: end; margin-bottom: 12px; }
    form label { display: flex; flex-direction: column; gap: 2px; font-size: 12px; color: #4a5263; }
    .spinner { display: inline-block; width: 16px; height: 16px; border: 3px solid #c7d2fe; border-top-color: #2563eb; border-radius: 50%; animation: spin .8s linear infinite; vertical-align: middle; margin-right: 6px; }
    @keyframes spin { to { transform: rotate(360deg); } }
    svg { background: #fff; border: 1px solid #e3e6ec; border-radius: 6px; max-width: 100%; }
    svg text { font: 11px system-ui, sans-serif; fill: #4a5263; }
    .legend span { display: inline-block; width: 10px; height: 10px; margin: 0 4px 0 12px; }
    .s0 { fill: #93c5fd; background: #93c5fd; } .s1 { fill: #34d399; background: #34d399; } .s2 { fill: #f87171; background: #f87171; }
  `];

  @state() private period: Period = 'today';
  @state() private groupBy: GroupBy = 'queue';
  @state() private customFrom = '';
  @state() private customTo = '';
  @state() private report: AcdReport | null = null;
  @state() private running = false;
  @state() private error = '';
  private readonly tz = Intl.DateTimeFormat().resolvedOptions().timeZone || 'Asia/Shanghai';
  private seq = 0;

  override connectedCallback(): void {
    super.connectedCallback();
    void this.run();
  }

  private query(): ReportQuery {
    return { ...periodRange(this.period, this.tz, Date.now(), { from: this.customFrom, to: this.customTo }), groupBy: this.groupBy, tz: this.tz };
  }

  private async run(e?: Event): Promise<void> {
    e?.preventDefault();
    const seq = ++this.seq;
    this.running = true;
    this.error = '';
    try {
      const r = await runReport(connection(), this.query());
      if (seq === this.seq) this.report = r;
    } catch (err) {
      if (seq === this.seq) { this.report = null; this.error = err instanceof Error ? err.message : String(err); }
    } finally {
      if (seq === this.seq) this.running = false;
    }
  }

  private async download(): Promise<void> {
    const q = this.query();
    this.running = true;
    this.error = '';
    try {
      const { csv } = await runReportCsv(connection(), q);
      // A BOM so spreadsheet programs read the UTF-8 names right.
      const url = URL.createObjectURL(new Blob(['\ufeff', csv], { type: 'text/csv;charset=utf-8' }));
      const a = document.createElement('a');
      a.href = url;
      a.download = `report-${q.groupBy}-${q.from}-${q.to}.csv`;
      a.click();
      setTimeout(() => URL.revokeObjectURL(url), 10_000);
    } catch (err) {
      this.error = err instanceof Error ? err.message : String(err);
    } finally {
      this.running = false;
    }
  }

  private chart(rows: ReportRow[]) {
    if (!rows.length) return nothing;
    const data = rows.map(bars);
    const max = Math.max(1, ...data.flatMap((d) => d.values));
    const bw = 10, group = bw * 3 + 14, h = 160, top = 10, left = 34, bottom = 46;
    const width = left + data.length * group + 10;
    const y = (v: number) => top + h - (v / max) * h;
    const ticks = [0, Math.round(max / 2), max];
    // Many periods (24 hours, 31 days): label every nth so labels do not overlap.
    const every = Math.ceil(data.length / 16);
    return html`<svg id="chart" width=${width} height=${top + h + bottom} viewBox="0 0 ${width} ${top + h + bottom}" role="img" aria-label=${t('reports')}>
      ${ticks.map((v) => svg`<line x1=${left} x2=${width - 4} y1=${y(v)} y2=${y(v)} stroke="#e3e6ec"></line><text x=${left - 4} y=${y(v) + 4} text-anchor="end">${v}</text>`)}
      ${data.map((d, i) => {
        const x0 = left + 6 + i * group;
        return svg`<g class="bar-group" data-label=${d.label}>
          ${d.values.map((v, k) => svg`<rect class="s${k}" data-value=${v} x=${x0 + k * bw} y=${y(v)} width=${bw - 1} height=${Math.max(0, top + h - y(v))}><title>${d.label}: ${v}</title></rect>`)}
          ${i % every ? nothing : svg`<text transform="translate(${x0 + bw * 1.5},${top + h + 8}) rotate(45)">${d.label.length > 14 ? `${d.label.slice(0, 13)}…` : d.label}</text>`}</g>`;
      })}
    </svg>
    <div class="legend muted">${(this.groupBy === 'agent' ? ['offered', 'answered', 'missed'] as const : ['offered', 'answered', 'abandoned'] as const)
      .map((k, i) => html`<span class="s${i}"></span>${t(k)}`)}</div>`;
  }

  private table(r: AcdReport) {
    if (!r.rows.length) return html`<p class="muted" id="no-rows">${t('noRows')}</p>`;
    if (r.groupBy === 'agent') {
      return html`<table id="report"><thead><tr><th>${t('agent')}</th><th>${t('name')}</th><th class="num">${t('calls')}</th><th class="num">${t('answered')}</th>
        <th class="num">${t('handled')}</th><th class="num">${t('talkTime')}</th><th class="num">${t('aht')}</th><th class="num">${t('loginTime')}</th>
        <th class="num">${t('pauseTime')}</th><th class="num">${t('occupancy')}</th></tr></thead>
        <tbody>${r.rows.map((row) => { const a = row as Extract<ReportRow, { agent: string }>; return html`<tr data-row=${a.agent}>
          <td>${a.agent}</td><td>${a.name}</td><td class="num">${a.calls}</td><td class="num">${a.answered}</td><td class="num">${a.handled}</td>
          <td class="num">${duration(a.talkSec)}</td><td class="num">${duration(a.ahtSec)}</td><td class="num">${duration(a.loginSec)}</td>
          <td class="num">${duration(a.pauseSec)}</td><td class="num">${pct(a.occupancy)}</td></tr>`; })}</tbody></table>`;
    }
    return html`<table id="report"><thead><tr><th>${t(`group.${r.groupBy}` as 'group.queue')}</th><th class="num">${t('offered')}</th><th class="num">${t('answered')}</th>
      <th class="num">${t('abandoned')}</th><th class="num">${t('abandonRate')}</th><th class="num">${t('serviceLevel')}</th><th class="num">${t('asa')}</th><th class="num">${t('aht')}</th></tr></thead>
      <tbody>${r.rows.map((row) => { const q = row as Extract<ReportRow, { offered: number }>; const label = bars(row).label; return html`<tr data-row=${label}>
        <td>${label}</td><td class="num" data-field="offered">${q.offered}</td><td class="num" data-field="answered">${q.answered}</td><td class="num" data-field="abandoned">${q.abandoned}</td>
        <td class="num">${pct(q.abandonRate)}</td><td class="num">${pct(q.serviceLevel)}</td><td class="num">${duration(q.asaSec)}</td><td class="num">${duration(q.ahtSec)}</td></tr>`; })}</tbody></table>`;
  }

  override render() {
    return html`
      <form @submit=${this.run}>
        <label>${t('period')}<select id="period" @change=${(e: Event) => { this.period = (e.target as HTMLSelectElement).value as Period; }}>
          ${PERIODS.map((p) => html`<option value=${p} ?selected=${p === this.period}>${t(p)}</option>`)}</select></label>
        ${this.period === 'custom' ? html`
          <label>${t('from')}<input type="date" id="from" .value=${this.customFrom} @change=${(e: Event) => { this.customFrom = (e.target as HTMLInputElement).value; }}></label>
          <label>${t('to')}<input type="date" id="to" .value=${this.customTo} @change=${(e: Event) => { this.customTo = (e.target as HTMLInputElement).value; }}></label>` : nothing}
        <label>${t('groupBy')}<select id="group-by" @change=${(e: Event) => { this.groupBy = (e.target as HTMLSelectElement).value as GroupBy; }}>
          ${GROUPS.map((g) => html`<option value=${g} ?selected=${g === this.groupBy}>${t(`group.${g}` as 'group.queue')}</option>`)}</select></label>
        <button class="primary" id="run" ?disabled=${this.running}>${t('run')}</button>
        <button type="button" id="csv" ?disabled=${this.running} @click=${this.download}>${t('downloadCsv')}</button>
        <span class="muted">${this.tz}</span>
      </form>
      ${this.running ? html`<p id="running"><span class="spinner"></span>${t('running')}</p>` : nothing}
      ${this.error ? html`<p class="error" id="report-error">${this.error}</p>` : nothing}
      ${this.report && !this.running ? html`
        <p class="muted" id="report-range">${this.report.from} – ${this.report.to} · ${this.report.computeMs} ms</p>
        ${this.chart(this.report.rows)}
        ${this.table(this.report)}` : nothing}`;
  }
}

declare global { interface HTMLElementTagNameMap { 'reports-panel': ReportsPanel } }
