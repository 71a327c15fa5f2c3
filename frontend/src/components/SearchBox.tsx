// Header search: instant results while typing, type facets, arrow keys and
// Enter to open a hit. "/" or Ctrl+K focuses it from anywhere.
import { useEffect, useRef, useState } from 'preact/hooks';
import { search } from '../state';
import { navigate } from '../lib/router';
import { afterPaint, recordMetric } from '../lib/metrics';
import { TYPE_LABELS, typeOrder } from '../lib/format';
import { Snippet, Spinner, TypeBadge } from './ui';

export function focusSearch(): void {
  const el = document.getElementById('global-search') as HTMLInputElement | null;
  el?.focus();
  el?.select();
}

export function SearchBox() {
  const inputRef = useRef<HTMLInputElement>(null);
  const [open, setOpen] = useState(false);
  const hits = search.hits.value;
  const res = search.result.value;
  const active = search.active.value;
  const typing = useRef<{ text: string; t: number } | null>(null);

  // Search latency as a user sees it: from the call to the painted result list.
  useEffect(() => {
    const t = search.lastStarted.value;
    if (!res || t === null) return;
    const text = search.lastQuery.value;
    afterPaint(() => recordMetric({ metric: 'search_latency', ms: Math.round((performance.now() - t) * 10) / 10, query: text, hits: res.total }));
  }, [res]);

  useEffect(() => {
    const onDoc = (e: MouseEvent) => {
      if (!(e.target as Element)?.closest?.('.search')) setOpen(false);
    };
    document.addEventListener('mousedown', onDoc);
    return () => document.removeEventListener('mousedown', onDoc);
  }, []);

  function openHit(i: number) {
    const h = hits[i];
    if (!h) return;
    setOpen(false);
    inputRef.current?.blur();
    navigate(['node', h.unique_id]);
  }

  function onKey(e: KeyboardEvent) {
    if (e.key === 'ArrowDown') {
      e.preventDefault();
      setOpen(true);
      search.move(1);
    } else if (e.key === 'ArrowUp') {
      e.preventDefault();
      search.move(-1);
    } else if (e.key === 'Enter') {
      e.preventDefault();
      openHit(search.active.value);
    } else if (e.key === 'Escape') {
      if (search.text.value) search.clear();
      else inputRef.current?.blur();
      setOpen(false);
    }
  }

  const facets = Object.entries(res?.by_type ?? {}).sort((a, b) => typeOrder(a[0]) - typeOrder(b[0]));
  const showPanel = open && search.text.value.trim() !== '';

  return (
    <div class="search" role="search">
      <input
        id="global-search"
        ref={inputRef}
        type="search"
        placeholder="Search models, columns, SQL…"
        autocomplete="off"
        spellcheck={false}
        aria-label="Search"
        aria-expanded={showPanel}
        aria-controls="search-results"
        aria-autocomplete="list"
        aria-activedescendant={showPanel && hits[active] ? `hit-${active}` : undefined}
        value={search.text.value}
        onInput={(e) => {
          const v = (e.target as HTMLInputElement).value;
          typing.current = { text: v, t: performance.now() };
          setOpen(true);
          void search.setText(v);
        }}
        onFocus={() => setOpen(true)}
        onKeyDown={onKey}
      />
      <span class="search-hint" aria-hidden="true">/</span>
      {showPanel && (
        <div class="search-panel" id="search-results">
          <div class="facets">
            {facets.map(([t, n]) => (
              <button
                key={t}
                type="button"
                class={`facet ${search.types.value.includes(t) ? 'on' : ''}`}
                onMouseDown={(e) => e.preventDefault()}
                onClick={() => void search.toggleType(t)}
              >
                {TYPE_LABELS[t] ?? t} <span class="count">{n}</span>
              </button>
            ))}
            {search.types.value.filter((t) => !(res?.by_type ?? {})[t]).map((t) => (
              <button key={t} type="button" class="facet on" onClick={() => void search.toggleType(t)}>{TYPE_LABELS[t] ?? t} ✕</button>
            ))}
            <span class="grow" />
            {search.loading.value && <Spinner />}
            {res && <span class="muted small">{res.total.toLocaleString()} matches</span>}
          </div>
          {search.error.value && <div class="error-inline">{search.error.value.message}</div>}
          <ul class="hits" role="listbox" aria-label="Search results">
            {hits.map((h, i) => (
              <li
                key={h.unique_id}
                id={`hit-${i}`}
                role="option"
                aria-selected={i === active}
                class={`hit ${i === active ? 'active' : ''}`}
                data-uid={h.unique_id}
                onMouseEnter={() => (search.active.value = i)}
                onMouseDown={(e) => e.preventDefault()}
                onClick={() => openHit(i)}
              >
                <TypeBadge type={h.resource_type} />
                <div class="hit-main">
                  <div class="hit-title">
                    <span class="hit-name">{h.name}</span>
                    <span class="muted small">{h.package}{h.path ? ` · ${h.path}` : ''}</span>
                    {h.matched_in && h.matched_in !== 'name' && <span class="chip small">{h.matched_in}</span>}
                  </div>
                  {h.snippet && <div class="hit-snippet"><Snippet text={h.snippet} /></div>}
                </div>
              </li>
            ))}
            {res && hits.length === 0 && <li class="muted empty">No matches for “{search.text.value}”.</li>}
          </ul>
          <div class="search-foot muted small">
            <kbd>↑</kbd><kbd>↓</kbd> move · <kbd>Enter</kbd> open · <kbd>Esc</kbd> clear
          </div>
        </div>
      )}
    </div>
  );
}
