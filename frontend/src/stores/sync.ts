// dbt Cloud sync state: live progress per connection (from sync:progress
// events), which syncs are running, and their outcome.
import { signal } from '@preact/signals';
import type { Api, SyncProgress, SyncResult } from '../api';
import { EVENT_SYNC_PROGRESS } from '../api/types';
import { ApiError } from '../api/transport';

export type SyncApi = Pick<Api, 'sync' | 'cancelSync' | 'runningSyncs'>;
export type Subscribe = (name: string, cb: (data: SyncProgress) => void) => () => void;

export interface SyncState {
  running: boolean;
  progress: SyncProgress | null;
  result: SyncResult | null;
  error: ApiError | null;
}

const idle: SyncState = { running: false, progress: null, result: null, error: null };

export function createSyncStore(api: SyncApi, subscribe: Subscribe) {
  const byConnection = signal<Record<string, SyncState>>({});

  function patch(name: string, p: Partial<SyncState>): void {
    const cur = byConnection.value[name] ?? idle;
    byConnection.value = { ...byConnection.value, [name]: { ...cur, ...p } };
  }

  // When each connection's last sync ended here: an answer of RunningSyncs
  // asked before that is out of date.
  const finishedAt = new Map<string, number>();
  const unsubscribe = subscribe(EVENT_SYNC_PROGRESS, (ev) => {
    if (!ev || typeof ev.connection !== 'string') return;
    // The last event ends the sync here too: a page reloaded meanwhile has
    // no call of its own waiting for the end.
    const finished = ev.done || ev.phase === 'done' || ev.phase === 'failed' || ev.phase === 'canceled';
    if (finished) finishedAt.set(ev.connection, Date.now());
    patch(ev.connection, { progress: ev, running: !finished });
  });

  function state(name: string): SyncState {
    return byConnection.value[name] ?? idle;
  }

  async function start(name: string, runID = 0): Promise<SyncResult | null> {
    if (state(name).running) return null;
    patch(name, { running: true, result: null, error: null, progress: { connection: name, phase: 'discover', message: 'Starting…' } });
    try {
      const result = await api.sync(name, runID);
      patch(name, { running: false, result });
      return result;
    } catch (err) {
      const e = err instanceof ApiError ? err : new ApiError('internal', String(err));
      patch(name, { running: false, error: e });
      return null;
    }
  }

  /**
   * Marks the syncs already running when the page opened (a reload during
   * one), so they show as running and can be cancelled.
   */
  async function adoptRunning(): Promise<void> {
    const asked = Date.now();
    let names: string[];
    try {
      names = await api.runningSyncs();
    } catch {
      return; // the page still works; a sync's next event shows it
    }
    for (const name of names) {
      const cur = state(name);
      // Running, or ended while the answer came (its last event first).
      if (cur.running || (finishedAt.get(name) ?? -1) >= asked) continue;
      patch(name, { running: true, result: null, error: null, progress: cur.progress ?? { connection: name, phase: 'running', message: 'started before this page was opened' } });
    }
  }

  async function cancel(name: string): Promise<void> {
    try {
      await api.cancelSync(name);
    } catch (err) {
      // not_found: the sync finished meanwhile; nothing to cancel.
      const e = err instanceof ApiError ? err : new ApiError('internal', String(err));
      if (e.code !== 'not_found') patch(name, { error: e });
    }
  }

  /** Fraction done (0..1) or null when the size is unknown. */
  function fraction(p: SyncProgress | null): number | null {
    if (!p) return null;
    if (p.phase === 'done' || p.done) return 1;
    if (p.total_bytes && p.total_bytes > 0) return Math.min(1, (p.bytes ?? 0) / p.total_bytes);
    if (p.total_items && p.total_items > 0) return Math.min(1, (p.items ?? 0) / p.total_items);
    return null;
  }

  return { byConnection, state, start, adoptRunning, cancel, fraction, dispose: unsubscribe };
}

export type SyncStore = ReturnType<typeof createSyncStore>;
