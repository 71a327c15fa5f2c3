import { describe, expect, it } from 'vitest';
import type { LineageNode } from '../../api/types';
import { lensOf, neighbour } from './canvas';

const none = { total: 0, pass: 0, warn: 0, fail: 0, error: 0, skipped: 0 };
const node = (unique_id: string, extra: Partial<LineageNode> = {}): LineageNode =>
  ({ unique_id, resource_type: 'model', name: unique_id.split('.').pop(), package: 'p', test_summary: none, ...extra }) as LineageNode;

describe('lensOf', () => {
  it('takes the worst of a node’s tests, and a test’s own outcome', () => {
    expect(lensOf(node('model.p.a', { test_summary: { ...none, total: 3, pass: 1, warn: 1, fail: 1 } }))).toBe('fail');
    expect(lensOf(node('model.p.a', { test_summary: { ...none, total: 2, pass: 1, error: 1 } }))).toBe('error');
    expect(lensOf(node('model.p.a', { test_summary: { ...none, total: 2, pass: 1, warn: 1 } }))).toBe('warn');
    expect(lensOf(node('model.p.a', { test_summary: { ...none, total: 1, pass: 1 } }))).toBe('pass');
    expect(lensOf(node('model.p.a', { test_summary: { ...none, total: 2 } }))).toBe('untested');
    expect(lensOf(node('model.p.a'))).toBe('none');
    expect(lensOf(node('test.p.t', { resource_type: 'test', test_status: 'warn' }))).toBe('warn');
    expect(lensOf(node('test.p.t', { resource_type: 'test' }))).toBe('none');
  });
});

describe('neighbour', () => {
  // Boxes at (left, top) on the screen, as getBoundingClientRect gives them.
  const at = (left: number, top: number) => ({ getBoundingClientRect: () => ({ left, top, right: left + 50, bottom: top + 20, width: 50, height: 20 }) }) as unknown as Element;
  //   a ─┬─ b (top 0)
  //      └─ c (top 100)     d (top 100), no edge
  const drawn = new Map([
    ['model.p.a', at(0, 40)],
    ['model.p.b', at(100, 0)],
    ['model.p.c', at(100, 100)],
    ['model.p.d', at(300, 100)],
  ]);
  const nodes = [node('model.p.a'), node('model.p.b', { focus: true }), node('model.p.c'), node('model.p.d')];
  const edges = [
    { from: 'model.p.a', to: 'model.p.b' },
    { from: 'model.p.a', to: 'model.p.c' },
  ];

  it('starts on the selector’s own node', () => {
    expect(neighbour('ArrowRight', null, drawn, nodes, edges)).toBe('model.p.b');
    expect(neighbour('ArrowRight', 'model.p.gone', drawn, nodes, edges)).toBe('model.p.b');
  });

  it('moves along edges to the nearest in height, and up and down within a column', () => {
    expect(neighbour('ArrowRight', 'model.p.a', drawn, nodes, edges)).toBe('model.p.b');
    expect(neighbour('ArrowLeft', 'model.p.c', drawn, nodes, edges)).toBe('model.p.a');
    expect(neighbour('ArrowLeft', 'model.p.a', drawn, nodes, edges)).toBeNull();
    expect(neighbour('ArrowDown', 'model.p.b', drawn, nodes, edges)).toBe('model.p.c');
    expect(neighbour('ArrowUp', 'model.p.c', drawn, nodes, edges)).toBe('model.p.b');
    expect(neighbour('ArrowDown', 'model.p.c', drawn, nodes, edges)).toBeNull();
  });

  it('moves beside a node without an edge that way, as along a row of a grid of children', () => {
    expect(neighbour('ArrowRight', 'model.p.c', drawn, nodes, edges)).toBe('model.p.d');
    expect(neighbour('ArrowRight', 'model.p.d', drawn, nodes, edges)).toBeNull();
    expect(neighbour('ArrowLeft', 'model.p.d', drawn, nodes, edges)).toBe('model.p.c');
  });
});
