// Side panels of the lineage view for the selected node or group box.
import { useEffect, useState } from 'preact/hooks';
import { api } from '../../api';
import type { GroupBox, Impact, ImpactSide, LineageNode } from '../../api/types';
import { displayName, formatSeconds, typeNoun } from '../../lib/format';
import { href } from '../../lib/router';
import { groupSelector } from '../../lib/selector';
import { TestSummaryChips, TypeBadge } from '../../components/ui';

export interface NodeActions {
  close: () => void;
  refocus: () => void;
  expandUp: () => void;
  expandDown: () => void;
  collapseUp: () => void;
  collapseDown: () => void;
  pathsFrom: () => void;
  pathsTo: () => void;
  /** Draws everything downstream (or upstream) of the node. */
  showAll: (side: 'up' | 'down') => void;
}

/** A side of an impact in a few words: "7 nodes: 4 models, 2 exposures, 1 semantic model · 24 tests". */
export function impactText(s: ImpactSide): string {
  if (s.nodes === 0 && s.tests === 0) return 'nothing';
  const types = Object.entries(s.by_type).sort(([a, x], [b, y]) => y - x || a.localeCompare(b)).map(([t, n]) => `${n} ${typeNoun(t, n)}`);
  const parts = [`${s.nodes} ${s.nodes === 1 ? 'node' : 'nodes'}${types.length > 0 ? `: ${types.join(', ')}` : ''}`];
  if (s.tests > 0) parts.push(`${s.tests} ${s.tests === 1 ? 'test' : 'tests'}`);
  return parts.join(' · ');
}

/** What the node reaches both ways in the whole snapshot, the exposures and sources by name. */
function ImpactLines({ snapshotId, uid, showAll }: { snapshotId: number; uid: string; showAll: (side: 'up' | 'down') => void }) {
  const [impact, setImpact] = useState<Impact | null>(null);
  useEffect(() => {
    let live = true;
    setImpact(null);
    api.impact(snapshotId, uid).then((res) => live && setImpact(res), () => live && setImpact(null));
    return () => {
      live = false;
    };
  }, [snapshotId, uid]);
  if (!impact) return null;
  const sides: { side: 'down' | 'up'; label: string; s: ImpactSide; named: string }[] = [
    { side: 'down', label: 'Downstream', s: impact.downstream, named: 'exposures' },
    { side: 'up', label: 'Upstream', s: impact.upstream, named: 'sources' },
  ];
  return (
    <div class="impact small" data-testid="impact">
      {sides.map(({ side, label, s, named }) => (
        <div key={side} class="impact-side">
          <span class="impact-label">{label}</span> {impactText(s)}
          {s.nodes > 0 && <button type="button" class="linklike" title={`Draw everything ${label.toLowerCase()} of this node`} onClick={() => showAll(side)}>show all</button>}
          {s.named.length > 0 && (
            <div class="muted impact-named" title={s.named.map((n) => n.unique_id).join('\n')}>
              {named}: {s.named.slice(0, 5).map((n) => n.name).join(', ')}{s.named.length > 5 ? ` and ${s.named.length - 5} more` : ''}
            </div>
          )}
        </div>
      ))}
    </div>
  );
}

/** How state: found a node changed, against snapshot #base. */
function stateChangeText(parts: string[], base: number): string {
  if (parts[0] === 'new') return `new since snapshot #${base}`;
  return `modified since snapshot #${base}: ${parts.map((p) => p.replace(/_/g, ' ')).join(', ')}`;
}

export function NodePanel({ node, snapshotId, stateBase, actions }: { node: LineageNode; snapshotId: number; stateBase: number; actions: NodeActions }) {
  return (
    <aside class="focus-panel" aria-label="Selected node">
      <div class="row nowrap"><TypeBadge type={node.resource_type} /><strong class="ellipsis grow">{displayName(node)}</strong><button type="button" class="btn btn-ghost btn-small" aria-label="Close (Esc)" title="Close (Esc)" onClick={actions.close}>×</button></div>
      <div class="muted small">{node.unique_id}</div>
      {node.materialized && <div class="small">materialized: {node.materialized}</div>}
      {node.run_status && <div class={/error/i.test(node.run_status) ? 'small error-inline' : 'small'}>last run: {node.run_status}{node.execution_time !== undefined && ` in ${formatSeconds(node.execution_time)}`}</div>}
      {node.state_change && node.state_change.length > 0 && <div class="small state-change">{stateChangeText(node.state_change, stateBase)}</div>}
      {node.description && <p class="small">{node.description}</p>}
      <TestSummaryChips s={node.test_summary} compact />
      <ImpactLines snapshotId={snapshotId} uid={node.unique_id} showAll={actions.showAll} />
      <div class="stack-s">
        <a class="btn btn-small" href={href(['node', node.unique_id])}>Open page (Enter)</a>
        <button type="button" class="btn btn-small" onClick={actions.refocus}>Focus lineage here</button>
        <button type="button" class="btn btn-small" onClick={actions.expandUp}>Expand upstream</button>
        <button type="button" class="btn btn-small" onClick={actions.expandDown}>Expand downstream</button>
        <button type="button" class="btn btn-small" title="Everything upstream of this node as one box" onClick={actions.collapseUp}>Collapse upstream</button>
        <button type="button" class="btn btn-small" title="Everything downstream of this node as one box" onClick={actions.collapseDown}>Collapse downstream</button>
        <button type="button" class="btn btn-small" onClick={actions.pathsFrom}>Paths from here</button>
        <button type="button" class="btn btn-small" onClick={actions.pathsTo}>Paths to here</button>
      </div>
    </aside>
  );
}

export function GroupPanel({ group, rootProject, onUngroup, onOpenHere, onOpen }: { group: GroupBox; rootProject: string; onUngroup: () => void; onOpenHere: () => void; onOpen: ((selector: string) => void) | null }) {
  const inner = groupSelector(group.key, rootProject);
  return (
    <aside class="focus-panel" aria-label="Selected group">
      <strong class="ellipsis">{group.label}</strong>
      <div class="muted small">{group.members} {group.members === 1 ? 'node' : 'nodes'}: {Object.entries(group.counts).map(([t, n]) => `${n} ${typeNoun(t, n)}`).join(', ')}</div>
      <div class="stack-s">
        <button type="button" class="btn btn-small" title="Draw the box's nodes in its place; the other boxes stay shut" onClick={onOpenHere}>
          Open here (Enter, double-click)
        </button>
        {inner && onOpen && (
          <button type="button" class="btn btn-small" title={`Draw only the nodes the box stands for: ${inner} (within this picture's selector when both are one term)`} onClick={() => onOpen(inner)}>
            Draw only this box
          </button>
        )}
        <button type="button" class="btn btn-small" onClick={onUngroup}>Ungroup all</button>
      </div>
    </aside>
  );
}
