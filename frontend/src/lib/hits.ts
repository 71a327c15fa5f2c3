// What the search panel renders of an answer. Every keystroke brings a new
// answer of up to 50 hits, while the panel shows about a dozen: building,
// styling and laying out all of them took the page longer than the server
// took to answer, so rows are rendered a batch at a time as the list is
// scrolled or the active row nears the end, and a row whose hit shows the
// same as before is left alone.
import type { SearchHit } from '../api';

export const HIT_BATCH = 20;

/**
 * How many of n hits to render: at least a batch (or what was rendered
 * already), and always half a batch past the active row.
 */
export function hitsToRender(n: number, rendered: number, active: number): number {
  return Math.min(n, Math.max(rendered, HIT_BATCH, active + 1 + HIT_BATCH / 2));
}

/** Whether two hits show the same thing (each answer brings new objects). */
export function sameHit(a: SearchHit, b: SearchHit): boolean {
  return (
    a.unique_id === b.unique_id && a.resource_type === b.resource_type && a.name === b.name && a.package === b.package &&
    a.path === b.path && a.matched_in === b.matched_in && a.snippet === b.snippet
  );
}
