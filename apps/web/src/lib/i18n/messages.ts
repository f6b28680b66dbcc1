import * as access from '../access/messages';
import * as chat from '../chat/messages';
import * as controls from '../controls/messages';
import * as media from '../media/messages';
import * as participants from '../participants/messages';
import * as pages from '../pages/messages';
import * as slides from '../slides/messages';
import * as ui from '../ui/messages';
import * as whiteboard from '../whiteboard/messages';
import * as timer from '../timer/messages';
import * as polls from '../polls/messages';
import * as notes from '../notes/messages';
import * as breakouts from '../breakouts/messages';
import * as shortcuts from '../classroom/shortcut-messages';
import * as app from './app-messages';
import { errorsEn, errorsFr } from './errors';

/**
 * Each feature keeps its texts in its own folder (`lib/<feature>/messages.ts`); they meet here.
 * English is the reference: a key a component uses must exist in it, and every feature's French
 * has exactly its English keys (both checked by the types).
 */
export const FEATURE_MESSAGES = {
  app,
  access,
  chat,
  controls,
  media,
  pages,
  participants,
  slides,
  whiteboard,
  timer,
  polls,
  notes,
  breakouts,
  ui,
  shortcuts,
} as const;

const en = {
  ...app.en,
  ...access.en,
  ...chat.en,
  ...controls.en,
  ...media.en,
  ...participants.en,
  ...pages.en,
  ...slides.en,
  ...whiteboard.en,
  ...timer.en,
  ...polls.en,
  ...notes.en,
  ...breakouts.en,
  ...ui.en,
  ...shortcuts.en,
};

export type MessageKey = keyof typeof en;

const fr: Record<MessageKey, string> = {
  ...app.fr,
  ...access.fr,
  ...chat.fr,
  ...controls.fr,
  ...media.fr,
  ...participants.fr,
  ...pages.fr,
  ...slides.fr,
  ...whiteboard.fr,
  ...timer.fr,
  ...polls.fr,
  ...notes.fr,
  ...breakouts.fr,
  ...ui.fr,
  ...shortcuts.fr,
};

export const LOCALES = { en: { messages: en, errors: errorsEn }, fr: { messages: fr, errors: errorsFr } } as const;
export type Locale = keyof typeof LOCALES;
