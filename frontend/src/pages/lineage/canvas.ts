// What the lineage picture's nodes show and how the keys move between them.
import type { Edge, LineageNode } from '../../api/types';

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

/** Sizes the picture to its pane in pixels; reports whether that changed it. */
export function sizeSvg(svg: SVGSVGElement, pane: HTMLElement): boolean {
  const w = String(Math.max(1, pane.clientWidth));
  const h = String(Math.max(1, pane.clientHeight));
  if (svg.getAttribute('width') === w && svg.getAttribute('height') === h) return false;
  svg.setAttribute('width', w);
  svg.setAttribute('height', h);
  return true;
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
  // Centres, not corners: a column's nodes are centred on it, and a
  // narrower node's left edge lies right of a wider one's in that column.
  const centre = (id: string) => {
    const r = drawn.get(id)!.getBoundingClientRect();
    return { x: r.left + r.width / 2, y: r.top + r.height / 2 };
  };
  const here = centre(picked);
  const nearestInHeight = (candidates: string[]) =>
    candidates.filter((c) => drawn.has(c)).sort((a, b) => Math.abs(centre(a).y - here.y) - Math.abs(centre(b).y - here.y))[0] ?? null;
  if (key === 'ArrowLeft' || key === 'ArrowRight') {
    const right = key === 'ArrowRight';
    const along = nearestInHeight(right ? edges.filter((x) => x.from === picked).map((x) => x.to) : edges.filter((x) => x.to === picked).map((x) => x.from));
    const ahead = (c: Point) => (right ? c.x - here.x : here.x - c.x);
    // Without an edge that way (a node in a grid of one node's children),
    // the nearest node beside it on the screen; so too when that node is
    // nearer and joined to the same node (the grid's column before, on
    // the way back to its hub), a column away: a node of the same column a
    // few pixels off its centre is no step (QA: Right went from orders to
    // stg_customers beside it, which feeds orders' child, not to the child).
    const columnAway = drawn.get(picked)!.getBoundingClientRect().width / 2;
    const beside = nearestOnScreen(ids, picked, centre, (c) => (ahead(c) > columnAway ? ahead(c) : 0), (c) => c.y - here.y);
    if (along && beside && beside !== along && ahead(centre(beside)) < ahead(centre(along))) {
      const joined = right ? edges.some((x) => x.from === beside && x.to === along) : edges.some((x) => x.from === along && x.to === beside);
      if (joined) return beside;
    }
    return along ?? beside;
  }
  const below = key === 'ArrowDown';
  return nearestOnScreen(ids, picked, centre, (c) => (below ? c.y - here.y : here.y - c.y), (c) => c.x - here.x);
}

type Point = { x: number; y: number };

/**
 * The node nearest ahead of here (ahead > 1 px along the way the key
 * points), a step across the way costing three times a step along it.
 */
function nearestOnScreen(ids: string[], picked: string, centre: (id: string) => Point, ahead: (c: Point) => number, across: (c: Point) => number): string | null {
  let best: string | null = null;
  let bestScore = Infinity;
  for (const id of ids) {
    if (id === picked) continue;
    const r = centre(id);
    if (ahead(r) <= 1) continue;
    const score = ahead(r) + 3 * Math.abs(across(r));
    if (score < bestScore) {
      bestScore = score;
      best = id;
    }
  }
  return best;
}
