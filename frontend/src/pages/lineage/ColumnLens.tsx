// A column's lineage outlined on the lineage picture: the nodes the column
// flows through, up and down (ColumnTrace), picked from the node panel's
// columns. The note above the picture says how many are drawn, draws them
// all on demand, and opens the column's own trace.
import { columnHref } from '../node/columnRefs';

export interface ColumnLens {
  uid: string;
  column: string;
  /** The project's nodes the trace holds. */
  nodes: string[];
  busy?: boolean;
  err?: string;
}

const nameOf = (uid: string) => uid.split('.').slice(2).join('.');

export function ColumnLensNote({ lens, inPicture, onDrawAll, onClose }: { lens: ColumnLens; inPicture: number; onDrawAll: () => void; onClose: () => void }) {
  const what = `${nameOf(lens.uid)}.${lens.column}`;
  return (
    <div class="notice small row column-lens" data-testid="column-lens" role="status">
      {lens.busy ? (
        <span>Tracing {what} through the SQL…</span>
      ) : lens.err ? (
        <span class="error-inline">{what}: {lens.err}</span>
      ) : (
        <span>
          The lineage of <strong>{what}</strong> runs through {lens.nodes.length} node{lens.nodes.length === 1 ? '' : 's'}, {inPicture} in the picture, outlined.
        </span>
      )}
      {!lens.busy && !lens.err && inPicture < lens.nodes.length && (
        <button type="button" class="btn btn-small" onClick={onDrawAll}>Draw all {lens.nodes.length}</button>
      )}
      <a class="btn btn-small" href={columnHref(lens.uid, lens.column, 'both')}>Open its trace</a>
      <button type="button" class="btn btn-small btn-ghost" aria-label="Stop outlining the column's lineage" title="Close" onClick={onClose}>×</button>
    </div>
  );
}
