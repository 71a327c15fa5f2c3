// The app's singletons, wired to the real transport.
import { effect } from '@preact/signals';
import { api, onEvent } from './api';
import type { SyncProgress } from './api/types';
import { EVENT_SNAPSHOTS_CHANGED } from './api/types';
import { createAppStore } from './stores/app';
import { createSearchStore } from './stores/search';
import { createSyncStore } from './stores/sync';

export const app = createAppStore(api);
export const search = createSearchStore(api, { snapshotId: () => app.snapshotId.value, debounceMs: 50 });
export const syncs = createSyncStore(api, (name, cb) => onEvent<SyncProgress>(name, cb));

onEvent(EVENT_SNAPSHOTS_CHANGED, () => {
  void app.refreshSnapshots(true);
});

// Search results belong to a snapshot: when the shown snapshot changes, ask again.
let searchedSnapshot = 0;
effect(() => {
  const id = app.snapshotId.value;
  if (id === searchedSnapshot) return;
  searchedSnapshot = id;
  if (!search.text.peek().trim()) return;
  if (id) void search.refresh();
  else search.clear(); // no snapshot left to search
});
