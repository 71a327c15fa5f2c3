// Instant search: debounced while typing, and an answer that arrives after a
// newer query was sent is dropped, so the list never jumps back.
import { computed, signal } from '@preact/signals';
import type { Api, SearchResult } from '../api';
import { ApiError } from '../api/transport';

export type SearchApi = Pick<Api, 'search' | 'searchProjects'>;

export interface SearchOptions {
  debounceMs?: number;
  limit?: number;
  /** The snapshot to search (0 = latest); read at query time. */
  snapshotId: () => number;
  now?: () => number;
}

export function createSearchStore(api: SearchApi, opts: SearchOptions) {
  const debounceMs = opts.debounceMs ?? 60;
  const now = opts.now ?? (() => (typeof performance !== 'undefined' ? performance.now() : Date.now()));
  const text = signal('');
  const types = signal<string[]>([]);
  /** Search every project the store holds (each one's run read with the snapshot at hand), not the snapshot's alone. */
  const allProjects = signal(false);
  /** With allProjects: the projects whose hits to keep (none: all). */
  const projects = signal<string[]>([]);
  const result = signal<SearchResult | null>(null);
  const loading = signal(false);
  const error = signal<ApiError | null>(null);
  const active = signal(0);
  /** Milliseconds from sending the latest applied query to its answer. */
  const lastLatency = signal<number | null>(null);
  /** When the query whose answer is shown was sent (performance.now()). */
  const lastStarted = signal<number | null>(null);
  /** The text of the query whose answer is shown. */
  const lastQuery = signal('');

  let seq = 0;
  let timer: ReturnType<typeof setTimeout> | null = null;

  const hits = computed(() => result.value?.hits ?? []);

  async function runQuery(): Promise<void> {
    const mine = ++seq;
    const q = text.value.trim();
    if (q === '') {
      result.value = null;
      loading.value = false;
      error.value = null;
      return;
    }
    loading.value = true;
    const started = now();
    try {
      const query = { text: q, resource_types: types.value.length ? types.value : undefined, limit: opts.limit ?? 50 };
      const res = allProjects.value
        ? await api.searchProjects(opts.snapshotId(), query, projects.value)
        : await api.search(opts.snapshotId(), query);
      if (mine !== seq) return; // a newer query is on its way
      result.value = res;
      error.value = null;
      active.value = 0;
      lastLatency.value = now() - started;
      lastStarted.value = started;
      lastQuery.value = q;
    } catch (err) {
      if (mine !== seq) return;
      error.value = err instanceof ApiError ? err : new ApiError('internal', String(err));
      result.value = null;
    } finally {
      if (mine === seq) loading.value = false;
    }
  }

  function schedule(): Promise<void> {
    if (timer) clearTimeout(timer);
    return new Promise((resolve) => {
      timer = setTimeout(() => {
        timer = null;
        void runQuery().then(resolve);
      }, debounceMs);
    });
  }

  function setText(t: string): Promise<void> {
    text.value = t;
    if (t.trim() === '') {
      if (timer) clearTimeout(timer);
      seq++;
      result.value = null;
      loading.value = false;
      return Promise.resolve();
    }
    return schedule();
  }

  function toggleType(t: string): Promise<void> {
    types.value = types.value.includes(t) ? types.value.filter((x) => x !== t) : [...types.value, t];
    return text.value.trim() ? runQuery() : Promise.resolve();
  }

  /** Searches every project, or the snapshot's alone again (forgetting the project filter). */
  function setAllProjects(on: boolean): Promise<void> {
    allProjects.value = on;
    projects.value = [];
    return text.value.trim() ? runQuery() : Promise.resolve();
  }

  function toggleProject(p: string): Promise<void> {
    projects.value = projects.value.includes(p) ? projects.value.filter((x) => x !== p) : [...projects.value, p];
    return text.value.trim() ? runQuery() : Promise.resolve();
  }

  function move(delta: number): void {
    const n = hits.value.length;
    if (n === 0) return;
    active.value = (active.value + delta + n) % n;
  }

  /** Starts over: no text, and no type or project facets left to hide the next search's hits (the scope stays). */
  function clear(): void {
    if (timer) clearTimeout(timer);
    seq++;
    text.value = '';
    types.value = [];
    projects.value = [];
    result.value = null;
    loading.value = false;
    active.value = 0;
  }

  return { text, types, allProjects, projects, result, hits, loading, error, active, lastLatency, lastStarted, lastQuery, setText, toggleType, setAllProjects, toggleProject, move, clear, refresh: runQuery };
}

export type SearchStore = ReturnType<typeof createSearchStore>;
