// @vitest-environment jsdom
/** @jsxImportSource preact */
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { render } from 'preact';
import { act } from 'preact/test-utils';
import { settle, useRoot } from '../../testing/mount';
import type { HealthReport } from '../../api/types';

const report: HealthReport = {
  snapshot_id: 4, project: 'p', counts: { degraded: 1, healthy: 1 },
  resources: [
    { unique_id: 'model.p.a', resource_type: 'model', name: 'a', health: { state: 'degraded', reasons: ['its last build failed: boom'] } },
    { unique_id: 'model.p.b', resource_type: 'model', name: 'b', health: { state: 'healthy' } },
  ],
};
const projectHealth = vi.fn(async (_snapshotID: number) => report);
vi.mock('../../api', async (original) => ({ ...(await original<typeof import('../../api')>()), api: { projectHealth: (id: number) => projectHealth(id) } }));
const { HealthSection } = await import('./HealthSection');

const mount = useRoot();
beforeEach(() => {
  projectHealth.mockClear();
});


describe('HealthSection', () => {
  it('judges a small project as it opens', async () => {
    act(() => render(<HealthSection snapshotId={4} lineageSelect="resource_type:model" auto />, mount.root));
    await settle();
    expect(projectHealth).toHaveBeenCalledWith(4);
    expect(mount.root.querySelector('button[name=check-health]')).toBeNull();
    expect(mount.root.querySelector('.changes-summary')?.textContent).toBe('1 degraded, 0 caution, 0 unknown, 1 healthy');
    expect([...mount.root.querySelectorAll('[data-testid="health-rows"] tbody tr')].map((tr) => tr.textContent)).toEqual(['a modelhealth: degraded its last build failed: boom']);
    expect(mount.root.querySelector('[data-testid="blast-radius"]')?.getAttribute('href')).toContain(encodeURIComponent('model.p.a+'));
  });
  it('waits for the button on a big one', async () => {
    act(() => render(<HealthSection snapshotId={4} lineageSelect="resource_type:model" auto={false} />, mount.root));
    await settle();
    expect(projectHealth).not.toHaveBeenCalled();
    act(() => (mount.root.querySelector('button[name=check-health]') as HTMLButtonElement).click());
    await settle();
    expect(projectHealth).toHaveBeenCalledTimes(1);
    expect(mount.root.querySelector('[data-testid="project-health"]')).not.toBeNull();
  });
});
