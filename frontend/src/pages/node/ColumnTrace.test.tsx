// @vitest-environment jsdom
/** @jsxImportSource preact */
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { render } from 'preact';
import { act } from 'preact/test-utils';
import { settle, useRoot } from '../../testing/mount';
import { ApiError } from '../../api/transport';
import type { ColumnPicture, ColumnTrace, ColumnTraceDirection, ColumnTraceFormat, ColumnTraceNode } from '../../api/types';
import { route } from '../../lib/router';

// A picture as backend/render draws one: a <g class="node"> per node, its
// <title> the unique_id then the relation, a filled polygon per table row.
const nodeSvg = (n: ColumnTraceNode, i: number) => `
<g id="node-${n.unique_id?.replace(/\W/g, '_')}-0000000${i}" class="node">
<title>${n.unique_id} &quot;db&quot;.&quot;${n.name}&quot;</title>
<g><a xlink:title="${n.unique_id}">
<polygon fill="#e3f2fd" stroke="none" points="0,0 1,1"/>
<text>${n.name}</text><text>model</text>
${(n.columns ?? []).map((c) => `<polygon fill="#ffffff" stroke="none" points="0,0 1,1"/><text>${c}</text>`).join('\n')}
<polygon fill="none" stroke="#90a4ae" points="0,0 1,1"/>
</a></g>
</g>`;
const svgOf = (t: ColumnTrace) =>
  `<?xml version="1.0" encoding="UTF-8" standalone="no"?>\n<svg width="600pt" height="200pt" viewBox="0 0 600 200" xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink">
<g id="graph0" class="graph"><title>column lineage</title><script>alert(1)</script>${(t.nodes ?? []).map(nodeSvg).join('')}</g></svg>`;

const node = (id: string, columns: string[], extra: Partial<ColumnTraceNode> = {}): ColumnTraceNode => ({ unique_id: id, resource_type: id.split('.')[0], name: id.split('.').pop()!, columns, ...extra });
const traces: Record<string, ColumnTrace> = {
  upstream: {
    snapshot_id: 3, focus: { node: 'model.p.customers', column: 'lifetime_spend' },
    nodes: [node('model.p.customers', ['lifetime_spend']), node('model.p.orders', ['order_total', 'tax']), node('model.p.stg_orders', ['order_total'], { problem: 'a Python model: dbt does not compile its code to SQL' })],
    edges: [
      { from: { node: 'model.p.orders', column: 'order_total' }, to: { node: 'model.p.customers', column: 'lifetime_spend' }, kind: 'transformed', expression: 'sum(order_total) as lifetime_spend' },
      { from: { node: 'model.p.stg_orders', column: 'order_total' }, to: { node: 'model.p.orders', column: 'order_total' }, kind: 'passthrough' },
      { from: { relation: 'legacy.taxes', column: 'rate' }, to: { node: 'model.p.orders', column: 'tax' }, kind: 'rename' },
    ],
  },
  downstream: {
    snapshot_id: 3, focus: { node: 'model.p.customers', column: 'lifetime_spend' }, truncated: true,
    nodes: [node('model.p.customers', ['lifetime_spend']), node('model.p.board', [])],
    edges: [{ from: { node: 'model.p.customers', column: 'lifetime_spend' }, to: { node: 'model.p.board', column: '' }, kind: 'filter' }],
  },
};
traces[''] = traces.upstream;

let failSvg: ApiError | null = null;
const columnTracePicture = vi.fn(async (_s: number, _n: string, _c: string, direction: ColumnTraceDirection, depth: number, format: ColumnTraceFormat): Promise<ColumnPicture> => {
  if (format === 'svg' && failSvg) throw failSvg;
  // Cut at a depth, the links go on past the last node.
  const trace = depth > 0 ? { ...traces[direction], depth, nodes: (traces[direction].nodes ?? []).map((n) => (n.unique_id === 'model.p.orders' ? { ...n, continues: ['upstream' as const] } : n)) } : traces[direction];
  if (format === 'png') return { trace, format, content: 'iVBORw0KGgo=', base64: true, filename: 'p-customers.lifetime_spend-columns.png', mime_type: 'image/png' };
  const content = format === 'svg' ? svgOf(trace) : format === 'dot' ? 'digraph columns {}\n' : JSON.stringify(trace);
  return { trace, format, content, filename: `p-customers.lifetime_spend-columns.${format}`, mime_type: format === 'svg' ? 'image/svg+xml' : 'text/plain' };
});
const saveColumnTrace = vi.fn(async () => ({ path: '/home/me/customers.svg', bytes: 10 }));
let transport: 'http' | 'wails' = 'http';
vi.mock('../../api', async (original) => ({
  ...(await original<typeof import('../../api')>()),
  transportKind: () => transport,
  api: {
    columnTracePicture: (s: number, n: string, c: string, d: ColumnTraceDirection, depth: number, f: ColumnTraceFormat) => columnTracePicture(s, n, c, d, depth, f),
    saveColumnTrace: (...a: unknown[]) => (saveColumnTrace as (...a: unknown[]) => Promise<unknown>)(...a),
  },
}));
const downloadBlob = vi.fn();
vi.mock('../../lib/download', () => ({ downloadBlob: (...a: unknown[]) => downloadBlob(...a) }));
const { ColumnTraceSection, centerIn, nearColumns } = await import('./ColumnTrace');
const { nearestFirst, pickedColumn, traceDepth, traceWay } = await import('./columnRefs');

/** As the node page does: the column and direction from the address. */
function Page() {
  const q = route.value.query;
  return q.column ? <ColumnTraceSection snapshotId={3} uniqueId="model.p.customers" column={q.column} way={traceWay(q.direction)} depth={traceDepth(q.depth)} /> : <p>closed</p>;
}

const mount = useRoot();
beforeEach(() => {
  columnTracePicture.mockClear();
  saveColumnTrace.mockClear();
  downloadBlob.mockClear();
  failSvg = null;
  transport = 'http';
  route.value = { path: ['node', 'model.p.customers'], query: { column: 'lifetime_spend', direction: 'upstream' } };
});

/** Until the picture is in (it goes in once Web Crypto has computed the nodes' ids, which takes a while under load), or not coming. */
const drawn = async () => {
  const end = Date.now() + 3000;
  while (Date.now() < end && !mount.root.querySelector('[data-testid="column-picture"] svg')) await settle();
};
const open = async ({ picture = true } = {}) => {
  act(() => render(<Page />, mount.root));
  await settle();
  if (picture) await drawn();
};
const button = (label: string) => [...mount.root.querySelectorAll('button')].find((b) => b.textContent === label) as HTMLButtonElement;
const rows = () => [...mount.root.querySelectorAll('[data-testid="column-links"] tbody tr')].map((tr) => [...(tr as HTMLTableRowElement).cells].map((c) => c.textContent).join(' '));

describe('centerIn', () => {
  it('scrolls the pane alone so that the element is in its middle', () => {
    const pane = document.createElement('div');
    const el = document.createElement('div');
    Object.defineProperty(pane, 'clientWidth', { value: 400 });
    Object.defineProperty(pane, 'clientHeight', { value: 300 });
    pane.getBoundingClientRect = () => ({ left: 100, top: 50, width: 400, height: 300 }) as DOMRect;
    el.getBoundingClientRect = () => ({ left: 900, top: 850, width: 100, height: 40 }) as DOMRect;
    centerIn(pane, el);
    expect([pane.scrollLeft, pane.scrollTop]).toEqual([650, 670]);
  });
});

describe('nearColumns', () => {
  it('reads the columns an error suggests', () => {
    expect(nearColumns('x has no column "a"; did you mean a_id, a_name?')).toEqual(['a_id', 'a_name']);
    expect(nearColumns('x has no column "a"')).toEqual([]);
  });
});

describe('ColumnTraceSection', () => {
  it('draws the trace, sanitised, and lists its links nearest first', async () => {
    await open();
    expect(columnTracePicture).toHaveBeenCalledWith(3, 'model.p.customers', 'lifetime_spend', 'upstream', 0, 'svg');
    expect(mount.root.querySelector('h2')?.textContent).toBe('Column lineage of lifetime_spend');
    const picture = mount.root.querySelector('[data-testid="column-picture"]')!;
    expect([...picture.querySelectorAll('g.node')].map((g) => g.getAttribute('data-uid'))).toEqual(['model.p.customers', 'model.p.orders', 'model.p.stg_orders']);
    expect(picture.querySelector('script')).toBeNull();
    expect(rows()).toEqual([
      'orders.order_total → customers.lifetime_spend computed sum(order_total) as lifetime_spend',
      'stg_orders.order_total → orders.order_total passed through ',
      'legacy.taxes.rate → orders.tax renamed ',
    ]);
    const from = mount.root.querySelector('[data-testid="column-links"] tbody tr td a') as HTMLAnchorElement;
    expect(from.getAttribute('href')).toBe('#/node/model.p.orders?column=order_total&direction=upstream');
    expect(mount.root.querySelector('[data-testid="column-trace-problems"]')?.textContent).toBe('stg_orders: a Python model: dbt does not compile its code to SQL');
    expect(mount.root.querySelector('[data-testid="column-trace-truncated"]')).toBeNull();
  });
  it('says which of two nodes of one name a link is of', async () => {
    const down = traces.downstream;
    traces.downstream = {
      ...down,
      nodes: [...(down.nodes ?? []), node('semantic_model.p.customers', ['lifetime_spend'])],
      edges: [{ from: { node: 'model.p.customers', column: 'lifetime_spend' }, to: { node: 'semantic_model.p.customers', column: 'lifetime_spend' }, kind: 'passthrough' }],
    };
    try {
      route.value = { path: ['node', 'model.p.customers'], query: { column: 'lifetime_spend', direction: 'downstream' } };
      await open();
      expect(rows()).toEqual(['customers.lifetime_spend (model) → customers.lifetime_spend (semantic model) passed through ']);
    } finally {
      traces.downstream = down;
    }
  });
  it('turns with the direction switch, in the address', async () => {
    await open();
    expect(button('Upstream').getAttribute('aria-pressed')).toBe('true');
    act(() => button('Downstream').click());
    await settle();
    await drawn();
    expect(route.value.query).toMatchObject({ column: 'lifetime_spend', direction: 'downstream' });
    expect(columnTracePicture).toHaveBeenLastCalledWith(3, 'model.p.customers', 'lifetime_spend', 'downstream', 0, 'svg');
    expect(rows()).toEqual(['customers.lifetime_spend → board (its rows) joined or filtered on ']);
    expect(mount.root.querySelector('[data-testid="column-trace-truncated"]')).not.toBeNull();
    act(() => button('Both').click());
    await settle();
    expect(columnTracePicture).toHaveBeenLastCalledWith(3, 'model.p.customers', 'lifetime_spend', '', 0, 'svg');
  });
  it('cuts the trace at the depth picked, in the address, and says where the links go on', async () => {
    await open();
    expect(button('All').getAttribute('aria-pressed')).toBe('true');
    expect(mount.root.querySelector('[data-testid="column-trace-goes-on"]')).toBeNull();
    act(() => button('2').click());
    await settle();
    await drawn();
    expect(route.value.query).toMatchObject({ column: 'lifetime_spend', direction: 'upstream', depth: '2' });
    expect(columnTracePicture).toHaveBeenLastCalledWith(3, 'model.p.customers', 'lifetime_spend', 'upstream', 2, 'svg');
    const note = mount.root.querySelector('[data-testid="column-trace-goes-on"]')!;
    expect(note.textContent).toContain('At 2 levels each way; the links go on past orders (upstream)');
    expect(note.querySelector('a')!.getAttribute('href')).toBe('#/node/model.p.orders?column=order_total&direction=upstream&depth=2');
    // The links keep the depth.
    const from = mount.root.querySelector('[data-testid="column-links"] tbody tr td a') as HTMLAnchorElement;
    expect(from.getAttribute('href')).toBe('#/node/model.p.orders?column=order_total&direction=upstream&depth=2');
    act(() => button('Trace all the way').click());
    await settle();
    expect(route.value.query.depth).toBeUndefined();
    expect(columnTracePicture).toHaveBeenLastCalledWith(3, 'model.p.customers', 'lifetime_spend', 'upstream', 0, 'svg');
  });
  it('opens the page of a node clicked, with the column clicked traced', async () => {
    await open();
    const orders = mount.root.querySelector('g.node[data-uid="model.p.orders"]')!;
    const tax = [...orders.querySelectorAll('text')].find((t) => t.textContent === 'tax')!;
    act(() => tax.dispatchEvent(new MouseEvent('click', { bubbles: true })));
    expect(location.hash).toBe('#/node/model.p.orders?column=tax&direction=upstream');
    // Its head: its first column (none of its columns is named as the one traced).
    act(() => orders.querySelector('text')!.dispatchEvent(new MouseEvent('click', { bubbles: true })));
    expect(location.hash).toBe('#/node/model.p.orders?column=order_total&direction=upstream');
  });
  it('downloads SVG (the picture shown), PNG, DOT, JSON and CSV in a browser', async () => {
    await open();
    act(() => button('SVG').click());
    await settle();
    expect(columnTracePicture).toHaveBeenCalledTimes(1);
    expect(downloadBlob).toHaveBeenLastCalledWith('p-customers.lifetime_spend-columns.svg', 'image/svg+xml', svgOf(traces.upstream), false);
    expect(mount.root.querySelector('[role=status]')?.textContent).toBe('Saved p-customers.lifetime_spend-columns.svg');
    act(() => button('DOT').click());
    await settle();
    expect(columnTracePicture).toHaveBeenLastCalledWith(3, 'model.p.customers', 'lifetime_spend', 'upstream', 0, 'dot');
    expect(downloadBlob).toHaveBeenLastCalledWith('p-customers.lifetime_spend-columns.dot', 'text/plain', 'digraph columns {}\n', false);
    // A PNG comes as base64, decoded by the download.
    act(() => button('PNG').click());
    await settle();
    expect(columnTracePicture).toHaveBeenLastCalledWith(3, 'model.p.customers', 'lifetime_spend', 'upstream', 0, 'png');
    expect(downloadBlob).toHaveBeenLastCalledWith('p-customers.lifetime_spend-columns.png', 'image/png', 'iVBORw0KGgo=', true);
    act(() => button('CSV').click());
    await settle();
    expect(columnTracePicture).toHaveBeenLastCalledWith(3, 'model.p.customers', 'lifetime_spend', 'upstream', 0, 'csv');
    expect(downloadBlob).toHaveBeenLastCalledWith('p-customers.lifetime_spend-columns.csv', 'text/plain', JSON.stringify(traces.upstream), false);
    expect(saveColumnTrace).not.toHaveBeenCalled();
  });
  it('saves through the save dialog in the desktop window', async () => {
    transport = 'wails';
    await open();
    act(() => button('JSON').click());
    await settle();
    expect(saveColumnTrace).toHaveBeenCalledWith(3, 'model.p.customers', 'lifetime_spend', 'upstream', 0, 'json');
    expect(downloadBlob).not.toHaveBeenCalled();
    expect(mount.root.querySelector('[role=status]')?.textContent).toBe('Saved /home/me/customers.svg');
  });
  it('shows the error as the API says it', async () => {
    failSvg = new ApiError('not_found', 'model.p.customers has no column "lifetime"; did you mean lifetime_spend?');
    await open({ picture: false });
    expect(mount.root.querySelector('[role=alert]')?.textContent).toContain('model.p.customers has no column "lifetime"; did you mean lifetime_spend?');
    expect([...mount.root.querySelectorAll('[data-testid="column-trace-near"] button')].map((b) => b.textContent)).toEqual(['lifetime_spend']);
    expect(columnTracePicture).toHaveBeenCalledTimes(1);
    expect(button('DOT').disabled).toBe(true);
    expect(button('PNG').disabled).toBe(true);
  });
  it('lists the links of a trace too big to draw', async () => {
    failSvg = new ApiError('invalid', 'the trace reaches 2000 nodes, more than the 1500 a picture can show');
    await open({ picture: false });
    await settle();
    expect(mount.root.querySelector('[role=alert]')?.textContent).toContain('the trace reaches 2000 nodes');
    expect(columnTracePicture).toHaveBeenLastCalledWith(3, 'model.p.customers', 'lifetime_spend', 'upstream', 0, 'json');
    expect(mount.root.querySelector('[data-testid="column-picture"]')).toBeNull();
    expect(rows().length).toBe(3);
    expect(button('SVG').disabled).toBe(true);
    expect(button('JSON').disabled).toBe(false);
  });
  it('closes, keeping the rest of the address', async () => {
    route.value = { path: ['node', 'model.p.customers'], query: { column: 'lifetime_spend', direction: 'upstream', impact: 'downstream' } };
    await open();
    act(() => (mount.root.querySelector('button[aria-label="Close the column lineage"]') as HTMLButtonElement).click());
    expect(location.hash).toBe('#/node/model.p.customers?impact=downstream');
  });
});

describe('column trace helpers', () => {
  it('picks the row clicked, else the only or the traced column', () => {
    const g = new DOMParser().parseFromString(`<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink">${nodeSvg(node('model.p.orders', ['a', 'b']), 0)}</svg>`, 'image/svg+xml').querySelector('g.node')!;
    const polys = g.querySelectorAll('polygon');
    expect(pickedColumn(g, polys[2], ['a', 'b'], 'x')).toBe('b');
    expect(pickedColumn(g, polys[0], ['a', 'b'], 'B')).toBe('b');
    expect(pickedColumn(g, null, ['a', 'b'], 'x')).toBe('a');
    expect(pickedColumn(g, null, ['only'], 'x')).toBe('only');
    expect(pickedColumn(g, null, [], 'x')).toBeUndefined();
  });
  it('orders links by how far they are from the column traced', () => {
    const e = (from: string, to: string) => ({ from: { node: from, column: 'c' }, to: { node: to, column: 'c' }, kind: 'passthrough' as const });
    const edges = [e('a', 'b'), e('c', 'd'), e('b', 'c'), e('x', 'y')];
    expect(nearestFirst(edges, { node: 'd', column: 'C' }).map((x) => x.from.node)).toEqual(['c', 'b', 'a', 'x']);
  });
});
