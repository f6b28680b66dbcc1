import type { ChatMessage } from './chat';
import { chatAsHtml, chatAsText } from './chat-export';

const A = '00000000-0000-4000-8000-00000000000a';
const msg = (text: string, extra: Partial<ChatMessage> = {}): ChatMessage => ({
  id: '00000000-0000-4000-8000-0000000000e1',
  at: '2026-11-23T10:05:00.000Z',
  from: A,
  to: null,
  text,
  replyTo: null,
  mentions: [],
  editedAt: null,
  deleted: false,
  reactions: {},
  ...extra,
});
const names = () => 'Ana <Admin>';

describe('chat export', () => {
  it('writes one line a message with time and name, leaving deleted ones out', () => {
    expect(chatAsText([msg('Bonjour'), msg('', { deleted: true }), msg('Au revoir')], names)).toBe(
      '[2026-11-23 10:05] Ana <Admin>: Bonjour\n[2026-11-23 10:05] Ana <Admin>: Au revoir',
    );
  });

  it('escapes every name and text in HTML', () => {
    const html = chatAsHtml('Classe <3>', [msg('<script>alert(1)</script>\nligne 2')], names);
    expect(html).not.toContain('<script>');
    expect(html).toContain('&lt;script&gt;alert(1)&lt;/script&gt;<br>ligne 2');
    expect(html).toContain('Ana &lt;Admin&gt;');
    expect(html).toContain('<title>Classe &lt;3&gt;</title>');
  });
});
