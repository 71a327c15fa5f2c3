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
  const path = pathPart.split('/').filter(Boolean).map((p) => {
    try {
      return decodeURIComponent(p);
    } catch {
      return p;
    }
  });
  const query: Record<string, string> = {};
  for (const [k, v] of new URLSearchParams(queryPart)) query[k] = v;
  return { path, query };
}

export function buildHash(path: string[], query: Record<string, string | number | boolean | undefined | null> = {}): string {
  const p = '#/' + path.map((s) => encodeURIComponent(s)).join('/');
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries(query)) {
    if (v === undefined || v === null || v === '' || v === false) continue;
    q.set(k, String(v));
  }
  const qs = q.toString();
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

export function href(path: string[], query: Query = {}): string {
  return buildHash(path, withSticky(query));
}

/** The current view as a link that reopens it on the same snapshot. */
export function shareableLink(snapshotId: number): string {
  const r = route.value;
  const h = buildHash(r.path, { ...r.query, snap: snapshotId || undefined });
  return location.origin + location.pathname + h;
}
