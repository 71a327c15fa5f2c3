// A fixed-row-height virtualised list on @tanstack/virtual-core, for resource
// lists of any length (50k-node projects render ~30 rows at a time).
import { useEffect, useLayoutEffect, useReducer, useRef, useState } from 'preact/hooks';
import type { ComponentChildren } from 'preact';
import { Virtualizer, elementScroll, observeElementOffset, observeElementRect } from '@tanstack/virtual-core';

interface Props {
  count: number;
  rowHeight: number;
  renderRow: (index: number) => ComponentChildren;
  activeIndex?: number;
  class?: string;
  label?: string;
  /** Called when the rows shown come near the end: a list loaded a page at a time loads the next. */
  onNearEnd?: () => void;
}

// How near the end (in rows) onNearEnd is called: a screen or two ahead.
const NEAR_END = 60;

export function VirtualList({ count, rowHeight, renderRow, activeIndex, class: cls, label, onNearEnd }: Props) {
  const scrollRef = useRef<HTMLDivElement>(null);
  const [, rerender] = useReducer((x: number) => x + 1, 0);
  const [virtualizer] = useState(
    () =>
      new Virtualizer<HTMLDivElement, Element>({
        count,
        getScrollElement: () => scrollRef.current,
        estimateSize: () => rowHeight,
        overscan: 8,
        observeElementRect,
        observeElementOffset,
        scrollToFn: elementScroll,
        onChange: () => rerender(0),
      }),
  );
  virtualizer.setOptions({ ...virtualizer.options, count, estimateSize: () => rowHeight });

  useLayoutEffect(() => virtualizer._didMount(), [virtualizer]);
  useLayoutEffect(() => {
    virtualizer._willUpdate();
  });
  useEffect(() => {
    if (activeIndex !== undefined && activeIndex >= 0 && activeIndex < count) virtualizer.scrollToIndex(activeIndex, { align: 'auto' });
  }, [activeIndex, count, virtualizer]);

  const items = virtualizer.getVirtualItems();
  const last = items.length > 0 ? items[items.length - 1].index : -1;
  useEffect(() => {
    if (onNearEnd && last >= 0 && last >= count - NEAR_END) onNearEnd();
  }, [last, count, onNearEnd]);
  return (
    <div ref={scrollRef} class={`vlist ${cls ?? ''}`} role="list" aria-label={label}>
      <div style={{ height: `${virtualizer.getTotalSize()}px`, position: 'relative' }}>
        {items.map((it) => (
          <div key={it.key} role="listitem" class="vrow" style={{ position: 'absolute', top: 0, left: 0, right: 0, height: `${rowHeight}px`, transform: `translateY(${it.start}px)` }}>
            {renderRow(it.index)}
          </div>
        ))}
      </div>
    </div>
  );
}
