// Point-and-click filters for the lineage picture: what it draws, by
// resource type, package, materialization, tag, dbt group and access, each value a dbt
// selector atom (resource_type:seed) that unticking adds to --exclude, so
// the Exclude field, a link, a saved view and an export all say it.
import type { GraphNode } from '../../api/types';

export interface FacetValue {
  value: string;
  /** The selector atom that leaves it out: resource_type:seed, tag:nightly. */
  atom: string;
  /** Nodes of the picture with this value (0 for a value left out). */
  count: number;
  hidden: boolean;
}

export interface FacetGroup {
  label: string;
  method: string;
  values: FacetValue[];
  /** Each node has one value (a type, a package): "only" one leaves the others out. */
  single: boolean;
}

const METHODS: { label: string; method: string; single: boolean; values: (n: GraphNode) => (string | undefined)[] }[] = [
  { label: 'Type', method: 'resource_type', single: true, values: (n) => [n.resource_type] },
  { label: 'Package', method: 'package', single: true, values: (n) => [n.package] },
  // Only models: a seed's or a snapshot's materialization is its type.
  { label: 'Materialized', method: 'config.materialized', single: false, values: (n) => (n.resource_type === 'model' ? [n.materialized] : []) },
  { label: 'Tag', method: 'tag', single: false, values: (n) => n.tags ?? [] },
  // dbt groups and access (models only: the rest have none, and stay).
  { label: 'Group', method: 'group', single: false, values: (n) => [n.group] },
  { label: 'Access', method: 'access', single: false, values: (n) => (n.resource_type === 'model' ? [n.access] : []) },
];

// A value a selector atom can carry as it is: dbt splits a selector on
// white space and commas, reads + and @ as graph operators and * ? [ as
// wildcards.
const PLAIN = /^[^\s,+@"'*?[]+$/;

/** The atoms of an --exclude, as dbt splits it (white space). */
export function excludeAtoms(exclude: string): string[] {
  return exclude.split(/\s+/).filter(Boolean);
}

/** The --exclude with atom added (hide) or taken out, the rest of it as it was. */
export function toggleAtom(exclude: string, atom: string, hide: boolean): string {
  const atoms = excludeAtoms(exclude).filter((a) => a !== atom);
  if (hide) atoms.push(atom);
  return atoms.join(' ');
}

/**
 * The facets of a picture's nodes, each value with how many nodes have it,
 * most first, and those the --exclude leaves out (unticked, with no count:
 * the picture no longer has them). A facet with one value and nothing
 * left out says nothing and is not listed.
 */
export function facetGroups(nodes: GraphNode[], exclude: string): FacetGroup[] {
  const hidden = new Set(excludeAtoms(exclude));
  const groups: FacetGroup[] = [];
  for (const { label, method, single, values } of METHODS) {
    const counts = new Map<string, number>();
    for (const n of nodes) {
      for (const v of new Set(values(n))) {
        if (v && PLAIN.test(v)) counts.set(v, (counts.get(v) ?? 0) + 1);
      }
    }
    for (const atom of hidden) {
      if (atom.startsWith(`${method}:`)) {
        const v = atom.slice(method.length + 1);
        if (v && !counts.has(v)) counts.set(v, 0);
      }
    }
    const list = [...counts].map(([value, count]) => ({ value, atom: `${method}:${value}`, count, hidden: hidden.has(`${method}:${value}`) }));
    if (list.length < 2 && !list.some((v) => v.hidden)) continue;
    list.sort((a, b) => b.count - a.count || a.value.localeCompare(b.value));
    groups.push({ label, method, values: list, single });
  }
  return groups;
}

/** How many of the --exclude's atoms the facets account for. */
export function hiddenCount(exclude: string): number {
  return excludeAtoms(exclude).filter((a) => METHODS.some(({ method }) => a.startsWith(`${method}:`) && PLAIN.test(a.slice(method.length + 1)))).length;
}

/** The --exclude that keeps only value of a facet whose nodes have one value each: every other value of it left out. */
export function onlyValue(exclude: string, group: FacetGroup, value: FacetValue): string {
  return group.values.reduce((ex, v) => toggleAtom(ex, v.atom, v.atom !== value.atom), exclude);
}
