// The node page's columns: type, description and tests of each, and for a
// model or snapshot what its compiled SQL makes it from (ColumnLineage,
// asked as the page opens; the table shows without it), with a link that
// traces a column up and down the project (?column=).
import { useEffect, useState } from 'preact/hooks';
import { api } from '../../api';
import type { ApiError } from '../../api/transport';
import type { Column, ColumnChange, ColumnSource, HistoryChange, NodeColumns, OutputColumn, ResourceDetail, TestWithResult } from '../../api/types';
import { href, route } from '../../lib/router';
import { Markdown, Section, StatusChip } from '../../components/ui';
import { columnHref, KIND_BADGE, KIND_TITLE, nodeName, type TraceWay } from './columnRefs';

/** A test's outcome; results of docs generate or compile are not outcomes. */
export function testStatus(t: TestWithResult): string | undefined {
  return t.result?.is_test_outcome ? t.result.status : undefined;
}

/** The types whose columns are made from their parents' columns: by their compiled SQL, or by the semantic layer's definitions. */
export const hasColumnLineage = (type: string) => ['model', 'snapshot', 'semantic_model', 'metric', 'saved_query'].includes(type);

/** What makes a type's columns, as the page says it. */
const madeBy = (type: string) => (['semantic_model', 'metric', 'saved_query'].includes(type) ? 'definition' : 'SQL');

/** A column's type: the warehouse's, and the declared one when it differs (or is all there is). */
function ColumnType({ catalog, declared }: { catalog?: string; declared?: string }) {
  const differs = !!declared && !!catalog && declared.toLowerCase() !== catalog.toLowerCase();
  return (
    <>
      <code class="muted" title={catalog ? 'in the warehouse (catalog)' : declared ? 'declared in the project' : undefined}>{catalog || declared || ''}</code>
      {differs && <div class="small muted" title="declared in the project">declared <code>{declared}</code></div>}
    </>
  );
}

/** A column a column is made from or read with: a link to its node's page tracing it upstream, or a relation outside the project as text. */
export function SourceRef({ s, names }: { s: Pick<ColumnSource, 'node' | 'relation' | 'column'>; names?: Map<string, string> }) {
  if (!s.node) {
    return <span class="col-ref outside" title="Outside the project: a relation the SQL reads without ref() or source()"><code>{s.relation}</code>.<wbr />{s.column}</span>;
  }
  return <a class="col-ref" href={columnHref(s.node, s.column, 'upstream')} title={`${s.node}: ${s.column}, traced upstream`}>{nodeName(s.node, names)}.<wbr />{s.column}</a>;
}

function KindBadge({ kind, expression }: { kind: string; expression?: string }) {
  return <span class={`chip small kind kind-${kind}`} title={expression || KIND_TITLE[kind]}>{KIND_BADGE[kind] ?? kind}</span>;
}

/** What a column is made from: each column passed through or renamed with its chip; those it is computed from together, one chip saying how. */
export function MadeFrom({ out, names }: { out: OutputColumn; names?: Map<string, string> }) {
  const sources = out.sources ?? [];
  const computed = sources.filter((s) => s.kind === 'transformed');
  const plain = sources.filter((s) => s.kind !== 'transformed');
  const unresolved = out.unresolved ?? [];
  return (
    <span class="made-from">
      {plain.map((s) => (
        <span key={`${s.node ?? s.relation}.${s.column}`} class="made-from-src">
          <SourceRef s={s} names={names} /> <KindBadge kind={s.kind ?? 'passthrough'} expression={s.kind === 'rename' ? out.expression : undefined} />
        </span>
      ))}
      {(computed.length > 0 || (sources.length === 0 && out.expression)) && (
        <span class="made-from-src">
          {computed.length === 0 ? <span class="muted">no column</span> : computed.map((s, i) => (
            <span key={`${s.node ?? s.relation}.${s.column}`}>{i > 0 && ', '}<SourceRef s={s} names={names} /></span>
          ))}{' '}
          <KindBadge kind="transformed" expression={out.expression} />
        </span>
      )}
      {unresolved.length > 0 && (
        <span class="made-from-src muted" title="It matches no column the SQL can see: a column of a relation whose columns the catalog does not list">
          reads {unresolved.map((u, i) => <span key={u}>{i > 0 && ', '}<code>{u}</code></span>)}, not found
        </span>
      )}
      {sources.length === 0 && !out.expression && unresolved.length === 0 && <span class="muted">—</span>}
    </span>
  );
}

interface Lineage { uid: string; nc?: NodeColumns; err?: ApiError }

/** What is under the table: the columns read to join and filter, why lineage is missing, or that it is on its way. */
function LineageNotes({ lineage, names }: { lineage: Lineage | null; names?: Map<string, string> }) {
  if (!lineage) return <p class="muted small" data-testid="column-lineage-pending">Reading the compiled SQL for what each column is made from…</p>;
  if (lineage.err) return <p class="muted small" data-testid="column-lineage-error">No column lineage: {lineage.err.message}</p>;
  const reads = lineage.nc?.reads ?? [];
  return (
    <>
      {reads.length > 0 && (
        <p class="small column-reads" data-testid="column-reads" title="Columns the SQL reads outside its select list: they decide which rows every column holds">
          <span class="muted">Joined or filtered on:</span>{' '}
          {reads.map((s, i) => <span key={`${s.node ?? s.relation}.${s.column}`}>{i > 0 && ', '}<SourceRef s={s} names={names} /></span>)}
        </p>
      )}
      {lineage.nc?.problem && <p class="muted small" data-testid="column-problem">Column lineage: {lineage.nc.problem}</p>}
    </>
  );
}

interface Row { name: string; col?: Column; out?: OutputColumn }

/** The table's rows: the catalog's and the YAML's columns in warehouse order, then those only the SQL makes. */
export function columnRows(columns: Column[], nc: NodeColumns | undefined): Row[] {
  const made = new Map((nc?.columns ?? []).map((o) => [o.name.toLowerCase(), o]));
  const rows: Row[] = [...columns].sort((a, b) => (a.index || 1e9) - (b.index || 1e9)).map((c) => ({ name: c.name, col: c, out: made.get(c.name.toLowerCase()) }));
  const listed = new Set(columns.map((c) => c.name.toLowerCase()));
  for (const o of nc?.columns ?? []) if (!listed.has(o.name.toLowerCase())) rows.push({ name: o.name, out: o });
  return rows;
}

/** The chip a column changed since the snapshot before gets, with what its title says. */
export function changeChip(c: ColumnChange, since: number): { label: string; cls: string; title: string } | null {
  switch (c.change) {
    case 'added':
      return { label: `new since #${since}`, cls: 'ok', title: `Not in the warehouse in snapshot #${since}` };
    case 'retyped':
      return { label: `retyped since #${since}`, cls: 'warn', title: `${c.old_type} in snapshot #${since}, ${c.type} now` };
    case 'redefined':
      return { label: `redefined since #${since}`, cls: 'warn', title: `Made as ${c.old_definition || '(a constant)'} in snapshot #${since}, as ${c.definition || '(a constant)'} now` };
  }
  return null;
}

/** Past this many columns the table has a filter. */
const FILTER_FROM = 12;

/** The rows whose name or description holds every word of the filter (any case); the traced column stays. */
export function filterColumnRows(rows: Row[], filter: string, traced?: string): Row[] {
  const words = filter.toLowerCase().split(/\s+/).filter(Boolean);
  if (words.length === 0) return rows;
  const keep = traced?.toLowerCase();
  return rows.filter(({ name, col }) => {
    if (name.toLowerCase() === keep) return true;
    const text = `${name}\n${col?.description ?? ''}\n${col?.comment ?? ''}`.toLowerCase();
    return words.every((w) => text.includes(w));
  });
}

export function ColumnsSection({ r, snapshotId, traced, way, names, changed }: {
  r: ResourceDetail; snapshotId: number; traced?: string; way: TraceWay; names?: Map<string, string>;
  /** How the resource changed since the snapshot before (its history's last step): its columns are marked with it. */
  changed?: { change: HistoryChange; since: number } | null;
}) {
  const lineageWanted = hasColumnLineage(r.resource_type);
  const [answer, setAnswer] = useState<Lineage | null>(null);
  useEffect(() => {
    setAnswer(null);
    if (!lineageWanted) return;
    let live = true;
    api.columnLineage(snapshotId, r.unique_id).then(
      (nc) => live && setAnswer({ uid: r.unique_id, nc }),
      (err) => live && setAnswer({ uid: r.unique_id, err }),
    );
    return () => {
      live = false;
    };
  }, [snapshotId, r.unique_id, lineageWanted]);
  const lineage = answer?.uid === r.unique_id ? answer : null;

  const byColumn = new Map<string, TestWithResult[]>();
  for (const t of r.tests ?? []) {
    if (!t.column_name) continue;
    const k = t.column_name.toLowerCase();
    byColumn.set(k, [...(byColumn.get(k) ?? []), t]);
  }
  const rows = columnRows(r.columns ?? [], lineage?.nc);
  const [filter, setFilter] = useState('');
  useEffect(() => setFilter(''), [r.unique_id]);
  const shown = filterColumnRows(rows, filter, traced);
  const columnChanges = new Map<string, ColumnChange[]>();
  for (const c of changed?.change.columns ?? []) {
    const k = c.column.toLowerCase();
    columnChanges.set(k, [...(columnChanges.get(k) ?? []), c]);
  }
  const removed = (changed?.change.columns ?? []).filter((c) => c.change === 'removed');
  const tracedKey = traced?.toLowerCase();
  // A column traced on this page keeps what else the address says (?impact=).
  const traceHref = (column: string) => href(['node', r.unique_id], { ...route.value.query, column, direction: way });

  return (
    <Section
      title={filter.trim() ? `Columns (${shown.length} of ${rows.length})` : `Columns (${rows.length})`}
      actions={rows.length > FILTER_FROM ? (
        <input name="column-filter" type="search" class="column-filter" spellcheck={false} placeholder="Filter columns" aria-label="Filter columns by name or description"
          value={filter} onInput={(e) => setFilter((e.target as HTMLInputElement).value)} />
      ) : undefined}
    >
      {rows.length === 0 ? (lineage || !lineageWanted ? <p class="muted">{lineageWanted ? 'No columns documented, in the catalog or named by its SQL.' : 'No columns documented or in the catalog.'}</p> : null) : (
        <div class="table-wrap">
          <table class={`table columns${lineageWanted ? ' with-lineage' : ''}`}>
            <colgroup><col class="col-name" /><col class="col-type" /><col />{lineageWanted && <col class="col-made" />}<col class="col-tests" /></colgroup>
            <thead>
              <tr>
                <th>Name</th>
                <th title="The warehouse's type (catalog); the type the project declares, under it when it differs">Type</th>
                <th>Description</th>
                {lineageWanted && <th title="What the compiled SQL makes the column from: a column passed through, renamed, or computed from columns">Made from</th>}
                <th>Tests</th>
              </tr>
            </thead>
            <tbody>
              {shown.map(({ name, col: c, out }) => (
                <tr key={name} data-column={name} class={tracedKey === name.toLowerCase() ? 'current' : undefined}>
                  <td>
                    <code>{name}</code>{' '}
                    <a class="col-trace small" href={traceHref(name)} aria-label={`trace ${name}`} title={`Column lineage of ${name}: what it is made from and what is made from it, through the project's SQL`}>trace</a>
                    {c && !c.in_catalog && c.in_manifest && r.catalog ? <span class="chip small status-warn" title="Documented but not in the warehouse catalog">not in catalog</span> : null}
                    {c && c.in_catalog && !c.in_manifest ? <span class="chip small" title="In the warehouse but not documented">undocumented</span> : null}
                    {!c && <span class="chip small" title={`Its ${madeBy(r.resource_type)} makes it; neither the catalog nor the YAML lists it`}>only in {madeBy(r.resource_type)}</span>}
                    {(columnChanges.get(name.toLowerCase()) ?? []).map((ch) => {
                      const chip = changed && changeChip(ch, changed.since);
                      return chip && <span key={ch.change} class={`chip small status-${chip.cls}`} data-change={ch.change} title={chip.title}>{chip.label}</span>;
                    })}
                  </td>
                  <td>{c && <ColumnType catalog={c.catalog_type} declared={c.declared_type} />}</td>
                  <td>{c?.description ? <Markdown src={c.description} class="inline" /> : c?.comment ? <span class="muted">{c.comment}</span> : null}</td>
                  {lineageWanted && (
                    <td class="made-from-cell">
                      {out ? <MadeFrom out={out} names={names} /> : lineage?.nc ? <span class="muted" title="The compiled SQL does not name this column">—</span> : null}
                    </td>
                  )}
                  <td>
                    <span class="chips">
                      {(byColumn.get(name.toLowerCase()) ?? []).map((t) => (
                        <a key={t.unique_id} href={href(['node', t.unique_id])} title={t.name}>
                          <StatusChip status={testStatus(t)} label={t.test_name ?? t.name} />
                        </a>
                      ))}
                    </span>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      {removed.length > 0 && (
        <p class="small" data-testid="columns-removed">
          <span class="muted">Gone from the warehouse since #{changed!.since}:</span>{' '}
          {removed.map((c, i) => <span key={c.column}>{i > 0 && ', '}<code>{c.column}</code>{c.old_type ? <span class="muted"> ({c.old_type})</span> : null}</span>)}
        </p>
      )}
      {lineageWanted && <LineageNotes lineage={lineage} names={names} />}
    </Section>
  );
}
