import { describe, expect, it } from 'vitest';
import { changeRows, changesSummary } from './ChangesSection';

describe('changes since an earlier snapshot', () => {
  it('sums up as the CLI does', () => {
    expect(changesSummary({ new: 2, modified: 5, body: 3, configs: 2, persisted_descriptions: 1, removed: 1 })).toBe(
      '2 new, 5 modified (3 body, 2 configs, 1 persisted descriptions), 1 removed',
    );
    expect(changesSummary({})).toBe('no changes');
    expect(changesSummary({}, 3)).toBe('no changes, 3 run results changed status');
    expect(changesSummary({ new: 1 }, 1)).toBe('1 new, 1 run result changed status');
    const col = (change: 'added' | 'removed' | 'retyped') => ({ node: 'model.p.a', column: change, change });
    expect(changesSummary({ modified: 1, body: 1 }, 0, [col('added'), col('added'), col('retyped')])).toBe('1 modified (1 body), columns 2 added, 1 retyped');
    expect(changesSummary({}, 0, [col('removed')])).toBe('columns 1 removed');
  });

  it('lists modified, then new, then removed nodes', () => {
    const rows = changeRows({
      snapshot_id: 2, state_snapshot_id: 1, counts: {}, results: [],
      changed: [
        { unique_id: 'model.p.a', resource_type: 'model', parts: ['new'] },
        { unique_id: 'model.p.b', resource_type: 'model', parts: ['body'] },
      ],
      removed: [{ unique_id: 'model.p.c', resource_type: 'model' }],
    });
    expect(rows.map((r) => `${r.kind} ${r.node.unique_id}`)).toEqual(['modified model.p.b', 'new model.p.a', 'removed model.p.c']);
  });
});
