// What the node page's column lineage shares: the direction a trace goes
// (?direction= in the address), how a link between columns is named, the
// names of the nodes a column comes from, and which column of a node of the
// trace picture a click meant.
import type { ColumnEdge, ColumnKey, ColumnTraceDirection, ResourceSummary } from '../../api/types';
import { displayName } from '../../lib/format';
import { href, inRun } from '../../lib/router';

/** A trace's direction as the address says it. */
export type TraceWay = 'both' | 'upstream' | 'downstream';
export const TRACE_WAYS: readonly TraceWay[] = ['both', 'upstream', 'downstream'];

/** ?direction= read back: anything else is both. */
export function traceWay(v: string | undefined): TraceWay {
  return v === 'upstream' || v === 'downstream' ? v : 'both';
}

/** The direction as the API takes it ('' for both). */
export const apiDirection = (w: TraceWay): ColumnTraceDirection => (w === 'both' ? '' : w);

/** ?depth= read back: a whole number of levels, 1 or more; anything else is all the way (0). */
export function traceDepth(v: string | undefined): number {
  const n = Number(v);
  return Number.isInteger(n) && n > 0 ? n : 0;
}

/** The address of a node's page, with one of its columns traced (none: the page alone), depth levels each way (0: all). */
export function columnHref(uid: string, column: string | undefined, way: TraceWay, depth = 0, snap?: number): string {
  const run = inRun(snap); // a node of another project's run (a trace across projects)
  return href(['node', uid], column ? { column, direction: way, ...(depth > 0 ? { depth: String(depth) } : {}), ...run } : run);
}

/** The chip a column's source gets in the columns table. */
export const KIND_BADGE: Record<string, string> = { passthrough: 'passthrough', rename: 'renamed', transformed: 'computed' };
/** How a link of a trace reads in its table, as the picture's legend says it. */
export const KIND_HOW: Record<string, string> = { passthrough: 'passed through', rename: 'renamed', transformed: 'computed', filter: 'joined or filtered on', exposed: 'used by an exposure' };
export const KIND_TITLE: Record<string, string> = {
  passthrough: 'Passed through under the same name',
  rename: 'Passed through under another name',
  transformed: 'Computed from it: a cast, a function, an expression',
  filter: 'Read to join, filter, group or order: it decides which rows every column of the node holds',
  exposed: 'An exposure (a dashboard, a notebook, an application) uses the node that holds the column',
};

/** The short names of nodes by unique_id: the node page's parents and children, as their links name them. */
export function namesOf(...lists: (ResourceSummary[] | null | undefined)[]): Map<string, string> {
  const out = new Map<string, string>();
  for (const l of lists) for (const r of l ?? []) out.set(r.unique_id, displayName(r));
  return out;
}

/** A node's short name: as the page knows it, else its unique_id's last part ("customers v2" for a version). */
export function nodeName(uid: string, names?: Map<string, string>): string {
  const known = names?.get(uid);
  if (known) return known;
  const parts = uid.split('.');
  const last = parts[parts.length - 1];
  return /^v\d+$/.test(last) && parts.length > 3 ? `${parts[parts.length - 2]} ${last}` : last;
}

const keyId = (k: ColumnKey) => `${k.node ?? ''}\u0000${k.relation ?? ''}\u0000${k.column.toLowerCase()}`;

/**
 * A trace's links nearest the traced column first (each by its end nearer
 * to it, in links), then as the API sorted them.
 */
export function nearestFirst(edges: ColumnEdge[], focus: ColumnKey): ColumnEdge[] {
  const next = new Map<string, string[]>();
  const join = (a: string, b: string) => next.set(a, [...(next.get(a) ?? []), b]);
  for (const e of edges) {
    join(keyId(e.from), keyId(e.to));
    join(keyId(e.to), keyId(e.from));
  }
  const dist = new Map<string, number>([[keyId(focus), 0]]);
  const queue = [keyId(focus)];
  for (let i = 0; i < queue.length; i++) {
    for (const k of next.get(queue[i]) ?? []) {
      if (dist.has(k)) continue;
      dist.set(k, dist.get(queue[i])! + 1);
      queue.push(k);
    }
  }
  const rank = (e: ColumnEdge) => Math.min(dist.get(keyId(e.from)) ?? Infinity, dist.get(keyId(e.to)) ?? Infinity);
  return edges.map((e, i) => ({ e, i, r: rank(e) })).sort((a, b) => a.r - b.r || a.i - b.i).map((x) => x.e);
}

/**
 * The column of a trace picture's node a click meant: the row clicked (its
 * text, or the cell behind it: graphviz draws the node's table as a filled
 * polygon per row, its head first), else its only column, else the one
 * named as the traced column, else its first; undefined for a node the
 * trace holds no column of (one that joins or filters on it).
 */
export function pickedColumn(node: Element, target: Element | null, columns: string[], traced: string): string | undefined {
  if (columns.length === 0) return undefined;
  const named = (s: string | null | undefined) => columns.find((c) => c.toLowerCase() === (s ?? '').trim().toLowerCase());
  if (target && target.localName === 'text') {
    const c = named(target.textContent);
    if (c) return c;
  }
  if (target && target.localName === 'polygon') {
    const rows = Array.from(node.querySelectorAll('polygon')).filter((p) => (p.getAttribute('fill') ?? 'none') !== 'none');
    const i = rows.indexOf(target as SVGPolygonElement);
    if (i >= 1 && i <= columns.length) return columns[i - 1];
  }
  if (columns.length === 1) return columns[0];
  return named(traced) ?? columns[0];
}
