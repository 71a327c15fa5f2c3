import { describe, expect, it, vi } from 'vitest';
import { effect } from '@preact/signals';
import { createAppStore, type AppApi } from './app';
import { createSearchStore } from './search';
import { createSyncStore } from './sync';
import { ApiError } from '../api/transport';
import type { SearchResult, Snapshot, Status, SyncProgress } from '../api/types';

function snap(id: number, project = 'jaffle_shop'): Snapshot {
  return { id, name: '', origin: { kind: 'demo' }, project, dbt_version: '1.9.0', schema_versions: {}, generated_at: '', taken_at: '', counts: { model: 5 }, warnings: [] };
}
const status: Status = { version: 'dev', db_path: '/tmp/x.db', snapshots: 2, token_storage: 'encrypted-file', transport: 'http', demo_available: true, disk: { bytes: 1 << 20, free_bytes: 0 } };

function deferred<T>() {
  let resolve!: (v: T) => void;
  let reject!: (e: unknown) => void;
  const promise = new Promise<T>((res, rej) => { resolve = res; reject = rej; });
  return { promise, resolve, reject };
}

describe('app store', () => {
  function fakeApi(snaps: Snapshot[]): AppApi {
    return {
      status: vi.fn(async () => status),
      snapshots: vi.fn(async () => [...snaps]), // a new list per answer, as the API gives
      openDemo: vi.fn(async () => ({ snapshot_id: 9, project: 'jaffle_shop', dbt_version: '1.9', schema_versions: {}, counts: {}, warnings: [] })),
      importPaths: vi.fn(),
      deleteSnapshot: vi.fn(async () => undefined),
      compactStore: vi.fn(async () => ({ before: { bytes: 10, free_bytes: 4 }, after: { bytes: 6, free_bytes: 0 }, seconds: 0.1 })),
    };
  }

  it('follows the newest snapshot until one is picked, and falls back when the pick disappears', async () => {
    const list = [snap(7), snap(4)];
    const api = fakeApi(list);
    const s = createAppStore(api);
    await s.load();
    expect(s.current.value?.id).toBe(7);
    expect(s.snapshotId.value).toBe(7);
    expect(s.isEmpty.value).toBe(false);
    s.select('model.jaffle_shop.customers');
    s.selectSnapshot(4);
    expect(s.snapshotId.value).toBe(4);
    expect(s.selection.value).toBeNull(); // a selection belongs to a snapshot
    list.splice(1, 1);
    await s.refreshSnapshots();
    expect(s.pickedSnapshot.value).toBe(0);
    expect(s.snapshotId.value).toBe(7);
  });

  it('says a run arrived only for a run new to the list, keeping the way back across a replaced one', async () => {
    const list = [snap(5), snap(4)];
    const s = createAppStore(fakeApi(list));
    await s.load();
    list.shift(); // another process deletes the newest: #4 shown, no run arrived
    await s.refreshSnapshots(true);
    expect(s.current.value?.id).toBe(4);
    expect(s.arrived.value).toBeNull();
    list.unshift(snap(6)); // a watch stores a run's manifest...
    await s.refreshSnapshots(true);
    expect([s.arrived.value?.from.id, s.arrived.value?.to.id]).toEqual([4, 6]);
    list.splice(0, 1, snap(7)); // ...then the whole run in its place
    await s.refreshSnapshots(true);
    expect([s.arrived.value?.from.id, s.arrived.value?.to.id]).toEqual([4, 7]);
    list.unshift(snap(8)); // another run, #7 still stored: the way back is #7
    await s.refreshSnapshots(true);
    expect([s.arrived.value?.from.id, s.arrived.value?.to.id]).toEqual([7, 8]);
    await s.showOwnChange(); // this window's own sync ends: not another's
    expect(s.arrived.value).toBeNull();
  });

  it('stays on a run picked when another process completes it in a new snapshot', async () => {
    const begun = { ...snap(6), invocation_id: 'inv-6', generated_at: '2031-01-01T00:00:00Z' };
    const list = [begun, snap(5)];
    const s = createAppStore(fakeApi(list));
    await s.load();
    s.selectSnapshot(6);
    list.splice(0, 1, { ...begun, id: 7, schema_versions: { manifest: 12, run_results: 6 } }); // a watch's supersede
    await s.refreshSnapshots(true);
    expect(s.pickedSnapshot.value).toBe(7);
    expect([s.arrived.value?.from.id, s.arrived.value?.to.id, s.arrived.value?.completed]).toEqual([6, 7, true]);
    list.splice(0, 1); // deleted, nothing in its place: back to the latest
    await s.refreshSnapshots(true);
    expect(s.pickedSnapshot.value).toBe(0);
    s.selectSnapshot(42); // a pick the store never held (a link from another store)
    await s.refreshSnapshots(true);
    expect(s.pickedSnapshot.value).toBe(0);
  });

  it('keeps following its project when another project\'s snapshot arrives from elsewhere', async () => {
    const list = [snap(7), snap(4)];
    const s = createAppStore(fakeApi(list));
    await s.load();
    list.unshift(snap(8, 'finance'));
    await s.refreshSnapshots(true); // someone else's import
    expect(s.current.value?.id).toBe(7);
    expect(s.latest.value?.id).toBe(7);
    expect(s.arrived.value).toBeNull(); // the page did not move
    list.unshift(snap(9));
    await s.refreshSnapshots(true); // its own project's newer run is followed
    expect(s.current.value?.id).toBe(9);
    expect([s.arrived.value?.from.id, s.arrived.value?.to.id]).toEqual([7, 9]); // and said, with the run it showed
    s.selectSnapshot(0); // Latest picked again: the newest of all
    expect(s.arrived.value).toBeNull();
    list.unshift(snap(10, 'finance'));
    await s.refreshSnapshots(); // this window's own import
    expect(s.current.value?.id).toBe(10);
    expect(s.arrived.value).toBeNull(); // its own: nothing to say
    list.unshift(snap(11));
    await s.refreshSnapshots(true); // this window's own sync, its event first
    expect(s.current.value?.id).toBe(10);
    await s.showOwnChange(); // then the sync's end
    expect(s.current.value?.id).toBe(11);
    // The sync's event read while its answer arrives does not pin the page.
    s.selectSnapshot(7);
    s.selectSnapshot(0);
    list.unshift(snap(12, 'finance'));
    const event = s.refreshSnapshots(true);
    await s.showOwnChange();
    await event;
    expect(s.current.value?.id).toBe(12);
  });

  it('deleting the snapshot shown shows its project\'s newest left, not another project\'s', async () => {
    const list = [snap(9, 'finance'), snap(7), snap(4)];
    const api = fakeApi(list);
    api.deleteSnapshot = vi.fn(async (id: number) => { list.splice(list.findIndex((x) => x.id === id), 1); });
    const s = createAppStore(api);
    await s.load();
    s.selectSnapshot(7);
    const seen: number[] = [];
    const stop = effect(() => { seen.push(s.current.value?.id ?? 0); });
    expect(await s.deleteSnapshot(7)).toBe(4);
    stop();
    expect(s.current.value?.id).toBe(4);
    expect(seen).toEqual([7, 4]); // never another project's between
    expect(await s.deleteSnapshot(9)).toBeNull(); // not the one shown
    expect(s.current.value?.id).toBe(4);
    expect(await s.deleteSnapshot(4)).toBe(0); // its project's last: no snapshot named
  });

  it('following the newest, deleting it follows its project\'s newest left', async () => {
    const list = [snap(3), snap(2), snap(1, 'finance')];
    const api = fakeApi(list);
    api.deleteSnapshot = vi.fn(async (id: number) => { list.splice(list.findIndex((x) => x.id === id), 1); });
    const s = createAppStore(api);
    await s.load();
    expect(s.current.value?.id).toBe(3);
    expect(await s.deleteSnapshot(3)).toBeNull(); // the address names none
    expect(s.pickedSnapshot.value).toBe(0);
    expect(s.current.value?.id).toBe(2);
  });

  it('deletes snapshots one after another, saying which, and stops at the first that fails', async () => {
    const list = [snap(9), snap(8), snap(7), snap(6)];
    const api = fakeApi(list);
    const labels: (string | null)[] = [];
    api.deleteSnapshot = vi.fn(async (id: number) => {
      labels.push(s.busy.value);
      if (id === 7) throw new ApiError('internal', 'disk full');
      list.splice(list.findIndex((x) => x.id === id), 1);
    });
    const s = createAppStore(api);
    await s.load();
    await expect(s.deleteSnapshots([6, 7, 8])).rejects.toThrow('disk full');
    expect(labels).toEqual(['Deleting snapshot 1 of 3…', 'Deleting snapshot 2 of 3…']);
    expect(api.deleteSnapshot).toHaveBeenCalledTimes(2);
    expect(s.snapshots.value.map((x) => x.id)).toEqual([9, 8, 7]); // read again after the failure
    expect(s.error.value?.message).toContain('disk full');
  });

  it('is empty only after loading a store without snapshots', async () => {
    const s = createAppStore(fakeApi([]));
    expect(s.isEmpty.value).toBe(false);
    await s.load();
    expect(s.isEmpty.value).toBe(true);
    expect(s.snapshotId.value).toBe(0);
  });

  it('shows the demo snapshot after OpenDemo', async () => {
    const list: Snapshot[] = [];
    const api = fakeApi(list);
    (api.openDemo as ReturnType<typeof vi.fn>).mockImplementation(async () => {
      list.unshift(snap(9));
      return { snapshot_id: 9, project: 'jaffle_shop', dbt_version: '1.9', schema_versions: {}, counts: {}, warnings: [] };
    });
    const s = createAppStore(api);
    await s.load();
    await s.openDemo();
    expect(s.current.value?.id).toBe(9);
    expect(s.busy.value).toBeNull();
  });

  it('keeps a failed load as an ApiError', async () => {
    const api = fakeApi([]);
    (api.status as ReturnType<typeof vi.fn>).mockRejectedValue(new ApiError('internal', 'database is locked'));
    const s = createAppStore(api);
    await s.load();
    expect(s.error.value?.message).toBe('database is locked');
    expect(s.loading.value).toBe(false);
  });
});

describe('search store', () => {
  const result = (text: string, n: number): SearchResult => ({
    hits: Array.from({ length: n }, (_, i) => ({ unique_id: `model.p.${text}${i}`, resource_type: 'model', name: `${text}${i}`, package: 'p', matched_in: 'name', test_summary: { total: 0, pass: 0, warn: 0, fail: 0, error: 0, skipped: 0 } })),
    total: n,
    by_type: { model: n },
  });

  it('debounces typing into one query with the current snapshot and facets', async () => {
    const search = vi.fn(async (_s: number, q: { text: string }) => result(q.text, 2));
    let snapshot = 3;
    const s = createSearchStore({ search }, { snapshotId: () => snapshot, debounceMs: 5 });
    void s.setText('c');
    void s.setText('cu');
    await s.setText('cus');
    expect(search).toHaveBeenCalledTimes(1);
    expect(search).toHaveBeenCalledWith(3, { text: 'cus', resource_types: undefined, limit: 50 });
    expect(s.hits.value.map((h) => h.name)).toEqual(['cus0', 'cus1']);
    snapshot = 5;
    await s.toggleType('model');
    expect(search).toHaveBeenLastCalledWith(5, { text: 'cus', resource_types: ['model'], limit: 50 });
  });

  it('drops an answer that arrives after a newer query was sent', async () => {
    const slow = deferred<SearchResult>();
    const fast = deferred<SearchResult>();
    const search = vi.fn().mockReturnValueOnce(slow.promise).mockReturnValueOnce(fast.promise);
    const s = createSearchStore({ search }, { snapshotId: () => 1, debounceMs: 0 });
    s.text.value = 'cu';
    const first = s.refresh();
    s.text.value = 'customers';
    const second = s.refresh();
    fast.resolve(result('customers', 1));
    await second;
    slow.resolve(result('cu', 4));
    await first;
    expect(s.hits.value.map((h) => h.name)).toEqual(['customers0']);
    expect(s.loading.value).toBe(false);
  });

  it('moves the active hit with wrap-around and clears on empty text', async () => {
    const s = createSearchStore({ search: vi.fn(async () => result('o', 3)) }, { snapshotId: () => 1, debounceMs: 0 });
    await s.setText('o');
    s.move(-1);
    expect(s.active.value).toBe(2);
    s.move(1);
    expect(s.active.value).toBe(0);
    await s.setText('  ');
    expect(s.result.value).toBeNull();
  });

  it('drops the type facets when cleared (Esc), so they do not hide the next search', async () => {
    const s = createSearchStore({ search: vi.fn(async () => result('o', 3)) }, { snapshotId: () => 1, debounceMs: 0 });
    await s.setText('o');
    await s.toggleType('model');
    expect(s.types.value).toEqual(['model']);
    s.clear();
    expect(s.types.value).toEqual([]);
    expect(s.text.value).toBe('');
  });

  it('searches every project when asked, with the projects picked, and the snapshot alone again after', async () => {
    const one = vi.fn(async () => result('o', 1));
    const all = vi.fn(async () => result('o', 3));
    const s = createSearchStore({ search: one, searchProjects: all }, { snapshotId: () => 7, debounceMs: 0 });
    await s.setText('orders');
    expect(one).toHaveBeenLastCalledWith(7, { text: 'orders', resource_types: undefined, limit: 50 });
    await s.setAllProjects(true);
    expect(all).toHaveBeenLastCalledWith(7, { text: 'orders', resource_types: undefined, limit: 50 }, []);
    expect(s.hits.value).toHaveLength(3);
    await s.toggleProject('finance');
    await s.toggleType('model');
    expect(all).toHaveBeenLastCalledWith(7, { text: 'orders', resource_types: ['model'], limit: 50 }, ['finance']);
    s.clear(); // Esc: the facets go, the scope stays
    expect(s.projects.value).toEqual([]);
    expect(s.allProjects.value).toBe(true);
    await s.setText('orders');
    expect(all).toHaveBeenLastCalledWith(7, { text: 'orders', resource_types: undefined, limit: 50 }, []);
    await s.toggleProject('finance');
    await s.setAllProjects(false); // forgets the project filter
    expect(s.projects.value).toEqual([]);
    expect(one).toHaveBeenCalledTimes(2);
    expect(s.hits.value).toHaveLength(1);
  });

  it('keeps the error of the latest query and measures latency', async () => {
    let t = 100;
    const s = createSearchStore({ search: vi.fn(async () => { t += 12; throw new ApiError('invalid', 'bad query syntax'); }) }, { snapshotId: () => 1, debounceMs: 0, now: () => t });
    await s.setText('"');
    expect(s.error.value?.code).toBe('invalid');
    const ok = createSearchStore({ search: vi.fn(async () => { t += 7; return result('x', 1); }) }, { snapshotId: () => 1, debounceMs: 0, now: () => t });
    await ok.setText('x');
    expect(ok.lastLatency.value).toBe(7);
  });
});

describe('sync store', () => {
  function bus() {
    const subs = new Map<string, (d: SyncProgress) => void>();
    return {
      subscribe: (name: string, cb: (d: SyncProgress) => void) => {
        subs.set(name, cb);
        return () => subs.delete(name);
      },
      emit: (name: string, d: SyncProgress) => subs.get(name)?.(d),
    };
  }

  it('tracks progress events per connection while Sync runs, and the result after', async () => {
    const b = bus();
    const done = deferred<{ status: string }>();
    const api = { sync: vi.fn(() => done.promise), cancelSync: vi.fn(async () => undefined), runningSyncs: vi.fn(async () => []) };
    const s = createSyncStore(api as never, b.subscribe);
    const running = s.start('prod');
    expect(s.state('prod').running).toBe(true);
    expect(api.sync).toHaveBeenCalledWith('prod', 0);
    b.emit('sync:progress', { connection: 'prod', phase: 'download', bytes: 512, total_bytes: 2048, items: 1, total_items: 4 });
    b.emit('sync:progress', { connection: 'other', phase: 'discover' });
    expect(s.state('prod').progress?.phase).toBe('download');
    expect(s.fraction(s.state('prod').progress)).toBe(0.25);
    expect(s.state('other').progress?.phase).toBe('discover');
    expect(await s.start('prod')).toBeNull(); // one sync per connection at a time
    b.emit('sync:progress', { connection: 'prod', phase: 'done', done: true });
    done.resolve({ status: 'succeeded' });
    await running;
    expect(s.state('prod').running).toBe(false);
    expect(s.state('prod').result).toEqual({ status: 'succeeded' });
    expect(s.fraction(s.state('prod').progress)).toBe(1);
  });

  it('keeps a failed or cancelled sync as an error and calls CancelSync', async () => {
    const b = bus();
    const api = { sync: vi.fn(async () => { throw new ApiError('canceled', 'sync of prod was cancelled'); }), cancelSync: vi.fn(async () => undefined), runningSyncs: vi.fn(async () => []) };
    const s = createSyncStore(api as never, b.subscribe);
    await s.cancel('prod');
    expect(api.cancelSync).toHaveBeenCalledWith('prod');
    await s.start('prod');
    expect(s.state('prod').error?.code).toBe('canceled');
    expect(s.state('prod').running).toBe(false);
    expect(s.fraction({ connection: 'prod', phase: 'download', bytes: 5 })).toBeNull();
  });

  it('shows a sync started before the page opened as running, until its last event', async () => {
    const b = bus();
    const api = { sync: vi.fn(), cancelSync: vi.fn(async () => undefined), runningSyncs: vi.fn(async () => ['prod']) };
    const s = createSyncStore(api as never, b.subscribe);
    await s.adoptRunning();
    expect(s.state('prod').running).toBe(true);
    expect(s.state('other').running).toBe(false);
    await s.cancel('prod');
    expect(api.cancelSync).toHaveBeenCalledWith('prod');
    b.emit('sync:progress', { connection: 'prod', phase: 'download', bytes: 5 });
    expect(s.state('prod').running).toBe(true);
    b.emit('sync:progress', { connection: 'prod', phase: 'canceled', error: 'sync "prod" cancelled', done: true });
    expect(s.state('prod').running).toBe(false);
    expect(s.state('prod').progress?.error).toBe('sync "prod" cancelled');
    expect(api.sync).not.toHaveBeenCalled();
  });

  it('does not take a sync that ended while RunningSyncs answered for running', async () => {
    const b = bus();
    const answer = deferred<string[]>();
    const api = { sync: vi.fn(), cancelSync: vi.fn(async () => undefined), runningSyncs: vi.fn(() => answer.promise) };
    const s = createSyncStore(api as never, b.subscribe);
    const adopted = s.adoptRunning();
    b.emit('sync:progress', { connection: 'prod', phase: 'done', done: true }); // its last event, first
    answer.resolve(['prod']); // asked while it still ran
    await adopted;
    expect(s.state('prod').running).toBe(false);
  });
});
