import { app } from '../state';
import { formatDate } from '../lib/format';

export function SnapshotSwitcher() {
  const snaps = app.snapshots.value;
  if (snaps.length === 0) return null;
  const cur = app.current.value;
  return (
    <label class="snap-switch" title="Snapshot shown (every import and sync is kept)">
      <span class="sr-only">Snapshot</span>
      <select
        aria-label="Snapshot"
        value={String(app.pickedSnapshot.value || 0)}
        onChange={(e) => app.selectSnapshot(Number((e.target as HTMLSelectElement).value))}
      >
        <option value="0">Latest: {snaps[0].project} #{snaps[0].id}</option>
        {snaps.map((s) => (
          <option key={s.id} value={String(s.id)}>
            #{s.id} {s.name || s.project} · {s.origin.kind === 'dbt_cloud' ? `run ${s.origin.run_id}` : s.origin.kind} · {formatDate(s.taken_at)}
          </option>
        ))}
      </select>
      {cur && <span class="muted small snap-meta">dbt {cur.dbt_version}</span>}
    </label>
  );
}
