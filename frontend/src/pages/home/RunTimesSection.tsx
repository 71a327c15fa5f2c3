// The project page's "Run times": how long the models, seeds and snapshots
// took over the project's last runs that built them (RunTimes): the
// slowest of the latest run and those that got slower, each with a bar per
// run. At once for a project of up to AUTO_TIMED of them, on demand beyond
// (every run's times are read: seconds at 50k models).
import { useEffect, useState } from 'preact/hooks';
import { api, type ApiError, type RunTimeRow, type RunTimesReport } from '../../api';
import { dbtCommand, formatDate, formatSeconds } from '../../lib/format';
import { href } from '../../lib/router';
import { quotedId } from '../lineage/request';
import { ErrorBox, Section, Spinner, StatusChip } from '../../components/ui';

/** The most models, seeds and snapshots timed at once when the page opens. */
export const AUTO_TIMED = 10000;

/** How many models, seeds and snapshots a snapshot's counts hold. */
export function timedCount(counts: Record<string, number> | null | undefined): number {
  return (counts?.model ?? 0) + (counts?.seed ?? 0) + (counts?.snapshot ?? 0);
}

/** The lineage of the rows, drawn with their run times. */
export function runTimesHref(rows: RunTimeRow[]): string {
  return href(['lineage'], { select: rows.map((r) => quotedId(r.unique_id)).join(' '), runtime: '1' });
}

/** A row's times as bars, one per run, scaled to its slowest; a gap where a run did not build it. */
export function Bars({ seconds, runs }: { seconds: (number | null)[]; runs: RunTimesReport['runs'] }) {
  const top = Math.max(...seconds.map((s) => s ?? 0), 1e-9);
  return (
    <span class="run-bars" aria-hidden="true">
      {seconds.map((s, i) => (
        <span key={runs[i]?.id ?? i} class={s === null ? 'run-bar none' : 'run-bar'} style={{ height: `${s === null ? 2 : Math.max(2, Math.round((s / top) * 18))}px` }}
          title={`#${runs[i]?.id} ${dbtCommand(runs[i]?.run_command ?? '')}, ${formatDate(runs[i]?.generated_at)}: ${s === null ? 'not built' : formatSeconds(s)}`} />
      ))}
    </span>
  );
}

function RowsTable({ rows, runs, added, testId }: { rows: RunTimeRow[]; runs: RunTimesReport['runs']; added?: boolean; testId: string }) {
  return (
    <div class="table-wrap">
      <table class="table run-times" data-testid={testId}>
        <colgroup><col /><col class="col-time" /><col class="col-time" />{added && <col class="col-time" />}<col class="col-bars" /><col class="col-status" /></colgroup>
        <thead>
          <tr><th>Resource</th><th class="num">Latest</th><th class="num" title="The median of its earlier runs">Before</th>{added && <th class="num">Added</th>}<th>Runs</th><th>Status</th></tr>
        </thead>
        <tbody>
          {rows.map((r) => (
            <tr key={r.unique_id} data-uid={r.unique_id}>
              <td class="ellipsis"><a href={href(['node', r.unique_id])} title={r.unique_id}>{r.name}</a> <span class="muted small">{r.resource_type}</span></td>
              <td class="num">{formatSeconds(r.latest)}</td>
              <td class="num">{r.earlier > 0 ? formatSeconds(r.before) : '—'}</td>
              {added && <td class="num">+{formatSeconds(r.latest - r.before)}</td>}
              <td><Bars seconds={r.seconds} runs={runs} /></td>
              <td><StatusChip status={r.status} /></td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

export function RunTimesSection({ snapshotId, auto }: { snapshotId: number; auto: boolean }) {
  const [asked, setAsked] = useState(auto);
  const [rep, setRep] = useState<RunTimesReport | null>(null);
  const [err, setErr] = useState<ApiError | null>(null);
  useEffect(() => setAsked(auto), [snapshotId, auto]);
  useEffect(() => {
    if (!asked) return;
    let live = true;
    setRep(null);
    setErr(null);
    api.runTimes(snapshotId).then((r) => live && setRep(r), (e) => live && setErr(e));
    return () => {
      live = false;
    };
  }, [snapshotId, asked]);

  if (!asked) {
    return (
      <Section title="Run times">
        <p class="muted small">
          The slowest models of the latest run and those that got slower, over the project's last 10 runs that built them.{' '}
          <button type="button" class="btn" name="check-run-times" onClick={() => setAsked(true)}>Read the run times</button>
        </p>
      </Section>
    );
  }
  if (err) return <Section title="Run times"><ErrorBox error={err} /></Section>;
  if (!rep) return <Section title="Run times"><Spinner label="Reading the runs…" /></Section>;
  if (rep.runs.length === 0) {
    return (
      <Section title="Run times">
        <p class="muted small" data-testid="run-times-none">No run of {rep.project} up to this snapshot built models, seeds or snapshots: import the target/ folder of a dbt build or run, or sync a dbt Cloud run that builds them.</p>
      </Section>
    );
  }
  const latest = rep.runs[rep.runs.length - 1];
  return (
    <Section title={`Run times (${rep.runs.length} ${rep.runs.length === 1 ? 'run' : 'runs'})`} actions={<a class="btn" href={runTimesHref(rep.slowest)} title="The slowest drawn with their run times and critical path">Lineage of the slowest</a>}>
      <p class="small" data-testid="run-totals">
        Latest: #{latest.id}, {dbtCommand(latest.run_command ?? '')}, {formatDate(latest.generated_at)}; {rep.timed} timed. Their times added up in each run (threads run some at once), oldest first:{' '}
        <Bars seconds={rep.totals} runs={rep.runs} /> {rep.totals.map((t) => formatSeconds(t)).join(', ')}
      </p>
      {rep.runs.length > 1 && (rep.slower.length > 0 ? (
        <>
          <h3 class="subhead">Slower than before <span class="muted small">(1.5 times the median of their earlier runs and a second more)</span></h3>
          <RowsTable rows={rep.slower} runs={rep.runs} added testId="run-times-slower" />
        </>
      ) : <p class="muted small">Nothing got slower: no model took 1.5 times the median of its earlier runs and a second more.</p>)}
      <h3 class="subhead">Slowest in the latest run</h3>
      <RowsTable rows={rep.slowest} runs={rep.runs} testId="run-times-slowest" />
    </Section>
  );
}
