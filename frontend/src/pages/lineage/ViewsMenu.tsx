// Saved views: the picture shown saved by name for its project, opened
// again on any snapshot of it, and shared as a small file.
import { useEffect, useLayoutEffect, useRef, useState } from 'preact/hooks';
import { api, transportKind } from '../../api';
import type { LineageRequest, SavedView } from '../../api/types';
import { downloadBlob } from '../../lib/download';

/** What a view draws, in a few words: its selection and how it is drawn. */
export function viewSummary(v: SavedView): string {
  const parts = [v.exclude ? `${v.select} --exclude ${v.exclude}` : v.select];
  if (v.group_by) parts.push(`grouped by ${v.group_by}${v.open?.length ? ` (${v.open.length} open)` : ''}`);
  if (v.lens) parts.push(`${v.lens} lens`);
  if (v.include_tests || v.indirect_selection) parts.push(`tests (${v.indirect_selection || 'cautious'})`);
  if (v.runtime) parts.push('run times');
  return parts.join(' · ');
}

/**
 * The Views menu. current is the request of the picture shown (null: none
 * to save); onOpen draws a view.
 */
export function ViewsMenu({ snapshotId, current, onOpen }: { snapshotId: number; current: LineageRequest | null; onOpen: (v: SavedView) => void }) {
  const [views, setViews] = useState<SavedView[]>([]);
  const [name, setName] = useState('');
  const [msg, setMsg] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  // The popup hangs from the button's right edge, unless that would put
  // it past the window's left edge (the toolbar wraps Views to the left).
  const [fromLeft, setFromLeft] = useState(false);
  const menuRef = useRef<HTMLDetailsElement>(null);
  const placePopup = () => {
    const menu = menuRef.current;
    if (!menu?.open) return;
    const left = menu.getBoundingClientRect().right < Math.min(460, window.innerWidth * 0.9) + 8;
    if (left !== fromLeft) setFromLeft(left);
  };
  // Again after each render while open: saving the first view makes the
  // button "Views (1)", which can wrap it to the toolbar's next row.
  useLayoutEffect(placePopup);

  function reload() {
    if (!snapshotId) return;
    api.views(snapshotId).then(setViews, (e: Error) => setMsg(e.message));
  }
  useEffect(reload, [snapshotId]);

  async function act(work: () => Promise<string | null>) {
    setBusy(true);
    setMsg(null);
    try {
      setMsg(await work());
    } catch (e) {
      setMsg((e as Error).message);
    } finally {
      setBusy(false);
      reload();
    }
  }

  const taken = views.some((v) => v.name === name.trim());
  const save = () =>
    act(async () => {
      if (!current) return 'Nothing drawn to save.';
      const v = await api.saveView(name.trim(), current);
      setName('');
      return `${taken ? 'Replaced' : 'Saved'} view “${v.name}”.`;
    });
  const share = (v: SavedView) =>
    act(async () => {
      if (transportKind() === 'wails') {
        const saved = await api.saveViewFile(snapshotId, v.name);
        return saved.cancelled ? null : `Saved ${saved.path}`;
      }
      const file = await api.viewFile(snapshotId, v.name);
      downloadBlob(file.filename, 'application/json', file.content);
      return `Saved ${file.filename}`;
    });
  const remove = (v: SavedView) =>
    act(async () => {
      await api.deleteView(snapshotId, v.name);
      return `Deleted view “${v.name}”.`;
    });
  const importFile = (file: File) =>
    act(async () => {
      const res = await api.importView(await file.text());
      const news = (res.warnings ?? []).map((w) => ` ${w.charAt(0).toUpperCase()}${w.slice(1)}.`).join('');
      return `Imported view “${res.view.name}” of ${res.view.project}.${news}`;
    });

  return (
    <details
      class="views-menu"
      ref={menuRef}
      onToggle={placePopup}
      onKeyDown={(e) => {
        if (e.key === 'Escape' && menuRef.current?.open) {
          e.stopPropagation();
          menuRef.current.open = false;
          menuRef.current.querySelector('summary')?.focus(); // not the page's body (QA)
        }
      }}
    >
      <summary class="btn btn-small" title="Pictures saved by name for this project, drawn again on any of its snapshots">Views{views.length > 0 ? ` (${views.length})` : ''}</summary>
      <div class={`views-popup${fromLeft ? ' from-left' : ''}`} role="group" aria-label="Saved views">
        <form
          class="row nowrap"
          onSubmit={(e) => {
            e.preventDefault();
            if (name.trim()) void save();
          }}
        >
          <input name="view-name" type="text" maxLength={80} placeholder="Name this picture" value={name} onInput={(e) => setName((e.target as HTMLInputElement).value)} disabled={!current} />
          <button type="submit" class="btn btn-small btn-primary" disabled={!current || !name.trim() || busy} title={taken ? 'A view of this name exists: saving replaces it' : 'Save the picture shown as a view of this project'}>
            {taken ? 'Replace' : 'Save'}
          </button>
        </form>
        {views.length === 0 ? (
          <p class="muted small">No saved views for this project yet.</p>
        ) : (
          <ul class="views-list">
            {views.map((v) => (
              <li key={v.name}>
                <button
                  type="button"
                  class="linklike view-open"
                  data-view={v.name}
                  title={viewSummary(v)}
                  onClick={() => {
                    if (menuRef.current) menuRef.current.open = false;
                    onOpen(v);
                  }}
                >
                  {v.name}
                </button>
                <span class="muted small view-summary">{viewSummary(v)}</span>
                <button type="button" class="btn btn-small" aria-label={`Share ${v.name} as a file`} title="Save as a file to share; Open a view file… reads it back" disabled={busy} onClick={() => void share(v)}>File</button>
                <button type="button" class="btn btn-small" aria-label={`Delete ${v.name}`} title="Delete this view" disabled={busy} onClick={() => void remove(v)}>×</button>
              </li>
            ))}
          </ul>
        )}
        <label class="btn btn-small file-pick">
          Open a view file…
          <input
            type="file"
            name="view-file"
            accept=".json,application/json"
            onChange={(e) => {
              const input = e.target as HTMLInputElement;
              const file = input.files?.[0];
              input.value = ''; // the same file again is a new choice
              if (file) void importFile(file);
            }}
          />
        </label>
        {msg && <p class="small view-msg" role="status">{msg}</p>}
      </div>
    </details>
  );
}
