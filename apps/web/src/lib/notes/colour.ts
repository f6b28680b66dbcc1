// Each editor's caret colour, from their participant id: the same in every browser, and legible
// on both themes. Every colour has a relative luminance near 0.18, which gives about 4.5:1
// against white (the label's text is white) and over 3:1 against the dark theme's surfaces.

const TARGET_LUMINANCE = 0.18;

/** The ink of the name at a caret, in both themes: every caret colour is dark enough for it. */
export const CARET_INK = '#ffffff';

function channel(c: number): number {
  return c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
}

/** WCAG relative luminance of an #rrggbb colour. */
export function luminance(hex: string): number {
  const [r, g, b] = [1, 3, 5].map((i) => channel(parseInt(hex.slice(i, i + 2), 16) / 255));
  return 0.2126 * r! + 0.7152 * g! + 0.0722 * b!;
}

/** WCAG contrast ratio of two #rrggbb colours. */
export function contrast(a: string, b: string): number {
  const [hi, lo] = [luminance(a), luminance(b)].sort((x, y) => y - x);
  return (hi! + 0.05) / (lo! + 0.05);
}

function hsl(h: number, s: number, l: number): string {
  const k = (n: number) => (n + h / 30) % 12;
  const a = s * Math.min(l, 1 - l);
  const f = (n: number) => l - a * Math.max(-1, Math.min(k(n) - 3, 9 - k(n), 1));
  return (
    '#' +
    [f(0), f(8), f(4)]
      .map((x) =>
        Math.round(x * 255)
          .toString(16)
          .padStart(2, '0'),
      )
      .join('')
  );
}

/** A string's hash (FNV-1a), for a stable hue. */
function hash(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 0x01000193);
  return h >>> 0;
}

/** The caret colour of a participant: a hue from their id, its lightness set for contrast. */
export function caretColour(participantId: string): string {
  const hue = hash(participantId) % 360;
  let lo = 0;
  let hi = 1;
  for (let i = 0; i < 20; i++) {
    const mid = (lo + hi) / 2;
    if (luminance(hsl(hue, 0.75, mid)) > TARGET_LUMINANCE) hi = mid;
    else lo = mid;
  }
  // The darker side of the target: rounding never lifts it above.
  return hsl(hue, 0.75, lo);
}
