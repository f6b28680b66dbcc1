// The notes as a file, made in the browser from the editor's own output. Tiptap's HTML holds
// only what its schema allows (links already limited to http, https and mailto).

const escape = (text: string) =>
  text.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);

/** A standalone page: the title, then the notes' HTML. */
export function notesAsHtml(title: string, body: string): string {
  return `<!doctype html>
<html>
<head>
<meta charset="utf-8">
<title>${escape(title)}</title>
<style>body{font-family:system-ui,sans-serif;max-width:48rem;margin:2rem auto;padding:0 1rem;line-height:1.5}
ul[data-type=taskList]{list-style:none;padding-left:0}ul[data-type=taskList] li{display:flex;gap:.5rem}
ul[data-type=taskList] li>label{flex:none}pre{background:#f1f5f9;padding:.5rem;overflow-x:auto}</style>
</head>
<body>
<h1>${escape(title)}</h1>
${body}
</body>
</html>
`;
}
