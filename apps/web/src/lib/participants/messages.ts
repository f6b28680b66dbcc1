import type { Translation } from '../i18n/translation';

/** Texts of the participant list. English is the reference: French must have the same keys (checked by the type). */
export const en = {
  'role.presenter': 'Presenter',
  'role.moderator': 'Moderator',
  'role.viewer': 'Viewer',
  'participants.actions': 'Actions for {name}',
  'participants.privateChat': 'Private chat',
  'participants.lowerHand': 'Lower their hand',
  'participants.makePresenter': 'Make presenter',
  'participants.makeModerator': 'Make moderator',
  'participants.makeViewer': 'Make viewer',
  'participants.mute': 'Mute',
  'participants.remove': 'Remove from the meeting',
  'participants.ban': 'Ban',
  'participants.handAt': 'Hand raised, number {position} in the queue',
  'participants.handRaised': '{name} raised their hand',
  'participants.handsWaiting': '{count} hands raised',
  'participants.handSound': 'Sound when a hand is raised',
  'participants.dismiss': 'Dismiss',
} as const;

export const fr: Translation<typeof en> = {
  'role.presenter': 'Présentateur',
  'role.moderator': 'Modérateur',
  'role.viewer': 'Participant',
  'participants.actions': 'Actions pour {name}',
  'participants.privateChat': 'Discussion privée',
  'participants.lowerHand': 'Baisser sa main',
  'participants.makePresenter': 'Nommer présentateur',
  'participants.makeModerator': 'Nommer modérateur',
  'participants.makeViewer': 'Rendre participant',
  'participants.mute': 'Couper le micro',
  'participants.remove': 'Retirer de la réunion',
  'participants.ban': 'Bannir',
  'participants.handAt': 'Main levée, numéro {position} dans la file',
  'participants.handRaised': '{name} a levé la main',
  'participants.handsWaiting': '{count} mains levées',
  'participants.handSound': 'Son quand une main se lève',
  'participants.dismiss': 'Fermer',
};
