// Maps elements of a rendered lineage SVG back to unique_ids. Graphviz gives
// every node a <g class="node" id=...> and a <title>; the backend derives the
// id from the unique_id, and the LineageResult.nodes list says which
// unique_ids are shown, so we match on the id, a normalised id, or the title.
import type { LineageNode } from '../api/types';

export function normaliseId(s: string): string {
  return s.toLowerCase().replace(/[^a-z0-9]+/g, '');
}

export function buildNodeIndex(nodes: LineageNode[]): Map<string, LineageNode> {
  const idx = new Map<string, LineageNode>();
  for (const n of nodes) {
    idx.set(n.unique_id, n);
    idx.set('n:' + normaliseId(n.unique_id), n);
  }
  return idx;
}

export function matchNode(idx: Map<string, LineageNode>, elementId: string | null, title: string | null): LineageNode | null {
  const candidates = [elementId, title?.trim()].filter((x): x is string => !!x);
  for (const c of candidates) {
    const direct = idx.get(c);
    if (direct) return direct;
  }
  for (const c of candidates) {
    for (const prefix of ['', 'node-', 'node_', 'n-', 'n_', 'ld-', 'ld_']) {
      if (prefix && !c.startsWith(prefix)) continue;
      const hit = idx.get('n:' + normaliseId(c.slice(prefix.length)));
      if (hit) return hit;
    }
    // The title may be "name (type)" or carry the unique_id on its first line.
    const first = c.split('\n')[0].trim();
    const byFirst = idx.get(first);
    if (byFirst) return byFirst;
  }
  return null;
}

/** Annotates every graphviz node group with data-uid, and returns uid -> element. */
export function annotateSvgNodes(svg: Element, nodes: LineageNode[]): Map<string, Element> {
  const idx = buildNodeIndex(nodes);
  const byName = new Map<string, LineageNode[]>();
  for (const n of nodes) byName.set(n.name, [...(byName.get(n.name) ?? []), n]);
  const out = new Map<string, Element>();
  for (const g of Array.from(svg.querySelectorAll('g.node, g[data-unique-id]'))) {
    const explicit = g.getAttribute('data-unique-id');
    const title = g.querySelector(':scope > title')?.textContent ?? null;
    let n = explicit ? idx.get(explicit) ?? null : null;
    if (!n) n = matchNode(idx, g.getAttribute('id'), title);
    if (!n && title) {
      const same = byName.get(title.trim());
      if (same && same.length === 1) n = same[0];
    }
    if (!n) continue;
    g.setAttribute('data-uid', n.unique_id);
    out.set(n.unique_id, g);
  }
  return out;
}
