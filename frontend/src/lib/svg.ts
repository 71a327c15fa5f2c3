// The backend escapes artifact text in the SVG it renders; this is defence in
// depth before the markup reaches the document: parse it as SVG (never as
// HTML), drop anything that can run code or load content, and hand back an
// element to insert.
const FORBIDDEN = new Set(['script', 'foreignobject', 'iframe', 'embed', 'object', 'audio', 'video', 'handler', 'listener', 'animate', 'set', 'animatemotion', 'animatetransform']);

function unsafeUrl(v: string): boolean {
  const s = v.replace(/[\u0000-\u0020]/g, '').toLowerCase();
  return s.startsWith('javascript:') || s.startsWith('data:text/html') || s.startsWith('vbscript:');
}

export function sanitizeSvgElement(root: Element): Element {
  const all = [root, ...Array.from(root.querySelectorAll('*'))];
  for (const el of all) {
    if (FORBIDDEN.has(el.localName.toLowerCase())) {
      el.remove();
      continue;
    }
    for (const attr of Array.from(el.attributes)) {
      const name = attr.name.toLowerCase();
      if (name.startsWith('on')) el.removeAttribute(attr.name);
      else if ((name === 'href' || name === 'xlink:href' || name.endsWith(':href') || name === 'src') && unsafeUrl(attr.value)) {
        el.removeAttribute(attr.name);
      }
    }
  }
  return root;
}

/** Parses SVG markup and returns a sanitised <svg> element, or throws. */
export function parseSafeSvg(markup: string, parser: DOMParser = new DOMParser()): SVGSVGElement {
  const doc = parser.parseFromString(markup, 'image/svg+xml');
  const err = doc.querySelector('parsererror');
  const root = doc.documentElement;
  if (err || !root || root.localName !== 'svg') throw new Error('the lineage picture is not valid SVG');
  sanitizeSvgElement(root);
  return root as unknown as SVGSVGElement;
}
