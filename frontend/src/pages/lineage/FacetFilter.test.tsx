// @vitest-environment jsdom
/** @jsxImportSource preact */
import { describe, expect, it, vi } from 'vitest';
import { render } from 'preact';
import { act } from 'preact/test-utils';
import { useRoot } from '../../testing/mount';
import type { GraphNode } from '../../api/types';
import { FacetFilter } from './FacetFilter';

const none = { total: 0, pass: 0, warn: 0, fail: 0, error: 0, skipped: 0 };
const nodes: GraphNode[] = [
  ...Array.from({ length: 12 }, (_, i) => ({ unique_id: `model.p.m${i}`, resource_type: 'model', package: 'p', name: `m${i}`, tags: [`t${String(i).padStart(2, '0')}`], test_summary: none })),
  { unique_id: 'seed.p.s', resource_type: 'seed', package: 'p', name: 's', test_summary: none },
];
const mount = useRoot();

describe('FacetFilter', () => {
  it('unticking a value draws the picture without it; ticking it again takes it out of Exclude', () => {
    const onExclude = vi.fn();
    act(() => render(<FacetFilter nodes={nodes} exclude="tag:old+" onExclude={onExclude} />, mount.root));
    expect(mount.root.querySelector('summary')!.textContent).toBe('Filter');
    const seed = mount.root.querySelector('input[data-atom="resource_type:seed"]') as HTMLInputElement;
    expect(seed.checked).toBe(true);
    act(() => seed.click());
    expect(onExclude).toHaveBeenLastCalledWith('tag:old+ resource_type:seed');

    act(() => render(<FacetFilter nodes={nodes.slice(0, 12)} exclude="tag:old+ resource_type:seed" onExclude={onExclude} />, mount.root));
    expect(mount.root.querySelector('summary')!.textContent).toBe('Filter (1 hidden)');
    const hidden = mount.root.querySelector('input[data-atom="resource_type:seed"]') as HTMLInputElement;
    expect(hidden.checked).toBe(false);
    expect(hidden.closest('label')!.textContent).toBe('seedhiddenonly');
    act(() => hidden.click());
    expect(onExclude).toHaveBeenLastCalledWith('tag:old+');
  });
  it('draws only one type, the others excluded; tags have no "only"', () => {
    const onExclude = vi.fn();
    act(() => render(<FacetFilter nodes={nodes} exclude="" onExclude={onExclude} />, mount.root));
    const only = mount.root.querySelector('input[data-atom="resource_type:seed"]')!.closest('label')!.querySelector('button.facet-only') as HTMLButtonElement;
    act(() => only.click());
    expect(onExclude).toHaveBeenLastCalledWith('resource_type:model');
    expect(mount.root.querySelector('[data-facet="tag"] button.facet-only')).toBeNull();
  });
  it('shows a long facet\'s first values and the rest on demand', () => {
    act(() => render(<FacetFilter nodes={nodes} exclude="" onExclude={() => {}} />, mount.root));
    const tags = () => mount.root.querySelectorAll('[data-facet="tag"] input').length;
    expect(tags()).toBe(8);
    const more = mount.root.querySelector('[data-facet="tag"] button') as HTMLButtonElement;
    expect(more.textContent).toBe('4 more');
    act(() => more.click());
    expect(tags()).toBe(12);
  });
});
