import { describe, expect, it } from 'vitest';
import type { Snapshot } from '../api/types';
import { formatDate } from '../lib/format';
import { snapshotLabel } from './SnapshotSwitcher';

function snap(id: number, over: Partial<Snapshot>): Snapshot {
  return {
    id, name: 'shop', project: 'shop', origin: { kind: 'path' } as Snapshot['origin'], dbt_version: '1.11.2', schema_versions: {},
    generated_at: '2026-02-20T22:29:43Z', taken_at: '2026-12-06T00:40:00Z', counts: {}, warnings: null, ...over,
  };
}

describe('snapshot menu', () => {
  it('tells two imports of one project apart by what ran and when dbt ran it', () => {
    const build = snapshotLabel(snap(2, { run_command: 'build' }));
    const docs = snapshotLabel(snap(3, { run_command: 'generate', generated_at: '2026-02-21T08:00:00Z' }));
    expect(build).toMatch(/^#2 shop · dbt build · /);
    expect(docs).toMatch(/^#3 shop · dbt docs generate · /);
    expect(build.replace('#2', '')).not.toBe(docs.replace('#3', ''));
    // When dbt ran, not when it was imported (the same for both).
    expect(build.endsWith(formatDate('2026-02-20T22:29:43Z'))).toBe(true);
    expect(build).not.toContain(formatDate('2026-12-06T00:40:00Z'));
    expect(snapshotLabel(snap(4, { origin: { kind: 'dbt_cloud', run_id: 77 } as Snapshot['origin'] }))).toContain(' · run 77 · ');
  });
});
