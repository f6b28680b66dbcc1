import * as Y from 'yjs';
import { MAX_INDENT, notesHtml, notesPdf, notesText, safeHref } from './notes-export';

/** A document as Tiptap writes one through Yjs: elements named after its nodes, marks as attributes. */
function el(name: string, attrs: Record<string, string>, ...children: (Y.XmlElement | Y.XmlText)[]) {
  const e = new Y.XmlElement(name);
  for (const [k, v] of Object.entries(attrs)) e.setAttribute(k, v);
  e.insert(0, children);
  return e;
}
const text = (s: string) => new Y.XmlText(s);
const p = (...children: (Y.XmlElement | Y.XmlText)[]) => el('paragraph', {}, ...children);

function notes(...blocks: Y.XmlElement[]) {
  const doc = new Y.Doc();
  const fragment = doc.getXmlFragment('default');
  fragment.insert(0, blocks);
  return fragment;
}

describe('the notes as text and HTML', () => {
  it('writes headings, nested and numbered lists, checklists, quotes, code and rules', () => {
    const fragment = notes(
      el('heading', { level: '2' }, text('Plan')),
      el(
        'orderedList',
        { start: '3' },
        el('listItem', {}, p(text('Trois')), el('bulletList', {}, el('listItem', {}, p(text('Détail'))))),
        el('listItem', {}, p(text('Quatre'))),
      ),
      el('taskList', {}, el('taskItem', { checked: 'false' }, p(text('À faire')))),
      el('blockquote', {}, p(text('Citation'))),
      el('codeBlock', {}, text('x < y && z')),
      el('horizontalRule', {}),
      p(text('Ligne'), el('hardBreak', {}), text('suivante')),
    );
    expect(notesText(fragment)).toBe(
      [
        '## Plan',
        '3. Trois',
        '  • Détail',
        '4. Quatre',
        '[ ] À faire',
        '> Citation',
        'x < y && z',
        '---',
        'Ligne\nsuivante',
      ].join('\n'),
    );
    const html = notesHtml(fragment, 'Notes <de> classe');
    expect(html).toContain('<title>Notes &lt;de&gt; classe</title>');
    expect(html).toContain('<h2>Plan</h2>');
    expect(html).toContain('<p style="margin-left:1.5em">3. Trois</p>');
    expect(html).toContain('<p style="margin-left:3em">• Détail</p>');
    expect(html).toContain('<blockquote><p>Citation</p></blockquote>');
    expect(html).toContain('<pre><code>x &lt; y &amp;&amp; z</code></pre>');
    expect(html).toContain('<p>Ligne<br>suivante</p>');
  });

  it('escapes every text and keeps only http, https and mailto links', () => {
    const t = new Y.XmlText();
    const fragment = notes(p(t));
    t.insert(0, '"<b>" ');
    t.insert(t.length, 'gras', { bold: true, italic: true });
    t.insert(t.length, ' ok', { link: { href: 'mailto:prof@example.org' } });
    t.insert(t.length, ' non', { link: { href: 'javascript:alert(1)' } });
    t.insert(t.length, ' data', { link: { href: 'data:text/html,<script>' } });
    const html = notesHtml(fragment, 'n');
    expect(html).toContain('<p>&quot;&lt;b&gt;&quot; <em><strong>gras</strong></em>');
    expect(html).toContain('<a href="mailto:prof@example.org" rel="noopener noreferrer" target="_blank"> ok</a>');
    expect(html).toContain(' non data</p>');
    expect(safeHref('https://example.org/x')).toBe('https://example.org/x');
    expect(safeHref('HTTP://EXAMPLE.ORG')).toBe('http://example.org/');
    expect(safeHref('javascript:alert(1)')).toBeNull();
    expect(safeHref('not a url')).toBeNull();
    expect(safeHref(42)).toBeNull();
  });

  it('writes an empty document as nothing', () => {
    expect(notesText(notes())).toBe('');
    expect(notesHtml(notes(), 'n')).toContain('<body>\n\n</body>');
  });

  it('writes notes nested thousands deep (stored before nesting was bounded) without recursion, indented at most so far', async () => {
    const fragment = notes();
    fragment.doc!.transact(() => {
      let at: Y.XmlFragment | Y.XmlElement = fragment;
      for (let i = 1; i <= 2500; i++) {
        const item = el('listItem', {}, p(text(`n${i}`)));
        at.insert(at.length, [el('bulletList', {}, item)]);
        at = item;
      }
    });
    const lines = notesText(fragment).split('\n');
    expect(lines).toHaveLength(2500);
    expect(lines[2499]).toBe(`${'  '.repeat(MAX_INDENT - 1)}• n2500`);
    expect(notesHtml(fragment, 'n')).toContain(`<p style="margin-left:${MAX_INDENT * 1.5}em">• n2500</p>`);
    expect((await notesPdf(fragment, 'n')).length).toBeGreaterThan(1000);
  });
});
