// Call records as a table. Caller ID and names come from the line: text
// bindings only.
import { LitElement, html } from 'lit';
import { customElement, property } from 'lit/decorators.js';
import { LangMixin } from './lang-mixin.js';
import { t, tOr, duration, clock } from './i18n.js';
import { shared } from './styles.js';
import type { Cdr } from './data/calls.js';

// Recent calls as a table (shared with the agent console).
@customElement('calls-table')
export class CallsTable extends LangMixin(LitElement) {
  static override styles = [shared];
  @property({ attribute: false }) calls: Cdr[] = [];
  override render() {
    return html`<table id="calls">
      <thead><tr><th>${t('time')}</th><th>${t('direction')}</th><th>${t('caller')}</th><th>${t('callerName')}</th><th>${t('callee')}</th>
        <th>${t('queue')}</th><th>${t('agent')}</th><th>${t('disposition')}</th><th class="num">${t('wait')}</th><th class="num">${t('talk')}</th></tr></thead>
      <tbody>${this.calls.map((c) => html`<tr data-journey=${c.journey}>
        <td>${clock(c.startedAt)}</td><td>${tOr(`dir.${c.direction}`, c.direction)}</td>
        <td class="caller">${c.caller}</td><td class="caller-name">${c.callerName}</td><td>${c.callee}</td>
        <td>${c.queue ?? ''}</td><td>${c.agent ?? ''}</td>
        <td data-disposition=${c.disposition}>${tOr(`disp.${c.disposition}`, c.disposition)}</td>
        <td class="num">${duration(c.waitS)}</td><td class="num">${duration(c.talkS)}</td>
      </tr>`)}</tbody>
    </table>`;
  }
}

declare global { interface HTMLElementTagNameMap { 'calls-table': CallsTable } }
