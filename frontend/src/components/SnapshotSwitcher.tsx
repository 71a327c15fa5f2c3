import { app } from '../state';
import type { Snapshot } from '../api/types';
import { dbtCommand, formatDate } from '../lib/format';
import { navigate, route } from '../lib/router';

/**
 * A snapshot as the menu lists it: what ran and when dbt ran it, so two
 * imports of one project read apart ("#3 shop · dbt build · run 7 · Feb 20,
 * 2026, 10:29 PM"); when it was imported is in the option's title.
 */
export function snapshotLabel(s: Snapshot): string {
  const parts = [`#${s.id} ${s.name || s.project}`];
  if (s.run_command) parts.push(dbtCommand(s.run_command));
  if (s.origin.kind === 'dbt_cloud') parts.push(`run ${s.origin.run_id}`);
  parts.push(formatDate(s.generated_at));
  return parts.join(' · ');
}

export function SnapshotSwitcher() {
  const snaps = app.snapshots.value;
  if (snaps.length === 0) return null;
  const cur = app.current.value;
  const latest = app.latest.value;
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
          // link keeps it (and a stale snap= does not come back); a new
          // history entry, so Back returns to the snapshot before (QA).
          const r = route.value;
          navigate(r.path, { ...r.query, snap: id || undefined });
        }}
      >
        {/* The id first, as in the other options, so a narrow menu still shows it. */}
        <option value="0">Latest: #{latest?.id} {latest?.project}</option>
        {snaps.map((s) => (
          <option key={s.id} value={String(s.id)} title={`imported ${formatDate(s.taken_at)}`}>
            {snapshotLabel(s)}
          </option>
        ))}
      </select>
      {cur && <span class="muted small snap-meta">dbt {cur.dbt_version}</span>}
    </label>
  );
}
