import type { Translation } from '../i18n/translation';

/** Texts of getting in: the waiting room and the meeting's settings. English is the reference: French must have the same keys (checked by the type). */
export const en = {
  'guestPolicy.always-accept': 'Let them in',
  'guestPolicy.ask-moderator': 'Ask a moderator (waiting room)',
  'guestPolicy.always-deny': 'Refuse them',
  'waiting.title': 'Waiting for a moderator',
  'waiting.body': 'A moderator will let you into “{room}” shortly. Keep this page open.',
  'waiting.message': 'Message from the moderator: {message}',
  'waiting.denied': 'A moderator did not let you in.',
  'waitingRoom.title': 'Waiting room ({count})',
  'waitingRoom.admit': 'Admit',
  'waitingRoom.deny': 'Deny',
  'waitingRoom.admitAll': 'Admit all',
  'waitingRoom.message': 'Message to waiting students',
  'waitingRoom.send': 'Send',
  'settings.title': 'Meeting settings',
  'settings.joinMuted': 'Newcomers join muted',
} as const;

export const fr: Translation<typeof en> = {
  'guestPolicy.always-accept': 'Les laisser entrer',
  'guestPolicy.ask-moderator': 'Demander à un modérateur (salle d’attente)',
  'guestPolicy.always-deny': 'Les refuser',
  'waiting.title': 'En attente d’un modérateur',
  'waiting.body': 'Un modérateur va vous faire entrer dans « {room} ». Gardez cette page ouverte.',
  'waiting.message': 'Message du modérateur : {message}',
  'waiting.denied': 'Un modérateur ne vous a pas fait entrer.',
  'waitingRoom.title': 'Salle d’attente ({count})',
  'waitingRoom.admit': 'Accepter',
  'waitingRoom.deny': 'Refuser',
  'waitingRoom.admitAll': 'Tout accepter',
  'waitingRoom.message': 'Message aux élèves en attente',
  'waitingRoom.send': 'Envoyer',
  'settings.title': 'Réglages de la réunion',
  'settings.joinMuted': 'Les arrivants entrent micro coupé',
};
