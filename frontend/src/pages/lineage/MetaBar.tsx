// The line under the lineage bar: what the picture holds, the critical
// path, the snapshot state: compares against, and the lens's legend.
import { useMemo } from 'preact/hooks';
import type { LineageResult, Snapshot } from '../../api/types';
import { formatDate, formatSeconds } from '../../lib/format';
import { HEALTH_STATES } from '../../components/ui';
import type { LensMode } from './request';

const plural = (n: number, one: string, many: string) => `${n.toLocaleString()} ${n === 1 ? one : many}`;

/** Nodes and edges selected, how the picture draws them, and what changed. */
export function Counts({ result }: { result: LineageResult }) {
  const nodes = result.nodes ?? [];
  const edges = result.edges ?? [];
  const groups = result.groups ?? [];
  const { removed, changed } = useMemo(() => {
    const removed = nodes.filter((n) => n.state_change?.[0] === 'removed').length;
    return { removed, changed: nodes.filter((n) => (n.state_change ?? []).length > 0).length - removed };
  }, [result]);
  // The counts are the selection's; say how the picture draws them.
  const alone = nodes.length - groups.reduce((sum, g) => sum + g.members, 0);
  return (
    <span class="counts" data-testid="lineage-counts">
      <strong>{nodes.length.toLocaleString()}</strong> {nodes.length === 1 ? 'node' : 'nodes'} · <strong>{edges.length.toLocaleString()}</strong> {edges.length === 1 ? 'edge' : 'edges'}
      {groups.length > 0 && <> · drawn as {plural(groups.length, 'box', 'boxes')}{alone > 0 && <> and {plural(alone, 'node', 'nodes')} alone</>}</>}
      {changed > 0 && <> · <span class="state-change">{changed.toLocaleString()} changed</span></>}
      {removed > 0 && <> · <span class="state-change">{removed.toLocaleString()} removed</span></>}
      {result.diff && (result.diff.added_edges > 0 || result.diff.removed_edges > 0) && (
        <> · <span class="state-change" title="Dependencies added (green) and removed (dashed red) since the snapshot compared with">dependencies +{result.diff.added_edges} −{result.diff.removed_edges}</span></>
      )}
      {(result.across_projects ?? []).length > 0 && (
        <span class="muted" data-testid="across-counts" title="Nodes drawn from other projects' runs (dbt Mesh)">
          {' · '}
          {result.across_projects!.map((r) => `${plural(r.nodes, 'node', 'nodes')} from ${r.project} #${r.snapshot_id}`).join(', ')}
        </span>
      )}
      <HealthCounts result={result} />
      <span class="muted"> · rendered in {result.render_ms} ms</span>
    </span>
  );
}

/** With the health lens, how many resources drawn are in each state. */
export function HealthCounts({ result }: { result: LineageResult }) {
  const counts = useMemo(() => {
    const counts = new Map<string, number>();
    for (const n of result.nodes ?? []) {
      if (n.health) counts.set(n.health.state, (counts.get(n.health.state) ?? 0) + 1);
    }
    return counts;
  }, [result]);
  if (counts.size === 0) return null;
  return (
    <> · <span data-testid="health-counts" title="Data health of the resources drawn (models, seeds, snapshots, sources, exposures)">
      {HEALTH_STATES.filter((s) => counts.has(s)).map((s) => `${(counts.get(s) ?? 0).toLocaleString()} ${s}`).join(', ')}
    </span></>
  );
}

/** The boxes left open, each with a button that shuts it again. */
export function OpenBoxes({ result, onShut }: { result: LineageResult; onShut: (key: string) => void }) {
  const open = result.open_groups ?? [];
  if (open.length === 0) return null;
  return (
    <span class="open-boxes" data-testid="open-boxes">
      {open.map((g) => (
        <span class="chip" key={g.key} title={`${g.label}: ${plural(g.members, 'node', 'nodes')} drawn as themselves`}>
          open: {g.label}
          <button type="button" class="chip-close" aria-label={`Shut ${g.label} again`} title="Shut the box again" onClick={() => onShut(g.key)}>×</button>
        </span>
      ))}
    </span>
  );
}

/**
 * The slowest chain of the run (drawn in orange); a click dims the rest.
 * A build's path runs through its tests, drawn or not: those are counted.
 */
export function CriticalPathButton({ result, on, toggle }: { result: LineageResult; on: boolean; toggle: () => void }) {
  const path = result.critical_path;
  if (!path || path.nodes.length === 0) return null;
  const drawn = new Set((result.nodes ?? []).map((n) => n.unique_id));
  const hidden = path.nodes.filter((id) => !drawn.has(id)).length;
  return (
    <button
      type="button"
      class={`btn btn-small critical ${on ? 'on' : ''}`}
      data-testid="critical-path"
      title={`The slowest chain of dependencies in the dbt ${path.command} run, drawn in orange: ${path.nodes.join(' → ')}. Click to dim the rest.`}
      onClick={toggle}
    >
      critical path <strong>{formatSeconds(path.seconds)}</strong> · {plural(path.nodes.length, 'node', 'nodes')}
      {hidden > 0 && <span class="muted"> ({plural(hidden, 'test', 'tests')} not shown)</span>}
    </button>
  );
}

function snapshotLabel(s: Snapshot | undefined): string {
  return s ? `#${s.id} ${s.name || s.project} · ${formatDate(s.generated_at || s.taken_at)}` : '';
}

/** The snapshot state: compares this one with, among the same project's. */
export function StateMenu({ result, snapshots, project, onChoose }: { result: LineageResult; snapshots: Snapshot[]; project: string | undefined; onChoose: (id: number) => void }) {
  if (!result.state_snapshot_id) return null;
  return (
    <label class="field inline small" title="state: compares this snapshot with another one of the project">
      <span>state: against</span>
      <select name="state-base" value={String(result.state_snapshot_id)} title={snapshotLabel(snapshots.find((s) => s.id === result.state_snapshot_id))} onChange={(e) => onChoose(Number((e.target as HTMLSelectElement).value))}>
        {snapshots
          // Other projects' snapshots would make every node new.
          .filter((s) => s.id !== result.snapshot_id && (s.project === project || s.id === result.state_snapshot_id))
          .map((s) => (
            <option key={s.id} value={String(s.id)}>{snapshotLabel(s)}</option>
          ))}
      </select>
    </label>
  );
}

export function LensLegend({ mode }: { mode: LensMode }) {
  if (mode === 'none') return null;
  if (mode === 'docs') {
    return (
      <span class="legend" aria-label="Description legend" data-testid="lens-legend" title="Whether each node has a description; a box, all, some or none of its members (tests are not judged)">
        <span class="lg lg-pass">described</span>
        <span class="lg lg-warn">some (a box)</span>
        <span class="lg lg-fail">no description</span>
      </span>
    );
  }
  if (mode === 'trend') {
    return (
      <span class="legend" aria-label="Test trend legend" data-testid="lens-legend" title="How each node's tests fared over the project's recent runs, as its page's history reads them; a box, its members' worst">
        <span class="lg lg-fail">newly failing</span>
        <span class="lg lg-warn">flaky</span>
        <span class="lg lg-pass">fixed</span>
        <span class="lg lg-none">steady / no history</span>
      </span>
    );
  }
  if (mode === 'health') {
    return (
      <span class="legend" aria-label="Data health legend" data-testid="lens-legend" title="Each node's data health, as dbt Explorer judges it: its last build, its tests' latest outcomes, the freshness of the sources upstream of it, its description; an exposure, what it reads; a box, its members' worst">
        <span class="lg lg-fail">degraded</span>
        <span class="lg lg-warn">caution</span>
        <span class="lg lg-pass">healthy</span>
        <span class="lg lg-none">unknown / not judged</span>
      </span>
    );
  }
  if (mode === 'runs') {
    return (
      <span class="legend" aria-label="Run status legend" data-testid="lens-legend" title="Each node's status in the snapshot's run; a source's, its latest freshness check">
        <span class="lg lg-pass">success</span>
        <span class="lg lg-warn">partial success</span>
        <span class="lg lg-fail">error</span>
        <span class="lg lg-none">skipped / not run</span>
      </span>
    );
  }
  return (
    <span class="legend" aria-label="Test status legend" data-testid="lens-legend">
      <span class="lg lg-pass">pass</span>
      <span class="lg lg-warn">warn</span>
      <span class="lg lg-fail">error / fail</span>
      <span class="lg lg-none">skipped / no results</span>
    </span>
  );
}
