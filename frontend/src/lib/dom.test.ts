// @vitest-environment jsdom
import { describe, expect, it } from 'vitest';
import { parseSafeSvg } from './svg';
import { renderMarkdown } from './markdown';
import { annotateSvgNodes } from './svgmap';
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

describe('annotateSvgNodes', () => {
  it('maps graphviz node groups to unique_ids by id or title', () => {
    const svg = parseSafeSvg(
      '<svg xmlns="http://www.w3.org/2000/svg"><g class="node" id="model.p.orders"><title>x</title></g>' +
        '<g class="node" id="node7"><title>source.p.raw.orders</title></g><g class="node" id="zz"><title>unknown</title></g></svg>',
    );
    const nodes: LineageNode[] = [
      { unique_id: 'model.p.orders', resource_type: 'model', name: 'orders', package: 'p', test_summary: ts },
      { unique_id: 'source.p.raw.orders', resource_type: 'source', name: 'orders', package: 'p', test_summary: ts },
    ];
    const m = annotateSvgNodes(svg, nodes);
    expect([...m.keys()].sort()).toEqual(['model.p.orders', 'source.p.raw.orders']);
    expect(m.get('source.p.raw.orders')?.getAttribute('id')).toBe('node7');
  });
});

describe('renderMarkdown', () => {
  it('renders Markdown and strips scripts and handlers', () => {
    const html = renderMarkdown('**One** row per customer <script>alert(1)</script> <a href="javascript:x()" onclick="y()">l</a>');
    expect(html).toContain('<strong>One</strong>');
    expect(html).not.toMatch(/<script|onclick|javascript:/);
  });
});
