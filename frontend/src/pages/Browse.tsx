// Resource list for a package/folder/type with tag and materialization
// filters; virtualised so large projects scroll smoothly.
import { useCallback, useEffect, useLayoutEffect, useMemo, useRef, useState } from 'preact/hooks';
import { api } from '../api';
import type { ResourceSummary } from '../api/types';
import { app } from '../state';
import { href, navigate, route } from '../lib/router';
import { displayName, TYPE_LABELS } from '../lib/format';
import { VirtualList } from '../components/VirtualList';
import { ErrorBox, RunStateChip, Spinner, TestSummaryChips, TypeBadge } from '../components/ui';
import type { ApiError } from '../api/transport';

const MATERIALIZATIONS = ['', 'table', 'view', 'incremental', 'ephemeral', 'materialized_view', 'snapshot', 'seed'];
// A page of rows: the list loads the next as it is scrolled near its end
// (it loaded 20,000 at once and stopped there: of 50,000 models, only the
// dim_ and fct_ ones were reachable; QA).
const PAGE = 2000;

/** The row this history entry had active, so Back to a list lands where the user left it. */
function rememberedRow(rows: ResourceSummary[]): number {
  const uid = (history.state as { activeUid?: string } | null)?.activeUid;
  const at = uid ? rows.findIndex((r) => r.unique_id === uid) : -1;
  return at >= 0 ? at : 0;
}

/** How many rows the list loads first: the pages down to the row this history entry had active. */
function firstLoad(): number {
  const at = (history.state as { activeAt?: number } | null)?.activeAt ?? 0;
  return PAGE * (Math.floor(Math.max(0, at) / PAGE) + 1);
}

/** The types a list shows: the one asked for, else all but macros and docs, as the sidebar counts them. */
function listedTypes(asked: string | undefined): string[] | undefined {
  if (asked) return [asked];
  const types = Object.keys(app.current.value?.counts ?? {}).filter((t) => t !== 'macro' && t !== 'doc');
  return types.length > 0 ? types : undefined;
}

/**
 * The dbt selector of what a list's filters keep (their intersection), for
 * drawing the list in the lineage view; null when it lists everything or
 * what the lineage does not draw (tests, macros, docs), or a folder of an
 * installed package: dbt's path: globs in the root project's folders, so
 * no selector names a package's folder alone.
 */
export function browseSelector(q: Record<string, string | undefined>, rootProject: string): string | null {
  if (q.type && ['test', 'unit_test', 'macro', 'doc'].includes(q.type)) return null;
  if (q.folder && q.pkg && q.pkg !== rootProject) return null;
  const quote = (v: string) => (/[\s,"]/.test(v) ? `"${v.replace(/"/g, '')}"` : v);
  const parts = [
    q.pkg && `package:${quote(q.pkg)}`,
    q.folder && `path:${quote(q.folder)}`,
    q.type && `resource_type:${q.type}`,
    q.tag && `tag:${quote(q.tag)}`,
    q.mat && `config.materialized:${q.mat}`,
  ].filter((p): p is string => !!p);
  return parts.length > 0 ? parts.join(',') : null;
}

export function Browse() {
  const q = route.value.query;
  const snapId = app.snapshotId.value;
  const [rows, setRows] = useState<ResourceSummary[] | null>(null);
  const [err, setErr] = useState<ApiError | null>(null);
  const [active, setActive] = useState(0);
  const [tagDraft, setTagDraft] = useState(q.tag ?? '');
  const pageRef = useRef<HTMLDivElement>(null);
  // A row takes the hover only once the pointer moves: rows drawn under a
  // resting pointer (Back to the list) would take it from the row left.
  const pointerMoved = useRef(false);
  // Keyboard-first: arrows and Enter work on the list as soon as it shows.
  // The list takes the keys when nothing else has them, or when it was
  // opened from the sidebar or the top bar's Browse (whose link kept the
  // focus, so arrows did nothing; QA).
  useEffect(() => {
    const at = document.activeElement;
    if (!at || at === document.body || at.closest('.sidebar, .nav')) pageRef.current?.focus();
  }, [rows]);

  useEffect(() => setTagDraft(q.tag ?? ''), [q.tag]);
  // Kept in this history entry's state (not the address): a filter change
  // replaces the entry and starts at the top again. A layout effect, so it
  // is written before an Enter right after the arrow key navigates away.
  useLayoutEffect(() => {
    const uid = rows?.[active]?.unique_id;
    if (uid) history.replaceState({ ...(history.state ?? {}), activeUid: uid, activeAt: active }, '');
  }, [rows, active]);
  // The list's filters as the API takes them; a new list when they change.
  const filter = useMemo(
    () => ({
      resource_types: listedTypes(q.type),
      package: q.pkg || undefined,
      folder_prefix: q.folder || undefined,
      tag: q.tag || undefined,
      materialized: q.mat || undefined,
    }),
    [snapId, q.type, q.pkg, q.folder, q.tag, q.mat],
  );
  // Whether the last page came full (more may follow), and a page on its way.
  const [more, setMore] = useState(false);
  const loading = useRef<object | null>(null);
  useEffect(() => {
    if (!snapId) return;
    const mine = {};
    loading.current = mine;
    setRows(null);
    setMore(false);
    // Back to a list left far down loads down to its row at once.
    const limit = firstLoad();
    api.resources(snapId, { ...filter, limit }).then(
      (r) => {
        if (loading.current !== mine) return;
        loading.current = null;
        pointerMoved.current = false;
        setRows(r);
        setMore(r.length === limit);
        setErr(null);
        setActive(rememberedRow(r));
      },
      (e) => loading.current === mine && ((loading.current = null), setErr(e)),
    );
    return () => {
      if (loading.current === mine) loading.current = null;
    };
  }, [filter]);
  const loadMore = useCallback(() => {
    if (!snapId || !rows || !more || loading.current) return;
    const mine = {};
    loading.current = mine;
    api.resources(snapId, { ...filter, limit: PAGE, offset: rows.length }).then(
      (r) => {
        if (loading.current !== mine) return;
        loading.current = null;
        setRows((before) => [...(before ?? []), ...r]);
        setMore(r.length === PAGE);
      },
      (e) => loading.current === mine && ((loading.current = null), setMore(false), setErr(e)),
    );
  }, [snapId, filter, rows, more]);

  const set = (k: string, v: string) => navigate(['browse'], { ...q, [k]: v }, true);
  const title = q.folder ? q.folder : q.pkg ? q.pkg : q.type ? (TYPE_LABELS[q.type] ?? q.type) : 'All resources';
  const list = rows ?? [];
  const drawn = browseSelector(q, app.current.value?.project ?? '');

  function onKey(e: KeyboardEvent) {
    if ((e.target as Element).closest('input,select,textarea')) return;
    if (e.key === 'ArrowDown' || e.key === 'j') {
      e.preventDefault();
      setActive((a) => Math.min(list.length - 1, a + 1));
    } else if (e.key === 'ArrowUp' || e.key === 'k') {
      e.preventDefault();
      setActive((a) => Math.max(0, a - 1));
    } else if (e.key === 'Enter' && list[active]) {
      navigate(['node', list[active].unique_id]);
    }
  }

  return (
    <div class="page page-fill" tabIndex={-1} onKeyDown={onKey} ref={pageRef} onMouseMove={() => (pointerMoved.current = true)}>
      <header class="page-head">
        <div>
          <div class="eyebrow">{q.pkg ? `Package ${q.pkg}` : 'Browse'}</div>
          <h1>{title}</h1>
        </div>
        <div class="filters">
          <label class="field inline">
            <span>Type</span>
            <select value={q.type ?? ''} onChange={(e) => set('type', (e.target as HTMLSelectElement).value)}>
              <option value="">any</option>
              {Object.keys(app.current.value?.counts ?? {}).map((t) => <option key={t} value={t}>{TYPE_LABELS[t] ?? t}</option>)}
            </select>
          </label>
          <label class="field inline">
            <span>Tag</span>
            <input
              type="text"
              value={tagDraft}
              placeholder="any"
              size={10}
              onInput={(e) => setTagDraft((e.target as HTMLInputElement).value)}
              onKeyDown={(e) => e.key === 'Enter' && set('tag', tagDraft.trim())}
              onBlur={() => tagDraft.trim() !== (q.tag ?? '') && set('tag', tagDraft.trim())}
            />
          </label>
          <label class="field inline">
            <span>Materialized</span>
            <select value={q.mat ?? ''} onChange={(e) => set('mat', (e.target as HTMLSelectElement).value)}>
              {MATERIALIZATIONS.map((m) => <option key={m} value={m}>{m || 'any'}</option>)}
            </select>
          </label>
        </div>
      </header>
      <div class="row muted small list-meta">
        {rows ? (
          <span title={more ? 'More load as the list is scrolled to its end' : undefined}>
            {rows.length.toLocaleString()}
            {more ? '+' : ''} resources
          </span>
        ) : err ? null : (
          <Spinner label="Loading…" />
        )}
        {(q.tag || q.mat || q.type) && <a href={href(['browse'], { pkg: q.pkg, folder: q.folder })}>clear filters</a>}
        {rows && rows.length > 0 && drawn && (
          <a class="btn btn-small" href={href(['lineage'], { select: drawn })} title={`Draw these in the lineage view: ${drawn}`}>
            Show in lineage
          </a>
        )}
      </div>
      <ErrorBox error={err} />
      {rows && rows.length > 0 && (
        <VirtualList
          class="resource-list"
          label={title}
          count={rows.length}
          rowHeight={44}
          activeIndex={active}
          onNearEnd={more ? loadMore : undefined}
          renderRow={(i) => {
            const r = rows[i];
            return (
              <a class={`res-row ${i === active ? 'active' : ''}`} href={href(['node', r.unique_id])} data-uid={r.unique_id} onMouseEnter={() => pointerMoved.current && setActive(i)}>
                <TypeBadge type={r.resource_type} />
                <span class="res-name">{displayName(r)}</span>
                <span class="res-path muted small">{r.path ?? r.package}</span>
                {r.materialized && <span class="chip small">{r.materialized}</span>}
                <RunStateChip r={r} />
                <TestSummaryChips s={r.test_summary} compact />
              </a>
            );
          }}
        />
      )}
      {rows && rows.length === 0 && <p class="muted">Nothing matches these filters.</p>}
    </div>
  );
}
