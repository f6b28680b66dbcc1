/**
 * The classroom's keyboard shortcuts, the ones BigBlueButton teachers already know (Alt+M, Alt+R…).
 * Matched on `code`, not `key`: on a Mac, Alt changes the character (Alt+M types "µ").
 */
export type ShortcutAction = 'microphone' | 'hand' | 'chat' | 'participants' | 'leave' | 'help';

export const SHORTCUTS: { action: ShortcutAction; keys: string; code?: string }[] = [
  { action: 'microphone', keys: 'Alt+M', code: 'KeyM' },
  { action: 'hand', keys: 'Alt+R', code: 'KeyR' },
  { action: 'chat', keys: 'Alt+C', code: 'KeyC' },
  { action: 'participants', keys: 'Alt+U', code: 'KeyU' },
  { action: 'leave', keys: 'Alt+L', code: 'KeyL' },
  { action: 'help', keys: '?' },
];

type Key = Pick<KeyboardEvent, 'key' | 'code' | 'altKey' | 'ctrlKey' | 'metaKey' | 'shiftKey'>;

/** The action a key press asks for, or null. `typing` is true in a text field, where "?" is text. */
export function shortcutFor(e: Key, typing: boolean): ShortcutAction | null {
  if (e.ctrlKey || e.metaKey) return null;
  if (e.altKey && !e.shiftKey) return SHORTCUTS.find((s) => s.code === e.code)?.action ?? null;
  if (!e.altKey && e.key === '?' && !typing) return 'help';
  return null;
}

/** Whether the focus is where keys are text: a field, a text area, something editable. */
export function isTyping(target: EventTarget | null): boolean {
  if (!target || typeof (target as HTMLElement).tagName !== 'string') return false;
  const el = target as HTMLElement;
  if (el.isContentEditable) return true;
  if (el.tagName === 'TEXTAREA' || el.tagName === 'SELECT') return true;
  return el.tagName === 'INPUT' && !['checkbox', 'radio', 'button', 'submit'].includes((el as HTMLInputElement).type);
}
