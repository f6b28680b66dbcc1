// Links in the notes: only web pages and e-mail addresses. A `javascript:` or `data:` link in a
// shared document would run in a classmate's page when clicked.

export const LINK_PROTOCOLS = ['http:', 'https:', 'mailto:'] as const;

/**
 * The link to set for what the participant typed, or null if it is not a web or mail address.
 * A bare address (`example.org/page`) is taken as https, a bare e-mail address as mailto.
 */
export function linkTarget(input: string): string | null {
  const text = input.trim();
  if (!text || /\s/.test(text)) return null;
  const hasScheme = /^[a-z][a-z0-9+.-]*:/i.test(text);
  const candidate = hasScheme
    ? text
    : /^[^@/]+@[^@/]+\.[^@/]+$/.test(text)
      ? `mailto:${text}`
      : `https://${text.replace(/^\/\//, '')}`;
  return isAllowedLink(candidate) ? candidate : null;
}

/** Whether a link's address is http, https or mailto (and well formed). */
export function isAllowedLink(url: string): boolean {
  try {
    const parsed = new URL(url);
    if (!(LINK_PROTOCOLS as readonly string[]).includes(parsed.protocol)) return false;
    return parsed.protocol === 'mailto:'
      ? parsed.pathname.includes('@')
      : parsed.hostname.includes('.') || parsed.hostname === 'localhost';
  } catch {
    return false;
  }
}
