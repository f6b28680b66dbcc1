import type { ErrorCode } from '@estrade/protocol';
import { LOCALES, type Locale, type MessageKey } from './messages';

const STORAGE_KEY = 'estrade.locale';

/** French for a browser in French (and by default for unknown languages of a French school), else English. */
export function pickLocale(stored: string | null, languages: readonly string[]): Locale {
  if (stored === 'fr' || stored === 'en') return stored;
  for (const l of languages) {
    const base = l.toLowerCase().split('-')[0];
    if (base === 'fr' || base === 'en') return base;
  }
  return 'fr';
}

class I18n {
  locale = $state<Locale>('fr');

  init() {
    this.locale = pickLocale(localStorage.getItem(STORAGE_KEY), navigator.languages ?? [navigator.language]);
    document.documentElement.lang = this.locale;
  }

  set(locale: Locale) {
    this.locale = locale;
    localStorage.setItem(STORAGE_KEY, locale);
    document.documentElement.lang = locale;
  }

  t = (key: MessageKey, params: Record<string, string | number> = {}): string =>
    LOCALES[this.locale].messages[key].replace(/\{(\w+)\}/g, (_, name: string) => String(params[name] ?? ''));

  error = (code: string, params: Record<string, string | number> = {}): string =>
    ((LOCALES[this.locale].errors as Record<string, string>)[code] ?? LOCALES[this.locale].errors.internal).replace(
      /\{(\w+)\}/g,
      (_, name: string) => String(params[name] ?? ''),
    );
}

export const i18n = new I18n();
export const t = i18n.t;
export type { ErrorCode };
