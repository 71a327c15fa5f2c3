// @vitest-environment jsdom
/** @jsxImportSource preact */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { render } from 'preact';
import { act } from 'preact/test-utils';
import { HealthLine } from './ui';
import { HealthCounts, LensLegend } from '../pages/lineage/MetaBar';
import type { LineageResult } from '../api/types';
import { lensModeOf } from '../pages/lineage/request';
import { nextFrame } from '../testing/mount';

let root: HTMLElement;
beforeEach(() => {
  root = document.createElement('div');
  document.body.appendChild(root);
});
afterEach(async () => {
  render(null, root);
  root.remove();
  await nextFrame();
});

const line = () => root.querySelector('[data-testid="health"]');

describe('HealthLine', () => {
  it("names the state in the state's colour and the first reasons, counting the rest", () => {
    const reasons = ['its last build failed', '1 of 2 tests failing', 'no description'];
    act(() => render(<HealthLine health={{ state: 'degraded', reasons }} reasons={2} />, root));
    expect(line()?.querySelector('.chip')?.textContent).toBe('health: degraded');
    expect(line()?.querySelector('.chip')?.classList.contains('status-bad')).toBe(true);
    expect(line()?.textContent).toBe('health: degraded its last build failed; 1 of 2 tests failing; 1 more');
    expect(line()?.getAttribute('title')).toBe(reasons.join('\n'));
  });
  it('shows a healthy node plainly, and nothing for a node not judged', () => {
    act(() => render(<HealthLine health={{ state: 'healthy' }} />, root));
    expect(line()?.textContent).toBe('health: healthy');
    expect(line()?.querySelector('.chip')?.classList.contains('status-ok')).toBe(true);
    act(() => render(<HealthLine health={undefined} />, root));
    expect(line()).toBeNull();
  });
});

describe('the health lens', () => {
  it('is read from the address and has its own legend', () => {
    expect(lensModeOf('health')).toBe('health');
    act(() => render(<LensLegend mode="health" />, root));
    const legend = root.querySelector('[data-testid="lens-legend"]');
    expect(legend?.getAttribute('aria-label')).toBe('Data health legend');
    expect([...(legend?.querySelectorAll('.lg') ?? [])].map((e) => e.textContent)).toEqual(['degraded', 'caution', 'healthy', 'unknown / not judged']);
  });
});

describe('HealthCounts', () => {
  it('counts the drawn resources by state, worst first, and says nothing without the lens', () => {
    const node = (state?: 'degraded' | 'caution' | 'healthy') => ({ unique_id: `model.p.${state}`, health: state ? { state } : undefined });
    const result = { nodes: [node('healthy'), node('degraded'), node('healthy'), node()] } as unknown as LineageResult;
    act(() => render(<HealthCounts result={result} />, root));
    expect(root.querySelector('[data-testid="health-counts"]')?.textContent).toBe('1 degraded, 2 healthy');
    act(() => render(<HealthCounts result={{ nodes: [node()] } as unknown as LineageResult} />, root));
    expect(root.querySelector('[data-testid="health-counts"]')).toBeNull();
  });
});
