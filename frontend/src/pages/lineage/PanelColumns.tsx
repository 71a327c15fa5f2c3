// The lineage view's node panel's columns: a picked model's or snapshot's
// columns with a word on what each is made from, a source's or seed's
// columns alone; each a way to its trace on the node page (?column=), and
// to its lineage outlined on the picture (onShow).
import { useEffect, useState } from 'preact/hooks';
import { api } from '../../api';
import type { ColumnSource, NodeColumns, OutputColumn } from '../../api/types';
import { href } from '../../lib/router';
import { hasColumnLineage } from '../node/Columns';
import { columnHref, KIND_BADGE, KIND_TITLE, nodeName } from '../node/columnRefs';

/** The types whose columns the panel lists: those with SQL say what they are made from. */
export const PANEL_COLUMN_TYPES = ['model', 'snapshot', 'seed', 'source', 'semantic_model', 'metric', 'saved_query'];

/** How many columns the panel lists; the rest are the node page's. */
export const PANEL_COLUMNS_MAX = 12;

const sourceName = (s: ColumnSource) => `${s.node ? nodeName(s.node) : s.relation}.${s.column}`;

/**
 * A column's sources in a few words: "← orders.order_total (computed)" for
 * one ("(renamed)", nothing more when passed through), "← 2 columns" for
 * several, '' for none (a literal, a source's column).
 */
export function madeHint(out: OutputColumn): string {
  const sources = out.sources ?? [];
  if (sources.length === 0) return '';
  if (sources.length > 1) return `← ${sources.length} columns`;
  const [s] = sources;
  const kind = s.kind && s.kind !== 'passthrough' ? ` (${KIND_BADGE[s.kind] ?? s.kind})` : '';
  return `← ${sourceName(s)}${kind}`;
}

/** The hint's tooltip: each source in full, how it is made, and the expression. */
function hintTitle(out: OutputColumn): string {
  const lines = (out.sources ?? []).map((s) => `${s.node ?? s.relation}: ${s.column}${s.kind ? ` (${KIND_TITLE[s.kind]?.toLowerCase() ?? s.kind})` : ''}`);
  if (out.expression) lines.push(out.expression);
  return lines.join('\n');
}

interface Answer { uid: string; nc: NodeColumns }

/**
 * The node's columns, asked for once the pick settles (as the impact and
 * health are): the arrow keys step through nodes faster than a model's SQL
 * is read. Nothing for the other types, or when the lineage is not had.
 */
export function PanelColumns({ snapshotId, uid, type, onShow }: { snapshotId: number; uid: string; type: string; onShow?: (column: string) => void }) {
  const wanted = PANEL_COLUMN_TYPES.includes(type);
  const [answer, setAnswer] = useState<Answer | null>(null);
  useEffect(() => {
    setAnswer(null);
    if (!wanted) return;
    let live = true;
    const t = setTimeout(() => api.columnLineage(snapshotId, uid).then((nc) => live && setAnswer({ uid, nc }), () => live && setAnswer(null)), 120);
    return () => {
      live = false;
      clearTimeout(t);
    };
  }, [snapshotId, uid, wanted]);
  const nc = wanted && answer?.uid === uid ? answer.nc : null;
  if (!nc) return null;
  const made = hasColumnLineage(type);
  const columns = nc.columns ?? [];
  const shown = columns.slice(0, PANEL_COLUMNS_MAX);
  const rest = columns.length - shown.length;
  return (
    <div class="panel-columns small" data-testid="panel-columns">
      <div>
        <span class="impact-label">Columns</span>{columns.length > 0 && <span class="muted"> {columns.length}</span>}
        {columns.length === 0 && <span class="muted"> none known</span>}
      </div>
      {shown.length > 0 && (
        <ul class="panel-columns-list">
          {shown.map((c) => {
            const hint = made ? madeHint(c) : '';
            return (
              <li key={c.name} data-column={c.name}>
                <a class="col-ref" href={columnHref(uid, c.name, 'both')} title={`Column lineage of ${c.name}: what it is made from and what is made from it`}>{c.name}</a>
                {onShow && (
                  <button type="button" class="btn btn-ghost btn-tiny panel-column-show" aria-label={`Show ${c.name}'s lineage on the picture`} title={`Outline the nodes ${c.name} flows through, up and down, on the picture`} onClick={() => onShow(c.name)}>⤳</button>
                )}
                {hint && <span class="muted panel-column-hint" title={hintTitle(c)}>{hint}</span>}
              </li>
            );
          })}
        </ul>
      )}
      {rest > 0 && <a class="panel-columns-more" href={href(['node', uid])} title="Every column on the node's page">and {rest} more</a>}
      {nc.problem && <div class="muted" data-testid="panel-columns-problem">{nc.problem}</div>}
    </div>
  );
}
