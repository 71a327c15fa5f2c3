// Hash routing, so deep links work the same in the desktop window (which
// serves a fixed index.html) and in the browser: #/node/<id>?snap=3.
import { signal } from '@preact/signals';

export interface Route {
  path: string[];
  query: Record<string, string>;
}

export function parseHash(hash: string): Route {
  const h = hash.replace(/^#/, '');
  const qi = h.indexOf('?');
  const pathPart = qi >= 0 ? h.slice(0, qi) : h;
  const queryPart = qi >= 0 ? h.slice(qi + 1) : '';
  const path = pathPart.split('/').filter(Boolean).map(decodePart);
  // Not URLSearchParams: it reads '+' as a space, and '+' is dbt's graph
  // operator, so ?select=+orders+ typed or pasted by hand lost it.
  const query: Record<string, string> = {};
  for (const pair of queryPart.split('&')) {
    if (!pair) continue;
    const eq = pair.indexOf('=');
    const [k, v] = eq >= 0 ? [pair.slice(0, eq), pair.slice(eq + 1)] : [pair, ''];
    query[decodePart(k)] = decodePart(v);
  }
  return { path, query };
}

function decodePart(s: string): string {
  try {
    return decodeURIComponent(s);
  } catch {
    return s;
  }
}

export function buildHash(path: string[], query: Record<string, string | number | boolean | undefined | null> = {}): string {
  const p = '#/' + path.map((s) => encodeURIComponent(s)).join('/');
  const qs = Object.entries(query)
    .filter(([, v]) => !(v === undefined || v === null || v === '' || v === false))
    .map(([k, v]) => `${encodeURIComponent(k)}=${encodeURIComponent(String(v))}`)
    .join('&');
  return qs ? `${p}?${qs}` : p;
}

export const route = signal<Route>(parseHash(typeof location !== 'undefined' ? location.hash : ''));

type Query = Record<string, string | number | boolean | undefined | null>;

/**
 * What every in-app link and navigation carries unless it names the key
 * itself: the snapshot shown (snap=), so the address always says which one,
 * and a reload, Back or a copied address shows it again.
 */
export const stickyQuery = signal<Record<string, string>>({});

function withSticky(query: Query): Query {
  return { ...stickyQuery.value, ...query };
}

export function startRouter(): void {
  window.addEventListener('hashchange', () => {
    route.value = parseHash(location.hash);
  });
}

export function navigate(path: string[], query: Query = {}, replace = false): void {
  const h = buildHash(path, withSticky(query));
  if (replace) {
    history.replaceState(null, '', h);
    route.value = parseHash(h);
  } else if (location.hash !== h) {
    location.hash = h;
  }
}

/**
 * The query that opens a page in another snapshot: a node of another
 * project drawn across projects (dbt Mesh) has its page in that project's
 * run. Nothing for the snapshot shown (undefined or 0).
 */
export function inRun(snapshotId: number | undefined): Query {
  return snapshotId ? { snap: String(snapshotId) } : {};
}

export function href(path: string[], query: Query = {}): string {
  return buildHash(path, withSticky(query));
}

/** The current view as a link that reopens it on the same snapshot. */
export function shareableLink(snapshotId: number): string {
  const r = route.value;
  const h = buildHash(r.path, { ...r.query, snap: snapshotId || undefined });
  return location.origin + location.pathname + h;
}
