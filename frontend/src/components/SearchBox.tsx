// Header search: instant results while typing, type facets, arrow keys and
// Enter to open a hit. "/" or Ctrl+K focuses it from anywhere.
//
// Every keystroke replaces the result, so the panel is split by what each
// part reads: the facets and the status line are components that read their
// own signals (and re-render only when those change), the hit list renders
// rows a batch at a time and a row re-renders only when what it shows
// changes (lib/hits.ts). Typing, the spinner and a new answer then touch
// only the parts that differ.
import { Component } from 'preact';
import { useEffect, useLayoutEffect, useRef, useState } from 'preact/hooks';
import { computed } from '@preact/signals';
import type { SearchHit } from '../api';
import { app, search } from '../state';
import { inRun, navigate, route } from '../lib/router';
import { afterPaint, recordMetric } from '../lib/metrics';
import { listedName, TYPE_LABELS, typeOrder } from '../lib/format';
import { HIT_BATCH, NEAR_END_PX, hitKey, hitsToRender, sameHit } from '../lib/hits';
import { Snippet, Spinner, TypeBadge } from './ui';

export function focusSearch(): void {
  const el = document.getElementById('global-search') as HTMLInputElement | null;
  el?.focus();
  el?.select();
}

const activeDescendant = computed(() => (search.hits.value[search.active.value] ? `hit-${search.active.value}` : undefined));

export function SearchBox() {
  const inputRef = useRef<HTMLInputElement>(null);
  const [open, setOpen] = useState(false);
  const res = search.result.value;

  // Search latency as a user sees it: from the call to the painted result list.
  useEffect(() => {
    const t = search.lastStarted.value;
    if (!res || t === null) return;
    const text = search.lastQuery.value;
    afterPaint(() => recordMetric({ metric: 'search_latency', ms: Math.round((performance.now() - t) * 10) / 10, query: text, hits: res.total }));
  }, [res]);

  // Another page (a hit opened, Back, a link): the panel does not follow.
  const at = route.value;
  useEffect(() => setOpen(false), [at]);

  useEffect(() => {
    const onDoc = (e: MouseEvent) => {
      if (!(e.target as Element)?.closest?.('.search')) setOpen(false);
    };
    document.addEventListener('mousedown', onDoc);
    return () => document.removeEventListener('mousedown', onDoc);
  }, []);

  // Stable for the rows, which keep the callbacks of their first render.
  const openHit = useRef((i: number) => {
    const h = search.hits.peek()[i];
    if (!h) return;
    setOpen(false);
    inputRef.current?.blur();
    // A column found opens its lineage: where it comes from, what reads it.
    // A hit of another project opens in the run it was found in.
    navigate(['node', h.unique_id], { ...(h.column ? { column: h.column, direction: 'both' } : {}), ...inRun(h.snapshot_id) });
    // The keyboard goes on from the page opened, not from the document's
    // start (QA: 50 Tabs through the bar and the sidebar to its first link).
    document.getElementById('main')?.focus({ preventScroll: true });
  }).current;

  // Arrow keys move past the rows in view: keep the active one visible,
  // once it is rendered (HitList renders more rows as it nears the end).
  function move(delta: number) {
    search.move(delta);
    requestAnimationFrame(() => document.getElementById(`hit-${search.active.peek()}`)?.scrollIntoView({ block: 'nearest' }));
  }

  function onKey(e: KeyboardEvent) {
    if (e.key === 'ArrowDown') {
      e.preventDefault();
      setOpen(true);
      move(1);
    } else if (e.key === 'ArrowUp') {
      e.preventDefault();
      move(-1);
    } else if (e.key === 'Enter') {
      e.preventDefault();
      openHit(search.active.value);
    } else if (e.key === 'Escape') {
      if (search.text.value) search.clear();
      else inputRef.current?.blur();
      setOpen(false);
    }
  }

  const showPanel = open && search.text.value.trim() !== '';

  return (
    <div
      class="search"
      role="search"
      // Tabbed away, the panel closes: it covered what took the focus (QA).
      // A click elsewhere has no next element here; mousedown closes it.
      onFocusOut={(e) => {
        const next = e.relatedTarget as Node | null;
        if (next && !(e.currentTarget as HTMLElement).contains(next)) setOpen(false);
      }}
    >
      <input
        id="global-search"
        ref={inputRef}
        type="search"
        role="combobox"
        list={undefined}
        placeholder="Search models, columns, SQL…"
        autocomplete="off"
        spellcheck={false}
        aria-label="Search"
        aria-expanded={showPanel}
        aria-controls="search-results"
        aria-autocomplete="list"
        aria-activedescendant={showPanel ? activeDescendant : undefined}
        value={search.text.value}
        onInput={(e) => {
          setOpen(true);
          void search.setText((e.target as HTMLInputElement).value);
        }}
        onFocus={() => setOpen(true)}
        onKeyDown={onKey}
      />
      <span class="search-hint" aria-hidden="true">/</span>
      {showPanel && (
        <div class="search-panel" id="search-results">
          <div class="facets">
            <ProjectScope />
            <Facets />
            <span class="grow" />
            <SearchStatus />
          </div>
          <SearchError />
          <HitList onOpen={openHit} />
          <div class="search-foot muted small">
            <kbd>↑</kbd><kbd>↓</kbd> move · <kbd>Enter</kbd> open · <kbd>Esc</kbd> clear
          </div>
        </div>
      )}
    </div>
  );
}

// The projects the store holds, when more than one: searching all of them
// reads each one's run as the snapshot at hand reads them across projects.
const projectCount = computed(() => new Set(app.snapshots.value.map((s) => s.project)).size);

function ProjectScope() {
  if (projectCount.value < 2) return null;
  const all = search.allProjects.value;
  const byProject = search.result.value?.by_project ?? {};
  const picked = search.projects.value;
  const projects = Object.entries(byProject).sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]));
  return (
    <>
      <button
        type="button"
        class={`facet scope ${all ? 'on' : ''}`}
        aria-pressed={all}
        title={all ? 'Searching every project the store holds: click to search this snapshot alone' : `Search all ${projectCount.value} projects the store holds, each one's latest run`}
        onMouseDown={(e) => e.preventDefault()}
        onClick={() => void search.setAllProjects(!all)}
      >
        All projects
      </button>
      {all && projects.map(([p, n]) => (
        <button
          key={p}
          type="button"
          class={`facet project ${picked.includes(p) ? 'on' : ''}`}
          title={`Only the hits of project ${p}`}
          onMouseDown={(e) => e.preventDefault()}
          onClick={() => void search.toggleProject(p)}
        >
          {p} <span class="count">{n}</span>
        </button>
      ))}
      {all && picked.filter((p) => !byProject[p]).map((p) => (
        <button key={p} type="button" class="facet project on" onClick={() => void search.toggleProject(p)}>{p} ✕</button>
      ))}
      <span class="facet-sep" aria-hidden="true" />
    </>
  );
}

function Facets() {
  const byType = search.result.value?.by_type ?? {};
  const types = search.types.value;
  const facets = Object.entries(byType).sort((a, b) => typeOrder(a[0]) - typeOrder(b[0]));
  return (
    <>
      {facets.map(([t, n]) => (
        <button
          key={t}
          type="button"
          class={`facet ${types.includes(t) ? 'on' : ''}`}
          onMouseDown={(e) => e.preventDefault()}
          onClick={() => void search.toggleType(t)}
        >
          {TYPE_LABELS[t] ?? t} <span class="count">{n}</span>
        </button>
      ))}
      {types.filter((t) => !byType[t]).map((t) => (
        <button key={t} type="button" class="facet on" onClick={() => void search.toggleType(t)}>{TYPE_LABELS[t] ?? t} ✕</button>
      ))}
    </>
  );
}

// Most answers arrive within a frame or two: a spinner shown for each of
// them would only flicker, and draw frames while the answer is computed.
const spinnerDelayMs = 250;

function SearchStatus() {
  const res = search.result.value;
  const loading = search.loading.value;
  const [slow, setSlow] = useState(false);
  useEffect(() => {
    setSlow(false);
    if (!loading) return;
    const t = setTimeout(() => setSlow(true), spinnerDelayMs);
    return () => clearTimeout(t);
  }, [loading]);
  return (
    <>
      {loading && slow && <Spinner />}
      {res && <span class="muted small">{res.total.toLocaleString()} {res.total === 1 ? 'match' : 'matches'}</span>}
    </>
  );
}

function SearchError() {
  const err = search.error.value;
  return err ? <div class="error-inline">{err.message}</div> : null;
}

function HitList({ onOpen }: { onOpen: (i: number) => void }) {
  const hits = search.hits.value;
  const active = search.active.value;
  const res = search.result.value;
  const listRef = useRef<HTMLUListElement>(null);
  const [more, setMore] = useState({ hits, rendered: HIT_BATCH });
  const rendered = hitsToRender(hits.length, more.hits === hits ? more.rendered : HIT_BATCH, active);
  const shown = useRef(hits);
  // More rows once the list is scrolled near its end, or when the rows
  // rendered do not fill it (a tall window), which no scroll would reveal.
  function renderMoreNearTheEnd() {
    const ul = listRef.current;
    if (ul && rendered < hits.length && ul.scrollTop + ul.clientHeight >= ul.scrollHeight - NEAR_END_PX) setMore({ hits, rendered: rendered + HIT_BATCH });
  }
  useLayoutEffect(() => {
    // A new answer starts at its first hit, which is the active one.
    if (shown.current !== hits && listRef.current) listRef.current.scrollTop = 0;
    shown.current = hits;
    renderMoreNearTheEnd();
  });
  return (
    <ul ref={listRef} class="hits" role="listbox" aria-label="Search results" onScroll={renderMoreNearTheEnd}>
      {hits.slice(0, rendered).map((h, i) => (
        <HitRow key={hitKey(h)} hit={h} index={i} active={i === active} onOpen={onOpen} />
      ))}
      {res && hits.length === 0 && (
        <li class="muted empty">
          {noMatchText(search.lastQuery.value, res.by_type)}
          {projectCount.value > 1 && !search.allProjects.value && (
            <>
              {' '}
              <button type="button" class="linklike" name="search-all-projects" onMouseDown={(e) => e.preventDefault()} onClick={() => void search.setAllProjects(true)}>
                Search all {projectCount.value} projects
              </button>
            </>
          )}
        </li>
      )}
    </ul>
  );
}

/** The empty list's line: what matched among the types not searched, offered above, or nothing. */
export function noMatchText(text: string, byType: Record<string, number> | null): string {
  const elsewhere = Object.entries(byType ?? {}).filter(([, n]) => n > 0).sort((a, b) => typeOrder(a[0]) - typeOrder(b[0]));
  if (elsewhere.length === 0) return `No matches for “${text}”.`;
  const which = elsewhere.map(([t, n]) => `${n} ${(TYPE_LABELS[t] ?? t).toLowerCase()}`).join(', ');
  return `Nothing of the types searched matches “${text}”; ${which} do: pick them above.`;
}

interface HitRowProps {
  hit: SearchHit;
  index: number;
  active: boolean;
  onOpen: (i: number) => void;
}

class HitRow extends Component<HitRowProps> {
  shouldComponentUpdate(next: HitRowProps): boolean {
    const p = this.props;
    return next.index !== p.index || next.active !== p.active || next.onOpen !== p.onOpen || !sameHit(next.hit, p.hit);
  }

  render({ hit: h, index: i, active, onOpen }: HitRowProps) {
    return (
      <li
        id={`hit-${i}`}
        role="option"
        aria-selected={active}
        class={`hit ${active ? 'active' : ''}`}
        data-uid={h.unique_id}
        onMouseEnter={() => (search.active.value = i)}
        onMouseDown={(e) => e.preventDefault()}
        onClick={() => onOpen(i)}
      >
        <TypeBadge type={h.resource_type} />
        <div class="hit-main">
          <div class="hit-title">
            <span class="hit-name">{listedName(h)}</span>
            {h.project && h.project !== h.package && <span class="chip small project" title={`Found in project ${h.project}'s run`}>{h.project}</span>}
            <span class="muted small">{h.package}{h.path ? ` · ${h.path}` : ''}</span>
            {h.column ? (
              <span class="chip small" title={`Opens the column lineage of ${h.column}`}>{h.matched_in === 'column' ? 'column' : h.matched_in} {h.column}</span>
            ) : (
              h.matched_in && h.matched_in !== 'name' && <span class="chip small">{h.matched_in}</span>
            )}
          </div>
          {h.snippet && <div class="hit-snippet"><Snippet text={h.snippet} /></div>}
        </div>
      </li>
    );
  }
}
