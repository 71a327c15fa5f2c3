// The project page's "Changes since #N": what state: finds new, modified
// (and how) or removed against an earlier snapshot, and the run results
// that changed status, listed on demand (on a
// big project the comparison takes a second, so it is not run on every
// visit).
import { useEffect, useState } from 'preact/hooks';
import { api, type ApiError, type ChangedNode, type ChangesResult } from '../../api';
import { href } from '../../lib/router';
import { ErrorBox, Section, Spinner } from '../../components/ui';

/** How many rows the list shows before "and N more". */
const SHOWN = 200;

const PARTS = ['body', 'configs', 'relation', 'persisted_descriptions', 'macros', 'contract', 'fqn', 'properties'];

/** "2 new, 5 modified (3 body, 2 configs), 1 removed, 4 run results changed status", as the CLI says it. */
export function changesSummary(counts: Record<string, number>, results = 0): string {
  const parts = PARTS.filter((p) => counts[p] > 0).map((p) => `${counts[p]} ${p.replace(/_/g, ' ')}`);
  const out = ['new', 'modified', 'removed']
    .filter((k) => counts[k] > 0)
    .map((k) => `${counts[k]} ${k}${k === 'modified' && parts.length ? ` (${parts.join(', ')})` : ''}`);
  if (!out.length) out.push('no changes');
  if (results > 0) out.push(`${results} run ${results === 1 ? 'result' : 'results'} changed status`);
  return out.join(', ');
}

/** The rows in the CLI's order: modified, new, removed. */
export function changeRows(res: ChangesResult): { kind: string; node: ChangedNode }[] {
  const isNew = (n: ChangedNode) => n.parts?.length === 1 && n.parts[0] === 'new';
  return [
    ...res.changed.filter((n) => !isNew(n)).map((node) => ({ kind: 'modified', node })),
    ...res.changed.filter(isNew).map((node) => ({ kind: 'new', node })),
    ...res.removed.map((node) => ({ kind: 'removed', node })),
  ];
}

export function ChangesSection({ snapshotId, earlierId, title }: { snapshotId: number; earlierId: number; title: string }) {
  const [res, setRes] = useState<ChangesResult | null>(null);
  const [busy, setBusy] = useState(false);
  const [err, setErr] = useState<ApiError | null>(null);
  useEffect(() => {
    setRes(null);
    setErr(null);
  }, [snapshotId, earlierId]);

  function list() {
    setBusy(true);
    setErr(null);
    api.changes(snapshotId, earlierId).then(setRes, setErr).finally(() => setBusy(false));
  }

  const rows = res ? changeRows(res) : [];
  return (
    <Section
      title={title}
      actions={
        <a class="btn btn-small" href={href(['lineage'], { select: 'state:modified+', state: String(earlierId), diff: '1' })} title={`What changed since snapshot #${earlierId}, and what depends on it, drawn as a diff: what was removed since too`}>
          Lineage of the changes
        </a>
      }
    >
      {!res && (
        <button type="button" class="btn" name="list-changes" onClick={list} disabled={busy}>
          {busy ? <Spinner /> : null} List what is new, modified or removed
        </button>
      )}
      <ErrorBox error={err} />
      {res && (
        <div class="stack-s" data-testid="changes">
          {(res.warnings ?? []).length > 0 && <ul class="warnings">{res.warnings!.map((w) => <li key={w}>{w}</li>)}</ul>}
          <p class="changes-summary">{changesSummary(res.counts, res.results.length)}</p>
          {rows.length > 0 && (
            <table class="table" data-testid="node-changes">
              <thead>
                <tr><th>Change</th><th>Node</th><th>What</th></tr>
              </thead>
              <tbody>
                {rows.slice(0, SHOWN).map(({ kind, node }) => (
                  <tr key={kind + node.unique_id}>
                    <td>{kind}</td>
                    <td>{kind === 'removed' ? <span class="muted">{node.unique_id}</span> : <a href={href(['node', node.unique_id])}>{node.unique_id}</a>}</td>
                    <td>{kind === 'modified' ? (node.parts ?? []).map((p) => p.replace(/_/g, ' ')).join(', ') : ''}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          )}
          {rows.length > SHOWN && <p class="muted small">… and {rows.length - SHOWN} more (the CLI lists them all: lineagedesk changes)</p>}
          {res.results.length > 0 && (
            <table class="table" data-testid="status-changes">
              <thead>
                <tr><th>Run result</th><th>Node</th></tr>
              </thead>
              <tbody>
                {res.results.slice(0, SHOWN).map((c) => (
                  <tr key={c.unique_id}>
                    <td><span class={/fail|error/.test(c.after) ? 'error-inline' : ''}>{c.before} → {c.after}</span></td>
                    <td><a href={href(['node', c.unique_id])}>{c.unique_id}</a></td>
                  </tr>
                ))}
              </tbody>
            </table>
          )}
          {res.results.length > SHOWN && <p class="muted small">… and {res.results.length - SHOWN} more run results</p>}
        </div>
      )}
    </Section>
  );
}
