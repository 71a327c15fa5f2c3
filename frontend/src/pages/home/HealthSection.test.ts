import { describe, expect, it } from 'vitest';
import { healthSummary, needingAttention } from './HealthSection';
import type { HealthReport } from '../../api/types';

describe("the project's data health", () => {
  it('sums up every state, as the CLI does', () => {
    expect(healthSummary({ degraded: 2, healthy: 40 })).toBe('2 degraded, 0 caution, 0 unknown, 40 healthy');
  });
  it('lists the degraded and caution resources, in the report order', () => {
    const rep: HealthReport = {
      snapshot_id: 1, project: 'p', counts: {},
      resources: [
        { unique_id: 'model.p.a', resource_type: 'model', name: 'a', health: { state: 'degraded', reasons: ['its last build failed'] } },
        { unique_id: 'seed.p.b', resource_type: 'seed', name: 'b', health: { state: 'caution', reasons: ['no tests'] } },
        { unique_id: 'source.p.s.c', resource_type: 'source', name: 'c', health: { state: 'unknown' } },
        { unique_id: 'model.p.d', resource_type: 'model', name: 'd', health: { state: 'healthy' } },
      ],
    };
    expect(needingAttention(rep).map((r) => r.unique_id)).toEqual(['model.p.a', 'seed.p.b']);
  });
});
