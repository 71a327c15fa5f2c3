import { useEffect, useRef, useState } from 'preact/hooks';
import { app } from './state';
import { href, navigate, route, stickyQuery } from './lib/router';
import { pageTitle } from './lib/pageTitle';
import { latestOf } from './lib/snapshots';
import { dbtCommand } from './lib/format';
import { SearchBox, focusSearch } from './components/SearchBox';
import { SnapshotSwitcher } from './components/SnapshotSwitcher';
import { Sidebar } from './components/Sidebar';
import { ErrorBox, Spinner } from './components/ui';
import { EmptyState, Overview } from './pages/Home';
import { Browse } from './pages/Browse';
import { NodePage } from './pages/Node';
import { LineagePage } from './pages/Lineage';
import { ConnectionsPage } from './pages/Connections';
import { transportKind } from './api';

function Shortcuts({ onClose }: { onClose: () => void }) {
  const rows: [string, string][] = [
    ['/ or Ctrl+K', 'Search'], ['↑ ↓ Enter', 'Move through and open results or lists'], ['Esc', 'Clear / close'],
    ['l', 'Lineage of the node shown'], ['g h', 'Home'], ['g c', 'Connections'], ['g l', 'Lineage'],
    ['← → ↑ ↓', 'On the lineage: move to a parent, child or the node above/below'], ['Enter', 'On the lineage: open the node picked (a box: open it in place)'],
    ['Esc', 'On the lineage: unpick the node'], ['f', 'On the lineage: find in the picture'], ['[ ]', 'More upstream / downstream'], ['{ }', 'Less upstream / downstream'], ['0', 'Fit the picture'], ['+ −', 'Zoom'], ['?', 'This help'],
  ];
  // The dialog takes the focus, keeps Tab inside it, and gives the focus
  // back where it was when it closes.
  const close = useRef<HTMLButtonElement>(null);
  useEffect(() => {
    const before = document.activeElement as HTMLElement | null;
    close.current?.focus();
    return () => before?.focus?.();
  }, []);
  return (
    <div class="modal-back" onClick={onClose}>
      <div
        class="modal"
        role="dialog"
        aria-modal="true"
        aria-label="Keyboard shortcuts"
        onClick={(e) => e.stopPropagation()}
        onKeyDown={(e) => {
          if (e.key === 'Tab') {
            e.preventDefault(); // the Close button is its only control
            close.current?.focus();
          }
        }}
      >
        <h2>Keyboard shortcuts</h2>
        <table class="table">
          <tbody>{rows.map(([k, v]) => <tr key={`${k} ${v}`}><td class="actions-key"><kbd>{k}</kbd></td><td>{v}</td></tr>)}</tbody>
        </table>
        <button class="btn" ref={close} onClick={onClose}>Close</button>
      </div>
    </div>
  );
}

function useGlobalKeys(setHelp: (v: boolean) => void) {
  useEffect(() => {
    let pendingG = 0;
    const onKey = (e: KeyboardEvent) => {
      const inField = !!(e.target as Element).closest?.('input,textarea,select,[contenteditable]');
      if ((e.ctrlKey || e.metaKey) && e.key.toLowerCase() === 'k') {
        e.preventDefault();
        focusSearch();
        return;
      }
      if (inField || e.ctrlKey || e.metaKey || e.altKey) return;
      if (e.key === '/') {
        e.preventDefault();
        focusSearch();
      } else if (e.key === '?') {
        setHelp(true);
      } else if (e.key === 'Escape') {
        setHelp(false);
      } else if (e.key === 'g') {
        pendingG = Date.now();
      } else if (Date.now() - pendingG < 1000) {
        pendingG = 0;
        if (e.key === 'h') location.hash = href(['']);
        else if (e.key === 'c') location.hash = href(['connections']);
        else if (e.key === 'l') location.hash = href(['lineage']);
      }
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, []);
}

function Main() {
  const r = route.value;
  const [section, ...rest] = r.path;
  if (section === 'connections') return <ConnectionsPage name={rest[0]} />;
  if (app.loading.value && !app.status.value) return <div class="page center"><Spinner label="Opening…" /></div>;
  if (!app.status.value) return <div class="page"><ErrorBox error={app.error.value} onRetry={() => void app.load()} /></div>;
  if (section === 'import' || app.isEmpty.value) return <EmptyState />;
  switch (section) {
    case 'browse':
      return <Browse />;
    case 'node':
      return rest[0] ? <NodePage id={rest.join('/')} /> : <Browse />;
    case 'lineage':
      return <LineagePage />;
    default:
      return <Overview />;
  }
}

/**
 * A deep link may name a snapshot (?snap=<id>); otherwise the newest is
 * shown. It is picked while App renders, before the page under it does:
 * in an effect, the page's own effects ran first and asked the snapshot
 * shown before the link for its data (a 404, or a cancelled picture).
 */
function useSnapshotFromRoute(): number | null {
  const snap = route.value.query.snap;
  const id = Number(snap);
  const snaps = app.snapshots.value;
  // A link to a snapshot this store does not hold (deleted, or another
  // store's): the latest is shown, the address stops naming the missing
  // one, and the page says so rather than answering from the latest as if
  // it were the snapshot asked for.
  const [missing, setMissing] = useState<{ id: number; page: string } | null>(null);
  const page = route.value.path.join('/');
  if (snap && id > 0 && snaps.length > 0 && !snaps.some((s) => s.id === id)) {
    // Replaced by the same run, whole (a watch's): the address follows it.
    const completed = app.arrived.peek();
    if (completed?.completed && completed.from.id === id) {
      navigate(route.peek().path, { ...route.peek().query, snap: completed.to.id }, true);
      return null;
    }
    if (missing?.id !== id || missing.page !== page) setMissing({ id, page });
    if (app.pickedSnapshot.peek() !== 0) app.selectSnapshot(0);
    navigate(route.peek().path, { ...route.peek().query, snap: undefined }, true);
    return id;
  }
  if (snap && id > 0 && id !== app.pickedSnapshot.peek()) app.selectSnapshot(id);
  // An address that names no snapshot, arrived at (Back, a pasted link),
  // shows the latest, as a reload of it would. In-app links name the one
  // picked, so only such arrivals come here without it.
  const seen = useRef(route.value);
  if (seen.current !== route.value) {
    seen.current = route.value;
    if (!snap && app.pickedSnapshot.peek() !== 0) app.selectSnapshot(0);
  }
  // Links name the snapshot shown from now on (none when it is the latest).
  const picked = app.pickedSnapshot.value ? String(app.pickedSnapshot.value) : '';
  if ((stickyQuery.peek().snap ?? '') !== picked) stickyQuery.value = picked ? { snap: picked } : {};
  // The notice stays on its page until a snapshot is named or picked.
  if (missing !== null && (snap || picked || page !== missing.page)) setMissing(null);
  return missing?.id ?? null;
}

/**
 * Says that a page following the newest moved to a run another process
 * stored (a scheduled sync, import --watch), with the way back to the run
 * it showed while that one is still stored.
 */
function ArrivedNotice() {
  const arrived = app.arrived.value;
  if (!arrived) return null;
  const { from, to } = arrived;
  const back = app.snapshots.value.some((s) => s.id === from.id);
  const r = route.value;
  return (
    <div class="banner row" role="status" data-testid="arrived-notice">
      <span class="grow">
        {arrived.completed ? (
          <>Snapshot #{from.id} of {to.project}, stored as its run began, is complete now as #{to.id}{to.run_command ? ` (${dbtCommand(to.run_command)})` : ''}, shown.</>
        ) : (
          <>
            A new run of {to.project} arrived: #{to.id}
            {to.run_command ? ` (${dbtCommand(to.run_command)})` : ''} is shown now{back ? `, in place of #${from.id}` : ''}.
          </>
        )}
      </span>
      {back && (
        <button
          type="button"
          class="btn btn-small"
          onClick={() => {
            app.selectSnapshot(from.id);
            navigate(r.path, { ...r.query, snap: from.id });
          }}
        >
          Back to #{from.id}
        </button>
      )}
      <button type="button" class="btn btn-small btn-ghost" aria-label="Dismiss" onClick={() => (app.arrived.value = null)}>
        ×
      </button>
    </div>
  );
}

export function App() {
  const [help, setHelp] = useState(false);
  useGlobalKeys(setHelp);
  useEffect(() => {
    document.title = pageTitle(route.value);
  }, [route.value]);
  const missingSnapshot = useSnapshotFromRoute();
  const latest = latestOf(app.snapshots.value);
  const section = route.value.path[0] ?? '';
  const showSidebar = !app.isEmpty.value && section !== 'connections' && section !== 'lineage' && app.snapshots.value.length > 0;
  const tab = (s: string, label: string, to: string[]) => (
    <a class={`nav-tab ${section === s ? 'on' : ''}`} href={href(to)} aria-current={section === s ? 'page' : undefined}>{label}</a>
  );
  return (
    <div class="shell">
      <a class="skip-link" href="#main" onClick={(e) => (e.preventDefault(), document.getElementById('main')?.focus())}>
        Skip to the page
      </a>
      <header class="topbar">
        <a class="brand" href={href([''])} title="Lineage Desk" aria-label="Lineage Desk">
          <span class="logo" aria-hidden="true">◇</span><span class="brand-name"> Lineage Desk</span>
        </a>
        <nav class="nav">
          {tab('', 'Project', [''])}
          {tab('browse', 'Browse', ['browse'])}
          {tab('lineage', 'Lineage', ['lineage'])}
          {tab('connections', 'Connections', ['connections'])}
        </nav>
        <SearchBox />
        <span class="grow" />
        <SnapshotSwitcher />
        <button class="btn btn-ghost" title="Keyboard shortcuts (?)" aria-label="Keyboard shortcuts" onClick={() => setHelp(true)}>?</button>
      </header>
      <div class={`body ${showSidebar ? 'with-side' : ''}`}>
        {showSidebar && <Sidebar />}
        <main class="main" id="main" tabIndex={-1}>
          {missingSnapshot !== null && latest && (
            <div class="banner" role="status">
              There is no snapshot #{missingSnapshot} in this store (deleted, or the link came from another store): showing the latest, #{latest.id} {latest.name || latest.project}.
            </div>
          )}
          <ArrivedNotice />
          <Main />
        </main>
      </div>
      <footer class="statusbar muted small">
        <span>{app.status.value ? `v${app.status.value.version}` : ''}</span>
        <span>transport: {app.status.value?.transport || transportKind()}</span>
        {app.status.value?.db_path && <span class="ellipsis" title={app.status.value.db_path}>{app.status.value.db_path}</span>}
        {app.busy.value && <Spinner label={app.busy.value} />}
      </footer>
      {help && <Shortcuts onClose={() => setHelp(false)} />}
    </div>
  );
}
