// Find in the picture: in a picture of a thousand nodes, the ones whose
// name holds what is typed stand out, the rest fade, and Enter picks them
// one after another (the picked one is panned into view, as a click would).
import type { RefObject } from 'preact';
import { useEffect, useMemo, useRef, useState } from 'preact/hooks';
import type { GroupBox, LineageNode, LineageResult } from '../../api/types';

/** A node or a group box of the picture that a find matched. */
export interface Found {
  kind: 'node' | 'group';
  id: string; // unique_id, or the box's key
  name: string;
}

/**
 * The picture's nodes and boxes whose name (or unique_id, or a box's label)
 * holds every word of query, any case, in name order; none for a blank
 * query. A node drawn inside a closed box is found as its box, once per
 * box ("orders in marts").
 */
export function findMatches(query: string, nodes: LineageNode[], groups: GroupBox[]): Found[] {
  const words = query.toLowerCase().split(/\s+/).filter((w) => w !== '');
  if (words.length === 0) return [];
  const holds = (...texts: string[]) => {
    const hay = texts.join(' ').toLowerCase();
    return words.every((w) => hay.includes(w));
  };
  const label = new Map(groups.map((g) => [g.key, g.label]));
  const found: Found[] = [];
  const boxes = new Set<string>();
  for (const g of groups) {
    if (holds(g.label)) {
      found.push({ kind: 'group', id: g.key, name: g.label });
      boxes.add(g.key);
    }
  }
  for (const n of nodes) {
    if (!holds(n.name, n.unique_id)) continue;
    if (!n.box) found.push({ kind: 'node', id: n.unique_id, name: n.name });
    else if (!boxes.has(n.box)) {
      boxes.add(n.box);
      found.push({ kind: 'group', id: n.box, name: `${n.name} in ${label.get(n.box) ?? n.box}` });
    }
  }
  return found.sort((a, b) => a.name.localeCompare(b.name) || a.id.localeCompare(b.id));
}

/** Pictures of more nodes than this apply the words once typing pauses, for FIND_DEBOUNCE_MS. */
const FIND_DEBOUNCE_FROM = 300;
const FIND_DEBOUNCE_MS = 180;

/** A find in the picture: what is typed, what it matched, the match picked last (-1: none). */
export interface Find {
  query: string;
  setQuery: (q: string) => void;
  found: Found[];
  at: number;
  /** Picks the next (+1) or previous (-1) match. */
  step: (delta: 1 | -1) => void;
  fieldRef: RefObject<HTMLInputElement | null>;
  /** The words typed are not applied yet (a big picture waits for a pause). */
  pending: boolean;
}

/**
 * Finds in the picture drawn in canvas (painted counts its paints): the
 * matches are outlined, the rest faded; onPick picks a match. A new
 * picture keeps the words and finds again.
 */
export function useFind(result: LineageResult | null, canvas: RefObject<HTMLElement | null>, painted: number, onPick: (f: Found) => void): Find {
  const [query, setQuery] = useState('');
  // On a big picture each change of what stands out repaints all of it
  // (0.2-0.3 s at 1,500 nodes in chromium): the words apply once typing
  // pauses, the field itself following every key.
  const [applied, setApplied] = useState('');
  const big = (result?.nodes?.length ?? 0) > FIND_DEBOUNCE_FROM;
  useEffect(() => {
    if (!big || query === '') {
      setApplied(query);
      return;
    }
    const t = setTimeout(() => setApplied(query), FIND_DEBOUNCE_MS);
    return () => clearTimeout(t);
  }, [query, big]);
  const [at, setAt] = useState(-1);
  const fieldRef = useRef<HTMLInputElement>(null);
  const found = useMemo(() => findMatches(applied, result?.nodes ?? [], result?.groups ?? []), [applied, result]);
  const key = found.map((f) => f.id).join('\n');
  // A new list of matches unpicks, unless Enter made it (step).
  const steppedTo = useRef('');
  useEffect(() => {
    if (key !== steppedTo.current) setAt(-1);
    steppedTo.current = '';
  }, [key]);
  useEffect(() => {
    const host = canvas.current;
    if (!host) return;
    const ids = new Set(found.map((f) => f.id));
    const finding = applied.trim() !== '';
    for (const el of Array.from(host.querySelectorAll('[data-uid], [data-group]'))) {
      const id = el.getAttribute('data-uid') ?? el.getAttribute('data-group') ?? '';
      el.classList.toggle('ld-found', finding && ids.has(id));
      el.classList.toggle('ld-faded', finding && !ids.has(id));
    }
  }, [key, applied, painted]);
  const step = (delta: 1 | -1) => {
    // Enter before the pause takes the words typed.
    const list = applied === query ? found : findMatches(query, result?.nodes ?? [], result?.groups ?? []);
    const listKey = list.map((f) => f.id).join('\n');
    if (applied !== query) {
      if (listKey !== key) steppedTo.current = listKey;
      setApplied(query);
    }
    if (list.length === 0) return;
    const next = listKey === key ? (at + delta + list.length) % list.length : delta === 1 ? 0 : list.length - 1;
    setAt(next);
    onPick(list[next]);
  };
  return { query, setQuery, found, at, step, fieldRef, pending: applied !== query };
}

/** The find field and its count. */
export function FindBox({ find }: { find: Find }) {
  const { query, found, at } = find;
  return (
    <span class="find-box">
      <input
        ref={find.fieldRef}
        name="find"
        type="search"
        spellcheck={false}
        placeholder="Find in picture (f)"
        aria-label="Find in picture"
        title="Names holding these words stand out; Enter picks the next, Shift+Enter the one before, Esc clears"
        value={query}
        onInput={(e) => find.setQuery((e.target as HTMLInputElement).value)}
        onKeyDown={(e) => {
          if (e.key === 'Enter') {
            e.preventDefault();
            find.step(e.shiftKey ? -1 : 1);
          } else if (e.key === 'Escape') {
            e.preventDefault();
            find.setQuery('');
            (e.target as HTMLInputElement).blur();
          }
        }}
      />
      {query.trim() !== '' && (
        <span class={`small find-count${found.length === 0 && !find.pending ? ' none' : ''}`} data-testid="find-count">
          {find.pending ? '…' : found.length === 0 ? 'no match' : at >= 0 ? `${at + 1} of ${found.length}` : `${found.length} found`}
        </span>
      )}
    </span>
  );
}
