import { describe, expect, it } from 'vitest';
import { blastRadiusSelector, healthSummary, judgedCount, needingAttention } from './HealthSection';
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

describe('the blast radius of the degraded', () => {
  it('draws each degraded resource but exposures with its descendants, the first 30, quoting ids with spaces', () => {
    const degraded = (id: string, type = 'model') => ({ unique_id: id, resource_type: type, name: id, health: { state: 'degraded' as const } });
    const rep: HealthReport = {
      snapshot_id: 1, project: 'p', counts: {},
      resources: [degraded('model.p.a'), degraded('source.p.s.raw'), degraded('exposure.p.Pulse queries', 'exposure'),
        { unique_id: 'model.p.b', resource_type: 'model', name: 'b', health: { state: 'caution' } }],
    };
    expect(blastRadiusSelector(rep)).toEqual({ select: 'model.p.a+ source.p.s.raw+', from: 2, of: 2 });
    const many: HealthReport = { ...rep, resources: Array.from({ length: 35 }, (_, i) => degraded(`model.p.m${i}`)) };
    const blast = blastRadiusSelector(many);
    expect([blast.from, blast.of, blast.select.split(' ').length]).toEqual([30, 35, 30]);
    expect(blastRadiusSelector({ ...rep, resources: [degraded('exposure.p.x', 'exposure')] }).from).toBe(0);
  });
});

describe('judgedCount', () => {
  it('counts the models, seeds, snapshots, sources and exposures of a snapshot', () => {
    expect(judgedCount({ model: 10, seed: 2, snapshot: 1, source: 4, exposure: 1, test: 50, macro: 300 })).toBe(18);
    expect(judgedCount(undefined)).toBe(0);
  });
});
