import { describe, expect, it } from 'vitest';
import { i18n, pickLocale } from './i18n.svelte';
import { FEATURE_MESSAGES, LOCALES } from './messages';

describe('languages', () => {
  it('picks a stored choice, else the browser’s language, else French', () => {
    expect(pickLocale('en', ['fr-FR'])).toBe('en');
    expect(pickLocale(null, ['de-DE', 'en-GB', 'fr'])).toBe('en');
    expect(pickLocale('xx', ['de'])).toBe('fr');
  });

  it('has every feature’s texts in French too, none empty, and no key in two features', () => {
    const owner = new Map<string, string>();
    for (const [feature, { en, fr }] of Object.entries(FEATURE_MESSAGES)) {
      expect(Object.keys(fr).sort(), feature).toEqual(Object.keys(en).sort());
      for (const [key, text] of Object.entries(fr)) {
        expect(text.trim(), `${feature} ${key}`).not.toBe('');
        expect(owner.get(key), `${key} in ${feature}`).toBeUndefined();
        owner.set(key, feature);
      }
    }
    expect(owner.size).toBe(Object.keys(LOCALES.fr.messages).length);
  });

  it('keeps the same placeholders in both languages', () => {
    const names = (text: string) => [...text.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort();
    for (const [key, text] of Object.entries(LOCALES.en.messages)) {
      expect(names(LOCALES.fr.messages[key as keyof typeof LOCALES.fr.messages]), key).toEqual(names(text));
    }
  });

  it('fills placeholders and falls back to the generic error for an unknown code', () => {
    i18n.locale = 'fr';
    expect(i18n.t('room.participants', { count: 3 })).toBe('Participants (3)');
    expect(i18n.t('chat.typing', { names: 'Ana' })).toBe('Ana écrit…');
    expect(i18n.error('no_such_code')).toBe(LOCALES.fr.errors.internal);
    i18n.locale = 'en';
    expect(i18n.error('too_many_pages', { limit: 300 })).toBe('This document has more pages than the limit of 300.');
  });
});
