import { describe, expect, it } from 'vitest';
import type { LineageNode } from '../../api/types';
import { pickedText } from './announce';

const tests = { total: 3, pass: 2, warn: 0, fail: 1, error: 0, skipped: 0 };
const orders = { unique_id: 'model.p.orders', resource_type: 'model', name: 'orders', package: 'p', test_summary: tests } as LineageNode;

describe('pickedText', () => {
  it('says the picked node, its edges in the picture and its tests', () => {
    const edges = [{ from: 'model.p.stg', to: 'model.p.orders' }, { from: 'model.p.orders', to: 'model.p.a' }, { from: 'model.p.orders', to: 'model.p.b' }];
    expect(pickedText(orders, null, edges)).toBe('Picked orders, model: 1 parent and 2 children in the picture, 3 tests, 1 failing. Enter opens it.');
  });
  it('says a box and its size, and nothing when none is picked', () => {
    expect(pickedText(null, { key: 'group:folder:x', label: 'marts', members: 12, counts: {} }, [])).toBe('Picked the box marts: 12 nodes. Enter opens it in place.');
    expect(pickedText(null, null, [])).toBe('');
  });
});
