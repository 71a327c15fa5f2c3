// Everything about one resource: identity, docs, columns with their tests and
// what each is made from (a column traced with ?column=), test results, SQL,
// neighbours, freshness and run timing.
import { useEffect, useMemo, useRef, useState } from 'preact/hooks';
import { api } from '../api';
import type { Health, ResourceDetail } from '../api/types';
import type { ApiError } from '../api/transport';
import { app } from '../state';
import { href, inRun, navigate, route } from '../lib/router';
import { useRich } from '../lib/rich';
import { exactSelectorFor } from '../lib/selector';
import { focusSelector } from '../lib/prefs';
import { dbtCommand, formatAge, formatDate, formatSeconds, jsonText } from '../lib/format';
import { CopyButton, ErrorBox, HealthLine, Markdown, Section, Spinner, StatusChip, TestSummaryChips, TypeBadge } from '../components/ui';
import { HistorySection, lastChange, useHistory } from './node/History';
import { ImpactLines } from '../components/Impact';
import { ImpactListSection } from './node/ImpactList';
import { ColumnsSection, testStatus } from './node/Columns';
import { ColumnTraceSection } from './node/ColumnTrace';
import { SqlDiff } from './node/SqlDiff';
import { AcrossProjects, isCrossProjectRef } from './node/AcrossProjects';
import { namesOf, traceDepth, traceWay } from './node/columnRefs';
import { NeighbourList } from './node/NeighbourList';

/**
 * The selector a node page's Lineage opens: the node within the default
 * hops; an exposure with everything that feeds it, as dbt Docs opens one
 * (it has nothing downstream, and what feeds a dashboard is the question).
 */
export function lineageOf(r: { resource_type: string }, sel: string): string {
  return r.resource_type === 'exposure' ? `+${sel}` : focusSelector(sel);
}

/** Drops the blank lines Jinja leaves at the start and end, keeping indentation. */
function trimBlankLines(code: string | undefined): string | undefined {
  return code?.replace(/^(\s*\n)+/, '').replace(/\s+$/, '');
}

interface FreshnessCriteria {
  warn_after?: { count?: number | null; period?: string | null } | null;
  error_after?: { count?: number | null; period?: string | null } | null;
  filter?: string | null;
}

/** "warn after 12 hours · error after 1 day", or null when nothing is configured. */
function freshnessCriteria(v: unknown): string | null {
  if (!v || typeof v !== 'object') return null;
  const c = v as FreshnessCriteria;
  const part = (label: string, w: FreshnessCriteria["warn_after"]) => (w && w.count && w.period ? `${label} after ${w.count} ${w.period}${w.count === 1 ? '' : 's'}` : null);
  const parts = [part('warn', c.warn_after), part('error', c.error_after), c.filter ? `filter: ${c.filter}` : null].filter(Boolean);
  return parts.length ? parts.join(' · ') : null;
}

/**
 * The SQL tabs; with changed, a tab diffing it against snapshot #since
 * (its code or a macro changed since), open at once when the address asks
 * for it (?sqldiff=).
 */
function SqlTabs({ raw, compiled, changed, openDiff }: { raw?: string; compiled?: string; changed?: SqlChange | null; openDiff?: boolean }) {
  const [tab, setTab] = useState<'compiled' | 'raw' | 'diff'>(openDiff && changed ? 'diff' : compiled ? 'compiled' : 'raw');
  const ref = useRef<HTMLDivElement>(null);
  useEffect(() => {
    if (!(openDiff && changed)) return;
    setTab('diff');
    const el = ref.current;
    if (!el) return;
    const land = () => el.scrollIntoView?.({ block: 'start' });
    land();
    // The sections above fill in after it (columns, tests) and pushed it
    // out of sight (QA): land again as they grow, until the reader scrolls
    // or three seconds pass.
    if (typeof ResizeObserver === 'undefined') return;
    let done = false;
    const stop = () => { done = true; };
    const grows = new ResizeObserver(() => { if (!done) land(); });
    grows.observe(el.closest('.page') ?? document.body);
    window.addEventListener('wheel', stop, { passive: true });
    window.addEventListener('keydown', stop);
    window.addEventListener('pointerdown', stop);
    const timer = setTimeout(stop, 3000);
    return () => {
      grows.disconnect();
      clearTimeout(timer);
      window.removeEventListener('wheel', stop);
      window.removeEventListener('keydown', stop);
      window.removeEventListener('pointerdown', stop);
    };
  }, [openDiff, changed?.since, changed?.uid]);
  const code = tab === 'diff' ? '' : trimBlankLines(tab === 'compiled' ? compiled : raw);
  const rich = useRich();
  const html = useMemo(() => (code && rich ? rich.highlightSql(code) : ''), [code, rich]);
  if (!raw && !compiled) return <p class="muted">No SQL in this snapshot.</p>;
  return (
    <div class="sql" ref={ref}>
      {/* Toggle buttons, pressed or not: a tablist may hold tabs alone, and the Copy button sits here (QA). */}
      <div class="tabs" role="group" aria-label="SQL shown">
        {(['compiled', 'raw'] as const).map((t) => (
          <button key={t} type="button" aria-pressed={tab === t} class={`tab ${tab === t ? 'on' : ''}`} disabled={t === 'compiled' ? !compiled : !raw} onClick={() => setTab(t)}>
            {t === 'compiled' ? 'Compiled SQL' : 'Raw SQL'}
          </button>
        ))}
        {changed && (
          <button type="button" aria-pressed={tab === 'diff'} class={`tab ${tab === 'diff' ? 'on' : ''}`} onClick={() => setTab('diff')}>
            Changes since #{changed.since}
          </button>
        )}
        <span class="grow" />
        {code && <CopyButton text={code} label="Copy SQL" title="Copy this SQL" />}
      </div>
      {/* highlightSql escapes (highlight.js) and sanitises (DOMPurify, spans only). */}
      {tab === 'diff' && changed ? (
        <SqlDiff snapshotId={changed.snapshotId} uid={changed.uid} since={changed.since} />
      ) : rich ? (
        <pre class="code" tabIndex={0} aria-label={tab === 'compiled' ? 'Compiled SQL' : 'Raw SQL'}><code class="hljs language-sql" dangerouslySetInnerHTML={{ __html: html }} /></pre>
      ) : (
        <pre class="code" tabIndex={0} aria-label={tab === 'compiled' ? 'Compiled SQL' : 'Raw SQL'}><code class="hljs language-sql">{code}</code></pre>
      )}
    </div>
  );
}

/** The other projects' runs a node not found here is in, as the error names them: links to open it there. */
export function heldElsewhere(message: string): { project: string; uniqueId: string; snapshotId: number }[] {
  return [...message.matchAll(/project (\S+) holds (\S+) in snapshot #(\d+)/g)].map((m) => ({ project: m[1], uniqueId: m[2], snapshotId: Number(m[3]) }));
}

function HeldElsewhere({ error }: { error: Error }) {
  if ((error as ApiError).code !== 'not_found') return null;
  const held = heldElsewhere(error.message);
  if (held.length === 0) return null;
  return (
    <ul class="held-elsewhere" data-testid="held-elsewhere">
      {held.map((h) => (
        <li key={h.snapshotId}><a href={href(['node', h.uniqueId], inRun(h.snapshotId))}>Open {h.uniqueId} in {h.project}, snapshot #{h.snapshotId}</a></li>
      ))}
    </ul>
  );
}

/** Whether dbt runs, builds or checks resources of this type (a run result may exist). */
function runsInDbt(type: string): boolean {
  return !['macro', 'doc', 'exposure', 'metric', 'semantic_model', 'saved_query', 'group'].includes(type);
}

function KeyValues({ value }: { value: unknown }) {
  if (!value || typeof value !== 'object' || Object.keys(value as object).length === 0) return <span class="muted">—</span>;
  return (
    <dl class="kv">
      {Object.entries(value as Record<string, unknown>).map(([k, v]) => (
        <div key={k}><dt>{k}</dt><dd>{jsonText(v)}</dd></div>
      ))}
    </dl>
  );
}

function owner(r: ResourceDetail): string | null {
  const meta = r.meta as Record<string, unknown> | undefined;
  const m = meta?.owner ?? meta?.owners;
  if (m) return jsonText(m);
  if (r.exposure?.owner_name || r.exposure?.owner_email) return [r.exposure.owner_name, r.exposure.owner_email].filter(Boolean).join(' · ');
  if (r.catalog?.owner) return r.catalog.owner;
  return null;
}

/** A node's SQL to diff: in snapshotId against snapshot #since. */
interface SqlChange { snapshotId: number; uid: string; since: number }

/** Where a node's code or a macro it calls changed since the run before, which run that was. */
function sqlChanged(snapshotId: number, uid: string, last: ReturnType<typeof lastChange>): SqlChange | null {
  const parts = last?.change.parts ?? [];
  return last && (parts.includes('body') || parts.includes('macros')) ? { snapshotId, uid, since: last.since } : null;
}

/** Macros, doc blocks and groups are not nodes of the lineage graph. */
function inLineage(r: ResourceDetail): boolean {
  return r.resource_type !== 'macro' && r.resource_type !== 'doc' && r.resource_type !== 'group';
}

export function NodePage({ id }: { id: string }) {
  const snapId = app.snapshotId.value;
  // The resource with the page (snapshot and id) it was loaded for: on the
  // render that follows a link, the one before is not this page's (its
  // sections would ask about it with the new address's ?column=).
  const [loaded, setLoaded] = useState<{ key: string; r: ResourceDetail } | null>(null);
  const r = loaded?.key === `${snapId}|${id}` ? loaded.r : null;
  const [err, setErr] = useState<ApiError | null>(null);
  const [health, setHealth] = useState<Health | null>(null);
  // Asked beside the resource: the history section and the columns' marks of what changed read it.
  const history = useHistory(snapId, id);

  useEffect(() => {
    if (!snapId) return;
    let live = true;
    setLoaded(null);
    setErr(null);
    app.select(id);
    api.resource(snapId, id).then(
      (d) => live && setLoaded({ key: `${snapId}|${id}`, r: d }),
      (e) => live && setErr(e),
    );
    // Health reads the project's runs and the lineage upstream: it comes
    // after the page, which does not wait for it (nor fails with it).
    setHealth(null);
    api.health(snapId, id).then(
      (h) => live && setHealth(h.judged ? h.health : null),
      () => {},
    );
    return () => {
      live = false;
    };
  }, [snapId, id]);

  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if (!r || e.ctrlKey || e.metaKey || e.altKey || (e.target as Element).closest?.('input,textarea,select')) return;
      if (e.key === 'l' && inLineage(r)) navigate(['lineage'], { select: lineageOf(r, exactSelectorFor(r, [...(r.parents ?? []), ...(r.children ?? [])])), focus: r.unique_id });
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [r]);

  if (err) return <div class="page"><ErrorBox error={err} /><HeldElsewhere error={err} /></div>;
  if (!r) return <div class="page"><Spinner label="Loading…" /></div>;

  const sel = exactSelectorFor(r, [...(r.parents ?? []), ...(r.children ?? [])]);
  const tests = r.tests ?? [];
  // A test has no columns of its own and no tests attached: those sections would only say so.
  const isTest = r.resource_type === 'test' || r.resource_type === 'unit_test';
  // A macro or a doc block: code of the project, no node of the DAG (only
  // models, seeds, snapshots and sources have data tests).
  const isProjectCode = r.resource_type === 'macro' || r.resource_type === 'doc';
  const timing = r.run_result?.timing ?? [];
  const own = owner(r);
  const impactAsked = route.value.query.impact === 'downstream' || route.value.query.impact === 'upstream' ? route.value.query.impact : undefined;
  // ?column= traces one of its columns (?direction= upstream, downstream, else both).
  const traced = route.value.query.column || undefined;
  // ?sqldiff=N diffs its SQL against snapshot #N (the project page's changes link there).
  const diffAgainst = Number(route.value.query.sqldiff) || 0;
  const way = traceWay(route.value.query.direction);
  const names = namesOf(r.parents, r.children);

  return (
    <div class="page node-page" data-uid={r.unique_id}>
      <header class="page-head">
        <div class="min0">
          <div class="eyebrow"><TypeBadge type={r.resource_type} /> {r.resource_type.replace('_', ' ')} · {r.package}{r.source ? ` · source ${r.source.source_name}` : ''}</div>
          <h1 class="node-title">{r.name}{r.version ? <span class="muted"> v{r.version}</span> : null}</h1>
          {r.relation_name && (
            <div class="relation">
              <code>{r.relation_name}</code>
              <CopyButton text={r.relation_name} title="Copy the relation name" />
            </div>
          )}
          <div class="facts">
            {!r.enabled && <span class="chip status-warn" title="dbt leaves a disabled node out: it is not built, tested or drawn in the lineage">disabled</span>}
            {r.materialized && !isCrossProjectRef(r) && <span class="chip">{r.materialized}</span>}
            {r.access && <span class="chip">access: {r.access}</span>}
            {r.group && <span class="chip">group: {r.group}</span>}
            {r.contract_enforced && <span class="chip">contract enforced</span>}
            {r.language && r.language !== 'sql' && <span class="chip">{r.language}</span>}
            {(r.tags ?? []).map((t) => <a key={t} class="chip tag" href={href(['browse'], { tag: t })}>#{t}</a>)}
            {own && <span class="chip">owner: {own}</span>}
            {r.path && <span class="muted small">{r.path}</span>}
          </div>
          <HealthLine health={health} reasons={8} />
        </div>
        <div class="row wrap-end">
          {inLineage(r) && (
            <>
              <a class="btn btn-primary" href={href(['lineage'], { select: lineageOf(r, sel), focus: r.unique_id })} title="Lineage (l)">Lineage <kbd>l</kbd></a>
              <CopyButton text={sel} label="Copy selector" title={`Copy the dbt selector ${sel}`} />
            </>
          )}
        </div>
      </header>

      {/* A column traced spans the page: its picture reads left to right. */}
      {inLineage(r) && !isTest && traced && <ColumnTraceSection snapshotId={snapId} uniqueId={r.unique_id} column={traced} way={way} depth={traceDepth(route.value.query.depth)} />}

      <div class="node-grid">
        <div class="node-main">
          <AcrossProjects r={r} snapshotId={snapId} />
          <Section title="Description">
            {r.description ? <Markdown src={r.description} /> : <p class="muted">No description.</p>}
            {r.source?.source_description && <Markdown src={r.source.source_description} class="muted" />}
          </Section>

          {r.test && (
            <Section title="Test">
              <dl class="kv">
                <div><dt>test</dt><dd>{r.test.test_name ?? r.name} ({r.test.test_type})</dd></div>
                {r.test.column_name && <div><dt>column</dt><dd>{r.test.column_name}</dd></div>}
                {r.test.severity && <div><dt>severity</dt><dd>{r.test.severity}</dd></div>}
                <div><dt>tests</dt><dd><a href={href(['node', r.test.attached_node])}>{r.test.attached_node}</a></dd></div>
                {r.test.kwargs ? <div><dt>arguments</dt><dd><code>{jsonText(r.test.kwargs)}</code></dd></div> : null}
              </dl>
              {r.run_result && (r.run_result.is_test_outcome ? <p class="run-message"><StatusChip status={r.run_result.status} /> {r.run_result.message}</p> : <p class="muted small">Not executed in this snapshot's run ({app.current.value?.run_command ? dbtCommand(app.current.value.run_command) : 'no test command'}).</p>)}
            </Section>
          )}

          {r.exposure && (
            <Section title="Exposure">
              <dl class="kv">
                {r.exposure.type && <div><dt>type</dt><dd>{r.exposure.type}</dd></div>}
                {r.exposure.maturity && <div><dt>maturity</dt><dd>{r.exposure.maturity}</dd></div>}
                {r.exposure.url && <div><dt>url</dt><dd>{r.exposure.url}</dd></div>}
              </dl>
            </Section>
          )}

          <HistorySection history={history} />

          {inLineage(r) && !isTest && r.resource_type !== 'exposure' && <ColumnsSection r={r} snapshotId={snapId} traced={traced} way={way} names={names} changed={lastChange(history.h)} />}
          {inLineage(r) && !isTest && <ImpactListSection snapshotId={snapId} uniqueId={r.unique_id} opened={impactAsked} />}
          {r.resource_type !== 'source' && r.resource_type !== 'exposure' && (!isTest || r.raw_code || r.compiled_code) && (
            <Section title="SQL">
              <SqlTabs raw={r.raw_code} compiled={r.compiled_code} changed={diffAgainst ? { snapshotId: snapId, uid: r.unique_id, since: diffAgainst } : sqlChanged(snapId, r.unique_id, lastChange(history.h))} openDiff={diffAgainst > 0} />
            </Section>
          )}
        </div>

        <aside class="node-side">
          {!isTest && (tests.length > 0 || ['model', 'seed', 'snapshot', 'source'].includes(r.resource_type)) && (
          <Section title={`Tests (${tests.length})`} actions={<TestSummaryChips s={r.test_summary} attached={tests.length} />}>
            {tests.length === 0 ? <p class="muted">No tests attached.</p> : (
              <ul class="tests">
                {tests.map((t) => (
                  <li key={t.unique_id} data-uid={t.unique_id}>
                    <StatusChip status={testStatus(t)} />
                    <a href={href(['node', t.unique_id])} title={t.name}>{t.test_name ?? t.name}</a>
                    {t.column_name && <span class="muted small">on {t.column_name}</span>}
                    {t.severity === 'WARN' && <span class="chip small">warn only</span>}
                    {t.result?.failures ? <span class="muted small">{t.result.failures} failing rows</span> : null}
                  </li>
                ))}
              </ul>
            )}
          </Section>
          )}

          {(!isProjectCode || (r.parents ?? []).length > 0) && (
            <Section title={`Upstream (${(r.parents ?? []).length})`}>
              <NeighbourList key={r.unique_id} items={r.parents} empty="Nothing upstream." />
            </Section>
          )}
          {(!isProjectCode || (r.children ?? []).length > 0) && (
            <Section title={`Downstream (${(r.children ?? []).length})`}>
              <NeighbourList key={r.unique_id} items={r.children} empty="Nothing downstream." />
            </Section>
          )}
          {inLineage(r) && !isTest && (
            <Section title="Impact, all the way">
              <ImpactLines snapshotId={snapId} uid={r.unique_id} links showAll={(side) => navigate(['lineage'], { select: side === 'down' ? `${sel}+` : `+${sel}`, focus: r.unique_id })} />
            </Section>
          )}

          {(r.freshness || r.source?.freshness) && (
            <Section title="Source freshness">
              {r.freshness ? (
                <dl class="kv">
                  <div><dt>status</dt><dd><StatusChip status={r.freshness.status} /></dd></div>
                  <div><dt>max loaded at</dt><dd>{formatDate(r.freshness.max_loaded_at)}</dd></div>
                  <div><dt>age</dt><dd>{formatAge(r.freshness.age_seconds)}</dd></div>
                  <div><dt>checked</dt><dd>{formatDate(r.freshness.snapshotted_at)}</dd></div>
                  {r.freshness.error && <div><dt>error</dt><dd>{r.freshness.error}</dd></div>}
                </dl>
              ) : <p class="muted">No freshness results in this snapshot.</p>}
              <div class="muted small">{freshnessCriteria(r.freshness?.criteria ?? r.source?.freshness) ?? 'No freshness criteria configured.'}</div>
              {r.source?.loaded_at_field && <div class="muted small">loaded_at_field: <code>{r.source.loaded_at_field}</code></div>}
            </Section>
          )}

          {(r.run_result || runsInDbt(r.resource_type)) && (
          <Section title="Last run">
            {r.run_result ? (
              <dl class="kv">
                <div><dt>status</dt><dd><StatusChip status={r.run_result.status} />{app.current.value?.run_command ? <span class="muted small"> from {dbtCommand(app.current.value.run_command)}</span> : null}</dd></div>
                <div><dt>execution time</dt><dd>{formatSeconds(r.run_result.execution_time)}</dd></div>
                {timing.map((t) => (
                  <div key={t.name}><dt>{t.name}</dt><dd>{formatDate(t.started_at)} → {formatDate(t.completed_at)}</dd></div>
                ))}
                {r.run_result.message && <div><dt>message</dt><dd class="run-message">{r.run_result.message}</dd></div>}
              </dl>
            ) : <p class="muted">No run result in this snapshot.</p>}
          </Section>
          )}

          <Section title="Meta">
            <KeyValues value={r.meta} />
          </Section>
          {r.catalog && (
            <Section title="Warehouse">
              <dl class="kv">
                <div><dt>type</dt><dd>{r.catalog.type}</dd></div>
                {r.catalog.owner && <div><dt>owner</dt><dd>{r.catalog.owner}</dd></div>}
                {r.catalog.comment && <div><dt>comment</dt><dd>{r.catalog.comment}</dd></div>}
              </dl>
            </Section>
          )}
        </aside>
      </div>
    </div>
  );
}
