// The node page's SQL as it changed since another run: the app's line diff
// of its compiled SQL (its raw SQL where either run has none compiled).
import { useEffect, useState } from 'preact/hooks';
import { api } from '../../api';
import type { ApiError } from '../../api/transport';
import type { SQLDiff as Diff } from '../../api/types';
import { foldUnchanged } from '../../lib/linediff';
import { ErrorBox, Spinner } from '../../components/ui';

export function SqlDiff({ snapshotId, uid, since }: { snapshotId: number; uid: string; since: number }) {
  const [answer, setAnswer] = useState<{ key: string; d?: Diff; err?: ApiError } | null>(null);
  const key = `${snapshotId}\n${uid}\n${since}`;
  useEffect(() => {
    let live = true;
    api.sqlDiff(snapshotId, uid, since).then((d) => live && setAnswer({ key, d }), (err) => live && setAnswer({ key, err }));
    return () => {
      live = false;
    };
  }, [key]);
  if (!answer || answer.key !== key) return <Spinner label={`Reading snapshot #${since}…`} />;
  if (answer.err) return <ErrorBox error={answer.err} />;
  const d = answer.d!;
  return (
    <div data-testid="sql-diff">
      <p class="muted small">
        Its {d.kind} SQL in snapshot #{d.against_id} against this one: {d.added} {d.added === 1 ? 'line' : 'lines'} added, {d.removed} removed
        {d.added + d.removed === 0 ? ` (the same text: ${d.changed?.length ? `what changed is its ${d.changed.join(', ')}` : 'the node did not change'})` : ''}.
      </p>
      <pre class="code diff">
        <div class="diff-body">
          {foldUnchanged(d.lines).map((row, i) =>
            row.op === 'fold' ? (
              <div key={i} class="diff-fold">… {row.count} unchanged {row.count === 1 ? 'line' : 'lines'}</div>
            ) : (
              <div key={i} class={`diff-line diff-${row.op === '+' ? 'add' : row.op === '-' ? 'del' : 'same'}`}>{row.op} {row.text}</div>
            ),
          )}
        </div>
      </pre>
    </div>
  );
}
