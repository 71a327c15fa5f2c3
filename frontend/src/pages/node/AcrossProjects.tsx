// A node's ties to other dbt projects (dbt Mesh): a ref to another
// project's public model says where that model lives; a public model that
// other projects ref lists what reads it there.
import { useEffect, useState } from 'preact/hooks';
import { api } from '../../api';
import type { MeshResult, ResourceDetail } from '../../api/types';
import { href } from '../../lib/router';
import { idName } from '../../lib/selector';
import { Section } from '../../components/ui';

/** A model dbt put in the manifest for a cross-project ref: another project's, with no file. */
export function isCrossProjectRef(r: Pick<ResourceDetail, 'resource_type' | 'path'>): boolean {
  return r.resource_type === 'model' && !r.path;
}

/** The readers, in other projects, of the model uid: one row per project. */
export function readersAcross(mesh: MeshResult, uid: string): { project: string; snapshotId?: number; readers: string[] }[] {
  return mesh.read_by.flatMap((p) => p.models.filter((m) => m.unique_id === uid).map((m) => ({ project: p.project, snapshotId: p.snapshot_id, readers: m.readers })));
}

export function AcrossProjects({ r, snapshotId }: { r: ResourceDetail; snapshotId: number }) {
  const [mesh, setMesh] = useState<MeshResult | null>(null);
  const uid = r.unique_id;
  useEffect(() => {
    setMesh(null);
    if (r.resource_type !== 'model') return;
    let live = true;
    api.mesh(snapshotId).then((m) => live && setMesh(m), () => {});
    return () => {
      live = false;
    };
  }, [snapshotId, uid]);
  if (!mesh) return null;
  const lineage = (select: string) => href(['lineage'], { select, focus: uid, across: '1' });
  if (isCrossProjectRef(r)) {
    const run = mesh.reads.find((p) => p.project === r.package)?.snapshot_id;
    return (
      <div class="mesh-note" data-testid="mesh-ref">
        A public model of project <strong>{r.package}</strong>, which {mesh.project} refs (dbt Mesh): its code, columns and tests are in {r.package}'s own runs.{' '}
        {run ? (
          <>
            <a href={href(['node', uid], { snap: String(run) })}>Open it in {r.package}, snapshot #{run}</a> ·{' '}
            <a href={lineage(`+${uid}+`)}>Lineage across projects</a>
          </>
        ) : (
          <span class="muted">The store holds no run of {r.package}: import or sync it to see its page and lineage.</span>
        )}
      </div>
    );
  }
  const rows = readersAcross(mesh, uid);
  if (rows.length === 0) return null;
  return (
    <Section title="Read by other projects" actions={<a class="btn btn-small" href={lineage(`${uid}+`)}>Lineage across projects</a>}>
      <ul class="plain" data-testid="mesh-readers">
        {rows.map((row) => (
          <li key={row.project}>
            <strong>{row.project}</strong> <span class="muted small">snapshot #{row.snapshotId}</span>:{' '}
            {row.readers.map((reader, i) => (
              <span key={reader}>
                {i > 0 && ', '}
                <a href={href(['node', reader], { snap: String(row.snapshotId) })}>{idName(reader)}</a>
              </span>
            ))}
          </li>
        ))}
      </ul>
    </Section>
  );
}
