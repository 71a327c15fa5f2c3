// First start (empty store) and the overview of the current snapshot, with
// the three ways in: dbt Cloud, a local target folder, the demo project.
import { useEffect, useState } from 'preact/hooks';
import { app } from '../state';
import { href, navigate, route } from '../lib/router';
import { dbtCommand, formatBytes, formatDate, plural, TYPE_LABELS, typeOrder } from '../lib/format';
import { ConfirmButton, ErrorBox, Section, Spinner } from '../components/ui';
import type { ImportResult } from '../api/types';
import { api, hasMethod, type Snapshot } from '../api';
import { ViewsSection } from './home/ViewsSection';
import { MeshSection } from './home/MeshSection';
import { AUTO_COMPARED, ChangesSection, comparedCount } from './home/ChangesSection';
import { AUTO_JUDGED, HealthSection, judgedCount } from './home/HealthSection';
import { AUTO_TIMED, RunTimesSection, timedCount } from './home/RunTimesSection';
import { Watches } from './home/Watches';
import { stateBaseOf } from '../lib/snapshots';

export function ImportForm({ compact }: { compact?: boolean }) {
  const [path, setPath] = useState('');
  const [name, setName] = useState('');
  const [watch, setWatch] = useState(false);
  const [result, setResult] = useState<ImportResult | null>(null);
  const [watchNote, setWatchNote] = useState('');
  const busy = app.busy.value;
  return (
    <form
      class="stack"
      onSubmit={async (e) => {
        e.preventDefault();
        if (!path.trim()) return;
        const paths = path.split('\n').map((p) => p.trim()).filter(Boolean);
        try {
          const res = await app.importPaths(paths, name.trim());
          setResult(res);
          setWatchNote('');
          if (watch) {
            // The folder is imported now: the watch waits for the next run.
            await api.watchFolder(paths, name.trim()).then(
              (w) => setWatchNote(`Watching ${w.folder}: each new dbt run written there is imported as it finishes, also after the app restarts, until stopped.`),
              (err) => setWatchNote(`Not watching: ${(err as Error).message}`),
            );
          }
          // The address names the new snapshot, or it would bring back the one it named.
          if (!compact) navigate([''], { snap: res.snapshot_id });
          else navigate(route.value.path, { ...route.value.query, snap: res.snapshot_id }, true);
        } catch {
          /* shown by ErrorBox via app.error */
        }
      }}
    >
      <label class="field">
        <span>dbt target folder or artifact files</span>
        <input
          type="text"
          name="import-path"
          placeholder="/path/to/project/target"
          value={path}
          onInput={(e) => setPath((e.target as HTMLInputElement).value)}
          spellcheck={false}
        />
        {hasMethod('PickFolder') && (
          <button
            type="button"
            class="btn btn-small"
            onClick={async () => {
              try {
                const dir = await api.pickFolder();
                if (dir) setPath(dir);
              } catch {
                /* dismissed or unavailable: the text field still works */
              }
            }}
          >
            Choose folder…
          </button>
        )}
        <small class="muted">The folder with manifest.json (and catalog.json, run_results.json, sources.json when present).</small>
      </label>
      <label class="field">
        <span>Name (optional)</span>
        <input type="text" value={name} placeholder="e.g. prod after release 42" onInput={(e) => setName((e.target as HTMLInputElement).value)} />
      </label>
      <label class="check wrap">
        <input type="checkbox" name="watch" checked={watch} onChange={(e) => setWatch((e.target as HTMLInputElement).checked)} />
        Keep watching: import each new dbt run written there (dbt Core)
      </label>
      <div class="row">
        <button class="btn btn-primary" type="submit" disabled={!path.trim() || !!busy}>Import</button>
        {busy && <Spinner label={busy} />}
      </div>
      {result && (
        <div class="notice">
          Imported {result.project} (dbt {result.dbt_version}) as snapshot #{result.snapshot_id}.
          {(result.warnings ?? []).length > 0 && <ul>{result.warnings!.map((w) => <li key={w}>{w}</li>)}</ul>}
        </div>
      )}
      {watchNote && <p class="small" role="status" data-testid="watch-note">{watchNote}</p>}
    </form>
  );
}

export function EmptyState() {
  const st = app.status.value;
  return (
    <div class="empty-state">
      <h1>Welcome to Lineage Desk</h1>
      <p class="muted">Explore dbt lineage offline. Pick a way to bring a project in; everything stays on this machine.</p>
      <div class="cards">
        <div class="card">
          <h2>Connect dbt Cloud</h2>
          <p class="muted">Sync artifacts of your production runs. Every sync is kept as a snapshot.</p>
          <a class="btn btn-primary" href={href(['connections', 'new'])}>Connect dbt Cloud</a>
        </div>
        <div class="card">
          <h2>Import a dbt target folder</h2>
          <ImportForm />
        </div>
        <div class="card">
          <h2>Open the demo project</h2>
          <p class="muted">jaffle_shop: a small shop with customers, orders and payments.</p>
          <button
            class="btn"
            disabled={st ? !st.demo_available || !!app.busy.value : true}
            onClick={() => void app.openDemo().then((res) => navigate([''], { snap: res.snapshot_id })).catch(() => {})}
          >
            Open the demo project
          </button>
          {st && !st.demo_available && <p class="muted small">This build has no demo project.</p>}
        </div>
      </div>
      <ErrorBox error={app.error.value} reveal />
    </div>
  );
}

/** A selector for every model, source, seed, snapshot and exposure the snapshot has. */
function wholeProject(counts: Record<string, number> | null | undefined): string {
  const types = ['source', 'seed', 'model', 'snapshot', 'exposure'].filter((t) => (counts?.[t] ?? 0) > 0);
  return types.map((t) => `resource_type:${t}`).join(' ') || 'resource_type:model';
}

/** A name that may wrap after its underscores (dbt_bouncer_test_project). */
function withBreaks(name: string) {
  return name.split(/(?<=_)/).map((part, i) => (i > 0 ? [<wbr key={i} />, part] : part));
}

export function Overview() {
  const snap = app.current.value;
  if (!snap) return null;
  const counts = Object.entries(snap.counts ?? {}).filter(([, n]) => n > 0).sort((a, b) => typeOrder(a[0]) - typeOrder(b[0]));
  // What state: compares with: the project's run before this one, else the one after.
  const compared = stateBaseOf(app.snapshots.value, snap);
  const earlier = compared?.base;
  const since = compared?.later ? `Changes against #${earlier?.id} (a later run)` : `Changes since #${earlier?.id}`;
  return (
    <div class="page">
      <header class="page-head">
        <div>
          <div class="eyebrow">Project</div>
          <h1>{snap.project}</h1>
          <div class="muted">
            Snapshot #{snap.id}{snap.name ? ` “${snap.name}”` : ''} · {snap.origin.kind === 'dbt_cloud' ? `dbt Cloud ${snap.origin.connection ?? ''} run ${snap.origin.run_id}` : snap.origin.kind === 'demo' ? 'demo project' : snap.origin.path}
            {' '}· generated {formatDate(snap.generated_at)} · dbt {snap.dbt_version}{snap.adapter_type ? ` (${snap.adapter_type})` : ''}
          </div>
        </div>
        <div class="row">
          {earlier && (
            <a class="btn" href={href(['lineage'], { select: 'state:modified+', state: String(earlier.id), diff: '1' })} title={`What changed between snapshot #${earlier.id} and this one, and what depends on it, drawn as a diff: what was removed since too`}>
              {since}
            </a>
          )}
          <a class="btn" href={href(['lineage'], { select: wholeProject(snap.counts) })}>Whole-project lineage</a>
        </div>
      </header>
      <div class="stat-grid">
        {counts.map(([t, n]) => (
          <a key={t} class="stat" href={href(['browse'], { type: t })}>
            <span class="stat-n">{n.toLocaleString()}</span>
            <span class="stat-l">{TYPE_LABELS[t] ?? t}</span>
          </a>
        ))}
      </div>
      {/* Keyed by the snapshot: a section of another one starts afresh instead of showing the
          report of the one before for a frame, under this one's name. */}
      <ViewsSection key={`views-${snap.id}`} snapshotId={snap.id} />
      <MeshSection key={`mesh-${snap.id}`} snapshotId={snap.id} />
      {earlier && <ChangesSection key={`changes-${snap.id}`} snapshotId={snap.id} earlierId={earlier.id} title={since} auto={comparedCount(snap.counts) <= AUTO_COMPARED} />}
      <HealthSection key={`health-${snap.id}`} snapshotId={snap.id} lineageSelect={wholeProject(snap.counts)} auto={judgedCount(snap.counts) <= AUTO_JUDGED} />
      <RunTimesSection key={`runtimes-${snap.id}`} snapshotId={snap.id} auto={timedCount(snap.counts) <= AUTO_TIMED} />
      {(snap.warnings ?? []).length > 0 && (
        <Section title="Import warnings">
          <ul class="warnings">{snap.warnings!.map((w, i) => <li key={i}>{w}</li>)}</ul>
        </Section>
      )}
      <Section title="Snapshots" actions={<StoreSize />}>
        <div class="table-wrap">
        <table class="table snapshots">
          <thead>
            <tr><th>#</th><th>Name</th><th>Origin</th><th>Generated</th><th>Nodes</th><th><span class="sr-only">Actions</span></th></tr>
          </thead>
          <tbody>
            {app.snapshots.value.map((s) => (
              <tr key={s.id} class={s.id === snap.id ? 'current' : ''}>
                <td>{s.id}</td>
                <td class="name">{withBreaks(s.name || s.project)}</td>
                <td class="origin">
                  {s.origin.kind === 'dbt_cloud' ? `dbt Cloud · run ${s.origin.run_id}` : s.origin.kind === 'path' ? s.origin.path : s.origin.kind}
                  {s.run_command && <div class="muted small">{dbtCommand(s.run_command)}</div>}
                </td>
                <td>
                  {formatDate(s.generated_at)}
                  <div class="muted small">imported {formatDate(s.taken_at)}</div>
                </td>
                <td>{Object.entries(s.counts ?? {}).filter(([t]) => t !== 'macro' && t !== 'doc').reduce((a, [, n]) => a + n, 0).toLocaleString()}</td>
                <td class="actions">
                  {s.id !== snap.id && <a class="btn btn-small" href={href([''], { snap: s.id })}>Show</a>}
                  <ConfirmButton
                    class="btn-small btn-danger"
                    label="Delete"
                    confirmLabel="Click again to delete"
                    title={`Delete snapshot #${s.id} (${s.name || s.project}); this cannot be undone`}
                    onConfirm={() => void app.deleteSnapshot(s.id).then((next) => next !== null && navigate([''], { ...route.value.query, snap: next || undefined }, true)).catch(() => {})}
                  />
                </td>
              </tr>
            ))}
          </tbody>
        </table>
        </div>
        <PruneSnapshots />
      </Section>
      <Section title="Bring in more">
        <div class="cards two">
          <div class="card">
            <h3>Import a dbt target folder</h3>
            <ImportForm compact />
            <Watches />
          </div>
          <div class="card">
            <h3>dbt Cloud</h3>
            <p class="muted">Sync the latest production run with docs, or pick a run.</p>
            <a class="btn" href={href(['connections'])}>Manage connections</a>
            {app.status.value?.demo_available && (
              <button class="btn" onClick={() => void app.openDemo().then((res) => navigate([''], { snap: res.snapshot_id })).catch(() => {})}>Re-open the demo</button>
            )}
          </div>
        </div>
      </Section>
      <ErrorBox error={app.error.value} reveal />
    </div>
  );
}

/** Compaction is offered from this much free space on: a store always has a little. */
const COMPACT_FROM_BYTES = 1 << 20;

/** How many snapshots the store keeps and its size; once snapshots were
 * deleted, a button gives their space back (the file keeps its size otherwise). */
function StoreSize() {
  const [done, setDone] = useState('');
  const disk = app.status.value?.disk;
  const compact = async () => {
    try {
      const c = await app.compactStore();
      setDone(`Compacted from ${formatBytes(c.before.bytes)} to ${formatBytes(c.after.bytes)}.`);
    } catch {
      setDone(''); // the error box says why
    }
  };
  return (
    <span class="row nowrap small" data-testid="store-size">
      <span class="muted">
        {plural(app.snapshots.value.length, 'snapshot')} kept{disk && ` · ${formatBytes(disk.bytes)} on disk`}
        {done && ` · ${done}`}
      </span>
      {disk && disk.free_bytes >= COMPACT_FROM_BYTES && (
        <button type="button" class="btn btn-small" disabled={!!app.busy.value} onClick={() => void compact()}
          title="Deleted snapshots leave free space in the store file, reused by later imports; this rewrites the store without it">
          Compact: give back {formatBytes(disk.free_bytes)}
        </button>
      )}
    </span>
  );
}

/** Choices for how many runs of each project to keep. */
const KEEP_CHOICES = [1, 3, 5, 10, 20, 50];

/** Deletes all but each project's latest runs (SnapshotsToPrune picks
 * them, as lineagedesk delete-snapshot --keep does): for a store a daily
 * sync fills. Shown once the store holds two snapshots. */
function PruneSnapshots() {
  const [keep, setKeep] = useState(10);
  const [doomed, setDoomed] = useState<Snapshot[]>([]);
  const count = app.snapshots.value.length;
  const held = app.snapshots.value.map((s) => s.id).join(','); // asked again when they change
  useEffect(() => {
    let live = true;
    api.snapshotsToPrune(keep, '').then((list) => live && setDoomed(list), () => live && setDoomed([]));
    return () => {
      live = false;
    };
  }, [keep, held]);
  if (count < 2) return null;
  return (
    <div class="row small prune" data-testid="prune">
      <label>
        Keep the latest{' '}
        <select name="keep" value={String(keep)} onChange={(e) => setKeep(Number((e.target as HTMLSelectElement).value))}>
          {KEEP_CHOICES.map((n) => <option key={n} value={String(n)}>{n}</option>)}
        </select>{' '}
        {keep === 1 ? 'run' : 'runs'} of each project
      </label>
      {doomed.length === 0 ? (
        <span class="muted">nothing older to delete</span>
      ) : (
        <ConfirmButton
          class="btn-small btn-danger"
          label={`Delete ${plural(doomed.length, 'older snapshot')}`}
          confirmLabel={`Click again to delete ${doomed.length}`}
          title={doomed.map((s) => `#${s.id} ${s.name || s.project}`).join(', ')}
          onConfirm={() => void app.deleteSnapshots(doomed.map((s) => s.id)).catch(() => {})}
        />
      )}
    </div>
  );
}
