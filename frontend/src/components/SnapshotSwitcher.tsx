import { app } from '../state';
import { formatDate } from '../lib/format';
import { navigate, route } from '../lib/router';

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
        onChange={(e) => {
          const id = Number((e.target as HTMLSelectElement).value);
          app.selectSnapshot(id);
          // The address names the snapshot shown, so a reload or a copied
          // link keeps it (and a stale snap= does not come back).
          const r = route.value;
          navigate(r.path, { ...r.query, snap: id || undefined }, true);
        }}
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
