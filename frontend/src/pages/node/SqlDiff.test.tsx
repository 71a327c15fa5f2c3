// @vitest-environment jsdom
/** @jsxImportSource preact */
import { describe, expect, it, vi } from 'vitest';
import { render } from 'preact';
import { act } from 'preact/test-utils';
import { settle, useRoot } from '../../testing/mount';
import type { SQLDiff } from '../../api/types';

const diff: SQLDiff = {
  unique_id: 'model.p.orders', snapshot_id: 3, against_id: 2, kind: 'compiled', added: 1, removed: 1,
  lines: [
    { op: ' ', text: 'select' }, { op: ' ', text: '  id,' }, { op: '-', text: '  amount' }, { op: '+', text: '  amount_cents / 100 as amount' }, { op: ' ', text: 'from raw.orders' },
  ],
};
const sqlDiff = vi.fn(async (_s: number, _id: string, _against: number) => diff);
vi.mock('../../api', async (original) => ({
  ...(await original<typeof import('../../api')>()),
  api: { sqlDiff: (s: number, id: string, against: number) => sqlDiff(s, id, against) },
}));
const { SqlDiff: SqlDiffView } = await import('./SqlDiff');
const mount = useRoot();

describe('SqlDiff', () => {
  it('asks the app for the diff against the snapshot given and marks each line', async () => {
    act(() => render(<SqlDiffView snapshotId={3} uid="model.p.orders" since={2} />, mount.root));
    await settle();
    expect(sqlDiff).toHaveBeenCalledWith(3, 'model.p.orders', 2);
    const root = mount.root.querySelector('[data-testid="sql-diff"]')!;
    expect(root.querySelector('p')!.textContent).toBe('Its compiled SQL in snapshot #2 against this one: 1 line added, 1 removed.');
    expect([...root.querySelectorAll('.diff-line')].map((l) => [l.className.replace('diff-line ', ''), l.textContent])).toEqual([
      ['diff-same', '  select'], ['diff-same', '    id,'], ['diff-del', '-   amount'], ['diff-add', '+   amount_cents / 100 as amount'], ['diff-same', '  from raw.orders'],
    ]);
  });
});
