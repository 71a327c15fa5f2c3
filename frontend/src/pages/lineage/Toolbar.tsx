// The lineage bar's controls beside the selector: depth, tests, grouping.
import type { Ref } from 'preact';
import type { GroupBy } from '../../api/types';
import type { Depth } from '../../lib/selector';
import { GROUPS, groupName, type TestsMode } from './request';

const depthText = (v: number | null | undefined) => (v === null || v === undefined ? '0' : v === Infinity ? 'all' : String(v));

/**
 * Hops up and down around the selector's one term (none for several terms).
 * onMakeDefault, when given, offers to keep this depth for every node's lineage.
 */
export function DepthControls({ depth, onDepth, onMakeDefault }: { depth: Depth | null; onDepth: (side: 'up' | 'down', delta: number) => void; onMakeDefault?: () => void }) {
  const d = depth;
  return (
    <div class="depth" title={d ? 'Upstream / downstream depth ( [ ] and { } )' : 'Depth controls work on a single selector term'}>
      <span class="muted small">Up</span>
      <button type="button" class="btn btn-small" aria-label="Less upstream" disabled={!d || !d.up} onClick={() => onDepth('up', -1)}>−</button>
      <span class="depth-n" data-testid="depth-up">{d ? depthText(d.up) : '–'}</span>
      <button type="button" class="btn btn-small" aria-label="More upstream" disabled={!d} onClick={() => onDepth('up', 1)}>+</button>
      <span class="muted small">Down</span>
      <button type="button" class="btn btn-small" aria-label="Less downstream" disabled={!d || !d.down} onClick={() => onDepth('down', -1)}>−</button>
      <span class="depth-n" data-testid="depth-down">{d ? depthText(d.down) : '–'}</span>
      <button type="button" class="btn btn-small" aria-label="More downstream" disabled={!d} onClick={() => onDepth('down', 1)}>+</button>
      {onMakeDefault && (
        <button type="button" class="btn btn-small" title="Open lineage of a node at this depth from now on" onClick={onMakeDefault}>
          Make default
        </button>
      )}
    </div>
  );
}

/** Tests shown or not, and which join the selection (dbt's --indirect-selection). */
export function TestsControl({ mode, onChange }: { mode: TestsMode; onChange: (mode: TestsMode) => void }) {
  return (
    <span class="row nowrap tests-control">
      <label class="check">
        <input type="checkbox" checked={mode !== ''} onChange={(e) => onChange((e.target as HTMLInputElement).checked ? 'cautious' : '')} /> Tests
      </label>
      {mode !== '' && (
        <select
          name="indirect-selection"
          value={mode}
          title="Which tests join the nodes selected, as dbt's --indirect-selection decides for each criterion: cautious, those whose parents are all selected; eager, those with any parent selected; buildable, those whose parents are selected or upstream of them. As in dbt, a cautious --exclude keeps a test that also tests a kept node."
          onChange={(e) => onChange((e.target as HTMLSelectElement).value as TestsMode)}
        >
          <option value="cautious">all parents selected</option>
          <option value="eager">any parent selected</option>
          <option value="buildable">buildable</option>
        </select>
      )}
    </span>
  );
}

/**
 * The Group menu, and for "selection…" the field whose selector becomes one
 * box (applied with the form). onGroup applies a grouping from the menu.
 */
export function GroupControl(props: {
  groupBy: GroupBy;
  collapsing: boolean;
  setCollapsing: (on: boolean) => void;
  draft: string;
  setDraft: (text: string) => void;
  fieldRef: Ref<HTMLInputElement>;
  onGroup: (group: GroupBy) => void;
}) {
  return (
    <>
      <label class="field inline">
        <span>Group</span>
        <select
          name="group"
          value={props.collapsing ? 'select' : props.groupBy}
          onChange={(e) => {
            const v = (e.target as HTMLSelectElement).value;
            props.setCollapsing(v === 'select');
            if (v !== 'select') props.onGroup(v as GroupBy);
          }}
        >
          {GROUPS.map((g) => <option key={g} value={g}>{groupName(g)}</option>)}
          <option value="select">selection…</option>
        </select>
      </label>
      {props.collapsing && (
        <label class="field">
          <span>Collapse</span>
          <input
            name="collapse"
            type="text"
            spellcheck={false}
            ref={props.fieldRef}
            value={props.draft}
            placeholder="e.g. +stg_orders, package:dbt_utils"
            title="What this selects becomes one box, with edge counts; Enter applies"
            onInput={(e) => props.setDraft((e.target as HTMLInputElement).value)}
          />
        </label>
      )}
    </>
  );
}
