// @vitest-environment jsdom
/** @jsxImportSource preact */
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { render } from 'preact';
import { act } from 'preact/test-utils';
import { settle, useRoot } from '../../testing/mount';
import { ApiError } from '../../api/transport';
import type { Column, NodeColumns, ResourceDetail } from '../../api/types';

let answer: () => Promise<NodeColumns> = async () => lineage;
const columnLineage = vi.fn((_s: number, _id: string) => answer());
vi.mock('../../api', async (original) => ({
  ...(await original<typeof import('../../api')>()),
  api: { columnLineage: (s: number, id: string) => columnLineage(s, id) },
}));
const { ColumnsSection } = await import('./Columns');
const { namesOf } = await import('./columnRefs');

const col = (name: string, index: number, extra: Partial<Column> = {}): Column => ({ name, index, in_manifest: true, in_catalog: true, ...extra });
const none = { total: 0, pass: 0, warn: 0, fail: 0, error: 0, skipped: 0 };
const model = (type = 'model'): ResourceDetail =>
  ({
    unique_id: `${type}.p.customers`, resource_type: type, name: 'customers', package: 'p', enabled: true,
    columns: [col('customer_id', 1), col('LIFETIME_SPEND', 2, { description: 'All they spent.' }), col('tier', 3), col('note', 4), col('region', 5)],
    tests: [], test_summary: none,
    parents: [{ unique_id: 'model.p.orders_v2_internal', resource_type: 'model', name: 'orders', package: 'p', test_summary: none }],
    children: [],
  }) as unknown as ResourceDetail;
const lineage: NodeColumns = {
  node: 'model.p.customers',
  columns: [
    { name: 'customer_id', sources: [{ node: 'model.p.stg_customers', column: 'id', kind: 'rename' }], expression: 'id as customer_id' },
    { name: 'lifetime_spend', sources: [{ node: 'model.p.orders_v2_internal', column: 'order_total', kind: 'transformed' }], expression: 'sum(orders.order_total) as lifetime_spend' },
    { name: 'tier', sources: [{ relation: 'analytics.legacy.tiers', column: 'tier', kind: 'passthrough' }] },
    { name: 'note', sources: [], unresolved: ['memo'] },
    { name: 'loaded_at', sources: [], expression: 'current_timestamp as loaded_at' },
  ],
  reads: [
    { node: 'model.p.orders_v2_internal', column: 'customer_id' },
    { relation: 'analytics.legacy.tiers', column: 'customer_id' },
  ],
  problem: 'its compiled SQL could not be read: line 3: unexpected token',
};

const mount = useRoot();
beforeEach(() => {
  columnLineage.mockClear();
  answer = async () => lineage;
});

const show = async (r: ResourceDetail, traced?: string) => {
  act(() => render(<ColumnsSection r={r} snapshotId={3} traced={traced} way="both" names={namesOf(r.parents, r.children)} />, mount.root));
  await settle();
};
const cell = (column: string) => mount.root.querySelector(`tr[data-column="${column}"] td.made-from-cell`) as HTMLElement;

describe('ColumnsSection', () => {
  it('says what each column is made from, with links, chips and the expression', async () => {
    await show(model());
    expect(columnLineage).toHaveBeenCalledWith(3, 'model.p.customers');
    expect(mount.root.querySelector('thead')?.textContent).toContain('Made from');
    // A rename: the parent's column, linked, and its chip.
    const renamed = cell('customer_id');
    expect(renamed.textContent).toBe('stg_customers.id renamed');
    expect(renamed.querySelector('a')?.getAttribute('href')).toBe('#/node/model.p.stg_customers?column=id&direction=upstream');
    // Computed, matched whatever the case: the parent named as the page's parents list names it, the expression as the chip's tooltip.
    const computed = cell('LIFETIME_SPEND');
    expect(computed.textContent).toBe('orders.order_total computed');
    expect(computed.querySelector('.kind-transformed')?.getAttribute('title')).toBe('sum(orders.order_total) as lifetime_spend');
    // A relation outside the project is text, not a link.
    expect(cell('tier').textContent).toBe('analytics.legacy.tiers.tier passthrough');
    expect(cell('tier').querySelector('a')).toBeNull();
    // What it reads that matches nothing, muted.
    expect(cell('note').querySelector('.muted')?.textContent).toBe('reads memo, not found');
    // A column the SQL does not name.
    expect(cell('region').textContent).toBe('—');
  });
  it('adds the columns only the SQL makes, and says what is read to join and why lineage is short', async () => {
    await show(model());
    const extra = mount.root.querySelector('tr[data-column="loaded_at"]') as HTMLElement;
    expect(extra.textContent).toContain('only in SQL');
    expect(cell('loaded_at').textContent).toBe('no column computed');
    expect(mount.root.querySelector('h2')?.textContent).toBe('Columns (6)');
    const reads = mount.root.querySelector('[data-testid="column-reads"]') as HTMLElement;
    expect(reads.textContent).toBe('Joined or filtered on: orders.customer_id, analytics.legacy.tiers.customer_id');
    expect(reads.querySelectorAll('a').length).toBe(1);
    expect(mount.root.querySelector('[data-testid="column-problem"]')?.textContent).toBe('Column lineage: its compiled SQL could not be read: line 3: unexpected token');
  });
  it("lists a semantic model's entities, dimensions and measures as its definition makes them", async () => {
    answer = async () => ({
      node: 'semantic_model.p.customers',
      columns: [{ name: 'customer', sources: [{ node: 'model.p.customers', column: 'customer_id', kind: 'rename' }] }],
    });
    await show({ ...model('semantic_model'), columns: [] } as ResourceDetail);
    expect(columnLineage).toHaveBeenCalledWith(3, 'semantic_model.p.customers');
    const row = mount.root.querySelector('tr[data-column="customer"]') as HTMLElement;
    expect(row.textContent).toContain('only in definition');
    expect(cell('customer').textContent).toBe('customers.customer_id renamed');
  });
  it('links each column to its lineage and marks the one traced', async () => {
    await show(model(), 'lifetime_spend');
    const link = mount.root.querySelector('tr[data-column="tier"] a.col-trace') as HTMLAnchorElement;
    expect(link.getAttribute('href')).toBe('#/node/model.p.customers?column=tier&direction=both');
    expect(mount.root.querySelector('tr.current')?.getAttribute('data-column')).toBe('LIFETIME_SPEND');
  });
  it('shows the table while the lineage is on its way, and without it when it fails', async () => {
    let fail: (e: unknown) => void = () => {};
    answer = () => new Promise((_, reject) => (fail = reject));
    await show(model());
    expect(mount.root.querySelectorAll('tbody tr').length).toBe(5);
    expect(cell('customer_id').textContent).toBe('');
    expect(mount.root.querySelector('[data-testid="column-lineage-pending"]')).not.toBeNull();
    fail(new ApiError('internal', 'the store is locked'));
    await settle();
    expect(mount.root.querySelectorAll('tbody tr').length).toBe(5);
    expect(mount.root.querySelector('[data-testid="column-lineage-error"]')?.textContent).toBe('No column lineage: the store is locked');
    expect(mount.root.querySelector('[data-testid="column-lineage-pending"]')).toBeNull();
  });
  it('has no Made from column for a source, nor asks for one', async () => {
    await show(model('source'));
    expect(columnLineage).not.toHaveBeenCalled();
    expect(mount.root.querySelector('thead')?.textContent).not.toContain('Made from');
    expect(mount.root.querySelector('tr[data-column="tier"] a.col-trace')).not.toBeNull();
  });
});

describe('ColumnsSection marks what changed since the snapshot before', () => {
  it('chips each changed column, matched whatever the case, and lists those gone', async () => {
    const changed = {
      since: 2,
      change: {
        parts: ['body'],
        columns: [
          { node: 'model.p.customers', column: 'lifetime_spend', change: 'redefined' as const, definition: 'sum(orders.order_total) as lifetime_spend', old_definition: 'sum(orders.amount) as lifetime_spend' },
          { node: 'model.p.customers', column: 'region', change: 'added' as const, type: 'text' },
          { node: 'model.p.customers', column: 'tier', change: 'retyped' as const, type: 'bigint', old_type: 'integer' },
          { node: 'model.p.customers', column: 'legacy_id', change: 'removed' as const, old_type: 'integer' },
        ],
      },
    };
    act(() => render(<ColumnsSection r={model()} snapshotId={3} way="both" changed={changed} />, mount.root));
    await settle();
    const chips = (column: string) => [...mount.root.querySelectorAll(`tr[data-column="${column}"] .chip[data-change]`)].map((c) => [c.textContent, c.getAttribute('title')]);
    expect(chips('LIFETIME_SPEND')).toEqual([['redefined since #2', 'Made as sum(orders.amount) as lifetime_spend in snapshot #2, as sum(orders.order_total) as lifetime_spend now']]);
    expect(chips('region')).toEqual([['new since #2', 'Not in the warehouse in snapshot #2']]);
    expect(chips('tier')).toEqual([['retyped since #2', 'integer in snapshot #2, bigint now']]);
    expect(chips('customer_id')).toEqual([]);
    expect(mount.root.querySelector('[data-testid="columns-removed"]')!.textContent).toBe('Gone from the warehouse since #2: legacy_id (integer)');
  });
  it('marks nothing without a change', async () => {
    await show(model());
    expect(mount.root.querySelectorAll('.chip[data-change]').length).toBe(0);
    expect(mount.root.querySelector('[data-testid="columns-removed"]')).toBeNull();
  });
});

describe('the columns filter', () => {
  const wide = (): ResourceDetail => {
    const r = model();
    r.columns = [...r.columns!, ...Array.from({ length: 10 }, (_, i) => col(`extra_${i}`, 10 + i, { description: i === 3 ? 'Lifetime value, by spend band.' : '' }))];
    return r;
  };
  it('shows past 12 columns (16: 5, 10 more and one only the SQL makes) and keeps those whose name or description holds every word, the traced one too', async () => {
    await show(model());
    expect(mount.root.querySelector('input[name=column-filter]')).toBeNull();
    await show(wide(), 'tier');
    const input = mount.root.querySelector('input[name=column-filter]') as HTMLInputElement;
    const names = () => [...mount.root.querySelectorAll('tr[data-column]')].map((tr) => tr.getAttribute('data-column'));
    expect(names().length).toBe(16); // and loaded_at, which only the SQL makes
    act(() => {
      input.value = 'SPEND';
      input.dispatchEvent(new Event('input', { bubbles: true }));
    });
    expect(names()).toEqual(['LIFETIME_SPEND', 'tier', 'extra_3']);
    expect(mount.root.querySelector('.section-head h2')!.textContent).toBe('Columns (3 of 16)');
    act(() => {
      input.value = 'spend band';
      input.dispatchEvent(new Event('input', { bubbles: true }));
    });
    expect(names()).toEqual(['tier', 'extra_3']);
  });
});
