// The folders the session watches (WatchFolder): each dbt run written
// there is imported as it finishes, until stopped or the app closes.
import { useEffect, useState } from 'preact/hooks';
import { api, onEvent, type FolderWatchStatus } from '../../api';
import { EVENT_SNAPSHOTS_CHANGED } from '../../api/types';
import { formatDate } from '../../lib/format';
import { href } from '../../lib/router';

export function Watches() {
  const [list, setList] = useState<FolderWatchStatus[]>([]);
  useEffect(() => {
    let live = true;
    const load = () => void api.watches().then((w) => live && setList(w), () => {});
    load();
    const off = onEvent(EVENT_SNAPSHOTS_CHANGED, load);
    return () => {
      live = false;
      off();
    };
  }, []);
  if (list.length === 0) return null;
  return (
    <ul class="watches small" data-testid="watches">
      {list.map((w) => (
        <li key={w.folder}>
          Watching <code>{w.folder}</code> since {formatDate(w.since)}: {w.imports === 1 ? '1 run' : `${w.imports} runs`} imported
          {w.last_snapshot_id ? <> (last: <a href={href([''], { snap: w.last_snapshot_id })}>#{w.last_snapshot_id}</a>)</> : null}
          {w.last_error && <span class="error-inline"> · {w.last_error}</span>}
          {w.note && <span class="muted"> · {w.note}</span>}{' '}
          <button type="button" class="linklike" onClick={() => void api.stopWatching(w.folder).then(() => setList((l) => l.filter((x) => x.folder !== w.folder)), () => {})}>stop</button>
        </li>
      ))}
    </ul>
  );
}
