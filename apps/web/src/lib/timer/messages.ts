import type { Translation } from '../i18n/translation';

/** Texts of the class timer. English is the reference: French must have the same keys (checked by the type). */
export const en = {
  'timer.label': 'Class timer',
  'timer.countdown': 'Countdown',
  'timer.stopwatch': 'Stopwatch',
  'timer.minutes': '{minutes} min',
  'timer.custom': 'Countdown length, in minutes',
  'timer.other': 'Other length…',
  'timer.sound': 'Ring at the end',
  'timer.pause': 'Pause',
  'timer.resume': 'Resume',
  'timer.reset': 'Reset',
  'timer.clear': 'Remove the timer',
  'timer.left': 'Time left: {time}',
  'timer.counted': 'Time counted: {time}',
  'timer.over': 'Time is up',
  'timer.mute': 'Mute the timer’s ring for me',
  'timer.unmute': 'Let the timer ring for me',
} as const;

export const fr: Translation<typeof en> = {
  'timer.label': 'Minuteur de la classe',
  'timer.countdown': 'Compte à rebours',
  'timer.stopwatch': 'Chronomètre',
  'timer.minutes': '{minutes} min',
  'timer.custom': 'Durée du compte à rebours, en minutes',
  'timer.other': 'Autre durée…',
  'timer.sound': 'Sonner à la fin',
  'timer.pause': 'Pause',
  'timer.resume': 'Reprendre',
  'timer.reset': 'Remettre à zéro',
  'timer.clear': 'Retirer le minuteur',
  'timer.left': 'Temps restant : {time}',
  'timer.counted': 'Temps écoulé : {time}',
  'timer.over': 'Temps écoulé !',
  'timer.mute': 'Couper la sonnerie du minuteur pour moi',
  'timer.unmute': 'Laisser sonner le minuteur pour moi',
};
