// @vitest-environment jsdom
/** @jsxImportSource preact */
import { describe, expect, it } from 'vitest';
import { render } from 'preact';
import { act } from 'preact/test-utils';
import { useRoot } from '../../testing/mount';
import type { ResourceSummary } from '../../api/types';
import { NeighbourList } from './NeighbourList';

const mount = useRoot();
const children = (n: number) =>
  Array.from({ length: n }, (_, i) => ({ unique_id: `model.p.m${i}`, name: `m${i}`, resource_type: 'model', package_name: 'p' }) as ResourceSummary);

describe('NeighbourList', () => {
  it('lists the first hundred of a long list, and all on request', () => {
    act(() => render(<NeighbourList items={children(1552)} empty="none" />, mount.root));
    expect(mount.root.querySelectorAll('li')).toHaveLength(100);
    const more = mount.root.querySelector('button')!;
    expect(more.textContent).toBe('Show all 1,552');
    act(() => more.click());
    expect(mount.root.querySelectorAll('li')).toHaveLength(1552);
    expect(mount.root.querySelector('button')).toBeNull();
  });
  it('lists a short list whole, and says when there is none', () => {
    act(() => render(<NeighbourList items={children(3)} empty="Nothing downstream." />, mount.root));
    expect(mount.root.querySelectorAll('li')).toHaveLength(3);
    expect(mount.root.querySelector('button')).toBeNull();
    act(() => render(<NeighbourList items={[]} empty="Nothing downstream." />, mount.root));
    expect(mount.root.textContent).toBe('Nothing downstream.');
  });
});
