// @vitest-environment jsdom
/** @jsxImportSource preact */
import { describe, expect, it, vi } from 'vitest';
import { render } from 'preact';
import { act } from 'preact/test-utils';
import { settle, useRoot } from '../../testing/mount';
import type { HistoryResult } from '../../api/types';

const snap = (id: number, run_command = '') => ({ id, name: '', generated_at: `2031-03-0${id}T00:00:00Z`, run_command });
// A source: no run of its own in any snapshot, yet it changed.
const result: HistoryResult = {
  snapshot_id: 4, unique_id: 'model.p.orders', project: 'p', later: 0,
  snapshots: [snap(1), snap(2), snap(3), snap(4)],
  rows: [{ unique_id: 'model.p.orders', name: 'orders', test: false, results: [null, null, null, null] }],
  changes: [
    null,
    { parts: ['configs'] },
    null,
    {
      parts: ['body', 'macros'],
      columns: [
        { node: 'model.p.orders', column: 'amount', change: 'retyped', type: 'bigint', old_type: 'integer' },
        { node: 'model.p.orders', column: 'id', change: 'redefined', definition: 'md5(a || b)', old_definition: 'md5(a)' },
        { node: 'model.p.orders', column: 'note', change: 'removed', old_type: 'text' },
      ],
    },
  ],
};
const history = vi.fn(async () => result);
vi.mock('../../api', async (original) => ({
  ...(await original<typeof import('../../api')>()),
  api: { history: () => history() },
}));
const { HistorySection, lastChange, useHistory } = await import('./History');

function Page({ snapshotId, uniqueId }: { snapshotId: number; uniqueId: string }) {
  return <HistorySection history={useHistory(snapshotId, uniqueId)} />;
}

const mount = useRoot();

describe('HistorySection changes', () => {
  it('marks each snapshot that changed and lists the changes, the latest first, column by column', async () => {
    act(() => render(<Page snapshotId={4} uniqueId="model.p.orders" />, mount.root));
    await settle();
    const marks = [...mount.root.querySelectorAll('[data-testid="history-changes"] td.history-cell')].map((td) => td.textContent);
    expect(marks).toEqual(['', 'Δ', '', 'Δ']);
    const entries = [...mount.root.querySelectorAll('[data-testid="history-change-list"] > ul > li')];
    expect(entries.map((li) => li.getAttribute('data-snap'))).toEqual(['4', '2']);
    expect([...entries[0].querySelectorAll('.chip')].map((c) => c.textContent)).toEqual(['code', 'macros']);
    expect([...entries[1].querySelectorAll('.chip')].map((c) => c.textContent)).toEqual(['config']);
    const columns = [...entries[0].querySelectorAll('.history-columns li')];
    expect(columns.map((li) => li.textContent)).toEqual([
      'amount retyped integer → bigint · what reads it',
      'id redefined md5(a) → md5(a || b) · what reads it',
      'note removed (text) · what read it in #3',
    ]);
    // A column there now opens its trace in that snapshot; a removed one is
    // no link, but what read it is, traced down in the snapshot before.
    const links = (li: Element) => [...li.querySelectorAll('a')].map((a) => a.getAttribute('href'));
    expect(links(columns[0])).toEqual(['#/node/model.p.orders?snap=4&column=amount&direction=both', '#/node/model.p.orders?snap=4&column=amount&direction=downstream']);
    expect(links(columns[2])).toEqual(['#/node/model.p.orders?snap=3&column=note&direction=downstream']);
    // Its code changed in #4: its SQL diffed against #3; #2's config change has none.
    expect(entries[0].querySelector('a.history-sqldiff')?.getAttribute('href')).toBe('#/node/model.p.orders?snap=4&sqldiff=3');
    expect(entries[1].querySelector('a.history-sqldiff')).toBeNull();
    const mark = mount.root.querySelector('[data-testid="history-changes"] a.history-mark') as HTMLAnchorElement;
    expect(mark.title).toBe('#2: config');
  });
});

describe('lastChange', () => {
  it('is the change into the snapshot shown, with the one before it', () => {
    expect(lastChange(result)).toEqual({ change: result.changes![3], since: 3 });
    expect(lastChange(null)).toBeNull();
    // The shown snapshot unchanged since the one before: none.
    expect(lastChange({ ...result, changes: [null, { parts: ['configs'] }, null, null] })).toBeNull();
    // A history of one snapshot has nothing before it.
    expect(lastChange({ ...result, snapshots: [snap(4)], changes: [null] })).toBeNull();
  });
});
