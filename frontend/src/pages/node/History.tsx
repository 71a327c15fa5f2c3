// The node page's run-to-run history: the resource's own runs and each of
// its tests across the project's last snapshots, with a trend per row.
import { useEffect, useState } from 'preact/hooks';
import { api } from '../../api';
import type { ApiError } from '../../api/transport';
import type { ColumnChange, HistoryCell, HistoryChange, HistoryResult, HistorySnapshot } from '../../api/types';
import { dbtCommand, formatDate, formatSeconds, hasSQL, typeOfId } from '../../lib/format';
import { href } from '../../lib/router';
import { ErrorBox, Section, Spinner, statusClass } from '../../components/ui';

const TREND_CLASS: Record<string, string> = { flaky: 'warn', 'newly failing': 'bad', fixed: 'ok' };

function command(s: HistorySnapshot): string {
  if (!s.run_command) return 'no run results';
  return dbtCommand(s.run_command);
}

function cellTitle(s: HistorySnapshot, c: HistoryCell | null): string {
  const head = `#${s.id}${s.name ? ` ${s.name}` : ''} · ${formatDate(s.generated_at)} · ${command(s)}`;
  if (!c) return `${head}: not run`;
  const failing = c.failures ? `, ${c.failures} failing rows` : '';
  return `${head}: ${c.status}${failing} in ${formatSeconds(c.execution_time)}${c.message ? ` — ${c.message}` : ''}`;
}

function laterText(n: number): string {
  return n === 1 ? '1 later snapshot' : `${n} later snapshots`;
}

/**
 * The resource's own build time in each snapshot of its history (null
 * where that run did not build it), or null when fewer than two runs did:
 * one bar says nothing of a trend. Tests have none.
 */
export function runTimes(h: HistoryResult): (number | null)[] | null {
  const own = h.rows.find((r) => r.unique_id === h.unique_id && !r.test);
  if (!own) return null;
  const times = own.results.map((c, i) => (c && h.snapshots?.[i]?.builds ? c.execution_time : null));
  return times.filter((t) => t !== null).length >= 2 ? times : null;
}

const PART_LABELS: Record<string, string> = {
  body: 'code', configs: 'config', relation: 'relation', persisted_descriptions: 'persisted descriptions', macros: 'macros',
  contract: 'contract', fqn: 'file moved', properties: 'properties', descriptions: 'descriptions',
};

/** How a column changed, in words: "added (text)", "retyped integer → bigint". */
export function columnChangeText(c: ColumnChange): string {
  switch (c.change) {
    case 'added':
      return c.type ? `added (${c.type})` : 'added';
    case 'removed':
      return c.old_type ? `removed (${c.old_type})` : 'removed';
    case 'retyped':
      return `retyped ${c.old_type} → ${c.type}`;
    default:
      return 'redefined';
  }
}

/** What changed, in a line: "new", "code, config, 2 columns"; "" for no change. */
export function changeText(c: HistoryChange | null | undefined): string {
  if (!c) return '';
  const parts = (c.parts ?? []).map((p) => PART_LABELS[p] ?? p);
  const columns = c.columns ?? [];
  if (columns.length > 0) parts.push(columns.length === 1 ? `column ${columns[0].column} ${columnChangeText(columns[0])}` : `${columns.length} columns`);
  return parts.join(', ');
}

/** The mark a change gets in the history's changes row. */
function changeMark(c: HistoryChange): { mark: string; cls: string } {
  const parts = c.parts ?? [];
  if (parts.includes('new')) return { mark: '+', cls: 'ok' };
  if (parts.includes('removed')) return { mark: '−', cls: 'bad' };
  return { mark: 'Δ', cls: 'warn' };
}

/** A resource's history, asked as the page opens: null until it answers. */
export interface HistoryAnswer { h: HistoryResult | null; err: ApiError | null }

export function useHistory(snapshotId: number, uniqueId: string): HistoryAnswer {
  const [answer, setAnswer] = useState<HistoryAnswer & { key: string }>({ key: '', h: null, err: null });
  const key = `${snapshotId}\n${uniqueId}`;
  useEffect(() => {
    if (!snapshotId) return;
    let live = true;
    api.history(snapshotId, uniqueId).then((h) => live && setAnswer({ key, h, err: null }), (err) => live && setAnswer({ key, h: null, err }));
    return () => {
      live = false;
    };
  }, [key]);
  // An answer about another resource or snapshot is none.
  return answer.key === key ? answer : { h: null, err: null };
}

/** How the resource changed since the snapshot before the one shown (the last of its history), and which that was. */
export function lastChange(h: HistoryResult | null): { change: HistoryChange; since: number } | null {
  const snaps = h?.snapshots ?? [];
  const change = h?.changes?.[snaps.length - 1];
  if (!h || !change || snaps.length < 2 || snaps[snaps.length - 1].id !== h.snapshot_id) return null;
  return { change, since: snaps[snaps.length - 2].id };
}

export function HistorySection({ history: { h, err } }: { history: HistoryAnswer }) {
  if (err) return <Section title="History"><ErrorBox error={err} /></Section>;
  if (!h) return <Section title="History"><Spinner label="Reading the earlier snapshots…" /></Section>;
  const snaps = h.snapshots ?? [];
  const changes = h.changes ?? [];
  const changed = changes.some((c) => c);
  // Nothing ever ran (a source, a docs-only project) and nothing changed.
  if (!changed && !h.rows.some((row) => row.results.some((c) => c))) return null;
  if (snaps.length < 2) {
    return (
      <Section title="History">
        {h.later > 0 ? (
          <p class="muted small">No snapshot of {h.project} was generated before this one: its history starts here. {laterText(h.later)} of {h.project} {h.later === 1 ? 'holds' : 'hold'} what came after; pick {h.later === 1 ? 'it' : 'one'} above.</p>
        ) : (
          <p class="muted small">This is the only snapshot of {h.project}. Sync or import it again after the next run to see how {h.rows[0]?.name ?? 'it'} and its tests fare from run to run.</p>
        )}
      </Section>
    );
  }
  const times = runTimes(h);
  const slowest = Math.max(...(times ?? []).map((t) => t ?? 0), 1e-9);
  return (
    <Section title={`History (${snaps.length} snapshots)`}>
      <div class="table-wrap">
        <table class="table history" data-testid="history">
          <thead>
            <tr>
              <th><span class="sr-only">Node or test</span></th>
              {snaps.map((s) => (
                <th key={s.id} class="history-snap" title={`${formatDate(s.generated_at)} · ${command(s)}${s.name ? ` · ${s.name}` : ''}`}>#{s.id}</th>
              ))}
              <th>Trend</th>
            </tr>
          </thead>
          <tbody>
            {times && (
              <tr class="history-times" data-testid="history-times">
                <td class="muted" title="How long its build took in each run that built it">run time</td>
                {times.map((t, i) => (
                  <td key={snaps[i].id} class="history-cell">
                    {t === null ? <span class="history-mark status-none">–</span> : (
                      <span class="history-bar" style={{ height: `${Math.max(2, Math.round((t / slowest) * 18))}px` }} title={`#${snaps[i].id} ${command(snaps[i])}: ${formatSeconds(t)}`} aria-label={`#${snaps[i].id}: ${formatSeconds(t)}`} />
                    )}
                  </td>
                ))}
                <td />
              </tr>
            )}
            {changed && (
              <tr class="history-changes" data-testid="history-changes">
                <td class="muted" title="How it differs from the snapshot before, as state:modified compares it, and its columns">changes</td>
                {snaps.map((s, i) => {
                  const c = changes[i];
                  if (!c) return <td key={s.id} class="history-cell" />;
                  const { mark, cls } = changeMark(c);
                  const title = `#${s.id}: ${changeText(c)}`;
                  return (
                    <td key={s.id} class="history-cell">
                      <a class={`history-mark status-${cls}`} href={`#history-change-${s.id}`} title={title} aria-label={title}
                        onClick={(e) => {
                          e.preventDefault();
                          document.getElementById(`history-change-${s.id}`)?.scrollIntoView({ block: 'nearest' });
                        }}>{mark}</a>
                    </td>
                  );
                })}
                <td />
              </tr>
            )}
            {h.rows.map((row) => (
              <tr key={row.unique_id} data-uid={row.unique_id}>
                <td class="ellipsis">
                  {row.unique_id === h.unique_id ? <span title={row.unique_id}>{row.test ? 'this test' : row.unique_id.startsWith('source.') ? 'freshness' : 'run'}</span> : <a href={href(['node', row.unique_id])} title={row.unique_id}>{row.name}</a>}
                  {row.column_name && <span class="muted small"> on {row.column_name}</span>}
                </td>
                {row.results.map((c, i) => (
                  <td key={snaps[i].id} class="history-cell">
                    <span class={`history-mark status-${c ? statusClass(c.status) : 'none'}`} title={cellTitle(snaps[i], c)} aria-label={cellTitle(snaps[i], c)}>
                      {c ? c.status.slice(0, 1).toUpperCase() : '–'}
                    </span>
                  </td>
                ))}
                <td>{row.trend && <span class={`chip small status-${TREND_CLASS[row.trend] ?? 'none'}`}>{row.trend}</span>}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      <p class="muted small">
        Oldest first, in the order the runs were generated; – where a snapshot did not run it (docs generate, or left out of the run). Hover a mark for its result.
        {h.later > 0 && ` As of snapshot #${h.snapshot_id}: ${laterText(h.later)} of ${h.project} came after.`}
      </p>
      {changed && <ChangeList h={h} />}
    </Section>
  );
}

/** What changed from snapshot to snapshot, the latest first: the parts state:modified compares, then each column. */
function ChangeList({ h }: { h: HistoryResult }) {
  const snaps = h.snapshots ?? [];
  const entries = (h.changes ?? []).map((c, i) => ({ c, s: snaps[i], before: snaps[i - 1] })).filter((e) => e.c && e.s).reverse();
  // A column's trace downstream: what read it, in the snapshot it was last in (a removed one's, the one before).
  const readers = (column: string, snap: HistorySnapshot | undefined, label: string) =>
    snap && <a class="small history-readers" href={href(['node', h.unique_id], { snap: String(snap.id), column, direction: 'downstream' })}>{label}</a>;
  return (
    <div class="history-change-list" data-testid="history-change-list">
      <h3>What changed</h3>
      <ul>
        {entries.map(({ c, s, before }) => (
          <li key={s.id} id={`history-change-${s.id}`} data-snap={s.id}>
            <span class="muted small">#{s.id} · {formatDate(s.generated_at)} · {command(s)}:</span>{' '}
            {(c!.parts ?? []).length > 0 ? (c!.parts ?? []).map((p) => <span key={p} class={`chip small status-${p === 'removed' ? 'bad' : p === 'new' ? 'ok' : 'warn'}`}>{PART_LABELS[p] ?? p}</span>) : <span class="muted small">its columns only</span>}
            {before && hasSQL(typeOfId(h.unique_id)) && (c!.parts ?? []).some((p) => p === 'body' || p === 'macros') && (
              <a class="small history-sqldiff" href={href(['node', h.unique_id], { snap: String(s.id), sqldiff: String(before.id) })} title={`Its SQL in #${s.id} against #${before.id}, line by line`}>SQL diff</a>
            )}
            {(c!.columns ?? []).length > 0 && (
              <ul class="history-columns">
                {c!.columns!.map((col) => (
                  <li key={`${col.column}.${col.change}`} data-change={col.change}>
                    {col.change === 'removed' ? <code class="muted">{col.column}</code> : <a href={href(['node', h.unique_id], { snap: String(s.id), column: col.column, direction: 'both' })}><code>{col.column}</code></a>}{' '}
                    {columnChangeText(col)}
                    {col.change === 'redefined' && (
                      <span class="redefined"> <code class="muted" title="before">{col.old_definition || '(a constant)'}</code> → <code title="now">{col.definition || '(a constant)'}</code></span>
                    )}
                    {col.change === 'removed' && before && <> · {readers(col.column, before, `what read it in #${before.id}`)}</>}
                    {(col.change === 'retyped' || col.change === 'redefined') && <> · {readers(col.column, s, 'what reads it')}</>}
                  </li>
                ))}
              </ul>
            )}
          </li>
        ))}
      </ul>
    </div>
  );
}
