// @vitest-environment jsdom
/** @jsxImportSource preact */
import { describe, expect, it, vi } from 'vitest';
import { render } from 'preact';
import { act } from 'preact/test-utils';
import { settle, useRoot } from '../../testing/mount';
import type { ResourceDetail } from '../../api/types';

const resource = vi.fn(async (_s: number, _id: string) => ({ unique_id: 'model.p.orders', raw_code: 'select 1', compiled_code: 'select\n  id,\n  amount\nfrom raw.orders' }) as unknown as ResourceDetail);
vi.mock('../../api', async (original) => ({
  ...(await original<typeof import('../../api')>()),
  api: { resource: (s: number, id: string) => resource(s, id) },
}));
const { SqlDiff, comparedSql } = await import('./SqlDiff');
const mount = useRoot();

describe('SqlDiff', () => {
  it('reads the node in the snapshot before and diffs its compiled SQL line by line', async () => {
    act(() => render(<SqlDiff uid="model.p.orders" since={2} now={{ raw_code: 'select 2', compiled_code: 'select\n  id,\n  amount_cents / 100 as amount\nfrom raw.orders\n' }} />, mount.root));
    await settle();
    expect(resource).toHaveBeenCalledWith(2, 'model.p.orders');
    const root = mount.root.querySelector('[data-testid="sql-diff"]')!;
    expect(root.querySelector('p')!.textContent).toBe('Its compiled SQL in snapshot #2 against this one: 1 line added, 1 removed.');
    expect([...root.querySelectorAll('.diff-line')].map((l) => [l.className.replace('diff-line ', ''), l.textContent])).toEqual([
      ['diff-same', '  select'], ['diff-same', '    id,'], ['diff-del', '-   amount'], ['diff-add', '+   amount_cents / 100 as amount'], ['diff-same', '  from raw.orders'],
    ]);
  });
});

describe('comparedSql', () => {
  it('compares compiled SQL where both have it, else raw', () => {
    expect(comparedSql({ raw_code: 'a', compiled_code: 'b' }, { raw_code: 'c', compiled_code: 'd' })).toEqual({ kind: 'compiled', before: 'b', now: 'd' });
    expect(comparedSql({ raw_code: 'a' }, { raw_code: 'c', compiled_code: 'd' })).toEqual({ kind: 'raw', before: 'a', now: 'c' });
  });
});
