// The node page's SQL as it changed since the run before: a line diff of
// its compiled SQL (its raw SQL where either run has none compiled).
import { useEffect, useState } from 'preact/hooks';
import { api } from '../../api';
import type { ApiError } from '../../api/transport';
import type { ResourceDetail } from '../../api/types';
import { foldUnchanged, lineDiff } from '../../lib/linediff';
import { ErrorBox, Spinner } from '../../components/ui';

/** Which SQL two versions of a node are compared by, and the two texts. */
export function comparedSql(before: Pick<ResourceDetail, 'raw_code' | 'compiled_code'>, now: Pick<ResourceDetail, 'raw_code' | 'compiled_code'>): { kind: 'compiled' | 'raw'; before: string; now: string } {
  if (before.compiled_code && now.compiled_code) return { kind: 'compiled', before: before.compiled_code, now: now.compiled_code };
  return { kind: 'raw', before: before.raw_code ?? '', now: now.raw_code ?? '' };
}

export function SqlDiff({ uid, since, now }: { uid: string; since: number; now: Pick<ResourceDetail, 'raw_code' | 'compiled_code'> }) {
  const [before, setBefore] = useState<{ key: string; r?: ResourceDetail; err?: ApiError } | null>(null);
  const key = `${since}\n${uid}`;
  useEffect(() => {
    let live = true;
    api.resource(since, uid).then((r) => live && setBefore({ key, r }), (err) => live && setBefore({ key, err }));
    return () => {
      live = false;
    };
  }, [key]);
  if (!before || before.key !== key) return <Spinner label={`Reading snapshot #${since}…`} />;
  if (before.err) return <ErrorBox error={before.err} />;
  const sql = comparedSql(before.r!, now);
  const lines = lineDiff(sql.before.trimEnd(), sql.now.trimEnd());
  const added = lines.filter((l) => l.op === '+').length;
  const removed = lines.filter((l) => l.op === '-').length;
  return (
    <div data-testid="sql-diff">
      <p class="muted small">
        Its {sql.kind} SQL in snapshot #{since} against this one: {added} {added === 1 ? 'line' : 'lines'} added, {removed} removed
        {added + removed === 0 ? ' (the same text: what changed is elsewhere: its file (white space at its end, its checksum), a macro it calls, its config)' : ''}.
      </p>
      <pre class="code diff">
        <div class="diff-body">
        {foldUnchanged(lines).map((row, i) =>
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
