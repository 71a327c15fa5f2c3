// Find in the picture: in a picture of a thousand nodes, the ones whose
// name holds what is typed stand out, the rest fade, and Enter picks them
// one after another (the picked one is panned into view, as a click would).
import type { Ref } from 'preact';
import type { GroupBox, LineageNode } from '../../api/types';

/** A node or a group box of the picture that a find matched. */
export interface Found {
  kind: 'node' | 'group';
  id: string; // unique_id, or the box's key
  name: string;
}

/**
 * The picture's nodes and boxes whose name (or unique_id, or a box's label)
 * holds every word of query, any case, in name order; none for a blank
 * query.
 */
export function findMatches(query: string, nodes: LineageNode[], groups: GroupBox[]): Found[] {
  const words = query.toLowerCase().split(/\s+/).filter((w) => w !== '');
  if (words.length === 0) return [];
  const holds = (...texts: string[]) => {
    const hay = texts.join(' ').toLowerCase();
    return words.every((w) => hay.includes(w));
  };
  const found: Found[] = [];
  for (const n of nodes) if (holds(n.name, n.unique_id)) found.push({ kind: 'node', id: n.unique_id, name: n.name });
  for (const g of groups) if (holds(g.label)) found.push({ kind: 'group', id: g.key, name: g.label });
  return found.sort((a, b) => a.name.localeCompare(b.name) || a.id.localeCompare(b.id));
}

/**
 * The find field and its count. at is the match picked last (-1: none);
 * onStep picks the next (+1) or previous (-1) one.
 */
export function FindBox(props: { query: string; setQuery: (q: string) => void; found: Found[]; at: number; onStep: (delta: 1 | -1) => void; fieldRef: Ref<HTMLInputElement> }) {
  const { query, found, at } = props;
  return (
    <span class="find-box">
      <input
        ref={props.fieldRef}
        name="find"
        type="search"
        spellcheck={false}
        placeholder="Find in picture (f)"
        aria-label="Find in picture"
        title="Names holding these words stand out; Enter picks the next, Shift+Enter the one before, Esc clears"
        value={query}
        onInput={(e) => props.setQuery((e.target as HTMLInputElement).value)}
        onKeyDown={(e) => {
          if (e.key === 'Enter') {
            e.preventDefault();
            if (found.length > 0) props.onStep(e.shiftKey ? -1 : 1);
          } else if (e.key === 'Escape') {
            e.preventDefault();
            props.setQuery('');
            (e.target as HTMLInputElement).blur();
          }
        }}
      />
      {query.trim() !== '' && (
        <span class={`small find-count${found.length === 0 ? ' none' : ''}`} data-testid="find-count">
          {found.length === 0 ? 'no match' : at >= 0 ? `${at + 1} of ${found.length}` : `${found.length} found`}
        </span>
      )}
    </span>
  );
}
