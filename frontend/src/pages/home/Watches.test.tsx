// @vitest-environment jsdom
/** @jsxImportSource preact */
import { describe, expect, it, vi } from 'vitest';
import { render } from 'preact';
import { act } from 'preact/test-utils';
import { settle, useRoot } from '../../testing/mount';
import type { FolderWatchStatus } from '../../api/types';

let listed: FolderWatchStatus[] = [];
const stopWatching = vi.fn(async (_folder: string) => undefined);
const handlers: (() => void)[] = [];
vi.mock('../../api', async (original) => ({
  ...(await original<typeof import('../../api')>()),
  api: { watches: async () => listed, stopWatching: (f: string) => stopWatching(f) },
  onEvent: (_name: string, cb: () => void) => {
    handlers.push(cb);
    return () => handlers.splice(handlers.indexOf(cb), 1);
  },
}));
const { Watches } = await import('./Watches');

const mount = useRoot();

describe('Watches', () => {
  it('lists the watched folders, follows new snapshots, and stops one', async () => {
    listed = [];
    act(() => render(<Watches />, mount.root));
    await settle();
    expect(mount.root.querySelector('[data-testid="watches"]')).toBeNull();
    listed = [{ folder: '/p/target', since: '2031-03-01T10:00:00Z', imports: 2, last_snapshot_id: 9, last_error: 'the manifest is not JSON', note: 'waiting for that run\'s run_results.json' }];
    act(() => handlers.forEach((h) => h())); // snapshots:changed
    await settle();
    const item = mount.root.querySelector('[data-testid="watches"] li')!;
    expect(item.textContent).toContain('Watching /p/target');
    expect(item.textContent).toContain('2 runs imported');
    expect(item.querySelector('a')?.getAttribute('href')).toContain('snap=9');
    expect(item.textContent).toContain('the manifest is not JSON');
    expect(item.textContent).toContain("waiting for that run's run_results.json");
    act(() => (item.querySelector('button') as HTMLButtonElement).click());
    await settle();
    expect(stopWatching).toHaveBeenCalledWith('/p/target');
    expect(mount.root.querySelector('[data-testid="watches"]')).toBeNull();
  });
});
