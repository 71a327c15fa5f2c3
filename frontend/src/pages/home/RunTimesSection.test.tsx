// @vitest-environment jsdom
/** @jsxImportSource preact */
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { render } from 'preact';
import { act } from 'preact/test-utils';
import { settle, useRoot } from '../../testing/mount';
import type { RunTimeRow, RunTimesReport } from '../../api/types';

const row = (id: string, seconds: (number | null)[], before: number): RunTimeRow => ({
  unique_id: id, name: id.split('.')[2], resource_type: id.split('.')[0], seconds, status: 'success',
  latest: seconds[seconds.length - 1] ?? 0, before, earlier: seconds.slice(0, -1).filter((s) => s !== null).length,
});
const runs = [
  { id: 5, name: 'a', generated_at: '2031-03-01T00:00:00Z', run_command: 'build' },
  { id: 6, name: 'b', generated_at: '2031-03-02T00:00:00Z', run_command: 'build' },
];
const reports: Record<number, RunTimesReport> = {
  6: {
    snapshot_id: 6, project: 'p', runs, totals: [20, 41], timed: 3,
    slowest: [row('model.p.orders', [10, 30], 10), row('seed.p.raw data', [null, 4], 0), row('model.p.customers', [6, 5], 6)],
    slower: [row('model.p.orders', [10, 30], 10)],
  },
  7: { snapshot_id: 7, project: 'p', runs: [], totals: [], timed: 0, slowest: [], slower: [] },
};
const runTimes = vi.fn(async (id: number) => reports[id]);
vi.mock('../../api', async (original) => ({ ...(await original<typeof import('../../api')>()), api: { runTimes: (id: number) => runTimes(id) } }));
const { RunTimesSection, runTimesHref } = await import('./RunTimesSection');

const mount = useRoot();
beforeEach(() => {
  runTimes.mockClear();
});
const uids = (testId: string) => [...mount.root.querySelectorAll(`[data-testid="${testId}"] tbody tr`)].map((tr) => tr.getAttribute('data-uid'));

describe('RunTimesSection', () => {
  it('lists what got slower and the slowest, a bar per run', async () => {
    act(() => render(<RunTimesSection snapshotId={6} auto />, mount.root));
    await settle();
    expect(runTimes).toHaveBeenCalledWith(6);
    expect(uids('run-times-slower')).toEqual(['model.p.orders']);
    expect(uids('run-times-slowest')).toEqual(['model.p.orders', 'seed.p.raw data', 'model.p.customers']);
    const orders = mount.root.querySelector('[data-testid="run-times-slower"] tr[data-uid="model.p.orders"]')!;
    expect(orders.textContent).toContain('+20.0 s');
    const bars = [...orders.querySelectorAll('.run-bar')] as HTMLElement[];
    expect(bars.map((b) => b.style.height)).toEqual(['6px', '18px']);
    expect(mount.root.querySelector('[data-testid="run-times-slowest"] tr[data-uid="seed.p.raw data"] .run-bar.none')).not.toBeNull();
    expect(mount.root.querySelector('[data-testid="run-totals"]')?.textContent).toContain('#6, dbt build');
    const link = decodeURIComponent(mount.root.querySelector('a.btn')?.getAttribute('href') ?? '');
    expect(link).toContain('select=model.p.orders "seed.p.raw data" model.p.customers');
    expect(link).toContain('runtime=1');
    expect(runTimesHref([])).toContain('lineage');
  });
  it('waits for the button on a big project, and says when no run built anything', async () => {
    act(() => render(<RunTimesSection snapshotId={7} auto={false} />, mount.root));
    await settle();
    expect(runTimes).not.toHaveBeenCalled();
    act(() => (mount.root.querySelector('button[name=check-run-times]') as HTMLButtonElement).click());
    await settle();
    expect(runTimes).toHaveBeenCalledWith(7);
    expect(mount.root.textContent).toContain('No run of p up to this snapshot built models');
  });
});
