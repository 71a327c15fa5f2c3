// Maps elements of a rendered lineage SVG back to unique_ids. The backend
// (backend/render, stableID) gives each node's <g> the id
// "node-<ASCII letters/digits of the unique_id, others as _>-<first 4 bytes of
// sha256(unique_id) in hex>", and graphviz repeats it as the <title>. We
// compute the same ids for LineageResult.nodes; where Web Crypto is missing
// (it needs a secure context) the readable part alone is matched when it is
// unambiguous.
import type { LineageNode } from '../api/types';

/** The readable part of the backend's stable id, with its trailing dash: "node-model_p_orders-". */
export function stableIdPrefix(prefix: string, uniqueId: string): string {
  let b = prefix + '-';
  for (const ch of uniqueId) {
    if (b.length > 64) break;
    const code = ch.codePointAt(0)!;
    b += code < 0x80 && /[A-Za-z0-9]/.test(ch) ? ch : '_';
  }
  return b + '-';
}

async function sha256Hex8(s: string): Promise<string | null> {
  const subtle = globalThis.crypto?.subtle;
  if (!subtle) return null;
  const buf = await subtle.digest('SHA-256', new TextEncoder().encode(s));
  return Array.from(new Uint8Array(buf).slice(0, 4), (x) => x.toString(16).padStart(2, '0')).join('');
}

/** The element id the backend gives a node, or null when it cannot be computed here. */
export async function stableId(prefix: string, uniqueId: string): Promise<string | null> {
  const h = await sha256Hex8(uniqueId);
  return h === null ? null : stableIdPrefix(prefix, uniqueId) + h;
}

/** Element id -> unique_id for every node of a lineage answer. */
export async function expectedIds(nodes: Pick<LineageNode, 'unique_id'>[]): Promise<Map<string, string>> {
  const out = new Map<string, string>();
  await Promise.all(
    nodes.map(async (n) => {
      const id = await stableId('node', n.unique_id);
      if (id) out.set(id, n.unique_id);
    }),
  );
  return out;
}

/**
 * Annotates every node group (<g class="node">) with data-uid and returns
 * unique_id -> element. byId is expectedIds(nodes); without it (or for ids it
 * lacks) the readable prefix is used when exactly one node has it, and an id
 * or <title> equal to a unique_id is accepted too.
 */
export function annotateSvgNodes(svg: Element, nodes: Pick<LineageNode, 'unique_id'>[], byId: Map<string, string> = new Map()): Map<string, Element> {
  const known = new Set(nodes.map((n) => n.unique_id));
  const byPrefix = new Map<string, string[]>();
  for (const n of nodes) {
    const p = stableIdPrefix('node', n.unique_id);
    byPrefix.set(p, [...(byPrefix.get(p) ?? []), n.unique_id]);
  }
  const out = new Map<string, Element>();
  for (const g of Array.from(svg.querySelectorAll('g.node'))) {
    const id = g.getAttribute('id') ?? '';
    const title = g.querySelector(':scope > title')?.textContent?.trim() ?? '';
    let uid = byId.get(id) ?? byId.get(title) ?? null;
    if (!uid && known.has(id)) uid = id;
    if (!uid && known.has(title)) uid = title;
    if (!uid) {
      const dash = id.lastIndexOf('-');
      const cands = dash > 0 ? byPrefix.get(id.slice(0, dash + 1)) : undefined;
      if (cands && cands.length === 1) uid = cands[0];
    }
    if (!uid) continue;
    g.setAttribute('data-uid', uid);
    out.set(uid, g);
  }
  return out;
}
