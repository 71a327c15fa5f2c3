// The lineage bar's Filter menu: tick what the picture draws, by resource
// type, package, materialization and tag (facets.ts).
import { useMemo, useRef, useState } from 'preact/hooks';
import type { GraphNode } from '../../api/types';
import { facetGroups, hiddenCount, onlyValue, toggleAtom } from './facets';

// Past this many values a facet shows its first ones and a "more" button.
const SHOWN = 8;
// The popup's width (styles.css, .facet-popup).
const POPUP_WIDTH = 640;

/**
 * nodes are the picture's; exclude the --exclude it was drawn with;
 * onExclude draws it again with another.
 */
export function FacetFilter({ nodes, exclude, onExclude }: { nodes: GraphNode[]; exclude: string; onExclude: (exclude: string) => void }) {
  const menuRef = useRef<HTMLDetailsElement>(null);
  const [more, setMore] = useState<Record<string, boolean>>({});
  // Under the button, moved left as far as it takes to stay in the window.
  const [place, setPlace] = useState<{ left: number; top: number } | null>(null);
  // Once per picture, not per render: over a whole project's 55,000 nodes
  // it took 0.5 s, at every click and key on the page (QA).
  const groups = useMemo(() => facetGroups(nodes, exclude), [nodes, exclude]);
  const hidden = hiddenCount(exclude);
  if (groups.length === 0) return null;
  return (
    <details
      class="facet-menu"
      ref={menuRef}
      onToggle={() => {
        const box = menuRef.current?.getBoundingClientRect();
        if (!menuRef.current?.open || !box) return;
        const width = Math.min(POPUP_WIDTH, window.innerWidth - 16);
        setPlace({ left: Math.max(8, Math.min(box.left, window.innerWidth - width - 8)), top: box.bottom + 4 });
      }}
      onKeyDown={(e) => {
        if (e.key === 'Escape' && menuRef.current?.open) {
          e.stopPropagation();
          menuRef.current.open = false;
          menuRef.current.querySelector('summary')?.focus(); // not the page's body (QA)
        }
      }}
    >
      <summary class={`btn btn-small ${hidden > 0 ? 'on' : ''}`} title="What the picture draws, by type, package, materialization and tag: an unticked value goes to Exclude as a dbt selector">
        Filter{hidden > 0 ? ` (${hidden} hidden)` : ''}
      </summary>
      <div class="facet-popup" style={place ? { left: `${place.left}px`, top: `${place.top}px` } : undefined} role="group" aria-label="Filter the picture">
        {groups.map((g) => {
          const all = more[g.method];
          const values = all ? g.values : g.values.slice(0, SHOWN);
          return (
            <fieldset key={g.method} class="facet-group" data-facet={g.method}>
              <legend>{g.label}</legend>
              {values.map((v) => (
                <label key={v.atom} class="check small facet-value" title={v.hidden ? `Left out by --exclude ${v.atom}` : `${v.count} in the picture; untick to add ${v.atom} to Exclude`}>
                  <input type="checkbox" data-atom={v.atom} checked={!v.hidden} onChange={(e) => onExclude(toggleAtom(exclude, v.atom, !(e.target as HTMLInputElement).checked))} />
                  <span class="facet-name">{v.value}</span>
                  <span class="muted">{v.hidden ? 'hidden' : v.count.toLocaleString()}</span>
                  {g.single && (
                    <button type="button" class="linklike small facet-only" title={`Draw only the ${v.value} nodes: the other ${g.label.toLowerCase()} values go to Exclude`}
                      onClick={(e) => {
                        e.preventDefault();
                        onExclude(onlyValue(exclude, g, v));
                      }}>only</button>
                  )}
                </label>
              ))}
              {g.values.length > SHOWN && (
                <button type="button" class="linklike small" onClick={() => setMore({ ...more, [g.method]: !all })}>
                  {all ? 'fewer' : `${g.values.length - SHOWN} more`}
                </button>
              )}
            </fieldset>
          );
        })}
        <p class="muted small">An unticked value goes to Exclude as a dbt selector (resource_type:seed), so a link, a saved view and an export leave it out too.</p>
      </div>
    </details>
  );
}
