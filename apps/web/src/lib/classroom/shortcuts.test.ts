import { describe, expect, it } from 'vitest';
import { shortcutFor } from './shortcuts';

const press = (key: string, code: string, mods: { alt?: boolean; ctrl?: boolean; shift?: boolean } = {}) => ({
  key,
  code,
  altKey: !!mods.alt,
  ctrlKey: !!mods.ctrl,
  metaKey: false,
  shiftKey: !!mods.shift,
});

describe('the classroom shortcuts', () => {
  it('reads Alt+letter by the key pressed, whatever character Alt makes of it', () => {
    expect(shortcutFor(press('µ', 'KeyM', { alt: true }), false)).toBe('microphone');
    expect(shortcutFor(press('r', 'KeyR', { alt: true }), true)).toBe('hand');
    expect(shortcutFor(press('u', 'KeyU', { alt: true }), false)).toBe('participants');
  });

  it('leaves other combinations alone, and "?" to a text field', () => {
    expect(shortcutFor(press('m', 'KeyM'), false)).toBeNull();
    expect(shortcutFor(press('m', 'KeyM', { alt: true, ctrl: true }), false)).toBeNull();
    expect(shortcutFor(press('?', 'Slash', { shift: true }), false)).toBe('help');
    expect(shortcutFor(press('?', 'Slash', { shift: true }), true)).toBeNull();
  });
});
