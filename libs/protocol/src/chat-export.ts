import type { ChatMessage } from './chat';

type Names = (id: string) => string;

const time = (iso: string) => new Date(iso).toISOString().slice(0, 16).replace('T', ' ');

/** The conversation as plain text, one message a line: `[YYYY-MM-DD HH:MM] name: text` (UTC). */
export function chatAsText(messages: ChatMessage[], nameOf: Names): string {
  return messages
    .filter((m) => !m.deleted)
    .map((m) => `[${time(m.at)}] ${nameOf(m.from)}: ${m.text}`)
    .join('\n');
}

const escape = (s: string) =>
  s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);

/** The conversation as a standalone HTML page; every name and text is escaped. */
export function chatAsHtml(title: string, messages: ChatMessage[], nameOf: Names): string {
  const items = messages
    .filter((m) => !m.deleted)
    .map(
      (m) =>
        `<li><time>${escape(time(m.at))}</time> <strong>${escape(nameOf(m.from))}</strong>: <span>${escape(m.text).replace(/\n/g, '<br>')}</span></li>`,
    )
    .join('\n');
  return `<!doctype html>\n<html><head><meta charset="utf-8"><title>${escape(title)}</title></head><body><h1>${escape(title)}</h1><ul>\n${items}\n</ul></body></html>\n`;
}
