// @vitest-environment jsdom
/** @jsxImportSource preact */
import { describe, expect, it, vi } from 'vitest';
import { render } from 'preact';
import { act } from 'preact/test-utils';
import { settle, useRoot } from '../../testing/mount';
import type { ChangesResult } from '../../api/types';

const result: ChangesResult = {
  snapshot_id: 2, state_snapshot_id: 1, results_snapshot_id: 1, counts: { modified: 1, body: 1 }, results: [],
  changed: [{ unique_id: 'model.p.orders', resource_type: 'model', parts: ['body'] }], removed: [],
  columns: [
    { node: 'model.p.orders', column: 'amount', change: 'removed', old_type: 'integer',
      read_by: [{ node: 'model.p.revenue', column: 'total' }, { node: 'model.p.daily' , column: '' }], reach: { columns: 3, nodes: 4, exposures: 1 } },
    { node: 'model.p.orders', column: 'amount_cents', change: 'added', type: 'bigint' },
    { node: 'model.p.orders', column: 'status', change: 'retyped', type: 'text', old_type: 'integer' },
    { node: 'model.p.orders', column: 'total', change: 'redefined', definition: 'amount - discount as total', old_definition: 'stg_orders.amount',
      read_by: [{ node: 'model.p.revenue', column: 'total' }] },
  ],
};
let answer: () => Promise<ChangesResult> = async () => result;
const changes = vi.fn(() => answer());
vi.mock('../../api', async (original) => ({
  ...(await original<typeof import('../../api')>()),
  api: { changes: () => changes() },
}));
const { ChangesSection, comparedCount } = await import('./ChangesSection');
const { ApiError } = await import('../../api/transport');

const mount = useRoot();

describe('the column changes since an earlier snapshot', () => {
  it('lists each with its types and what read it before', async () => {
    act(() => render(<ChangesSection snapshotId={2} earlierId={1} title="Changes since #1" />, mount.root));
    act(() => (mount.root.querySelector('button[name=list-changes]') as HTMLButtonElement).click());
    await settle();
    expect(mount.root.querySelector('.changes-summary')?.textContent).toBe('1 modified (1 body), columns 1 added, 1 removed, 1 retyped, 1 redefined');
    // A model whose code changed links to its SQL diffed against the snapshot compared with.
    const diff = mount.root.querySelector('[data-testid="node-changes"] a[href*="sqldiff"]');
    expect(diff?.getAttribute('href')).toBe('#/node/model.p.orders?sqldiff=1');
    const rows = Array.from(mount.root.querySelectorAll('[data-testid="column-changes"] tbody tr')) as HTMLElement[];
    expect(rows.map((r) => Array.from(r.querySelectorAll('td')).map((td) => td.textContent))).toEqual([
      ['orders.amount', 'removed', 'integer', 'reaches 4 nodes (1 exposure) and 3 columns: revenue.total, daily (joins or filters on it)'],
      ['orders.amount_cents', 'added', 'bigint', ''],
      ['orders.status', 'retyped', 'integer → text', ''],
      ['orders.total', 'redefined', 'stg_orders.amount → amount - discount as total', 'revenue.total'],
    ]);
    // A removed column is no more: text. The others and the readers are ways to their column lineage.
    expect(rows[0].querySelector('td a')?.getAttribute('href')).toBe('#/node/model.p.revenue?column=total&direction=both');
    expect(rows[0].querySelectorAll('td a')[1].getAttribute('href')).toBe('#/node/model.p.daily');
    expect(rows[1].querySelector('td a')?.getAttribute('href')).toBe('#/node/model.p.orders?column=amount_cents&direction=both');
  });
});

describe('when the comparison is made', () => {
  it('at once for a small project; after a failure, the button asks again', async () => {
    changes.mockClear();
    answer = async () => {
      throw new ApiError('EINTERNAL', 'the store is busy');
    };
    act(() => render(<ChangesSection snapshotId={2} earlierId={1} title="Changes since #1" auto />, mount.root));
    await settle();
    expect(changes).toHaveBeenCalledTimes(1);
    expect(mount.root.textContent).toContain('the store is busy');
    answer = async () => result;
    act(() => (mount.root.querySelector('button[name=list-changes]') as HTMLButtonElement).click());
    await settle();
    expect(changes).toHaveBeenCalledTimes(2);
    expect(mount.root.querySelector('button[name=list-changes]')).toBeNull();
    expect(mount.root.querySelector('.changes-summary')?.textContent).toContain('1 modified');
  });
  it('says so quietly when a snapshot compared was deleted meanwhile', async () => {
    answer = async () => {
      throw new ApiError('not_found', 'there is no snapshot 1');
    };
    act(() => render(<ChangesSection snapshotId={2} earlierId={1} title="Changes since #1" auto />, mount.root));
    await settle();
    expect(mount.root.querySelector('[data-testid="changes-gone"]')?.textContent).toBe('there is no snapshot 1');
    expect(mount.root.querySelector('.error-box, [role="alert"]')).toBeNull();
    answer = async () => result;
  });
  it('counts the nodes a comparison reads, macros and docs aside', () => {
    expect(comparedCount({ model: 10, test: 30, macro: 500, doc: 4, source: 2 })).toBe(42);
    expect(comparedCount(null)).toBe(0);
  });
});
