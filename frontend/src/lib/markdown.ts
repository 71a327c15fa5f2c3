// Descriptions are Markdown written by dbt users: render with marked, then
// sanitise with DOMPurify before it becomes HTML in the page.
import DOMPurify from 'dompurify';
import { Marked } from 'marked';

const md = new Marked({ gfm: true, breaks: false, async: false });

let hooked = false;
function purifier() {
  if (!hooked) {
    // Links in descriptions open outside the app and never carry our referrer.
    DOMPurify.addHook('afterSanitizeAttributes', (node) => {
      if (node.tagName === 'A') {
        node.setAttribute('target', '_blank');
        node.setAttribute('rel', 'noopener noreferrer');
      }
      // A wide table or code block scrolls in place: the keyboard must
      // reach it to scroll it (QA with axe, scrollable-region-focusable).
      if (node.tagName === 'TABLE' || node.tagName === 'PRE') node.setAttribute('tabindex', '0');
    });
    hooked = true;
  }
  return DOMPurify;
}

export function renderMarkdown(src: string | undefined | null): string {
  if (!src) return '';
  const html = md.parse(src) as string;
  return purifier().sanitize(html, { USE_PROFILES: { html: true }, FORBID_TAGS: ['style', 'form', 'input', 'img'], FORBID_ATTR: ['style', 'tabindex'] });
}
