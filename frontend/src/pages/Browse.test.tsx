// @vitest-environment jsdom
/** @jsxImportSource preact */
import { beforeAll, describe, expect, it, vi } from 'vitest';
import { render } from 'preact';
import { act } from 'preact/test-utils';
import { nextFrame, settle, useRoot } from '../testing/mount';
import type { ResourceSummary } from '../api/types';

// 4,500 models, listed a page at a time as the API pages them.
const ALL = Array.from({ length: 4500 }, (_, i) => ({ unique_id: `model.p.m${String(i).padStart(5, '0')}`, name: `m${i}`, resource_type: 'model', package_name: 'p' }) as ResourceSummary);
const resources = vi.fn(async (_snap: number, f: { limit?: number; offset?: number }) => ALL.slice(f.offset ?? 0, (f.offset ?? 0) + (f.limit ?? ALL.length)));
vi.mock('../api', async (original) => ({ ...(await original<typeof import('../api')>()), api: { resources: (s: number, f: object) => resources(s, f) } }));
const { app } = await import('../state');
const { Browse } = await import('./Browse');

// jsdom lays nothing out: the list's pane is given a height, the rows' virtualiser a size to read.
beforeAll(() => {
  globalThis.ResizeObserver ??= class {
    observe() {}
    unobserve() {}
    disconnect() {}
  } as unknown as typeof ResizeObserver;
  Object.defineProperty(HTMLElement.prototype, 'clientHeight', { configurable: true, get: () => 880 });
  Object.defineProperty(HTMLElement.prototype, 'clientWidth', { configurable: true, get: () => 800 });
});

const mount = useRoot();
const meta = () => mount.root.querySelector('.list-meta')!.textContent;

describe('Browse', () => {
  it('loads the next page as the list is scrolled to its end, until a page comes short', async () => {
    app.snapshots.value = [{ id: 1, name: 'p', project: 'p', counts: { model: ALL.length } } as unknown as (typeof app.snapshots.value)[number]];
    act(() => render(<Browse />, mount.root));
    await settle();
    expect(meta()).toContain('2,000+ resources');
    expect(mount.root.querySelectorAll('.vrow').length).toBeGreaterThan(0);
    expect(resources).toHaveBeenCalledTimes(1);
    const list = mount.root.querySelector('.vlist') as HTMLElement;
    for (const expected of ['4,000+ resources', '4,500 resources']) {
      act(() => {
        // To the end of the rows loaded (jsdom keeps no scroll position of its own).
        const end = 44 * Number(meta().replace(/\D/g, '')) - 880;
        Object.defineProperty(list, 'scrollTop', { configurable: true, get: () => end });
        list.dispatchEvent(new Event('scroll'));
      });
      await nextFrame();
      await settle();
      expect(meta()).toContain(expected);
    }
    expect(resources.mock.calls.map(([, f]) => f.offset ?? 0)).toEqual([0, 2000, 4000]);
    // At the end nothing more is asked for.
    act(() => list.dispatchEvent(new Event('scroll')));
    await nextFrame();
    await settle();
    expect(resources).toHaveBeenCalledTimes(3);
  });
});

describe('Browse, back to a row far down', () => {
  it('loads the pages down to the row this history entry had active', async () => {
    resources.mockClear();
    app.snapshots.value = [{ id: 1, name: 'p', project: 'p', counts: { model: ALL.length } } as unknown as (typeof app.snapshots.value)[number]];
    history.replaceState({ activeUid: ALL[2500].unique_id, activeAt: 2500 }, '');
    act(() => render(<Browse />, mount.root));
    await settle();
    expect(resources.mock.calls[0][1]).toMatchObject({ limit: 4000 });
    expect(mount.root.querySelector('.list-meta')!.textContent).toContain('4,000+ resources');
    // The row is active again (jsdom scrolls nothing into view: its entry says it).
    expect(history.state).toMatchObject({ activeUid: ALL[2500].unique_id, activeAt: 2500 });
    history.replaceState(null, '');
  });
});

describe('browseSelector', () => {
  it("writes a list's filters as the selector of what they keep", async () => {
    const { browseSelector } = await import('./Browse');
    expect(browseSelector({ pkg: 'jaffle_shop', folder: 'models/marts', tag: 'finance' }, 'jaffle_shop')).toBe('package:jaffle_shop,path:models/marts,tag:finance');
    expect(browseSelector({ type: 'model', mat: 'view' }, 'p')).toBe('resource_type:model,config.materialized:view');
    expect(browseSelector({ tag: 'two words' }, 'p')).toBe('tag:"two words"');
    expect(browseSelector({ pkg: 'dbt_utils' }, 'p')).toBe('package:dbt_utils');
    expect(browseSelector({}, 'p')).toBeNull(); // everything: no picture offered
    expect(browseSelector({ type: 'test' }, 'p')).toBeNull(); // the lineage hides tests
    expect(browseSelector({ pkg: 'hubspot_source', folder: 'models/tmp' }, 'p')).toBeNull(); // path: globs in the root project
  });
});
