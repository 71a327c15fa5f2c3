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
 * parent/child nearest in height, up/down to the nearest node above or
 * below in roughly the same column. With none picked, the selector's own
 * node (else the first drawn).
 */
export function neighbour(key: string, picked: string | null, drawn: Map<string, Element>, nodes: LineageNode[], edges: Edge[]): string | null {
  const ids = [...drawn.keys()];
  if (ids.length === 0) return null;
  if (!picked || !drawn.has(picked)) return ids.find((id) => nodes.find((n) => n.unique_id === id)?.focus) ?? ids[0];
  const rect = (id: string) => drawn.get(id)!.getBoundingClientRect();
  const here = rect(picked);
  const nearestInHeight = (candidates: string[]) =>
    candidates.filter((c) => drawn.has(c)).sort((a, b) => Math.abs(rect(a).top - here.top) - Math.abs(rect(b).top - here.top))[0] ?? null;
  if (key === 'ArrowLeft') return nearestInHeight(edges.filter((x) => x.to === picked).map((x) => x.from));
  if (key === 'ArrowRight') return nearestInHeight(edges.filter((x) => x.from === picked).map((x) => x.to));
  const below = key === 'ArrowDown';
  let best: string | null = null;
  let bestScore = Infinity;
  for (const id of ids) {
    if (id === picked) continue;
    const r = rect(id);
    const dy = r.top - here.top;
    if (below ? dy <= 1 : dy >= -1) continue;
    const score = Math.abs(dy) + 3 * Math.abs(r.left - here.left);
    if (score < bestScore) {
      bestScore = score;
      best = id;
    }
  }
  return best;
}
