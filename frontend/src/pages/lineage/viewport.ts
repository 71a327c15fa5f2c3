// Fitting the lineage picture around the node panel that covers part of it.

/**
 * A picture reaching under the node panel that would fit left of it once a
 * little smaller is shrunk into that room whole (its left edge at left),
 * instead of panned off its left edge; a bigger one is left to panning.
 * Says whether it zoomed.
 */
export function fitBeside(right: number, host: HTMLElement, pz: SvgPanZoom.Instance, left: number): boolean {
  const content = host.querySelector('.svg-pan-zoom_viewport')?.getBoundingClientRect();
  if (!content || content.right <= right) return false;
  const f = (right - left) / content.width;
  if (f >= 1 || f < 0.55) return false;
  const h = host.getBoundingClientRect();
  // Zoomed about its own top left corner, the picture keeps that corner
  // where it is: the pan puts it at left.
  pz.zoomAtPointBy(f, { x: content.left - h.left, y: content.top - h.top });
  pz.panBy({ x: left - content.left, y: 0 });
  return true;
}
