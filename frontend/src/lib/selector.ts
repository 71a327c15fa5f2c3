// Helpers for dbt selector strings: the selector that names one resource, and
// the depth (n+ / +n) of a single-term selector.
import type { GraphNode, ResourceSummary } from '../api/types';

type Named = Pick<ResourceSummary, 'unique_id' | 'resource_type' | 'name'> & { source_name?: string };

/** A selector value, quoted when it holds a space or comma (an exposure named "Pulse queries"). */
function value(v: string): string {
  return /[\s,]/.test(v) ? `"${v}"` : v;
}

/** A dbt selector that picks exactly this resource (as the CLI would accept). */
export function selectorFor(r: Named | GraphNode): string {
  const parts = r.unique_id.split('.');
  switch (r.resource_type) {
    case 'source': {
      const src = (r as GraphNode).source_name || parts[2] || '';
      const table = parts.slice(3).join('.') || r.name;
      return `source:${value(`${src}.${table}`)}`;
    }
    case 'exposure':
    case 'metric':
    case 'semantic_model':
    case 'saved_query':
    case 'unit_test':
      return `${r.resource_type}:${value(r.name)}`;
    case 'model': {
      // A version: customers.v2 (customers alone would pick every version).
      const version = /\.v(\d+(?:\.\d+)*)$/.exec(r.unique_id.slice(`model.${parts[1]}.${r.name}`.length));
      return value(version ? `${r.name}.v${version[1]}` : r.name);
    }
    default:
      return value(r.name);
  }
}

/** Resource type and name from a unique_id, for links to ids we only have as strings. */
export function parseUniqueId(id: string): { resource_type: string; name: string; package: string; source_name?: string } {
  const parts = id.split('.');
  const type = parts[0] ?? '';
  if (type === 'source') return { resource_type: type, package: parts[1] ?? '', source_name: parts[2], name: parts.slice(3).join('.') };
  return { resource_type: type, package: parts[1] ?? '', name: parts.slice(2).join('.') };
}

/** A unique_id's name as the app shows names: a model's version as "customers v2". */
export function idName(id: string): string {
  const p = parseUniqueId(id);
  return p.resource_type === 'model' ? p.name.replace(/\.v(\d[\d.]*)$/, ' v$1') : p.name;
}

/** A unique_id as a selector (Lineage Desk takes ids; quoted when it holds a space). */
export function idSelector(id: string): string {
  return /[\s,]/.test(id) ? `"${id}"` : id;
}

/**
 * The selector that picks exactly r among the resources it is known to sit
 * with: dbt's name and fqn rules also pick a semantic model, metric or
 * exposure named as a model (MetricFlow names them so), so then its unique_id.
 */
export function exactSelectorFor(r: Named, neighbours: Pick<ResourceSummary, 'unique_id' | 'resource_type' | 'name'>[]): string {
  const sel = selectorFor(r);
  if (sel !== value(r.name)) return sel; // typed (exposure:, source:) or a version: exact already
  const shared = neighbours.some((n) => n.unique_id !== r.unique_id && n.name === r.name && n.resource_type !== 'test' && n.resource_type !== 'source');
  return shared ? idSelector(r.unique_id) : sel;
}

/**
 * The selector that picks exactly r wherever it is: its typed or versioned
 * form, else its unique_id, since a bare name may also be a semantic
 * model's, a metric's or an exposure's not known here.
 */
export function preciseSelector(r: Named): string {
  const sel = selectorFor(r);
  return sel !== value(r.name) ? sel : idSelector(r.unique_id);
}

export function selectorForId(id: string): string {
  const p = parseUniqueId(id);
  // A unit test's id holds its model's name: the id is the one sure selector.
  if (p.resource_type === 'unit_test') return idSelector(id);
  return selectorFor({ unique_id: id, resource_type: p.resource_type, name: p.name, source_name: p.source_name });
}

export interface Depth {
  up: number | null; // null: no + on that side; Infinity: bare + (all ancestors)
  down: number | null;
  core: string;
}

// A count belongs to a + beside it: customers.v2 and 3rd_party end and
// start in digits that are part of the name.
const TERM = /^(?:(\d*)(\+))?(.+?)(?:(\+)(\d*))?$/;

/** Splits a single-term selector (no spaces or commas) into depth and core; null otherwise. */
export function parseDepth(sel: string): Depth | null {
  const s = sel.trim();
  if (!s || /[\s,]/.test(s) || s.startsWith('@')) return null;
  const m = TERM.exec(s);
  if (!m) return null;
  const [, upN, upPlus, core, downPlus, downN] = m;
  if ((upN && !upPlus) || (downN && !downPlus)) return null;
  if (core === '*') return null; // every node already: no depth to add or take
  return {
    up: upPlus ? (upN ? Number(upN) : Infinity) : null,
    down: downPlus ? (downN ? Number(downN) : Infinity) : null,
    core,
  };
}

/**
 * Whether a selector core names one resource (orders, customers.v2,
 * exposure:"Pulse queries", source:raw.orders), as the lineage of a node
 * opens: a depth worth keeping as the default is one chosen for a node, not
 * for a tag, a folder or a wildcard.
 */
export function namesOneNode(core: string): boolean {
  if (/[*?[]/.test(core)) return false;
  return !/^(tag|path|file|package|config\.[^:]+|resource_type|test_type|test_name|group|access|version|state|result|source_status|selector|fqn):/.test(core);
}

export function formatDepth(d: Depth): string {
  const up = d.up === null || d.up === 0 ? '' : d.up === Infinity ? '+' : `${d.up}+`;
  const down = d.down === null || d.down === 0 ? '' : d.down === Infinity ? '+' : `+${d.down}`;
  return `${up}${d.core}${down}`;
}

/** Changes the upstream or downstream depth of a single-term selector by delta. */
export function adjustDepth(sel: string, side: 'up' | 'down', delta: number): string | null {
  const d = parseDepth(sel);
  if (!d) return null;
  const cur = d[side];
  const base = cur === null ? 0 : cur === Infinity ? 9 : cur;
  d[side] = Math.max(0, base + delta);
  return formatDepth(d);
}

/** The words of a union, quotes kept whole: tag:a "exposure:Pulse queries"+1. */
function unionTerms(sel: string): string[] {
  return sel.match(/(?:[^\s"']+|"[^"]*"|'[^']*')+/g) ?? [];
}

/**
 * Widens a selection by one hop around core (the node panel's Expand
 * upstream/downstream): the union's term for core gets one more hop on that
 * side (none when it already has them all), or, without one, 1+core or
 * core+1 joins the union. Expanding twice is 2+core, not a second 1+core.
 */
export function expandAround(sel: string, core: string, side: 'up' | 'down'): string {
  const terms = unionTerms(sel);
  for (let i = 0; i < terms.length; i++) {
    const m = TERM.exec(terms[i]);
    if (!m || m[3] !== core || terms[i].includes(',')) continue;
    const [, upN, upPlus, , downPlus, downN] = m;
    if ((upN && !upPlus) || (downN && !downPlus)) continue;
    const d: Depth = { up: upPlus ? (upN ? Number(upN) : Infinity) : null, down: downPlus ? (downN ? Number(downN) : Infinity) : null, core };
    if (d[side] === Infinity) return sel;
    d[side] = (d[side] ?? 0) + 1;
    terms[i] = formatDepth(d);
    return terms.join(' ');
  }
  return `${sel} ${side === 'up' ? `1+${core}` : `${core}+1`}`;
}

// The resource type a project folder at the top of a package holds.
const TOP_FOLDERS: Record<string, string> = { models: 'model', seeds: 'seed', snapshots: 'snapshot', analyses: 'analysis', tests: 'test' };
// The layers of resource types (backend/lineage/layer.go); a model's layer
// (staging, intermediate, marts), read from its name or folder, has no selector.
const LAYER_TYPES: Record<string, string> = {
  sources: 'resource_type:source',
  seeds: 'resource_type:seed',
  snapshots: 'resource_type:snapshot',
  exposures: 'resource_type:exposure',
  analyses: 'resource_type:analysis',
  'semantic layer': 'resource_type:semantic_model resource_type:metric resource_type:saved_query',
};

/**
 * A selector for a group box's nodes (group:<kind>:<key>), to open the box:
 * package:P; a folder of the root project by path:, of a package by its fqn
 * (P/models/staging/crm is P.staging.crm: dbt reads path: in the root
 * project); the selection's own expression; a resource type's layer by
 * resource_type:. null for a schema or a models' layer, which no selector
 * names exactly.
 */
export function groupSelector(groupKey: string, rootProject = ''): string | null {
  const m = /^group:([^:]+):(.*)$/.exec(groupKey);
  if (!m) return null;
  const [, kind, key] = m;
  if (kind === 'package') return `package:${key}`;
  if (kind === 'selection') return key;
  if (kind === 'layer') return LAYER_TYPES[key] ?? null;
  // dbt's own method; a group's name is one word (dbt requires it).
  if (kind === 'group') return /^[\w-]+$/.test(key) ? `group:${key}` : null;
  if (kind !== 'folder') return null;
  const [pkg, top, ...dirs] = key.split('/');
  if (!pkg || !top || [pkg, top, ...dirs].some((p) => /[\s,.*?[]/.test(p))) return null;
  // In the root project path: takes the folder's sources too (fqn never
  // selects a source); a package's folder only its fqn names.
  if (pkg === rootProject) return `path:${[top, ...dirs].join('/')}`;
  if (dirs.length > 0) return [pkg, ...dirs].join('.');
  return TOP_FOLDERS[top] ? `package:${pkg},resource_type:${TOP_FOLDERS[top]}` : null;
}
