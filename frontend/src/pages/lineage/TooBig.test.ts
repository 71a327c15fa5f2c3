import { describe, expect, it } from 'vitest';
import { alternatives, isTooBig, MAX_ALTERNATIVES, sizeText } from './TooBig';
import { ApiError } from '../../api/transport';
import type { LineageRequest } from '../../api/types';

const base: LineageRequest = { snapshot_id: 3, select: '+dim_orders+', format: 'json', group_by: 'folder', open: ['staging'], include_tests: true, indirect_selection: 'eager' };

describe('ways to draw less', () => {
  it('shuts the boxes, drops the tests, narrows the hops, then regroups, each from the refused request', () => {
    const alts = alternatives(base, 'folder', { up: Infinity, down: Infinity, core: 'dim_orders' });
    expect(alts.map((a) => a.label)).toEqual([
      'Shut the open boxes', 'Tests off', 'Two hops: 2+dim_orders+2', 'One hop: 1+dim_orders+1',
      'Upstream only: +dim_orders', 'Downstream only: dim_orders+',
      'Group by layer', 'Group by schema', 'Group by package', 'Group by dbt group',
    ]);
    expect(alts.length).toBeLessThanOrEqual(MAX_ALTERNATIVES);
    expect(alts[0].request).toEqual({ ...base, open: undefined });
    expect(alts[1].request).toEqual({ ...base, include_tests: undefined, indirect_selection: undefined });
    expect(alts[1].next).toEqual({ tests: '' });
    expect(alts[2].request).toEqual({ ...base, select: '2+dim_orders+2', open: undefined });
    expect(alts[4].request).toEqual({ ...base, select: '+dim_orders', open: undefined });
    expect(alts[6].request).toEqual({ ...base, group_by: 'layer', open: undefined });
    expect(alts[6].next).toEqual({ group: 'layer' });
    const counted = alternatives({ ...base, select: '3+dim_orders+4' }, 'folder', { up: 3, down: 4, core: 'dim_orders' });
    expect(counted.map((a) => a.label).filter((l) => l.includes('only'))).toEqual(['Upstream only: 3+dim_orders', 'Downstream only: dim_orders+4']);
  });

  it('offers only the hops fewer than asked, on the sides asked', () => {
    const plain: LineageRequest = { snapshot_id: 1, select: '2+orders', format: 'json' };
    expect(alternatives(plain, 'none', { up: 2, down: null, core: 'orders' }).map((a) => a.label).slice(0, 2))
      .toEqual(['One hop: 1+orders', 'Group by layer']);
    expect(alternatives(plain, 'none', null).some((a) => a.label.includes('hop'))).toBe(false);
  });

  it('offers a box per project first across projects, and not in one project', () => {
    const across = alternatives({ ...base, open: undefined, include_tests: undefined, across_projects: true }, 'none', null);
    expect(across.map((a) => a.label)).toEqual(['Group by dbt project', 'Group by layer', 'Group by schema', 'Group by folder', 'Group by package', 'Group by dbt group']);
    expect(across[0].request.group_by).toBe('project');
    expect(alternatives({ ...base, open: undefined }, 'none', null).some((a) => a.request.group_by === 'project')).toBe(false);
  });

  it('says how big each one is', () => {
    expect(sizeText({ fits: true, nodes: 7, boxes: 7, edges: 9 })).toBe('7 boxes');
    expect(sizeText({ fits: true, nodes: 106, boxes: 6, edges: 9 })).toBe('6 boxes, 100 nodes');
    expect(sizeText({ fits: true, nodes: 1, boxes: 0, edges: 0 })).toBe('1 node');
  });

  it('knows the size guard by its words', () => {
    expect(isTooBig(new ApiError('invalid', 'the selection has 1687 nodes, more than the 1500 a picture can show: group it'))).toBe(true);
    expect(isTooBig(new ApiError('invalid', '"x" matches no name'))).toBe(false);
  });
});
