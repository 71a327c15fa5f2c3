// "Paths…": every dependency route between two nodes (the Paths API), with a
// way to redraw the picture with just those nodes.
import { useState } from 'preact/hooks';
import { api } from '../../api';
import type { LineageNode, PathsResult } from '../../api/types';
import { ApiError } from '../../api/transport';
import { displayName } from '../../lib/format';
import { href } from '../../lib/router';
import { idName, parseUniqueId } from '../../lib/selector';
import { ErrorBox } from '../../components/ui';

interface Props {
  snapshotId: number;
  nodes: LineageNode[];
  from: string;
  to: string;
  setFrom: (v: string) => void;
  setTo: (v: string) => void;
  paths: PathsResult | null;
  setPaths: (p: PathsResult | null) => void;
  onShow: (ids: string[]) => void;
}

/** A path step's name: the drawn node's (customers v2), else the id's name (a model's version too). */
function pathLabel(id: string, nodes: LineageNode[]): string {
  const n = nodes.find((x) => x.unique_id === id);
  if (n) return displayName(n);
  return idName(id);
}

/**
 * A path's step names; a name that comes twice in it (a model, its semantic
 * model and a metric all called orders) says its resource type too.
 */
export function pathLabels(path: string[], nodes: LineageNode[]): string[] {
  const labels = path.map((id) => pathLabel(id, nodes));
  return labels.map((l, j) => (labels.indexOf(l) !== labels.lastIndexOf(l) ? `${l} (${parseUniqueId(path[j]).resource_type.replace(/_/g, ' ')})` : l));
}

export function PathsPanel({ snapshotId, nodes, from, to, setFrom, setTo, paths, setPaths, onShow }: Props) {
  const [busy, setBusy] = useState(false);
  const [err, setErr] = useState<ApiError | null>(null);

  async function findPaths() {
    if (!from.trim() || !to.trim()) {
      // It did nothing and said nothing (QA).
      setErr(new ApiError('invalid', `Give the ${!from.trim() ? 'From' : 'To'} node: a unique_id or a name, or pick a node and press "from here" or "to here".`));
      return;
    }
    setBusy(true);
    setErr(null);
    try {
      setPaths(await api.paths(snapshotId, from.trim(), to.trim()));
    } catch (e) {
      setErr(e as ApiError);
      setPaths(null);
    } finally {
      setBusy(false);
    }
  }

  const list = paths?.paths ?? [];
  return (
    <form
      class="paths-panel"
      onSubmit={(e) => {
        e.preventDefault();
        void findPaths();
      }}
    >
      <datalist id="lineage-node-ids">{nodes.map((n) => <option key={n.unique_id} value={n.unique_id} />)}</datalist>
      <label class="field inline grow"><span>From</span><input list="lineage-node-ids" value={from} placeholder="upstream: a unique_id or name (click a node)" onInput={(e) => setFrom((e.target as HTMLInputElement).value)} /></label>
      <label class="field inline grow"><span>To</span><input list="lineage-node-ids" value={to} placeholder="downstream: a unique_id or name" onInput={(e) => setTo((e.target as HTMLInputElement).value)} /></label>
      <button class="btn" type="submit" disabled={busy}>Find paths</button>
      {paths && (
        <div class="paths-result">
          <div class="row">
            <strong>{list.length} path{list.length === 1 ? '' : 's'}</strong>
            {paths.truncated && (
              <span class="chip status-warn" title="Only the shortest paths are listed">
                of {paths.total_saturated ? 'more than ' : ''}{paths.total.toLocaleString()} in all
              </span>
            )}
            {list.length > 0 && <button type="button" class="btn btn-small" onClick={() => onShow([...new Set(list.flat())])}>Show on graph</button>}
          </div>
          {list.length === 0 && (
            <p class="muted small" data-testid="paths-none">
              Neither depends on the other: no path runs between {pathLabel(paths.from, nodes)} and {pathLabel(paths.to, nodes)} in either direction.
            </p>
          )}
          {paths.reversed && <p class="muted small" data-testid="paths-reversed">No path runs from {pathLabel(paths.to, nodes)} down to {pathLabel(paths.from, nodes)}; these run the other way.</p>}
          <ol>
            {list.slice(0, 50).map((p, i) => (
              <li key={i}>{pathLabels(p, nodes).map((label, j) => <span key={j}>{j > 0 && ' → '}<a href={href(['node', p[j]])} title={p[j]}>{label}</a></span>)}</li>
            ))}
          </ol>
        </div>
      )}
      <ErrorBox error={err} />
    </form>
  );
}
