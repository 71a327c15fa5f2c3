export function formatBytes(n: number | undefined | null): string {
  if (!n) return '0 B';
  const units = ['B', 'KB', 'MB', 'GB'];
  let i = 0;
  let v = n;
  while (v >= 1024 && i < units.length - 1) {
    v /= 1024;
    i++;
  }
  return `${v < 10 && i > 0 ? v.toFixed(1) : Math.round(v)} ${units[i]}`;
}

export function formatDate(s: string | undefined | null): string {
  if (!s || s.startsWith('0001-')) return '—';
  const d = new Date(s);
  if (isNaN(d.getTime())) return s;
  return d.toLocaleString(undefined, { year: 'numeric', month: 'short', day: 'numeric', hour: '2-digit', minute: '2-digit' });
}

export function formatSeconds(s: number | undefined | null): string {
  if (s === undefined || s === null) return '—';
  if (s < 1) return `${Math.round(s * 1000)} ms`;
  if (s < 120) return `${s.toFixed(s < 10 ? 2 : 1)} s`;
  const m = Math.floor(s / 60);
  return `${m} min ${Math.round(s - m * 60)} s`;
}

export function formatAge(seconds: number | undefined | null): string {
  if (!seconds) return '—';
  if (seconds < 3600) return `${Math.round(seconds / 60)} min`;
  if (seconds < 86400 * 2) return `${(seconds / 3600).toFixed(1)} h`;
  return `${Math.round(seconds / 86400)} days`;
}

export function plural(n: number, one: string, many = one + 's'): string {
  return `${n.toLocaleString()} ${n === 1 ? one : many}`;
}

export const TYPE_LABELS: Record<string, string> = {
  model: 'Models', source: 'Sources', seed: 'Seeds', snapshot: 'Snapshots', test: 'Tests', unit_test: 'Unit tests',
  exposure: 'Exposures', metric: 'Metrics', semantic_model: 'Semantic models', saved_query: 'Saved queries',
  analysis: 'Analyses', operation: 'Operations', macro: 'Macros', doc: 'Docs', group: 'Groups', function: 'Functions',
};

export const TYPE_ORDER = ['model', 'source', 'seed', 'snapshot', 'exposure', 'metric', 'semantic_model', 'saved_query', 'test', 'unit_test', 'analysis', 'function', 'operation', 'macro', 'group', 'doc'];

/** Whether dbt holds SQL of a resource of this type (a seed's body is its CSV file). */
export function hasSQL(type: string): boolean {
  return ['model', 'snapshot', 'analysis', 'test', 'unit_test', 'operation', 'sql_operation'].includes(type);
}

/** The resource type a unique_id starts with (model.pkg.name: model). */
export function typeOfId(uniqueId: string): string {
  return uniqueId.slice(0, uniqueId.indexOf('.'));
}

export function typeOrder(t: string): number {
  const i = TYPE_ORDER.indexOf(t);
  return i < 0 ? 99 : i;
}

export function jsonText(v: unknown): string {
  if (v === undefined || v === null) return '';
  if (typeof v === 'string') return v;
  return JSON.stringify(v);
}

/** A dbt command as people type it: run_results' args.which "generate" is "dbt docs generate". */
export function dbtCommand(which: string): string {
  return which === 'generate' ? 'dbt docs generate' : `dbt ${which}`;
}

/** A resource's name as the pictures write it: a model version's with " v2". */
export function displayName(r: { name: string; version?: string }): string {
  return r.version ? `${r.name} v${r.version}` : r.name;
}

/**
 * A name that tells a resource from its namesakes in a list: a source as
 * dbt's source() names it, source_name.table (shopify.orders and
 * shopify_apac.orders read alike as orders), anything else as displayName.
 */
export function listedName(r: { unique_id: string; resource_type: string; name: string; version?: string }): string {
  if (r.resource_type === 'source') {
    const sourceName = r.unique_id.split('.')[2];
    if (sourceName) return `${sourceName}.${r.name}`;
  }
  return displayName(r);
}

/** A resource type as a noun for n of them: 1 model, 2 models, 3 semantic models, 2 analyses, 2 saved queries. */
export function typeNoun(resourceType: string, n: number): string {
  const noun = resourceType.replace(/_/g, ' ');
  if (n === 1) return noun;
  if (noun.endsWith('sis')) return noun.slice(0, -2) + 'es';
  if (noun.endsWith('y') && !noun.endsWith('ey')) return noun.slice(0, -1) + 'ies';
  return noun + 's';
}
