// Re-render when the language changes.
import type { LitElement } from 'lit';

type Ctor<T> = new (...args: any[]) => T;

export function LangMixin<B extends Ctor<LitElement>>(Base: B) {
  class WithLang extends Base {
    private onLang = () => this.requestUpdate();
    override connectedCallback(): void { super.connectedCallback(); window.addEventListener('hotline-lang', this.onLang); }
    override disconnectedCallback(): void { window.removeEventListener('hotline-lang', this.onLang); super.disconnectedCallback(); }
  }
  return WithLang;
}
