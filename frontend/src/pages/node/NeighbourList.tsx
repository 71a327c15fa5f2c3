// A node's parents or children, as the node page lists them.
import { useState } from 'preact/hooks';
import type { ResourceSummary } from '../../api/types';
import { href } from '../../lib/router';
import { displayName } from '../../lib/format';
import { RunStateChip, TestSummaryChips, TypeBadge } from '../../components/ui';

// A central model's direct children run to thousands (QA: 1,552 rows,
// 9,000 elements, 0.2 s long tasks on the page): the first ones are shown,
// the rest on request.
const NEIGHBOURS_SHOWN = 100;

export function NeighbourList({ items, empty }: { items: ResourceSummary[] | null; empty: string }) {
  const [all, setAll] = useState(false);
  if (!items || items.length === 0) return <p class="muted">{empty}</p>;
  const shown = all ? items : items.slice(0, NEIGHBOURS_SHOWN);
  return (
    <>
      <ul class="neighbours">
        {shown.map((r) => (
          <li key={r.unique_id}>
            <a href={href(['node', r.unique_id])} data-uid={r.unique_id} title={r.unique_id}>
              <TypeBadge type={r.resource_type} />
              <span class="ellipsis">{displayName(r)}</span>
            </a>
            {r.disabled && <span class="chip small status-warn" title="dbt leaves a disabled node out: it is not built, tested or drawn in the lineage">disabled</span>}
            <RunStateChip r={r} />
            <TestSummaryChips s={r.test_summary} compact />
          </li>
        ))}
      </ul>
      {shown.length < items.length && (
        <button type="button" class="btn btn-small" onClick={() => setAll(true)}>
          Show all {items.length.toLocaleString()}
        </button>
      )}
    </>
  );
}
