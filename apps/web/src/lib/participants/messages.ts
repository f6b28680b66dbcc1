import type { Translation } from '../i18n/translation';

/** Texts of the participant list. English is the reference: French must have the same keys (checked by the type). */
export const en = {
  'role.presenter': 'Presenter',
  'role.moderator': 'Moderator',
  'role.viewer': 'Viewer',
} as const;

export const fr: Translation<typeof en> = {
  'role.presenter': 'Présentateur',
  'role.moderator': 'Modérateur',
  'role.viewer': 'Participant',
};
