// The project page's "Changes since #N": what state: finds new, modified
// (and how) or removed against an earlier snapshot, and the run results
// that changed status, listed on demand (on a
// big project the comparison takes a second, so it is not run on every
// visit).
import { useEffect, useState } from 'preact/hooks';
import { api, type ApiError, type ChangedNode, type ChangesResult, type ColumnChange } from '../../api';
import { columnHref } from '../node/columnRefs';
import { href } from '../../lib/router';
import { hasSQL } from '../../lib/format';
import { ErrorBox, Section, Spinner } from '../../components/ui';

/** How many rows the list shows before "and N more". */
const SHOWN = 200;

const PARTS = ['body', 'configs', 'relation', 'persisted_descriptions', 'macros', 'contract', 'fqn', 'properties'];

/** "2 new, 5 modified (3 body, 2 configs), 1 removed, columns 3 added, 1 removed, 4 run results changed status", as the CLI says it. */
export function changesSummary(counts: Record<string, number>, results = 0, columns: ColumnChange[] = []): string {
  const parts = PARTS.filter((p) => counts[p] > 0).map((p) => `${counts[p]} ${p.replace(/_/g, ' ')}`);
  const out = ['new', 'modified', 'removed']
    .filter((k) => counts[k] > 0)
    .map((k) => `${counts[k]} ${k}${k === 'modified' && parts.length ? ` (${parts.join(', ')})` : ''}`);
  const byChange = (['added', 'removed', 'retyped', 'redefined'] as const)
    .map((c) => [c, columns.filter((x) => x.change === c).length] as const)
    .filter(([, n]) => n > 0)
    .map(([c, n]) => `${n} ${c}`);
  if (byChange.length) out.push(`columns ${byChange.join(', ')}`);
  if (!out.length) out.push('no changes');
  if (results > 0) out.push(`${results} run ${results === 1 ? 'result' : 'results'} changed status`);
  return out.join(', ');
}

/** How far a changed column reaches, as the CLI says it: "reaches 5 columns in 5 nodes, 1 exposure". */
export function reachText(r: NonNullable<ColumnChange['reach']>): string {
  const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;
  return `reaches ${plural(r.nodes, 'node')}${r.exposures ? ` (${plural(r.exposures, 'exposure')})` : ''} and ${plural(r.columns, 'column')}${r.truncated ? ', and more' : ''}`;
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

/**
 * Projects of up to this many nodes (tests counted, macros and docs not)
 * are compared as the page opens, beside the page's other sections:
 * hubspot's 400 in 0.2 s, 10,000 nearly all changed (two different
 * generated projects of 2,800 models) in 1.2 s end to end; on demand
 * beyond (two runs of 50k models, 180k nodes, take 2.4 s).
 */
export const AUTO_COMPARED = 10000;

/** The nodes a comparison reads: everything but macros and docs. */
export function comparedCount(counts: Record<string, number> | null | undefined): number {
  return Object.entries(counts ?? {}).reduce((n, [type, c]) => (type === 'macro' || type === 'doc' ? n : n + c), 0);
}

export function ChangesSection({ snapshotId, earlierId, title, auto = false }: { snapshotId: number; earlierId: number; title: string; auto?: boolean }) {
  const [res, setRes] = useState<ChangesResult | null>(null);
  // How many times it was asked for: 0 until the button (or auto) asks.
  const [attempt, setAttempt] = useState(auto ? 1 : 0);
  const [err, setErr] = useState<ApiError | null>(null);
  useEffect(() => setAttempt(auto ? 1 : 0), [snapshotId, earlierId, auto]);
  useEffect(() => {
    setRes(null);
    setErr(null);
    if (attempt === 0) return;
    let live = true;
    api.changes(snapshotId, earlierId).then((r) => live && setRes(r), (e) => live && setErr(e));
    return () => {
      live = false;
    };
  }, [snapshotId, earlierId, attempt]);
  const busy = attempt > 0 && !res && !err;
  // The first SHOWN rows of each table, all of them on demand.
  const [all, setAll] = useState(false);
  useEffect(() => setAll(false), [snapshotId, earlierId]);
  const shown = all ? Infinity : SHOWN;

  const rows = res ? changeRows(res) : [];
  return (
    <Section
      title={title}
      actions={
        // Listed and found empty, there is nothing to draw.
        res && rows.length === 0 ? undefined : (
          <a class="btn btn-small" href={href(['lineage'], { select: 'state:modified+', state: String(earlierId), diff: '1' })} title={`What changed since snapshot #${earlierId}, and what depends on it, drawn as a diff: what was removed since too`}>
            Lineage of the changes
          </a>
        )
      }
    >
      {!res && !busy && (
        <button type="button" class="btn" name="list-changes" onClick={() => setAttempt((n) => n + 1)}>
          List what is new, modified or removed
        </button>
      )}
      {busy && <Spinner label="Comparing…" />}
      {/* Deleted meanwhile (the project's older runs pruned): the list of snapshots follows within seconds. */}
      {err?.code === 'not_found' ? <p class="muted small" data-testid="changes-gone">{err.message}</p> : <ErrorBox error={err} />}
      {res && (
        <div class="stack-s" data-testid="changes">
          {(res.warnings ?? []).length > 0 && <ul class="warnings">{res.warnings!.map((w) => <li key={w}>{w}</li>)}</ul>}
          <p class="changes-summary">{changesSummary(res.counts, res.results.length, res.columns)}</p>
          {rows.length > 0 && (
            <table class="table wrap-cells" data-testid="node-changes">
              <thead>
                <tr><th>Change</th><th>Node</th><th>What</th></tr>
              </thead>
              <tbody>
                {rows.slice(0, shown).map(({ kind, node }) => (
                  <tr key={kind + node.unique_id}>
                    <td class="nowrap">{kind}</td>
                    <td>{kind === 'removed' ? <span class="muted">{node.unique_id}</span> : <a href={href(['node', node.unique_id])}>{node.unique_id}</a>}</td>
                    <td>
                      {kind === 'modified' ? (node.parts ?? []).map((p) => p.replace(/_/g, ' ')).join(', ') : ''}
                      {kind === 'modified' && hasSQL(node.resource_type) && (node.parts ?? []).some((p) => p === 'body' || p === 'macros') && (
                        <> · <a href={href(['node', node.unique_id], { sqldiff: String(earlierId) })} title={`Its SQL line by line against snapshot #${earlierId}`}>SQL diff</a></>
                      )}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          )}
          {rows.length > shown && (
            <p class="muted small">
              … and {rows.length - SHOWN} more <button type="button" class="btn btn-small" name="changes-all" onClick={() => setAll(true)}>Show all {rows.length}</button>
            </p>
          )}
          {(res.columns ?? []).length > 0 && <ColumnChanges changes={res.columns!} />}
          {res.results.length > 0 && (
            <table class="table wrap-cells" data-testid="status-changes">
              <thead>
                <tr><th>Run result</th><th>Node</th></tr>
              </thead>
              <tbody>
                {res.results.slice(0, shown).map((c) => (
                  <tr key={c.unique_id}>
                    <td class="nowrap"><span class={/fail|error/.test(c.after) ? 'error-inline' : ''}>{c.before} → {c.after}</span></td>
                    <td><a href={href(['node', c.unique_id])}>{c.unique_id}</a></td>
                  </tr>
                ))}
              </tbody>
            </table>
          )}
          {res.results.length > shown && (
            <p class="muted small">
              … and {res.results.length - SHOWN} more run results <button type="button" class="btn btn-small" onClick={() => setAll(true)}>Show all {res.results.length}</button>
            </p>
          )}
        </div>
      )}
    </Section>
  );
}

const shortName = (uid: string) => uid.slice(uid.lastIndexOf('.') + 1);

/** The warehouse columns added, removed and retyped, and the columns made another way (redefined); each but an added one with what reads it: what the change may break. */
function ColumnChanges({ changes }: { changes: ColumnChange[] }) {
  return (
    <>
      <table class="table wrap-cells" data-testid="column-changes">
        <thead>
          <tr><th>Column</th><th>Change</th><th title="Its type; a redefined column's definition before and now">Type or definition</th><th title="The columns made from it, the models joining or filtering on it and the exposures using its node, one step downstream (in the snapshot compared with; for a redefined column, now)">Read by</th></tr>
        </thead>
        <tbody>
          {changes.slice(0, SHOWN).map((c) => (
            <tr key={`${c.node}.${c.column}`} data-change={c.change}>
              <td>
                {c.change === 'removed' ? <span class="muted">{shortName(c.node)}.<wbr />{c.column}</span> : <a href={columnHref(c.node, c.column, 'both')} title={c.node}>{shortName(c.node)}.<wbr />{c.column}</a>}
              </td>
              <td class={`nowrap${c.change === 'added' ? '' : ' error-inline'}`}>{c.change}</td>
              <td>
                {c.change === 'redefined' ? (
                  <span class="redefined"><code class="muted" title="before">{c.old_definition || '(a constant)'}</code> → <code title="now">{c.definition || '(a constant)'}</code></span>
                ) : (
                  <code class="muted">{c.change === 'retyped' ? `${c.old_type} → ${c.type}` : c.change === 'removed' ? c.old_type : c.type}</code>
                )}
              </td>
              <td>
                {c.reach && c.reach.nodes > 0 && <span class="muted small reach">{reachText(c.reach)}: </span>}
                {(c.read_by ?? []).map((r, i) => (
                  <span key={`${r.node}.${r.column}`}>{i > 0 && ', '}<a href={r.column ? columnHref(r.node!, r.column, 'both') : href(['node', r.node!])} title={r.node}>{shortName(r.node ?? '')}{r.column ? `.${r.column}` : r.node?.startsWith('exposure.') ? ' (exposure: uses the node)' : ' (joins or filters on it)'}</a></span>
                ))}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      {changes.length > SHOWN && <p class="muted small">… and {changes.length - SHOWN} more columns (the CLI lists them all: lineagedesk changes)</p>}
    </>
  );
}
