import type { Translation } from '../i18n/translation';

/** Texts of the keyboard shortcuts and their help. English is the reference: French must have the same keys (checked by the type). */
export const en = {
  'shortcuts.title': 'Keyboard shortcuts',
  'shortcuts.close': 'Close',
  'shortcuts.keys': 'Keys',
  'shortcuts.action': 'Action',
  'shortcuts.microphone': 'Turn the microphone on or off',
  'shortcuts.hand': 'Raise or lower your hand',
  'shortcuts.chat': 'Go to the chat',
  'shortcuts.participants': 'Go to the participants',
  'shortcuts.leave': 'Leave the meeting',
  'shortcuts.help': 'Show these shortcuts',
  'shortcuts.menus': 'In a menu: arrows to move, Escape to close.',
  'shortcuts.leaveConfirm': 'Leave the meeting?',
} as const;

export const fr: Translation<typeof en> = {
  'shortcuts.title': 'Raccourcis clavier',
  'shortcuts.close': 'Fermer',
  'shortcuts.keys': 'Touches',
  'shortcuts.action': 'Action',
  'shortcuts.microphone': 'Activer ou couper le micro',
  'shortcuts.hand': 'Lever ou baisser la main',
  'shortcuts.chat': 'Aller à la discussion',
  'shortcuts.participants': 'Aller aux participants',
  'shortcuts.leave': 'Quitter la réunion',
  'shortcuts.help': 'Afficher ces raccourcis',
  'shortcuts.menus': 'Dans un menu : flèches pour se déplacer, Échap pour fermer.',
  'shortcuts.leaveConfirm': 'Quitter la réunion ?',
};
