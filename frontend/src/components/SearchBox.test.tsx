// @vitest-environment jsdom
/** @jsxImportSource preact */
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { render } from 'preact';
import { act } from 'preact/test-utils';
import type { SearchHit, SearchResult } from '../api';
import { app, search } from '../state';
import { SearchBox, noMatchText } from './SearchBox';
import { HIT_BATCH, HITS_AHEAD, NEAR_END_PX } from '../lib/hits';
import { nextFrame } from '../testing/mount';

const ts = { total: 0, pass: 0, warn: 0, fail: 0, error: 0, skipped: 0 };

function hit(i: number, snippet = `\x02m${i}\x03`): SearchHit {
  return { unique_id: `model.p.m${i}`, resource_type: 'model', name: `m${i}`, package: 'p', test_summary: ts, matched_in: 'name', snippet };
}

function answer(n: number, snippet?: (i: number) => string): SearchResult {
  return { hits: Array.from({ length: n }, (_, i) => hit(i, snippet?.(i))), total: n, by_type: { model: n } };
}

let root: HTMLElement;

// jsdom lays nothing out: the list shows rowHeight-pixel rows in a
// viewHeight-pixel box, as the app's stylesheet would at 1280x800.
const rowHeight = 50;
let viewHeight = 490;
Object.defineProperty(HTMLElement.prototype, 'clientHeight', { configurable: true, get() { return this.classList.contains('hits') ? viewHeight : 0; } });
Object.defineProperty(HTMLElement.prototype, 'scrollHeight', { configurable: true, get() { return this.classList.contains('hits') ? this.children.length * rowHeight : 0; } });

beforeEach(() => {
  viewHeight = 490;
  root = document.createElement('div');
  document.body.appendChild(root);
  Element.prototype.scrollIntoView = vi.fn();
  act(() => render(<SearchBox />, root));
  const input = root.querySelector('input')!;
  act(() => {
    search.text.value = 'm';
    input.dispatchEvent(new FocusEvent('focus'));
  });
});

afterEach(async () => {
  act(() => {
    search.clear();
    render(null, root);
  });
  root.remove();
  vi.useRealTimers();
  await nextFrame();
});

const uids = () => [...root.querySelectorAll('.hit')].map((e) => e.getAttribute('data-uid'));

describe('SearchBox', () => {
  it('opens a hit found in its columns with that column traced', () => {
    const byColumn: SearchHit = { ...hit(1), matched_in: 'column', snippet: '\x02customer_id\x03: Who ordered', column: 'customer_id' };
    const byDimension: SearchHit = { ...hit(2), resource_type: 'semantic_model', matched_in: 'dimension', snippet: '\x02tier\x03', column: 'tier' };
    act(() => void (search.result.value = { hits: [hit(0), byColumn, byDimension], total: 3, by_type: { model: 2, semantic_model: 1 } }));
    const rows = root.querySelectorAll('.hit');
    expect(rows[1].querySelector('.chip')!.textContent).toBe('column customer_id');
    expect(rows[2].querySelector('.chip')!.textContent).toBe('dimension tier');
    act(() => (rows[1] as HTMLElement).click());
    expect(location.hash).toBe('#/node/model.p.m1?column=customer_id&direction=both');
    act(() => (root.querySelector('input') as HTMLElement).dispatchEvent(new FocusEvent('focus')));
    act(() => (root.querySelectorAll('.hit')[0] as HTMLElement).click());
    expect(location.hash).toBe('#/node/model.p.m0');
  });

  it('renders a batch of hits, and more as the list is scrolled', () => {
    act(() => void (search.result.value = answer(50)));
    expect(uids()).toEqual(answer(HIT_BATCH).hits!.map((h) => h.unique_id));
    expect(root.querySelector('.facets')!.textContent).toContain('50 matches');
    const list = root.querySelector('.hits') as HTMLElement;
    const scrollTo = (top: number) => act(() => {
      list.scrollTop = top;
      list.dispatchEvent(new Event('scroll'));
    });
    scrollTo(100); // not near the end yet
    expect(uids()).toHaveLength(HIT_BATCH);
    scrollTo(HIT_BATCH * rowHeight - viewHeight - NEAR_END_PX / 2);
    expect(uids()).toHaveLength(2 * HIT_BATCH);
    for (let n = 2 * HIT_BATCH; n < 50; n += HIT_BATCH) {
      scrollTo(n * rowHeight - viewHeight);
      expect(uids()).toHaveLength(Math.min(50, n + HIT_BATCH));
    }
    // A new answer starts again from one batch, at the top.
    act(() => void (search.result.value = answer(30)));
    expect(uids()).toHaveLength(HIT_BATCH);
    expect(list.scrollTop).toBe(0);
  });

  it('renders as many rows as a tall list needs to fill up', () => {
    viewHeight = 2 * HIT_BATCH * rowHeight - NEAR_END_PX / 2;
    act(() => void (search.result.value = answer(50)));
    expect(uids()).toHaveLength(3 * HIT_BATCH); // two batches end too close to the bottom
  });

  it('renders rows ahead of the active one as the arrow keys move it, and scrolls to it', async () => {
    act(() => void (search.result.value = answer(50)));
    const input = root.querySelector('input')!;
    for (let i = 0; i < 15; i++) act(() => void input.dispatchEvent(new KeyboardEvent('keydown', { key: 'ArrowDown' })));
    expect(search.active.value).toBe(15);
    expect(uids().length).toBeGreaterThanOrEqual(16 + HITS_AHEAD);
    expect(root.querySelector('.hit.active')?.getAttribute('data-uid')).toBe('model.p.m15');
    expect(input.getAttribute('aria-activedescendant')).toBe('hit-15');
    // Up from the first row wraps to the last, which is then rendered.
    act(() => void (search.active.value = 0));
    act(() => void input.dispatchEvent(new KeyboardEvent('keydown', { key: 'ArrowUp' })));
    expect(uids()).toHaveLength(50);
    expect(root.querySelector('.hit.active')?.getAttribute('data-uid')).toBe('model.p.m49');
    await vi.waitFor(() => expect(vi.mocked(Element.prototype.scrollIntoView).mock.contexts.at(-1)).toBe(root.querySelector('#hit-49')));
  });

  it('updates a row whose snippet changed and keeps the others', () => {
    act(() => void (search.result.value = answer(5)));
    const before = [...root.querySelectorAll('.hit')];
    act(() => void (search.result.value = answer(5, (i) => (i === 2 ? 'other \x02m2\x03' : `\x02m${i}\x03`))));
    const after = [...root.querySelectorAll('.hit')];
    expect(after).toEqual(before); // the same elements, keyed by unique_id
    expect(after[2].querySelector('.hit-snippet')!.textContent).toBe('other m2');
    expect(after[2].querySelector('mark')!.textContent).toBe('m2');
  });

  it('shows the spinner only when an answer is slow', () => {
    vi.useFakeTimers();
    act(() => void (search.loading.value = true));
    expect(root.querySelector('.spinner')).toBeNull();
    act(() => void vi.advanceTimersByTime(300));
    expect(root.querySelector('.spinner')).not.toBeNull();
    act(() => void (search.loading.value = false));
    expect(root.querySelector('.spinner')).toBeNull();
  });
});

describe('search of every project', () => {
  it('offers the projects the store holds when the snapshot has no match, and shows each hit\'s project', () => {
    const snap = (id: number, project: string) => ({ id, project }) as unknown as ReturnType<typeof app.snapshots.peek>[number];
    act(() => void (app.snapshots.value = [snap(1, 'shop'), snap(2, 'finance')]));
    act(() => void (search.result.value = { hits: [], total: 0, by_type: {} }));
    const offer = root.querySelector<HTMLButtonElement>('button[name=search-all-projects]');
    expect(offer?.textContent).toBe('Search all 2 projects');
    expect(root.querySelector('button.scope')?.getAttribute('aria-pressed')).toBe('false');
    act(() => offer!.click());
    expect(search.allProjects.value).toBe(true);
    act(() => void (search.result.value = { hits: [{ ...hit(0), project: 'finance', snapshot_id: 2 }], total: 1, by_type: { model: 1 }, by_project: { finance: 1 } }));
    expect(root.querySelector('.hit .chip.project')?.textContent).toBe('finance');
    expect([...root.querySelectorAll('.facet.project')].map((b) => b.textContent)).toEqual(['finance 1']);
    expect(root.querySelector('button[name=search-all-projects]')).toBeNull();
    act(() => {
      void search.setAllProjects(false);
      app.snapshots.value = [];
    });
  });
});

describe('an empty answer', () => {
  it('says what matched among the types not searched', () => {
    expect(noMatchText('zzz', {})).toBe('No matches for “zzz”.');
    expect(noMatchText('"quoted', { macro: 18, doc: 2 })).toBe('Nothing of the types searched matches “"quoted”; 18 macros, 2 docs do: pick them above.');
  });
});
