// Search snippets mark matched terms with \x02 ... \x03. Splitting them into
// text segments lets the UI highlight with <mark> elements built as nodes, so
// artifact text is never parsed as HTML.
export interface Segment {
  text: string;
  mark: boolean;
}

export function splitSnippet(s: string | undefined | null): Segment[] {
  if (!s) return [];
  const out: Segment[] = [];
  let mark = false;
  let buf = '';
  for (const ch of s) {
    if (ch === '\x02' || ch === '\x03') {
      if (buf) out.push({ text: buf, mark });
      buf = '';
      mark = ch === '\x02';
      continue;
    }
    buf += ch;
  }
  if (buf) out.push({ text: buf, mark });
  return out;
}
