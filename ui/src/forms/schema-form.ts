// A form drawn from a JSON schema: text and selects, numbers with their
// limits, checkboxes, lists typed as text ("1-4,13-27"), nested objects as
// fieldsets (an optional block such as a trunk's R2 settings switched on and
// off), rows of sub-forms, free keys (skills), destinations chosen by type,
// and raw JSON for anything else. Field descriptions are the help text. The
// box's field errors are shown beside the field they name; what the admin
// typed stays as typed (drafts) until they change it. Values are text
// bindings only.
import { LitElement, html, css, nothing, type TemplateResult } from 'lit';
import { customElement, property, state } from 'lit/decorators.js';
import { live } from 'lit/directives/live.js';
import { LangMixin } from '../lang-mixin.js';
import { t, tOr, type StringKey } from '../i18n.js';
import { shared } from '../styles.js';
import { fieldLabel } from './field-labels.js';
import {
  fieldKind, unionOptions, unionOption, discriminator, isOptionalBlock, initialValue, parseList, formatList, checkValue,
  parseNumber, getIn, setIn, joinPath, fieldPaths, placeErrors, pruneForSave, blocks,
  type JsonSchema, type Problem, type FieldError,
} from './schema-model.js';

export interface FormGroup { id: string; title: string; keys: string[] }
export interface Collected { doc: unknown; problems: { path: string; problem: Problem }[] }

const SECRET = /^(pass|password|secret)$/i;

export function problemText(p: Problem): string {
  switch (p.code) {
    case 'item': return t('forms.check.item', { item: p.item, msg: problemText(p.problem) });
    case 'range': return t('forms.check.range', { item: p.item });
    case 'min': case 'max': case 'minLength': case 'maxLength': case 'minItems': case 'maxItems':
      return t(`forms.check.${p.code}` as StringKey, { n: p.limit });
    default: return t(`forms.check.${p.code}` as StringKey);
  }
}

@customElement('schema-form')
export class SchemaForm extends LangMixin(LitElement) {
  static override styles = [shared, css`
    .field { display: grid; grid-template-columns: 200px minmax(0, 1fr); gap: 2px 12px; align-items: start; margin: 6px 0; }
    .field > label, .field > .label { padding-top: 5px; font-weight: 500; }
    .field .control { display: flex; flex-direction: column; align-items: flex-start; gap: 2px; }
    .field .control > input[type=text], .field .control > input[type=password], .field .control > select, .field .control > textarea { width: 100%; box-sizing: border-box; }
    .field input[type=text], .field input[type=password], .field select, .field textarea { max-width: 420px; }
    .field textarea { min-height: 80px; font: 12px ui-monospace, monospace; }
    .help { color: #6b7280; font-size: 12px; }
    .field-error, .field-hint { color: #b42318; font-size: 12px; }
    .field-hint { color: #b54708; }
    fieldset { border: 1px solid #e3e6ec; border-radius: 6px; margin: 8px 0; padding: 4px 12px 8px; }
    fieldset.off > :not(legend) { display: none; }
    legend { font-weight: 600; padding: 0 4px; }
    legend label { display: inline-flex; gap: 6px; align-items: center; }
    .checks { display: flex; flex-wrap: wrap; gap: 4px 12px; }
    .checks label { display: inline-flex; gap: 4px; align-items: center; }
    .row { border-left: 3px solid #dbeafe; padding-left: 8px; margin: 6px 0; }
    table.record { width: auto; min-width: 320px; }
    .record td, .record th { vertical-align: top; white-space: normal; }
    .record input { max-width: 220px; }
    .chips { display: flex; flex-wrap: wrap; gap: 4px; }
    .chip { background: #eef2f8; border-radius: 10px; padding: 0 8px; font-size: 12px; }
    section.group > h3 { font-size: 14px; margin: 16px 0 4px; border-bottom: 1px solid #e3e6ec; }
    .refused { background: #fef3f2; border: 1px solid #fecdca; border-radius: 6px; padding: 6px 10px; }
  `];

  @property({ attribute: false }) schema: JsonSchema = { type: 'object', properties: {} };
  // The document to start from: set it to a new object to start again.
  @property({ attribute: false }) value: unknown = {};
  // The box's field errors, paths inside the document.
  @property({ attribute: false }) errors: FieldError[] = [];
  // The field naming the document: never offered existing values.
  @property({ attribute: false }) idField: string | null = null;
  // Top-level keys shown but not editable (the id of a saved document).
  @property({ attribute: false }) locked: string[] = [];
  // Top-level keys drawn under headings (the settings' sections).
  @property({ attribute: false }) groups: FormGroup[] = [];
  // Known values offered while typing, by field name (ext → the extensions, queue → the queues).
  @property({ attribute: false }) suggestions: Record<string, string[]> = {};

  @state() private work: unknown = {};
  @state() private drafts = new Map<string, string>();
  @state() private touched = new Set<string>();
  @state() private showAll = false;
  @state() private serverErrors: FieldError[] = [];
  private blocking = new Map<string, Problem>();
  private stash = new Map<string, unknown>();

  protected override willUpdate(changed: Map<string, unknown>): void {
    if (changed.has('value')) {
      this.work = JSON.parse(JSON.stringify(this.value ?? {})) as unknown;
      this.drafts = new Map(); this.touched = new Set(); this.showAll = false;
      this.blocking = new Map(); this.stash = new Map(); this.serverErrors = [];
    }
    if (changed.has('errors')) this.serverErrors = this.errors;
  }

  // Something was typed since the form was given its value.
  get dirty(): boolean { return this.touched.size > 0; }

  // What to send, and what stops it (parse problems); hints show everywhere from now on.
  collect(): Collected {
    this.showAll = true;
    return { doc: pruneForSave(this.schema, this.work), problems: [...this.blocking].map(([path, problem]) => ({ path, problem })) };
  }

  private set(path: string, v: unknown): void {
    this.work = setIn(this.work, path, v);
    this.touched = new Set([...this.touched, path]);
    // The box's word on this field no longer applies to what is there now.
    if (this.serverErrors.some((e) => e.path === path || e.path.startsWith(`${path}.`))) {
      this.serverErrors = this.serverErrors.filter((e) => !(e.path === path || e.path.startsWith(`${path}.`)));
    }
  }

  private draft(path: string, text: string, problem?: Problem): void {
    this.drafts = new Map(this.drafts).set(path, text);
    if (problem && blocks(problem)) this.blocking.set(path, problem); else this.blocking.delete(path);
  }

  private forget(prefix: string): void {
    const gone = (p: string) => p === prefix || p.startsWith(`${prefix}.`);
    this.drafts = new Map([...this.drafts].filter(([p]) => !gone(p)));
    for (const p of [...this.blocking.keys()]) if (gone(p)) this.blocking.delete(p);
  }

  // No suggestions for the document's own id (a new extension's number is not one of the existing ones).
  private suggestionsFor(path: string): string[] | undefined {
    if (!path.includes('.') && this.locked.concat(this.idField ?? []).includes(path)) return undefined;
    const key = path.slice(path.lastIndexOf('.') + 1);
    return this.suggestions[key]?.length ? this.suggestions[key] : undefined;
  }

  override render() {
    const root = this.schema;
    const placed = placeErrors(this.serverErrors, fieldPaths(root, this.work));
    const loose = placed.get('') ?? [];
    const props = Object.entries(root.properties ?? {});
    const req = (k: string) => root.required?.includes(k) ?? false;
    const body = this.groups.length
      ? this.groupsOf(props).map((g) => html`<section class="group" data-group=${g.id}><h3>${g.title}</h3>
          ${g.keys.length === 1 && this.flat(root.properties![g.keys[0]!]!, req(g.keys[0]!))
            ? this.objectBody(root.properties![g.keys[0]!]!, g.keys[0]!, placed)
            : g.keys.map((k) => this.field(k, root.properties![k]!, k, req(k), placed))}</section>`)
      : props.map(([k, s]) => this.field(k, s, k, req(k), placed));
    return html`
      ${Object.entries(this.suggestions).map(([k, list]) => html`<datalist id=${`s-${k}`}>${list.map((x) => html`<option value=${x}></option>`)}</datalist>`)}
      ${loose.length ? html`<div class="refused" id="form-refused">${t('forms.refused')}
        <ul>${loose.map((e) => html`<li class="field-error" data-path=${e.path}><code>${e.path}</code> ${e.message}</li>`)}</ul></div>` : nothing}
      ${body}`;
  }

  // A section holding one object that is always there shows its fields without a second frame.
  private flat(s: JsonSchema, required: boolean): boolean { return fieldKind(s) === 'object' && !isOptionalBlock(s, required); }

  private objectBody(s: JsonSchema, path: string, placed: Map<string, FieldError[]>): TemplateResult {
    return html`<div data-field=${path}>${this.messages(path, { type: 'object' }, getIn(this.work, path), false, placed)}${this.help(s)}
      ${Object.entries(s.properties!).map(([k, p]) => this.field(k, p, joinPath(path, k), s.required?.includes(k) ?? false, placed))}</div>`;
  }

  private groupsOf(props: [string, JsonSchema][]): FormGroup[] {
    const listed = new Set(this.groups.flatMap((g) => g.keys));
    const rest = props.map(([k]) => k).filter((k) => !listed.has(k));
    const groups = this.groups.map((g) => ({ ...g, keys: g.keys.filter((k) => this.schema.properties?.[k]) }));
    if (rest.length) groups[0] = { ...groups[0]!, keys: [...groups[0]!.keys, ...rest] };
    return groups.filter((g) => g.keys.length);
  }

  private messages(path: string, s: JsonSchema, v: unknown, required: boolean, placed: Map<string, FieldError[]>): TemplateResult {
    const server = placed.get(path) ?? [];
    let hint: Problem | undefined = this.blocking.get(path);
    if (!hint && !server.length && (this.showAll || this.touched.has(path))) {
      const kind = fieldKind(s);
      if (kind === 'list' && this.drafts.has(path)) hint = parseList(this.drafts.get(path)!, s.items ?? {}).problems[0];
      hint ??= checkValue(s, v, required);
    }
    return html`${server.map((e) => html`<div class="field-error" data-path=${e.path}>${e.message}</div>`)}
      ${hint && !server.length ? html`<div class="field-hint" data-path=${path}>${problemText(hint)}</div>` : nothing}`;
  }

  private help(s: JsonSchema): TemplateResult | typeof nothing {
    return s.description ? html`<div class="help">${s.description}</div>` : nothing;
  }

  // One labelled field: its control, help and errors.
  private field(key: string, s: JsonSchema, path: string, required: boolean, placed: Map<string, FieldError[]>): TemplateResult {
    const kind = fieldKind(s);
    const v = getIn(this.work, path);
    if (kind === 'const') return html``;
    if (kind === 'object') return this.objectField(key, s, path, required, placed);
    if (kind === 'union') return this.unionField(key, s, path, required, placed);
    if (kind === 'rows') return this.rowsField(key, s, path, placed);
    if (kind === 'record') return this.recordField(key, s, path, placed);
    const label = `${fieldLabel(key)}${required && s.default === undefined ? ' *' : ''}`;
    return html`<div class="field" data-field=${path}>
      <label for=${`f-${path}`}>${label}</label>
      <div class="control">${this.control(s, path, v, required)}${this.help(s)}${this.messages(path, s, v, required, placed)}</div>
    </div>`;
  }

  private control(s: JsonSchema, path: string, v: unknown, required: boolean): TemplateResult {
    const kind = fieldKind(s);
    const id = `f-${path}`;
    const ro = !path.includes('.') && this.locked.includes(path);
    const key = path.slice(path.lastIndexOf('.') + 1);
    // Unset with a default: the box will store the default, so show it.
    if (v === undefined && s.default !== undefined && (kind === 'select' || kind === 'checkbox' || kind === 'checks')) v = s.default;
    switch (kind) {
      case 'text': return html`<input id=${id} name=${path} type=${SECRET.test(key) ? 'password' : 'text'} autocomplete="off" ?readonly=${ro}
        list=${this.suggestionsFor(path) ? `s-${key}` : ''}
        maxlength=${s.maxLength ?? 10000} .value=${live(typeof v === 'string' ? v : v === undefined ? '' : String(v))}
        @input=${(e: Event) => this.set(path, (e.target as HTMLInputElement).value)}>`;
      case 'select': return html`<select id=${id} name=${path} ?disabled=${ro} @change=${(e: Event) => { const x = (e.target as HTMLSelectElement).value; this.set(path, x === '' ? undefined : x); }}>
        ${required || s.default !== undefined ? nothing : html`<option value="" ?selected=${v === undefined}>${t('forms.none')}</option>`}
        ${s.enum!.map((o) => html`<option value=${String(o)} ?selected=${o === v}>${tOr(`forms.enum.${String(o)}`, String(o))}</option>`)}</select>`;
      case 'number': {
        const text = this.drafts.get(path) ?? (typeof v === 'number' ? String(v) : '');
        const lo = s.minimum ?? (s.exclusiveMinimum !== undefined ? s.exclusiveMinimum + 1 : undefined);
        const hi = s.maximum ?? (s.exclusiveMaximum !== undefined ? s.exclusiveMaximum - 1 : undefined);
        const range = lo !== undefined && hi !== undefined ? `${lo}–${hi}` : lo !== undefined ? `≥ ${lo}` : hi !== undefined ? `≤ ${hi}` : '';
        return html`<input id=${id} name=${path} type="text" inputmode=${s.type === 'integer' ? 'numeric' : 'decimal'} size="10" ?readonly=${ro}
          placeholder=${s.default !== undefined ? String(s.default) : range} title=${range} .value=${live(text)}
          @input=${(e: Event) => this.onNumber(path, (e.target as HTMLInputElement).value, required)}>`;
      }
      case 'checkbox': return html`<input id=${id} name=${path} type="checkbox" ?disabled=${ro} .checked=${live(v === true)}
        @change=${(e: Event) => this.set(path, (e.target as HTMLInputElement).checked)}>`;
      case 'checks': {
        const have = Array.isArray(v) ? v : [];
        const all = s.items!.enum!;
        return html`<div class="checks" id=${id} data-name=${path}>${all.map((o) => html`<label><input type="checkbox" name=${path} value=${String(o)}
          .checked=${live(have.includes(o))} @change=${(e: Event) => {
            const on = (e.target as HTMLInputElement).checked;
            const next = all.filter((x) => (x === o ? on : have.includes(x)));
            this.set(path, next);
          }}>${tOr(`forms.enum.${String(o)}`, String(o))}</label>`)}</div>`;
      }
      case 'list': {
        const items = s.items ?? {};
        const text = this.drafts.get(path) ?? formatList(v, items);
        const values = Array.isArray(v) ? v : [];
        return html`<input id=${id} name=${path} type="text" ?readonly=${ro} placeholder=${items.type === 'integer' ? '1-4,13-27' : 'a, b'}
          .value=${live(text)} @input=${(e: Event) => this.onList(path, (e.target as HTMLInputElement).value, items)}>
          <div class="help">${items.type === 'integer' ? t('forms.listHelp') : t('forms.listHelpPlain')}${values.length ? html` · <span class="list-count">${t('forms.listCount', { n: values.length })}</span>` : nothing}</div>
          ${values.length && values.length <= 12 ? html`<div class="chips">${values.map((x) => html`<span class="chip">${String(x)}</span>`)}</div>` : nothing}`;
      }
      default: {
        const text = this.drafts.get(path) ?? (v === undefined ? '' : JSON.stringify(v, null, 2));
        return html`<textarea id=${id} name=${path} spellcheck="false" ?readonly=${ro} placeholder=${t('forms.jsonHelp')} .value=${live(text)}
          @input=${(e: Event) => this.onJson(path, (e.target as HTMLTextAreaElement).value)}></textarea>`;
      }
    }
  }

  private onNumber(path: string, text: string, required: boolean): void {
    const n = parseNumber(text);
    if (n === undefined) {
      this.draft(path, text);
      // A required number left blank keeps its last value until the admin types one.
      if (!required) this.set(path, undefined); else this.touched = new Set([...this.touched, path]);
      return;
    }
    if (Number.isNaN(n)) { this.draft(path, text, { code: 'number' }); this.touched = new Set([...this.touched, path]); return; }
    this.draft(path, text);
    this.set(path, n);
  }

  private onList(path: string, text: string, items: JsonSchema): void {
    const { values, problems } = parseList(text, items);
    const stop = problems.find(blocks);
    this.draft(path, text, stop);
    if (!stop) this.set(path, values);
    else this.touched = new Set([...this.touched, path]);
  }

  private onJson(path: string, text: string): void {
    if (!text.trim()) { this.draft(path, text); this.set(path, undefined); return; }
    try {
      const v = JSON.parse(text) as unknown;
      this.draft(path, text);
      this.set(path, v);
    } catch {
      this.draft(path, text, { code: 'json' });
      this.touched = new Set([...this.touched, path]);
    }
  }

  private objectField(key: string, s: JsonSchema, path: string, required: boolean, placed: Map<string, FieldError[]>): TemplateResult {
    const v = getIn(this.work, path);
    const optional = isOptionalBlock(s, required);
    const on = v !== undefined;
    const toggle = (e: Event) => {
      const checked = (e.target as HTMLInputElement).checked;
      if (checked) this.set(path, this.stash.get(path) ?? initialValue(s));
      else { this.stash.set(path, v); this.forget(path); this.set(path, undefined); }
    };
    return html`<fieldset data-field=${path} class=${optional && !on ? 'off' : ''}>
      <legend>${optional
        ? html`<label><input type="checkbox" name=${`${path}:on`} data-toggle=${path} .checked=${live(on)} @change=${toggle}>${fieldLabel(key)}</label>`
        : fieldLabel(key)}</legend>
      ${this.help(s)}${this.messages(path, { type: 'object' }, v, false, placed)}
      ${!optional || on ? Object.entries(s.properties!).map(([k, p]) => this.field(k, p, joinPath(path, k), s.required?.includes(k) ?? false, placed)) : nothing}
    </fieldset>`;
  }

  private unionField(key: string, s: JsonSchema, path: string, required: boolean, placed: Map<string, FieldError[]>): TemplateResult {
    const v = getIn(this.work, path);
    const d = discriminator(s)!;
    const opt = unionOption(s, v);
    const tag = opt ? String((v as Record<string, unknown>)[d]) : '';
    // A value no option fits (or a recursive one) stays editable as JSON.
    if (v !== undefined && !opt) {
      return html`<div class="field" data-field=${path}><label for=${`f-${path}`}>${fieldLabel(key)}</label>
        <div class="control">${this.control({}, path, v, required)}${this.help(s)}${this.messages(path, {}, v, required, placed)}</div></div>`;
    }
    const choose = (e: Event) => {
      const x = (e.target as HTMLSelectElement).value;
      this.forget(path);
      const o = unionOptions(s).find((u) => u.value === x);
      this.set(path, o ? initialValue(o.schema) : undefined);
    };
    return html`<fieldset data-field=${path} class="union">
      <legend>${fieldLabel(key)}</legend>
      ${this.help(s)}
      <div class="field" data-field=${joinPath(path, d)}><label for=${`f-${joinPath(path, d)}`}>${fieldLabel(d)}</label>
        <div class="control"><select id=${`f-${joinPath(path, d)}`} name=${joinPath(path, d)} @change=${choose}>
          ${required ? nothing : html`<option value="" ?selected=${!tag}>${t('forms.none')}</option>`}
          ${unionOptions(s).map((o) => html`<option value=${o.value} ?selected=${o.value === tag}>${tOr(`dest.${o.value}`, o.value)}</option>`)}
        </select>${this.messages(joinPath(path, d), {}, tag, false, placed)}${this.messages(path, {}, v, false, placed)}</div></div>
      ${opt ? Object.entries(opt.properties!).filter(([k]) => k !== d).map(([k, p]) => this.field(k, p, joinPath(path, k), opt.required?.includes(k) ?? false, placed)) : nothing}
    </fieldset>`;
  }

  private rowsField(key: string, s: JsonSchema, path: string, placed: Map<string, FieldError[]>): TemplateResult {
    const v = getIn(this.work, path);
    const rows = Array.isArray(v) ? v : [];
    const item = s.items!;
    const remove = (i: number) => { this.forget(path); this.set(path, rows.filter((_, j) => j !== i)); };
    return html`<fieldset data-field=${path} class="rows">
      <legend>${fieldLabel(key)}</legend>
      ${this.help(s)}${this.messages(path, s, rows, false, placed)}
      ${rows.map((_, i) => html`<div class="row" data-row=${joinPath(path, i)}>
        ${fieldKind(item) === 'object'
          ? Object.entries(item.properties!).map(([k, p]) => this.field(k, p, joinPath(joinPath(path, i), k), item.required?.includes(k) ?? false, placed))
          : this.field(String(i + 1), item, joinPath(path, i), true, placed)}
        <button type="button" class="remove-row" @click=${() => remove(i)}>${t('forms.removeRow')}</button></div>`)}
      <button type="button" class="add-row" data-add=${path} @click=${() => this.set(path, [...rows, initialValue(item)])}>${t('forms.addRow')}</button>
    </fieldset>`;
  }

  private recordField(key: string, s: JsonSchema, path: string, placed: Map<string, FieldError[]>): TemplateResult {
    const v = getIn(this.work, path);
    const entries = v && typeof v === 'object' && !Array.isArray(v) ? Object.keys(v) : [];
    const vs = s.additionalProperties as JsonSchema;
    const vk = fieldKind(vs);
    const newKey = `${path}:new`;
    const add = () => {
      const k = (this.drafts.get(newKey) ?? '').trim();
      if (!k || entries.includes(k) || k.includes('.')) return;
      const first = vk === 'text' ? '' : vk === 'number' ? vs.minimum ?? vs.default ?? 0 : vk === 'checkbox' ? false : vk === 'select' ? vs.enum![0] : initialValue(vs);
      this.drafts = new Map(this.drafts).set(newKey, '');
      this.set(joinPath(path, k), first);
    };
    const remove = (k: string) => { this.forget(joinPath(path, k)); this.set(joinPath(path, k), undefined); };
    return html`<fieldset data-field=${path} class="record">
      <legend>${fieldLabel(key)}</legend>
      ${this.help(s)}${this.messages(path, {}, v, false, placed)}
      <table class="record"><tbody>
        ${entries.map((k) => html`<tr data-key=${k}><th>${k}</th><td>
          ${vk === 'object' || vk === 'union' || vk === 'rows' || vk === 'record'
            ? this.field(k, vs, joinPath(path, k), true, placed)
            : html`${this.control(vs, joinPath(path, k), getIn(this.work, joinPath(path, k)), true)}${this.messages(joinPath(path, k), vs, getIn(this.work, joinPath(path, k)), true, placed)}`}
          </td><td><button type="button" class="remove-key" @click=${() => remove(k)}>${t('forms.removeRow')}</button></td></tr>`)}
        <tr><td><input name=${newKey} type="text" size="10" placeholder=${t('forms.newKey')} .value=${live(this.drafts.get(newKey) ?? '')}
          @input=${(e: Event) => { this.drafts = new Map(this.drafts).set(newKey, (e.target as HTMLInputElement).value); }}
          @keydown=${(e: KeyboardEvent) => { if (e.key === 'Enter') { e.preventDefault(); add(); } }}></td>
          <td><button type="button" class="add-key" data-add=${path} @click=${add}>${t('forms.addRow')}</button></td><td></td></tr>
      </tbody></table>
    </fieldset>`;
  }
}

declare global { interface HTMLElementTagNameMap { 'schema-form': SchemaForm } }
