// Project browser: packages and folders (from Tree) and resource types, with
// counts. Selecting one lists its resources in the main pane.
import { useEffect, useState } from 'preact/hooks';
import { api } from '../api';
import type { TreeEntry } from '../api/types';
import { app } from '../state';
import { href, route } from '../lib/router';
import { TYPE_LABELS, typeOrder } from '../lib/format';

function total(c: Record<string, number>): number {
  let n = 0;
  for (const [t, v] of Object.entries(c)) if (t !== 'macro' && t !== 'doc') n += v;
  return n;
}

export function Sidebar() {
  const snapId = app.snapshotId.value;
  const [tree, setTree] = useState<TreeEntry[]>([]);
  const [err, setErr] = useState<string | null>(null);
  const [collapsed, setCollapsed] = useState<Record<string, boolean>>({});
  const q = route.value.path[0] === 'browse' ? route.value.query : {};

  useEffect(() => {
    if (!snapId) return;
    let live = true;
    api.tree(snapId).then(
      (t) => live && (setTree(t), setErr(null)),
      (e) => live && setErr(e.message),
    );
    return () => {
      live = false;
    };
  }, [snapId]);

  const snap = app.current.value;
  const counts = Object.entries(snap?.counts ?? {}).filter(([, n]) => n > 0).sort((a, b) => typeOrder(a[0]) - typeOrder(b[0]));
  const packages = tree.filter((e) => e.folder === '' && total(e.counts) > 0);
  const project = snap?.project;
  packages.sort((a, b) => (a.package === project ? -1 : b.package === project ? 1 : a.package.localeCompare(b.package)));

  return (
    <nav class="sidebar" aria-label="Project browser">
      <div class="side-group">
        <div class="side-title">Resource types</div>
        <ul>
          {counts.map(([t, n]) => (
            <li key={t}>
              <a class={`side-item ${q.type === t && !q.pkg ? 'active' : ''}`} href={href(['browse'], { type: t })}>
                <span>{TYPE_LABELS[t] ?? t}</span>
                <span class="count">{n.toLocaleString()}</span>
              </a>
            </li>
          ))}
        </ul>
      </div>
      <div class="side-group">
        <div class="side-title">Packages and folders</div>
        {err && <div class="error-inline">{err}</div>}
        <ul>
          {packages.map((p) => {
            const folders = tree
              .filter((e) => e.package === p.package && folderSegments(e.folder).length > 0 && total(e.counts) > 0)
              .sort((a, b) => a.folder.localeCompare(b.folder));
            const isOpen = !(collapsed[p.package] ?? p.package !== project);
            return (
              <li key={p.package}>
                <div class="side-row">
                  <button
                    type="button"
                    class="twisty"
                    aria-expanded={isOpen}
                    aria-label={`${isOpen ? 'Collapse' : 'Expand'} ${p.package}`}
                    onClick={() => setCollapsed({ ...collapsed, [p.package]: isOpen })}
                    disabled={folders.length === 0}
                  >
                    {folders.length === 0 ? '' : isOpen ? '▾' : '▸'}
                  </button>
                  <a class={`side-item pkg ${q.pkg === p.package && !q.folder ? 'active' : ''}`} href={href(['browse'], { pkg: p.package })}>
                    <span>{p.package}</span>
                    <span class="count">{total(p.counts).toLocaleString()}</span>
                  </a>
                </div>
                {isOpen && folders.length > 0 && (
                  <ul>
                    {folders.map((f) => {
                      const segments = folderSegments(f.folder);
                      const depth = segments.length - 1;
                      const name = segments[depth];
                      return (
                        <li key={f.folder}>
                          <a
                            class={`side-item folder ${q.pkg === p.package && q.folder === f.folder ? 'active' : ''}`}
                            style={{ paddingLeft: `${22 + depth * 12}px` }}
                            href={href(['browse'], { pkg: p.package, folder: f.folder })}
                            title={f.folder}
                          >
                            <span>{name}</span>
                            <span class="count">{total(f.counts).toLocaleString()}</span>
                          </a>
                        </li>
                      );
                    })}
                  </ul>
                )}
              </li>
            );
          })}
        </ul>
      </div>
    </nav>
  );
}

/**
 * A folder's rows in the tree, outermost first. A seed-paths: ["../seeds"]
 * puts files outside the project: "../seeds" is one row, not a row ".."
 * holding a row "seeds", and ".." alone has no row.
 */
export function folderSegments(folder: string): string[] {
  const parts = folder.split('/').filter(Boolean);
  let up = 0;
  while (up < parts.length && parts[up] === '..') up++;
  if (up === parts.length) return [];
  if (up === 0) return parts;
  return [parts.slice(0, up + 1).join('/'), ...parts.slice(up + 1)];
}
