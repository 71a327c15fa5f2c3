// What the search panel renders of an answer. Every keystroke brings a new
// answer of up to 50 hits, while the panel shows about nine: building,
// styling and laying out all of them took the page longer than the server
// took to answer, so rows are rendered a batch at a time as the list is
// scrolled or the active row nears the end, and a row whose hit shows the
// same as before is left alone.
import type { SearchHit } from '../api';

// The panel shows about nine rows at 1280x800; a batch is a little more.
export const HIT_BATCH = 15;

/** How close to the end of the list (in pixels) the next batch is rendered. */
export const NEAR_END_PX = 100;

/** How many rows are rendered past the active one. */
export const HITS_AHEAD = 8;

/**
 * How many of n hits to render: at least a batch (or what was rendered
 * already), and always HITS_AHEAD past the active row.
 */
export function hitsToRender(n: number, rendered: number, active: number): number {
  return Math.min(n, Math.max(rendered, HIT_BATCH, active + 1 + HITS_AHEAD));
}

/** A hit's key in the list: a search of every project may find one unique_id in two projects' runs. */
export function hitKey(h: SearchHit): string {
  return `${h.snapshot_id ?? 0}:${h.unique_id}`;
}

/** Whether two hits show the same thing (each answer brings new objects). */
export function sameHit(a: SearchHit, b: SearchHit): boolean {
  return (
    a.unique_id === b.unique_id && a.resource_type === b.resource_type && a.name === b.name && a.package === b.package &&
    a.path === b.path && a.matched_in === b.matched_in && a.snippet === b.snippet && a.column === b.column &&
    a.project === b.project && a.snapshot_id === b.snapshot_id
  );
}
