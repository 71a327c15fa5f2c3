// @vitest-environment jsdom
import { describe, expect, it } from 'vitest';
import { parseSafeSvg } from './svg';
import { renderMarkdown } from './markdown';
import { annotateSvgNodes, expectedIds, stableId, stableIdPrefix } from './svgmap';
import { createHash } from 'node:crypto';
import type { LineageNode } from '../api/types';

const ts = { total: 0, pass: 0, warn: 0, fail: 0, error: 0, skipped: 0 };

describe('parseSafeSvg', () => {
  it('removes scripts, event handlers and javascript: links', () => {
    const svg = parseSafeSvg(
      '<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink" onload="alert(1)"><script>alert(2)</script>' +
        '<g class="node" id="n1" onclick="x()"><title>model.p.a</title><a xlink:href="javascript:alert(3)"><text>a</text></a></g>' +
        '<foreignObject><div xmlns="http://www.w3.org/1999/xhtml">x</div></foreignObject></svg>',
    );
    const out = new XMLSerializer().serializeToString(svg);
    expect(out).not.toMatch(/script|onload|onclick|javascript:|foreignObject/i);
    expect(out).toContain('model.p.a');
  });

  it('refuses markup that is not SVG', () => {
    expect(() => parseSafeSvg('<html><body>x</body></html>')).toThrow();
    expect(() => parseSafeSvg('<svg')).toThrow();
  });
});

describe('backend node ids', () => {
  it('derives the same stable ids as backend/render (readable part + sha256 prefix)', async () => {
    const uid = 'model.jaffle_shop.customers';
    const hash = createHash('sha256').update(uid).digest('hex').slice(0, 8);
    expect(await stableId('node', uid)).toBe(`node-model_jaffle_shop_customers-${hash}`);
    // Non-ASCII runes become one underscore each; the readable part stops after 64 bytes.
    expect(stableIdPrefix('node', 'model.p.kundé')).toBe('node-model_p_kund_-');
    const long = 'model.p.' + 'x'.repeat(100);
    expect(stableIdPrefix('node', long)).toBe('node-model_p_' + 'x'.repeat(52) + '-'); // 65 bytes, then the dash
  });

  it('maps graphviz node groups to unique_ids by computed id, prefix or title', async () => {
    const a = 'model.p.orders';
    const b = 'source.p.raw.orders';
    const ida = (await stableId('node', a))!;
    const svg = parseSafeSvg(
      `<svg xmlns="http://www.w3.org/2000/svg"><g class="node" id="${ida}"><title>${ida}</title></g>` +
        '<g class="node" id="node-source_p_raw_orders-00000000"><title>x</title></g><g class="node" id="zz"><title>unknown</title></g></svg>',
    );
    const nodes: LineageNode[] = [
      { unique_id: a, resource_type: 'model', name: 'orders', package: 'p', test_summary: ts },
      { unique_id: b, resource_type: 'source', name: 'orders', package: 'p', test_summary: ts },
    ];
    const m = annotateSvgNodes(svg, nodes, await expectedIds(nodes));
    expect([...m.keys()].sort()).toEqual([a, b]);
    expect(m.get(a)?.getAttribute('id')).toBe(ida);
  });
});

describe('renderMarkdown', () => {
  it('renders Markdown and strips scripts and handlers', () => {
    const html = renderMarkdown('**One** row per customer <script>alert(1)</script> <a href="javascript:x()" onclick="y()">l</a>');
    expect(html).toContain('<strong>One</strong>');
    expect(html).not.toMatch(/<script|onclick|javascript:/);
  });
  it('lets the keyboard reach a table or code block that scrolls, and keeps no tabindex a description sets', () => {
    const html = renderMarkdown('| a | b |\n|---|---|\n| 1 | 2 |\n\n```\nselect 1\n```\n\n<p tabindex="5">x</p>');
    expect(html).toMatch(/<table tabindex="0">/);
    expect(html).toMatch(/<pre tabindex="0">/);
    expect(html).not.toContain('tabindex="5"');
  });
});
