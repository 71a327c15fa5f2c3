// App-wide state: the status, the snapshot list, which snapshot is shown and
// which resource is selected. Created with the API it talks to, so tests can
// hand it a fake.
import { batch, computed, signal } from '@preact/signals';
import type { Api, Snapshot, Status } from '../api';
import { ApiError } from '../api/transport';
import { latestOf } from '../lib/snapshots';

export type AppApi = Pick<Api, 'status' | 'snapshots' | 'openDemo' | 'importPaths' | 'deleteSnapshot' | 'compactStore'>;

export function createAppStore(api: AppApi) {
  const status = signal<Status | null>(null);
  const snapshots = signal<Snapshot[]>([]);
  /** The snapshot the user picked; 0 follows the newest one. */
  const pickedSnapshot = signal(0);
  /**
   * Following the newest, the project whose newest is shown once another
   * project's snapshot arrived from elsewhere ('' while none did): a window
   * on one project is not switched to another by someone's import.
   */
  const followedProject = signal('');
  /** Counts this page's own changes shown (showOwnChange). */
  let ownChanges = 0;
  const selection = signal<string | null>(null);
  const loading = signal(false);
  const error = signal<ApiError | null>(null);
  const busy = signal<string | null>(null);

  /** The newest snapshot "Latest" shows: of the followed project, else of all. */
  const latest = computed<Snapshot | null>(() => {
    const list = snapshots.value;
    const project = followedProject.value;
    return (project && latestOf(list.filter((s) => s.project === project))) || latestOf(list) || null;
  });
  const current = computed<Snapshot | null>(() => {
    const id = pickedSnapshot.value;
    return (id && snapshots.value.find((s) => s.id === id)) || latest.value;
  });
  /** The id to pass to API calls: the current snapshot's, or 0 (latest). */
  const snapshotId = computed(() => current.value?.id ?? 0);
  /** The run a page following the newest moved to, stored by another process, and the one it showed. */
  const arrived = signal<{ from: Snapshot; to: Snapshot; completed?: boolean } | null>(null);
  const isEmpty = computed(() => !loading.value && status.value !== null && snapshots.value.length === 0);

  async function load(): Promise<void> {
    loading.value = true;
    error.value = null;
    try {
      const [st, snaps] = await Promise.all([api.status(), api.snapshots()]);
      status.value = st;
      snapshots.value = snaps;
      if (pickedSnapshot.value && !snaps.some((s) => s.id === pickedSnapshot.value)) pickedSnapshot.value = 0;
    } catch (err) {
      error.value = err instanceof ApiError ? err : new ApiError('internal', String(err));
    } finally {
      loading.value = false;
    }
  }

  /**
   * Reads the snapshot list again, and the status with it (the store's size
   * changes with it). stayOnProject: the change came from elsewhere (another
   * window's or process's import), so a window following the newest keeps
   * following its project's newest.
   */
  async function refreshSnapshots(stayOnProject = false): Promise<void> {
    try {
      const shown = current.peek();
      const known = new Set(snapshots.peek().map((s) => s.id));
      const asOf = ownChanges;
      const [st, snaps] = await Promise.all([api.status(), api.snapshots()]);
      status.value = st;
      const newest = latestOf(snaps);
      // An own change that came meanwhile decides (its event may be read
      // while the sync's answer arrives).
      const fromElsewhere = stayOnProject && asOf === ownChanges;
      if (fromElsewhere && !pickedSnapshot.peek() && shown && newest && newest.project !== shown.project) {
        followedProject.value = shown.project;
      }
      const picked = pickedSnapshot.peek();
      const lost = !!picked && !snaps.some((s) => s.id === picked);
      const gone = lost ? snapshots.peek().find((s) => s.id === picked) : undefined;
      // A run picked, then completed by another process (a watch stores a
      // run's manifest as it begins, then the whole run in its place): the
      // page stays on that run, now whole, and says so.
      const whole = gone?.invocation_id ? snaps.find((s) => s.project === gone.project && s.invocation_id === gone.invocation_id && s.generated_at === gone.generated_at) : undefined;
      batch(() => {
        snapshots.value = snaps;
        if (lost) pickedSnapshot.value = whole?.id ?? 0;
        if (gone && whole) arrived.value = { from: gone, to: whole, completed: true };
      });
      if (gone && whole) return;
      // A page following the newest moved to a run another process stored:
      // said, with the way back (QA: it moved silently, and a node the new
      // run lacks became a bare "not found").
      // Only a run new to the list (not the one before, shown as the newest
      // is deleted); one that replaces the run just said (a watch's, whole
      // once its results came) keeps the run shown before it as the way back.
      const now = current.peek();
      if (fromElsewhere && shown && now && now.id !== shown.id && !known.has(now.id) && !pickedSnapshot.peek()) {
        const said = arrived.peek();
        const replaced = said && said.to.id === shown.id && !snaps.some((s) => s.id === shown.id);
        arrived.value = { from: replaced ? said.from : shown, to: now };
      }
    } catch (err) {
      error.value = err instanceof ApiError ? err : new ApiError('internal', String(err));
    }
  }

  /**
   * After this page's own sync: a page following the newest shows the
   * newest of all again, the synced run, though its events came in as
   * changes from elsewhere while it ran.
   */
  async function showOwnChange(): Promise<void> {
    ownChanges++;
    arrived.value = null;
    followedProject.value = '';
    await refreshSnapshots();
  }

  function selectSnapshot(id: number): void {
    arrived.value = null;
    pickedSnapshot.value = id;
    followedProject.value = ''; // Latest picked again is the newest of all
    selection.value = null;
  }

  function select(uniqueID: string | null): void {
    selection.value = uniqueID;
  }

  async function run<T>(label: string, fn: () => Promise<T>): Promise<T> {
    busy.value = label;
    error.value = null;
    try {
      return await fn();
    } catch (err) {
      const e = err instanceof ApiError ? err : new ApiError('internal', String(err));
      error.value = e;
      throw e;
    } finally {
      busy.value = null;
    }
  }

  async function openDemo() {
    const res = await run('Opening the demo project…', () => api.openDemo());
    await refreshSnapshots();
    selectSnapshot(res.snapshot_id);
    return res;
  }

  async function importPaths(paths: string[], name: string) {
    const res = await run('Importing…', () => api.importPaths(paths, name));
    await refreshSnapshots();
    selectSnapshot(res.snapshot_id);
    return res;
  }

  /**
   * Deletes a snapshot. The one shown gives way to its project's newest
   * left, not to another project's (QA: deleting the run looked at showed
   * another project, under a notice of a broken link).
   */
  async function deleteSnapshot(id: number): Promise<number | null> {
    arrived.value = null;
    const shown = current.peek();
    const following = !pickedSnapshot.peek();
    await run('Deleting snapshot…', () => api.deleteSnapshot(id));
    if (shown?.id !== id) {
      await refreshSnapshots();
      return null;
    }
    const [st, snaps] = await Promise.all([api.status(), api.snapshots()]);
    const next = latestOf(snaps.filter((s) => s.project === shown.project));
    // One change, so no page draws the list without the shown snapshot
    // before its replacement is picked (another project, under a notice).
    batch(() => {
      status.value = st;
      snapshots.value = snaps;
      selection.value = null;
      if (following) {
        // Still following: its project's newest, as before the delete.
        pickedSnapshot.value = 0;
        followedProject.value = next ? shown.project : '';
      } else {
        pickedSnapshot.value = next?.id ?? 0;
        followedProject.value = '';
      }
    });
    // The address: the replacement, or none (0) when the project has no
    // run left; a page that followed the newest names none either way.
    return following ? null : next?.id ?? 0;
  }

  /** Deletes snapshots one after another (each its own transaction), saying which; stops at the first that fails. */
  async function deleteSnapshots(ids: number[]) {
    arrived.value = null;
    try {
      for (const [i, id] of ids.entries()) {
        await run(`Deleting snapshot ${i + 1} of ${ids.length}…`, () => api.deleteSnapshot(id));
      }
    } finally {
      await refreshSnapshots();
    }
  }

  /** Gives the space deleted snapshots left back to the file system. */
  async function compactStore() {
    const res = await run('Compacting the store…', () => api.compactStore());
    await refreshSnapshots();
    return res;
  }

  return {
    status, snapshots, pickedSnapshot, selection, loading, error, busy,
    latest, current, snapshotId, isEmpty, arrived,
    load, refreshSnapshots, showOwnChange, selectSnapshot, select, openDemo, importPaths, deleteSnapshot, deleteSnapshots, compactStore,
  };
}

export type AppStore = ReturnType<typeof createAppStore>;
