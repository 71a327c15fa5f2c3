import { describe, expect, it } from 'vitest';
import type { GraphNode } from '../../api/types';
import { excludeAtoms, facetGroups, hiddenCount, onlyValue, toggleAtom } from './facets';

const none = { total: 0, pass: 0, warn: 0, fail: 0, error: 0, skipped: 0 };
const node = (id: string, extra: Partial<GraphNode> = {}): GraphNode => {
  const [resource_type, pkg, name] = id.split('.');
  return { unique_id: id, resource_type, package: pkg, name, test_summary: none, ...extra };
};
const nodes = [
  node('model.shop.orders', { materialized: 'table', tags: ['finance', 'nightly'], access: 'public', group: 'sales' }),
  node('model.shop.customers', { materialized: 'table', tags: ['finance'], access: 'protected', group: 'sales' }),
  node('model.shop.stg_orders', { materialized: 'view', tags: ['nightly', 'fin*'] }),
  node('seed.shop.raw_orders', { materialized: 'seed', tags: ['nightly'] }),
  node('model.utils.date_spine', { materialized: 'ephemeral', access: 'private', group: 'platform' }),
];

describe('facetGroups', () => {
  it('counts each value, most first, a seed\'s materialization aside', () => {
    const groups = facetGroups(nodes, '');
    expect(groups.map((g) => g.label)).toEqual(['Type', 'Package', 'Materialized', 'Tag', 'Group', 'Access']);
    const values = (label: string) => groups.find((g) => g.label === label)!.values.map((v) => `${v.value} ${v.count}${v.hidden ? ' hidden' : ''}`);
    expect(values('Type')).toEqual(['model 4', 'seed 1']);
    expect(values('Package')).toEqual(['shop 4', 'utils 1']);
    expect(values('Materialized')).toEqual(['table 2', 'ephemeral 1', 'view 1']);
    // A tag with a wildcard would select others: no facet value.
    expect(values('Tag')).toEqual(['nightly 3', 'finance 2']);
    // A seed has no access; nodes of no group or access are left as they are.
    expect(values('Group')).toEqual(['sales 2', 'platform 1']);
    expect(values('Access')).toEqual(['private 1', 'protected 1', 'public 1']);
    expect(groups[0].values[1].atom).toBe('resource_type:seed');
    expect(groups[2].values[0].atom).toBe('config.materialized:table');
  });
  it('lists a value the exclude leaves out, unticked, and leaves out a facet of one value', () => {
    const drawn = nodes.filter((n) => n.resource_type !== 'seed');
    const groups = facetGroups(drawn, 'tag:deprecated+ resource_type:seed');
    const type = groups.find((g) => g.label === 'Type')!;
    expect(type.values).toEqual([
      { value: 'model', atom: 'resource_type:model', count: 4, hidden: false },
      { value: 'seed', atom: 'resource_type:seed', count: 0, hidden: true },
    ]);
    // One package value among the models of one package: nothing to filter.
    expect(facetGroups(nodes.slice(0, 3), '').map((g) => g.label)).toEqual(['Materialized', 'Tag', 'Access']);
  });
});

describe('toggleAtom', () => {
  it('adds and takes out an atom, the rest of the exclude as it was', () => {
    expect(toggleAtom('', 'resource_type:seed', true)).toBe('resource_type:seed');
    expect(toggleAtom('tag:deprecated+  resource_type:seed', 'package:utils', true)).toBe('tag:deprecated+ resource_type:seed package:utils');
    expect(toggleAtom('tag:deprecated+ resource_type:seed', 'resource_type:seed', false)).toBe('tag:deprecated+');
    expect(toggleAtom('resource_type:seed', 'resource_type:seed', true)).toBe('resource_type:seed');
    expect(excludeAtoms('  a  b ')).toEqual(['a', 'b']);
  });
  it('counts the atoms the facets stand for', () => {
    expect(hiddenCount('tag:deprecated+ resource_type:seed package:utils tag:x orders')).toBe(3);
  });
});

describe('onlyValue', () => {
  it('leaves out every other value of a one-value facet, and brings the value back', () => {
    const groups = facetGroups(nodes, 'tag:old+ resource_type:model');
    const type = groups.find((g) => g.method === 'resource_type')!;
    expect(type.single).toBe(true);
    expect(groups.find((g) => g.method === 'tag')!.single).toBe(false);
    const model = type.values.find((v) => v.value === 'model')!;
    const seed = type.values.find((v) => v.value === 'seed')!;
    expect(onlyValue('tag:old+ resource_type:model', type, model)).toBe('tag:old+ resource_type:seed');
    expect(onlyValue('tag:old+', type, seed)).toBe('tag:old+ resource_type:model');
  });
});
