// Side panels of the lineage view for the selected node or group box.
import { useEffect, useState } from 'preact/hooks';
import { api } from '../../api';
import type { GroupBox, Health, HistoryResult, LineageNode } from '../../api/types';
import { ImpactLines } from '../../components/Impact';
import { app } from '../../state';
import { dbtCommand, displayName, formatSeconds, typeNoun } from '../../lib/format';
import { href, inRun } from '../../lib/router';
import { groupSelector } from '../../lib/selector';
import { PanelColumns } from './PanelColumns';
import { changeText, lastChange } from '../node/History';
import { HEALTH_JUDGED, HealthLine, TestSummaryChips, TypeBadge } from '../../components/ui';

/**
 * A lineage node carries the first 200 characters of its description
 * (backend.GraphNode.Description): one that long was cut, and says so.
 */
const GRAPH_DESCRIPTION_CHARS = 200;

export interface NodeActions {
  close: () => void;
  /** Outlines on the picture the nodes a column of the node flows through. */
  showColumn: (column: string) => void;
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

/** " (dbt docs generate)" when the snapshot's run built nothing: its "success" is not a build's. */
export function notABuild(command: string | undefined): string {
  return command && !['build', 'run', 'seed', 'snapshot', 'test', 'retry'].includes(command) ? ` (${dbtCommand(command)}: compiled, not built)` : '';
}

/** How state: found a node changed, against snapshot #base. */
function stateChangeText(parts: string[], base: number): string {
  if (parts[0] === 'new') return `new since snapshot #${base}`;
  if (parts[0] === 'removed') return `removed since snapshot #${base}, which has it`;
  return `modified since snapshot #${base}: ${parts.map((p) => p.replace(/_/g, ' ')).join(', ')}`;
}

export function NodePanel({ node, snapshotId: pictured, stateBase, actions }: { node: LineageNode; snapshotId: number; stateBase: number; actions: NodeActions }) {
  // Across projects, a node of another project is read from its own run.
  const snapshotId = node.snapshot_id ?? pictured;
  const page = href(['node', node.unique_id], inRun(node.snapshot_id));
  return (
    <aside class="focus-panel" aria-label="Selected node">
      <div class="row nowrap"><TypeBadge type={node.resource_type} /><strong class="ellipsis grow">{displayName(node)}</strong><button type="button" class="btn btn-ghost btn-small" aria-label="Close (Esc)" title="Close (Esc)" onClick={actions.close}>×</button></div>
      <div class="muted small">{node.unique_id}</div>
      {node.snapshot_id && <div class="small" data-testid="node-project">from project {node.package}, snapshot #{node.snapshot_id}</div>}
      {node.cross_project ? (
        <div class="small" data-testid="node-project" title="dbt writes a cross-project ref into the manifest without its code, columns or tests: those are in its own project's runs">
          a public model of project {node.package}, which this project refs (dbt Mesh)
        </div>
      ) : (
        node.materialized && <div class="small">materialized: {node.materialized}</div>
      )}
      {node.run_status && <div class={/error/i.test(node.run_status) ? 'small error-inline' : 'small'}>last run: {node.run_status}{node.execution_time !== undefined && ` in ${formatSeconds(node.execution_time)}`}{notABuild(app.current.value?.run_command)}</div>}
      {node.state_change && node.state_change.length > 0 && <div class="small state-change">{stateChangeText(node.state_change, stateBase)}</div>}
      {!node.state_change && <RecentChange node={node} snapshotId={snapshotId} />}
      <FailingTestsChange node={node} stateBase={stateBase} />
      {node.state_change?.[0] !== 'removed' && <NodeHealth node={node} snapshotId={snapshotId} />}
      {node.description && <p class="small">{[...node.description].length >= GRAPH_DESCRIPTION_CHARS ? `${node.description}…` : node.description}</p>}
      <TestSummaryChips s={node.test_summary} compact />
      {node.state_change?.[0] === 'removed' ? (
        // Not in this snapshot: its page, and what it reached, are the other one's.
        <div class="panel-actions">
          <a class="btn btn-small wide" href={href(['node', node.unique_id], { snap: String(stateBase) })}>Open its page in snapshot #{stateBase} (Enter)</a>
        </div>
      ) : (
        <>
          <ImpactLines snapshotId={snapshotId} uid={node.unique_id} showAll={actions.showAll} listHref={(side) => href(['node', node.unique_id], { impact: side === 'down' ? 'downstream' : 'upstream', ...inRun(node.snapshot_id) })} />
          <div class="panel-actions">
            <a class="btn btn-small wide" href={page}>Open page (Enter)</a>
            <button type="button" class="btn btn-small wide" onClick={actions.refocus}>Focus lineage here</button>
            <PairRow label="Expand" first={['upstream', 'Expand upstream', actions.expandUp]} second={['downstream', 'Expand downstream', actions.expandDown]} />
            <PairRow label="Collapse" first={['upstream', 'Collapse upstream: everything upstream of this node as one box', actions.collapseUp]} second={['downstream', 'Collapse downstream: everything downstream of this node as one box', actions.collapseDown]} />
            <PairRow label="Paths" first={['from here', 'Paths from here', actions.pathsFrom]} second={['to here', 'Paths to here', actions.pathsTo]} />
          </div>
          {/* Under the actions: they keep their place as the columns come, and stay in view when the list is long. */}
          <PanelColumns snapshotId={snapshotId} uid={node.unique_id} type={node.resource_type} onShow={actions.showColumn} />
        </>
      )}
    </aside>
  );
}

/** The node's data health and why: the health lens's, else asked for once the pick settles (as the impact is). */
function NodeHealth({ node, snapshotId }: { node: LineageNode; snapshotId: number }) {
  const [asked, setAsked] = useState<Health | null>(null);
  const drawn = node.health;
  useEffect(() => {
    setAsked(null);
    if (drawn || !HEALTH_JUDGED.includes(node.resource_type)) return;
    let live = true;
    const t = setTimeout(() => api.health(snapshotId, node.unique_id).then((h) => live && setAsked(h.judged ? h.health : null), () => {}), 120);
    return () => {
      live = false;
      clearTimeout(t);
    };
  }, [snapshotId, node.unique_id, node.resource_type, drawn]);
  return <HealthLine health={drawn ?? asked} reasons={2} />;
}

/**
 * How the node changed since the run before, from its history (asked once
 * the pick settles, as its health is): nothing where it did not, or where
 * the picture is already compared with a snapshot (state_change says it).
 */
function RecentChange({ node, snapshotId }: { node: LineageNode; snapshotId: number }) {
  const [answer, setAnswer] = useState<{ uid: string; h: HistoryResult } | null>(null);
  useEffect(() => {
    setAnswer(null);
    let live = true;
    const t = setTimeout(() => api.history(snapshotId, node.unique_id).then((h) => live && setAnswer({ uid: node.unique_id, h }), () => {}), 120);
    return () => {
      live = false;
      clearTimeout(t);
    };
  }, [snapshotId, node.unique_id]);
  const last = answer?.uid === node.unique_id ? lastChange(answer.h) : null;
  if (!last) return null;
  return (
    <div class="small recent-change" data-testid="recent-change">
      changed since #{last.since}: {changeText(last.change)}{' '}
      <a href={href(['node', node.unique_id], inRun(node.snapshot_id))} title="Its page's history says what changed, column by column">what changed</a>
    </div>
  );
}

/** In a diff of two runs, how many of the node's tests fail now against then, when that changed. */
export function FailingTestsChange({ node, stateBase }: { node: LineageNode; stateBase: number }) {
  const before = node.tests_before;
  if (!before) return null;
  const then = before.fail + before.error;
  const now = node.test_summary.fail + node.test_summary.error;
  if (then === now) return null;
  return (
    <div class={now > then ? 'small error-inline' : 'small'} data-testid="failing-tests-change">
      failing tests: {then} → {now} since snapshot #{stateBase}
    </div>
  );
}

type PairButton = [text: string, title: string, onClick: () => void];

/** A row of the node panel's actions: what they do, then the two directions.
 * Pairs keep the panel short enough to show whole in an 800-pixel window. */
function PairRow({ label, first, second }: { label: string; first: PairButton; second: PairButton }) {
  const button = ([text, title, onClick]: PairButton) => (
    <button type="button" class="btn btn-small" aria-label={`${label} ${text}`} title={title} onClick={onClick}>{text}</button>
  );
  return (
    <>
      <span class="panel-actions-label small muted">{label}</span>
      {button(first)}
      {button(second)}
    </>
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
