// What the lineage picture's nodes show and how the keys move between them.
import type { Edge, LineageNode } from '../../api/types';

/** The test lens class of a node: its own outcome for a test, else the worst of its tests'. */
export function lensOf(n: LineageNode): string {
  if (n.resource_type === 'test' || n.resource_type === 'unit_test') return n.test_status || 'none';
  const s = n.test_summary;
  if (!s) return 'none';
  if (s.error > 0) return 'error';
  if (s.fail > 0) return 'fail';
  if (s.warn > 0) return 'warn';
  if (s.pass > 0) return 'pass';
  if (s.total > 0) return 'untested';
  return 'none';
}

/**
 * Stops pan and zoom on a picture being thrown away. svg-pan-zoom's destroy
 * first resets the view, which throws once the picture has left the page
 * (its matrix has no inverse): seen leaving the lineage for a node page.
 * The listeners it would remove go with the picture.
 */
export function dropPanZoom(pz: SvgPanZoom.Instance | null) {
  try {
    pz?.destroy();
  } catch {
    // the picture is gone; nothing left to reset
  }
}

/**
 * The node an arrow key moves to from the picked one: left/right to the
 * parent/child nearest in height (without one, the nearest node beside it:
 * along a row of a grid of one node's children), up/down to the nearest
 * node above or below in roughly the same column. With none picked, the
 * selector's own node (else the first drawn).
 */
export function neighbour(key: string, picked: string | null, drawn: Map<string, Element>, nodes: LineageNode[], edges: Edge[]): string | null {
  const ids = [...drawn.keys()];
  if (ids.length === 0) return null;
  if (!picked || !drawn.has(picked)) return ids.find((id) => nodes.find((n) => n.unique_id === id)?.focus) ?? ids[0];
  const rect = (id: string) => drawn.get(id)!.getBoundingClientRect();
  const here = rect(picked);
  const nearestInHeight = (candidates: string[]) =>
    candidates.filter((c) => drawn.has(c)).sort((a, b) => Math.abs(rect(a).top - here.top) - Math.abs(rect(b).top - here.top))[0] ?? null;
  if (key === 'ArrowLeft' || key === 'ArrowRight') {
    const right = key === 'ArrowRight';
    const along = nearestInHeight(right ? edges.filter((x) => x.from === picked).map((x) => x.to) : edges.filter((x) => x.to === picked).map((x) => x.from));
    // Without an edge that way (a node in a grid of one node's children),
    // the nearest node beside it on the screen.
    return along ?? nearestOnScreen(ids, picked, rect, (r) => (right ? r.left - here.left : here.left - r.left), (r) => r.top - here.top);
  }
  const below = key === 'ArrowDown';
  return nearestOnScreen(ids, picked, rect, (r) => (below ? r.top - here.top : here.top - r.top), (r) => r.left - here.left);
}

/**
 * The node nearest ahead of here (ahead > 1 px along the way the key
 * points), a step across the way costing three times a step along it.
 */
function nearestOnScreen(ids: string[], picked: string, rect: (id: string) => DOMRect, ahead: (r: DOMRect) => number, across: (r: DOMRect) => number): string | null {
  let best: string | null = null;
  let bestScore = Infinity;
  for (const id of ids) {
    if (id === picked) continue;
    const r = rect(id);
    if (ahead(r) <= 1) continue;
    const score = ahead(r) + 3 * Math.abs(across(r));
    if (score < bestScore) {
      bestScore = score;
      best = id;
    }
  }
  return best;
}
