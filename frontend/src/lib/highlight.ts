// SQL highlighting with highlight.js core and only the SQL grammar (the full
// bundle is ~1 MB). hljs escapes its input; its output is still passed
// through DOMPurify because it ends up as innerHTML.
import hljs from 'highlight.js/lib/core';
import sql from 'highlight.js/lib/languages/sql';
import DOMPurify from 'dompurify';

hljs.registerLanguage('sql', sql);

export function highlightSql(code: string): string {
  const html = hljs.highlight(code, { language: 'sql', ignoreIllegals: true }).value;
  return DOMPurify.sanitize(html, { ALLOWED_TAGS: ['span'], ALLOWED_ATTR: ['class'] });
}
