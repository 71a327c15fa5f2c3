// The project page's ties to other dbt projects (dbt Mesh): the projects it
// refs public models of, and those the store holds that ref its own.
import { useEffect, useState } from 'preact/hooks';
import { api } from '../../api';
import type { MeshProject, MeshResult } from '../../api/types';
import { href } from '../../lib/router';
import { idName } from '../../lib/selector';
import { Section } from '../../components/ui';

function NodeLink({ uid, snapshotId }: { uid: string; snapshotId?: number }) {
  const name = idName(uid);
  return snapshotId ? <a href={href(['node', uid], { snap: String(snapshotId) })}>{name}</a> : <span>{name}</span>;
}

/** One side of the ties: each project, its run, and each model with what reads it. */
function Side({ title, projects, mesh, reading }: { title: string; projects: MeshProject[]; mesh: MeshResult; reading: boolean }) {
  if (projects.length === 0) return null;
  return (
    <div class="mesh-side">
      <h3 class="small">{title}</h3>
      <table class="table" data-testid={reading ? 'mesh-reads' : 'mesh-read-by'}>
        <thead><tr><th>project</th><th>public model</th><th>read by</th></tr></thead>
        <tbody>
          {projects.flatMap((p) =>
            p.models.map((m, i) => (
              <tr key={p.project + m.unique_id}>
                <td>{i === 0 && (p.snapshot_id ? <>{p.project} <span class="muted small">#{p.snapshot_id}</span></> : <>{p.project} <span class="muted small">(no run held)</span></>)}</td>
                {/* A model read is the other project's when this one reads it; the readers are the other project's otherwise. */}
                <td><NodeLink uid={m.unique_id} snapshotId={reading ? p.snapshot_id : mesh.snapshot_id} /></td>
                <td>{m.readers.map((r, k) => <span key={r}>{k > 0 && ', '}<NodeLink uid={r} snapshotId={reading ? mesh.snapshot_id : p.snapshot_id} /></span>)}</td>
              </tr>
            )),
          )}
        </tbody>
      </table>
    </div>
  );
}

export function MeshSection({ snapshotId }: { snapshotId: number }) {
  // The project page keys it by snapshot: a new one starts with none.
  const [mesh, setMesh] = useState<MeshResult | null>(null);
  useEffect(() => {
    let live = true;
    api.mesh(snapshotId).then((m) => live && setMesh(m), () => {});
    return () => {
      live = false;
    };
  }, [snapshotId]);
  if (!mesh || mesh.reads.length + mesh.read_by.length === 0) return null;
  const publicModels = mesh.read_by.flatMap((p) => p.models.map((m) => m.unique_id));
  const readers = mesh.reads.flatMap((p) => p.models.flatMap((m) => m.readers));
  const select = [...new Set([...readers.map((r) => `+${r}`), ...publicModels.map((m) => `${m}+`)])].join(' ');
  return (
    <Section
      title="Across projects (dbt Mesh)"
      actions={
        <span class="row">
          <a class="btn btn-small" href={href(['lineage'], { select, across: '1' })} title="What this project reads from other projects, and what other projects read of it, drawn across the projects">Lineage across projects</a>
          <a class="btn btn-small" href={href(['lineage'], { select: '*', group: 'project', across: '1' })} title="Every project tied to this one as a box (its installed packages in it), the refs between them counted">Projects as boxes</a>
        </span>
      }
    >
      <Side title={`${mesh.project} refs public models of`} projects={mesh.reads} mesh={mesh} reading />
      <Side title={`Projects that ref ${mesh.project}'s public models`} projects={mesh.read_by} mesh={mesh} reading={false} />
    </Section>
  );
}
