// @vitest-environment jsdom
/** @jsxImportSource preact */
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { render } from 'preact';
import { act } from 'preact/test-utils';
import { settle, useRoot } from '../../testing/mount';
import type { ImpactDirection, ImpactList, ImpactRow } from '../../api/types';

const none = { total: 0, pass: 0, warn: 0, fail: 0, error: 0, skipped: 0 };
const row = (distance: number, id: string, extra: Partial<ImpactRow> = {}): ImpactRow => {
  const [type, , name] = id.split('.');
  return { distance, unique_id: id, name, resource_type: type, package: 'p', test_summary: none, ...extra };
};
const lists: Record<ImpactDirection, ImpactList> = {
  downstream: {
    snapshot_id: 3, unique_id: 'model.p.stg', name: 'stg', direction: 'downstream',
    rows: [
      row(1, 'model.p.orders', { relation_name: 'db.s.orders', owner: 'Data <data@example.com>', test_summary: { ...none, total: 2, pass: 1, fail: 1 } }),
      row(1, 'test.p.not_null_stg_id', { test_status: 'fail' }),
      row(2, 'exposure.p.board', { owner: 'Anna <anna@example.com>' }),
      ...Array.from({ length: 250 }, (_, i) => row(3, `model.p.m${String(i).padStart(3, '0')}`, i < 3 ? { owner: 'Data <data@example.com>' } : {})),
    ],
    owners: [
      { owner: 'Data <data@example.com>', nodes: 4, by_type: { model: 4 } },
      { owner: 'Anna <anna@example.com>', nodes: 1, by_type: { exposure: 1 } },
    ],
  },
  upstream: { snapshot_id: 3, unique_id: 'model.p.stg', name: 'stg', direction: 'upstream', rows: [row(1, 'source.p.raw')], owners: [] },
};
const impactList = vi.fn(async (_s: number, _ref: string, direction: ImpactDirection) => lists[direction]);
const impactCSV = vi.fn(async () => ({ filename: 'p-stg-downstream.csv', content: 'distance\n' }));
vi.mock('../../api', async (original) => ({
  ...(await original<typeof import('../../api')>()),
  transportKind: () => 'http',
  api: { impactList: (s: number, r: string, d: ImpactDirection) => impactList(s, r, d), impactCSV: () => impactCSV() },
}));
const downloadBlob = vi.fn();
vi.mock('../../lib/download', () => ({ downloadBlob: (...a: unknown[]) => downloadBlob(...a) }));
const { ImpactListSection, IMPACT_ROWS_SHOWN } = await import('./ImpactList');

const mount = useRoot();
beforeEach(() => {
  impactList.mockClear();
});

const shown = () => [...mount.root.querySelectorAll('[data-testid="impact-list"] tbody tr')].map((tr) => tr.getAttribute('data-uid'));
const pick = async (label: string, value: string) => {
  const select = mount.root.querySelector(`select[aria-label="${label}"]`) as HTMLSelectElement;
  act(() => {
    select.value = value;
    select.dispatchEvent(new Event('change'));
  });
  await settle();
};

describe('ImpactListSection', () => {
  it('tells namesakes apart, and counts the tests of a run without outcomes', async () => {
    impactList.mockImplementationOnce(async () => ({
      snapshot_id: 3, unique_id: 'exposure.p.board', name: 'board', direction: 'upstream',
      rows: [
        row(1, 'model.p.customers.v2', { name: 'customers', version: '2', tests_defined: 2 }),
        row(1, 'source.p.shop.customers', { name: 'customers' }),
      ],
      owners: [],
    }));
    act(() => render(<ImpactListSection snapshotId={3} uniqueId="exposure.p.board" />, mount.root));
    act(() => (mount.root.querySelector('[data-testid="impact-list-open"]') as HTMLButtonElement).click());
    await settle();
    expect(impactList).toHaveBeenCalledWith(3, 'exposure.p.board', 'upstream'); // nothing is downstream of an exposure
    const cells = (uid: string) => [...mount.root.querySelectorAll(`[data-uid="${uid}"] td`)].map((td) => td.textContent);
    expect(cells('model.p.customers.v2')[1]).toContain('customers v2');
    expect(cells('model.p.customers.v2')[3]).toBe('2 tests, no results');
    expect(cells('source.p.shop.customers')[1]).toContain('shop.customers');
  });
  it('asks for the list only when opened, and shows it nearest first without tests', async () => {
    act(() => render(<ImpactListSection snapshotId={3} uniqueId="model.p.stg" />, mount.root));
    await settle();
    expect(impactList).not.toHaveBeenCalled();
    act(() => (mount.root.querySelector('[data-testid="impact-list-open"]') as HTMLButtonElement).click());
    await settle();
    expect(impactList).toHaveBeenCalledWith(3, 'model.p.stg', 'downstream');
    const ids = shown();
    expect(ids.length).toBe(IMPACT_ROWS_SHOWN);
    expect(ids.slice(0, 3)).toEqual(['model.p.orders', 'exposure.p.board', 'model.p.m000']);
    expect(ids).not.toContain('test.p.not_null_stg_id');
    const first = mount.root.querySelector('[data-uid="model.p.orders"]')!;
    expect(first.textContent).toContain('Data <data@example.com>');
    expect(first.textContent).toContain('db.s.orders');
    expect(first.querySelector('a')?.getAttribute('href')).toContain('model.p.orders');
    expect(mount.root.textContent).toContain(`The first ${IMPACT_ROWS_SHOWN} of 252; the CSV has them all.`);
  });
  it('filters by type, shows tests on demand, and turns upstream', async () => {
    act(() => render(<ImpactListSection snapshotId={3} uniqueId="model.p.stg" />, mount.root));
    act(() => (mount.root.querySelector('[data-testid="impact-list-open"]') as HTMLButtonElement).click());
    await settle();
    await pick('Resource type', 'exposure');
    expect(shown()).toEqual(['exposure.p.board']);
    await pick('Resource type', 'all');
    expect(shown().slice(0, 3)).toEqual(['model.p.orders', 'test.p.not_null_stg_id', 'exposure.p.board']);
    expect(mount.root.querySelector('[data-uid="test.p.not_null_stg_id"]')?.textContent).toContain('fail');
    await pick('Direction', 'upstream');
    expect(impactList).toHaveBeenLastCalledWith(3, 'model.p.stg', 'upstream');
    expect(shown()).toEqual(['source.p.raw']);
  });
  it('sums the owners up and shows what one owns', async () => {
    act(() => render(<ImpactListSection snapshotId={3} uniqueId="model.p.stg" />, mount.root));
    act(() => (mount.root.querySelector('[data-testid="impact-list-open"]') as HTMLButtonElement).click());
    await settle();
    expect(mount.root.querySelector('[data-testid="impact-owners"]')?.textContent).toBe('Owners: Data <data@example.com> (4 models) · Anna <anna@example.com> (1 exposure)');
    const data = mount.root.querySelector('[data-testid="impact-owners"] button') as HTMLButtonElement;
    act(() => data.click());
    await settle();
    expect(shown()).toEqual(['model.p.orders', 'model.p.m000', 'model.p.m001', 'model.p.m002']);
    act(() => data.click());
    await settle();
    expect(shown().length).toBe(IMPACT_ROWS_SHOWN);
  });
  it('opens on the side a link asks for', async () => {
    act(() => render(<ImpactListSection snapshotId={3} uniqueId="model.p.stg" opened="upstream" />, mount.root));
    await settle();
    expect(impactList).toHaveBeenCalledWith(3, 'model.p.stg', 'upstream');
    expect(shown()).toEqual(['source.p.raw']);
    expect((mount.root.querySelector('select[aria-label="Direction"]') as HTMLSelectElement).value).toBe('upstream');
  });
  it('downloads the whole list as CSV in a browser', async () => {
    act(() => render(<ImpactListSection snapshotId={3} uniqueId="model.p.stg" />, mount.root));
    act(() => (mount.root.querySelector('[data-testid="impact-list-open"]') as HTMLButtonElement).click());
    await settle();
    const button = [...mount.root.querySelectorAll('button')].find((b) => b.textContent === 'Download CSV') as HTMLButtonElement;
    act(() => button.click());
    await settle();
    expect(downloadBlob).toHaveBeenCalledWith('p-stg-downstream.csv', 'text/csv', 'distance\n');
    expect(mount.root.querySelector('[role=status]')?.textContent).toBe('Saved p-stg-downstream.csv');
  });
});
