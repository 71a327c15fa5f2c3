// @vitest-environment jsdom
import { describe, expect, it } from 'vitest';
import type { LineageNode } from '../../api/types';
import { neighbour, sizeSvg } from './canvas';

const none = { total: 0, pass: 0, warn: 0, fail: 0, error: 0, skipped: 0 };
const node = (unique_id: string, extra: Partial<LineageNode> = {}): LineageNode =>
  ({ unique_id, resource_type: 'model', name: unique_id.split('.').pop(), package: 'p', test_summary: none, ...extra }) as LineageNode;

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

  it('moves within a column of centred nodes of different widths, and across to the next', () => {
    const box = (left: number, top: number, width: number) =>
      ({ getBoundingClientRect: () => ({ left, top, right: left + width, bottom: top + 20, width, height: 20 }) }) as unknown as Element;
    // Column 1 centred at x 100: wide k, narrow l, wide m; column 2 at x 400: n, o.
    const grid = new Map([
      ['model.p.k', box(0, 0, 200)],
      ['model.p.l', box(80, 40, 40)],
      ['model.p.m', box(0, 80, 200)],
      ['model.p.n', box(370, 0, 60)],
      ['model.p.o', box(370, 40, 60)],
    ]);
    const gridNodes = ['k', 'l', 'm', 'n', 'o'].map((n) => node(`model.p.${n}`));
    expect(neighbour('ArrowDown', 'model.p.k', grid, gridNodes, [])).toBe('model.p.l');
    expect(neighbour('ArrowDown', 'model.p.l', grid, gridNodes, [])).toBe('model.p.m');
    expect(neighbour('ArrowUp', 'model.p.m', grid, gridNodes, [])).toBe('model.p.l');
    expect(neighbour('ArrowRight', 'model.p.k', grid, gridNodes, [])).toBe('model.p.n');
    expect(neighbour('ArrowRight', 'model.p.l', grid, gridNodes, [])).toBe('model.p.o');
    expect(neighbour('ArrowLeft', 'model.p.o', grid, gridNodes, [])).toBe('model.p.l');
  });

  it('goes back through a grid column by column before reaching its hub', () => {
    const box = (left: number, top: number) =>
      ({ getBoundingClientRect: () => ({ left, top, right: left + 60, bottom: top + 20, width: 60, height: 20 }) }) as unknown as Element;
    // hub h, then its children in two columns: k, l (x 200) and n, o (x 400).
    const grid = new Map([
      ['model.p.h', box(0, 20)],
      ['model.p.k', box(200, 0)],
      ['model.p.l', box(200, 40)],
      ['model.p.n', box(400, 0)],
      ['model.p.o', box(400, 40)],
    ]);
    const gridNodes = ['h', 'k', 'l', 'n', 'o'].map((n) => node(`model.p.${n}`));
    const gridEdges = ['k', 'l', 'n', 'o'].map((c) => ({ from: 'model.p.h', to: `model.p.${c}` }));
    expect(neighbour('ArrowLeft', 'model.p.o', grid, gridNodes, gridEdges)).toBe('model.p.l');
    expect(neighbour('ArrowLeft', 'model.p.l', grid, gridNodes, gridEdges)).toBe('model.p.h');
    expect(neighbour('ArrowRight', 'model.p.h', grid, gridNodes, gridEdges)).toBe('model.p.k');
    expect(neighbour('ArrowRight', 'model.p.l', grid, gridNodes, gridEdges)).toBe('model.p.o');
  });

  it('follows the edge past a node of the same column a little off centre', () => {
    // o and s in one column (s 6 px right of o's centre), both feeding c.
    const box = (left: number, top: number, width: number) =>
      ({ getBoundingClientRect: () => ({ left, top, right: left + width, bottom: top + 20, width, height: 20 }) }) as unknown as Element;
    const column = new Map([
      ['model.p.o', box(100, 0, 120)],
      ['model.p.s', box(96, 60, 140)],
      ['model.p.c', box(400, 30, 100)],
    ]);
    const columnNodes = ['o', 's', 'c'].map((n) => node(`model.p.${n}`));
    const columnEdges = [{ from: 'model.p.o', to: 'model.p.c' }, { from: 'model.p.s', to: 'model.p.c' }];
    expect(neighbour('ArrowRight', 'model.p.o', column, columnNodes, columnEdges)).toBe('model.p.c');
    // Without an edge that way, still a column away: c, not s beside it.
    expect(neighbour('ArrowRight', 'model.p.o', column, columnNodes, [{ from: 'model.p.s', to: 'model.p.c' }])).toBe('model.p.c');
  });

  it('moves beside a node without an edge that way, as along a row of a grid of children', () => {
    expect(neighbour('ArrowRight', 'model.p.c', drawn, nodes, edges)).toBe('model.p.d');
    expect(neighbour('ArrowRight', 'model.p.d', drawn, nodes, edges)).toBeNull();
    expect(neighbour('ArrowLeft', 'model.p.d', drawn, nodes, edges)).toBe('model.p.c');
  });
});

describe('sizeSvg', () => {
  it('sizes the picture to its pane in pixels, saying when that changed it', () => {
    const pane = document.createElement('div');
    Object.defineProperty(pane, 'clientWidth', { value: 1254, configurable: true });
    Object.defineProperty(pane, 'clientHeight', { value: 614, configurable: true });
    const svg = document.createElementNS('http://www.w3.org/2000/svg', 'svg');
    expect(sizeSvg(svg, pane)).toBe(true);
    expect([svg.getAttribute('width'), svg.getAttribute('height')]).toEqual(['1254', '614']);
    expect(sizeSvg(svg, pane)).toBe(false);
    Object.defineProperty(pane, 'clientHeight', { value: 500 });
    expect(sizeSvg(svg, pane)).toBe(true);
    expect(svg.getAttribute('height')).toBe('500');
  });
});
