// The node page's run-to-run history: the resource's own runs and each of
// its tests across the project's last snapshots, with a trend per row.
import { useEffect, useState } from 'preact/hooks';
import { api } from '../../api';
import type { ApiError } from '../../api/transport';
import type { HistoryCell, HistoryResult, HistorySnapshot } from '../../api/types';
import { dbtCommand, formatDate, formatSeconds } from '../../lib/format';
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

export function HistorySection({ snapshotId, uniqueId }: { snapshotId: number; uniqueId: string }) {
  const [h, setH] = useState<HistoryResult | null>(null);
  const [err, setErr] = useState<ApiError | null>(null);
  useEffect(() => {
    let live = true;
    setH(null);
    setErr(null);
    api.history(snapshotId, uniqueId).then((res) => live && setH(res), (e) => live && setErr(e));
    return () => {
      live = false;
    };
  }, [snapshotId, uniqueId]);

  if (err) return <Section title="History"><ErrorBox error={err} /></Section>;
  if (!h) return <Section title="History"><Spinner label="Reading the earlier snapshots…" /></Section>;
  const snaps = h.snapshots ?? [];
  if (!h.rows.some((row) => row.results.some((c) => c))) return null; // nothing ever ran: a source, a docs-only project
  if (snaps.length < 2) {
    return (
      <Section title="History">
        {h.later > 0 ? (
          <p class="muted small">No snapshot of {h.project} was generated before this one: its history starts here. {laterText(h.later)} of {h.project} hold what came after; pick one above.</p>
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
              <th />
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
            {h.rows.map((row) => (
              <tr key={row.unique_id} data-uid={row.unique_id}>
                <td class="ellipsis">
                  {row.unique_id === h.unique_id ? <span title={row.unique_id}>{row.test ? 'this test' : 'run'}</span> : <a href={href(['node', row.unique_id])} title={row.unique_id}>{row.name}</a>}
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
    </Section>
  );
}
