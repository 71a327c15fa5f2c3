import { describe, expect, it, vi } from 'vitest';
import type { GroupBox, LineageNode, LineageRequest, LineageResult, SavedView } from '../../api/types';
import { askEarly, fromExclude, groupOf, isNodeCollapse, lensModeOf, lineageRequest, openOf, quotedId, takeEarly, testsModeOf, testsParam, viewQuery, SEMANTIC_LAYER } from './request';
import { findMatches } from './FindBox';
import { impactText } from '../../components/Impact';

function answer(snapshotId: number, select: string): LineageResult {
  return { snapshot_id: snapshotId, select, format: 'svg', mime_type: 'image/svg+xml', filename: 'x.svg', content: '<svg/>', nodes: [], edges: [], render_ms: 1 };
}

describe('lineage requests', () => {
  it('builds the request a route describes', () => {
    expect(lineageRequest({ select: '+orders', exclude: 'tag:x', tests: '1', group: 'folder' }, 7, 'png', 'r1')).toEqual({
      snapshot_id: 7, select: '+orders', exclude: 'tag:x', include_tests: true, group_by: 'folder', format: 'png', scale: 2, request_id: 'r1',
    });
    const plain = lineageRequest({ select: 'orders', group: 'nonsense', tests: '0' }, 3, 'svg');
    expect(plain).toMatchObject({ select: 'orders', group_by: 'none', format: 'svg' });
    expect(plain.exclude).toBeUndefined();
    expect(plain.include_tests).toBeUndefined();
    expect(plain.scale).toBeUndefined();
  });

  it('shows tests as the route asks: 1 is cautious indirect selection, eager and buildable are passed on', () => {
    expect(lineageRequest({ select: 'orders', tests: '1' }, 1, 'svg')).toMatchObject({ include_tests: true });
    expect(lineageRequest({ select: 'orders', tests: '1' }, 1, 'svg').indirect_selection).toBeUndefined();
    expect(lineageRequest({ select: 'orders', tests: 'eager' }, 1, 'svg')).toMatchObject({ include_tests: true, indirect_selection: 'eager' });
    expect(lineageRequest({ select: 'orders', tests: 'buildable' }, 1, 'svg')).toMatchObject({ include_tests: true, indirect_selection: 'buildable' });
    expect(lineageRequest({ select: 'orders', tests: 'nonsense' }, 1, 'svg').include_tests).toBeUndefined();
    expect(testsParam(testsModeOf('1'))).toBe('1');
    expect(testsParam(testsModeOf('eager'))).toBe('eager');
    expect(testsParam(testsModeOf(undefined))).toBe('');
  });

  it('asks for the lens the route names (runs, none); tests by default', () => {
    expect(lineageRequest({ select: '*', lens: 'runs' }, 7, 'svg').lens).toBe('runs');
    expect(lineageRequest({ select: '*', lens: 'none' }, 7, 'svg').lens).toBe('none');
    expect(lineageRequest({ select: '*' }, 7, 'svg').lens).toBeUndefined();
    expect(lensModeOf('none')).toBe('none');
    expect(lensModeOf('docs')).toBe('docs');
    expect(lensModeOf('trend')).toBe('trend');
    expect(lensModeOf('nonsense')).toBe('tests');
  });

  it('leaves open the boxes the route names, one key a line, with a grouping only', () => {
    const keys = ['group:schema:main.staging', 'group:folder:p/models/a, b'];
    expect(lineageRequest({ select: '*', group: 'schema', open: keys.join('\n') }, 7, 'svg').open).toEqual(keys);
    expect(lineageRequest({ select: '*', group: 'schema', open: '' }, 7, 'svg').open).toBeUndefined();
    expect(lineageRequest({ select: '*', open: keys.join('\n') }, 7, 'svg').open).toBeUndefined();
    expect(openOf({ group: 'layer', open: '\ngroup:layer:staging\n' })).toEqual(['group:layer:staging']);
  });

  it('asks state: to compare with the snapshot the route names, else leaves it to the app', () => {
    expect(lineageRequest({ select: 'state:modified+', state: '3' }, 7, 'svg').state_snapshot_id).toBe(3);
    expect(lineageRequest({ select: 'state:modified+', state: 'x' }, 7, 'svg').state_snapshot_id).toBeUndefined();
    expect(lineageRequest({ select: 'state:modified+' }, 7, 'svg').state_snapshot_id).toBeUndefined();
  });

  it('asks for run times when the route says runtime=1, and only then', () => {
    expect(lineageRequest({ select: 'orders', runtime: '1' }, 7, 'json').runtime).toBe(true);
    expect(lineageRequest({ select: 'orders', runtime: '0' }, 7, 'svg').runtime).toBeUndefined();
    expect(lineageRequest({ select: 'orders' }, 7, 'svg').runtime).toBeUndefined();
  });

  it('asks for a diff when the route says diff=1, and a view saved as one reopens as one', () => {
    expect(lineageRequest({ select: 'orders', diff: '1', state: '3' }, 7, 'json')).toMatchObject({ diff: true, state_snapshot_id: 3 });
    expect(lineageRequest({ select: 'orders', diff: '' }, 7, 'svg').diff).toBeUndefined();
    expect(viewQuery({ project: 'p', name: 'n', select: 'a', diff: true }).diff).toBe('1');
    expect(lineageRequest(viewQuery({ project: 'p', name: 'n', select: 'a', diff: true }), 7, 'svg').diff).toBe(true);
    expect(viewQuery({ project: 'p', name: 'n', select: 'a' }).diff).toBe('');
    expect(takeEarly(lineageRequest({ select: 'orders', diff: '1' }, 7, 'svg'))).toBeNull();
  });

  it('collapses a selection into one box with group select:EXPR, and only with an expression', () => {
    expect(groupOf('select:+stg_orders --exclude stg_orders')).toBe('select:+stg_orders --exclude stg_orders');
    expect(lineageRequest({ select: 'orders+', group: 'select:package:dbt_utils' }, 1, 'svg').group_by).toBe('select:package:dbt_utils');
    expect(groupOf('select:')).toBe('none');
    expect(groupOf('select:   ')).toBe('none');
    expect(groupOf('schema')).toBe('schema');
    expect(groupOf('layer')).toBe('layer');
    expect(groupOf(undefined)).toBe('none');
  });

  it('gives a deep link its early answer once, for the same picture of the snapshot shown', async () => {
    const lineage = vi.fn(async (r: LineageRequest) => answer(7, r.select));
    askEarly(lineage, { select: '2+orders+2' }, 0);
    expect(lineage).toHaveBeenCalledTimes(1);
    const asked = lineage.mock.calls[0][0];
    expect(asked).toMatchObject({ snapshot_id: 0, select: '2+orders+2', format: 'svg' });

    const page = lineageRequest({ select: '2+orders+2' }, 7, 'svg');
    const early = takeEarly(page);
    expect(early?.id).toBe(asked.request_id);
    expect((await early!.answer)?.snapshot_id).toBe(7);
    expect(takeEarly(page)).toBeNull(); // once
  });

  it('does not give an early answer for another picture or another snapshot', async () => {
    const lineage = vi.fn(async (r: LineageRequest) => answer(7, r.select));
    askEarly(lineage, { select: 'orders' }, 0);
    expect(takeEarly(lineageRequest({ select: 'orders', tests: '1' }, 7, 'svg'))).toBeNull();

    askEarly(lineage, { select: 'orders' }, 0); // the picture without run times
    expect(takeEarly(lineageRequest({ select: 'orders', runtime: '1' }, 7, 'svg'))).toBeNull();

    askEarly(lineage, { select: 'orders' }, 0);
    const other = takeEarly(lineageRequest({ select: 'orders' }, 5, 'svg')); // the latest was 7, 5 is shown
    expect(await other!.answer).toBeNull();

    askEarly(lineage, { select: 'orders' }, 5); // an explicit snapshot that is not the one shown
    expect(takeEarly(lineageRequest({ select: 'orders' }, 7, 'svg'))).toBeNull();

    lineage.mockClear();
    askEarly(lineage, {}, 0); // no selector: the page picks one itself
    expect(lineage).not.toHaveBeenCalled();
    expect(takeEarly(lineageRequest({ select: '' }, 7, 'svg'))).toBeNull();
  });
});

describe('collapses made around one node', () => {
  it('knows the node panel\'s own from any other', () => {
    expect(isNodeCollapse('select:+model.p.orders --exclude model.p.orders')).toBe(true);
    expect(isNodeCollapse('select:model.p.orders+ --exclude model.p.orders')).toBe(true);
    expect(isNodeCollapse('select:+model.p.orders+ --exclude model.p.orders')).toBe(false);
    expect(isNodeCollapse('select:+model.p.orders --exclude model.p.customers')).toBe(false);
    expect(isNodeCollapse('select:tag:staging')).toBe(false);
    expect(isNodeCollapse('folder')).toBe(false);
    const pulse = quotedId('exposure.p.Pulse queries');
    expect(pulse).toBe('"exposure.p.Pulse queries"');
    expect(isNodeCollapse(`select:+${pulse} --exclude ${pulse}`)).toBe(true);
    expect(quotedId('model.p.orders')).toBe('model.p.orders');
  });
});

describe('viewQuery', () => {
  const views: SavedView[] = [
    { project: 'p', name: 'plain', select: '+orders+' },
    { project: 'p', name: 'all', select: 'tag:x', exclude: 'stg_a', include_tests: true, indirect_selection: 'eager', group_by: 'schema', open: ['group:schema:dbt.main', 'dbt.marts'], lens: 'runs', runtime: true },
    { project: 'p', name: 'cautious tests', select: 'a', include_tests: true, group_by: 'select:+b --exclude b', lens: 'none' },
    { project: 'p', name: 'buildable', select: 'a', indirect_selection: 'buildable', group_by: 'layer' },
  ];
  for (const v of views) {
    it(`draws the view "${v.name}" as it was saved`, () => {
      const req = lineageRequest(viewQuery(v), 7, 'svg');
      expect({
        select: req.select, exclude: req.exclude ?? '', tests: !!req.include_tests, mode: req.indirect_selection ?? (req.include_tests ? 'cautious' : ''),
        group: req.group_by, open: req.open ?? [], lens: req.lens ?? 'tests', runtime: !!req.runtime,
      }).toEqual({
        select: v.select, exclude: v.exclude ?? '', tests: !!(v.include_tests || v.indirect_selection), mode: v.indirect_selection ?? (v.include_tests ? 'cautious' : ''),
        group: v.group_by ?? 'none', open: v.open ?? [], lens: v.lens ?? 'tests', runtime: !!v.runtime,
      });
      expect(req.snapshot_id).toBe(7);
    });
  }
});

describe('findMatches', () => {
  const node = (unique_id: string, name: string) => ({ unique_id, name, resource_type: 'model', package: 'p' }) as LineageNode;
  const nodes = [node('model.p.fct_orders_12', 'fct_orders_12'), node('model.p.stg_orders', 'stg_orders'), node('model.p.customers', 'customers'), node('source.p.raw.orders', 'orders')];
  const groups = [{ key: 'group:folder:models/orders', label: 'models/orders', members: 2, counts: { model: 2 } }] as GroupBox[];
  it('finds names holding every word, any case, in name order', () => {
    expect(findMatches('ORDERS', nodes, groups).map((f) => f.id)).toEqual(['model.p.fct_orders_12', 'group:folder:models/orders', 'source.p.raw.orders', 'model.p.stg_orders']);
    expect(findMatches('orders 12', nodes, groups).map((f) => f.name)).toEqual(['fct_orders_12']);
    expect(findMatches('raw.orders', nodes, groups).map((f) => f.kind)).toEqual(['node']); // by unique_id too
    expect(findMatches('  ', nodes, groups)).toEqual([]);
    expect(findMatches('payments', nodes, groups)).toEqual([]);
  });
  it('finds a node drawn in a closed box as its box, once per box', () => {
    const layer = [{ key: 'group:layer:marts', label: 'marts', members: 2, counts: { model: 2 } }] as GroupBox[];
    const boxed = [{ ...node('model.p.dim_orders_12', 'dim_orders_12'), box: 'group:layer:marts' }, { ...node('model.p.dim_orders_13', 'dim_orders_13'), box: 'group:layer:marts' }, node('model.p.orders', 'orders')];
    expect(findMatches('dim_orders', boxed, layer)).toEqual([{ kind: 'group', id: 'group:layer:marts', name: 'dim_orders_12 in marts' }]);
    expect(findMatches('orders', boxed, layer).map((f) => f.id)).toEqual(['group:layer:marts', 'model.p.orders']);
  });
});

describe('impactText', () => {
  it('says a side of an impact in a few words', () => {
    expect(impactText({ nodes: 7, by_type: { model: 4, exposure: 2, semantic_model: 1 }, tests: 24, named: [] })).toBe('7 nodes: 4 models, 2 exposures, 1 semantic model · 24 tests');
    expect(impactText({ nodes: 1, by_type: { seed: 1 }, tests: 1, named: [] })).toBe('1 node: 1 seed · 1 test');
    expect(impactText({ nodes: 0, by_type: {}, tests: 3, named: [] })).toBe('0 nodes · 3 tests');
    expect(impactText({ nodes: 0, by_type: {}, tests: 0, named: [] })).toBe('nothing');
  });
});

describe('the semantic layer switch', () => {
  it('leaves the semantic layer out of the request, beside what is typed', () => {
    expect(lineageRequest({ select: 'a', semantic: '0' }, 1, 'svg').exclude).toBe(SEMANTIC_LAYER);
    expect(lineageRequest({ select: 'a', exclude: ' tag:x ', semantic: '0' }, 1, 'svg').exclude).toBe(`tag:x ${SEMANTIC_LAYER}`);
    expect(lineageRequest({ select: 'a', exclude: 'tag:x' }, 1, 'svg').exclude).toBe('tag:x');
    expect(lineageRequest({ select: 'a' }, 1, 'svg').exclude).toBeUndefined();
  });
  it('comes back off with a view saved with it off', () => {
    for (const exclude of ['tag:x', '']) {
      const q = { select: 'a', exclude, semantic: '0' };
      const v = { project: 'p', name: 'n', select: 'a', exclude: lineageRequest(q, 1, 'svg').exclude } as SavedView;
      expect(viewQuery(v)).toMatchObject({ exclude, semantic: '0' });
    }
    expect(viewQuery({ project: 'p', name: 'n', select: 'a', exclude: 'tag:x' })).toMatchObject({ exclude: 'tag:x', semantic: '' });
  });
});

describe('fromExclude', () => {
  it('tells an error about the Exclude field by the selector it quotes', () => {
    const unknown = { message: 'selector "colour:red" uses unknown method "colour"; methods: tag, path, …' };
    expect(fromExclude(unknown, '+orders+', 'colour:red')).toBe(true);
    expect(fromExclude(unknown, 'colour:red', '')).toBe(false);
    expect(fromExclude({ message: '"stg_ordrs" matches no name, fqn or unique_id' }, 'orders', 'stg_ordrs')).toBe(true);
    expect(fromExclude({ message: 'something else' }, 'a', 'b')).toBe(false);
    expect(fromExclude(null, 'a', 'b')).toBe(false);
  });
});
