import type { Route } from './router';

/**
 * The window's title for a page: what it shows, so a screen reader, the
 * tabs and the history tell pages apart (QA: every page was "Lineage Desk").
 */
export function pageTitle(r: Route): string {
  const [section, ...rest] = r.path;
  const shown = (() => {
    switch (section) {
      case 'node':
        return rest.length ? `${rest.join('/').split('.').slice(2).join('.') || rest.join('/')} (${rest[0].split('.')[0]})` : 'Browse';
      case 'lineage':
        return r.query.select ? `Lineage of ${r.query.select}` : 'Lineage';
      case 'browse':
        return 'Browse';
      case 'connections':
        return rest[0] ? `Connection ${rest[0]}` : 'Connections';
      case 'import':
        return 'Import';
    }
    return 'Project';
  })();
  return `${shown} · Lineage Desk`;
}
