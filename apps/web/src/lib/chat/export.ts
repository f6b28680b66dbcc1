import type { ChatMessage } from '@estrade/protocol';

type Names = (id: string) => string;

const time = (iso: string) => new Date(iso).toLocaleString();

/** The conversation as plain text, one message a line: `[time] name: text`. */
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

export function download(filename: string, type: string, content: string) {
  const url = URL.createObjectURL(new Blob([content], { type }));
  const a = document.createElement('a');
  a.href = url;
  a.download = filename;
  a.click();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}
