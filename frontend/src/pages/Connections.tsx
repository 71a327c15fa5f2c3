// dbt Cloud connections: add/edit (the token is write-only), Test
// Connection with its report, Save, Sync now with live progress and Cancel,
// and the sync history.
import { useEffect, useLayoutEffect, useRef, useState } from 'preact/hooks';
import { api } from '../api';
import type { Connection, ConnectionReport, SyncRecord, SyncResult } from '../api/types';
import type { ApiError } from '../api/transport';
import { app, syncs } from '../state';
import { href, navigate } from '../lib/router';
import { formatBytes, formatDate } from '../lib/format';
import { ConfirmButton, ErrorBox, Section, Spinner, StatusChip } from '../components/ui';
import { EXAMPLE_URL, idProblems, toDraft, toInput, type Draft } from '../lib/connection';

function Report({ report, onPickRun }: { report: ConnectionReport; onPickRun?: (runId: number) => void }) {
  const projects = report.projects ?? [];
  return (
    <div class="report" data-testid="connection-report">
      <div class="notice ok">Connected to account “{report.account_name || report.account_id}” (#{report.account_id}) at {report.access_url}.</div>
      {(report.warnings ?? []).length > 0 && <ul class="warnings">{report.warnings!.map((w, i) => <li key={i}>{w}</li>)}</ul>}
      {projects.length === 0 && <p class="muted">No projects are visible to this token.</p>}
      {projects.map((p) => {
        const envs = p.environments ?? [];
        const envName = new Map(envs.map((e) => [e.id, e]));
        return (
          <div key={p.id} class="report-project">
            <h3>{p.name} <span class="muted small">project #{p.id}</span>{p.docs_job_id ? <span class="muted small"> · docs from job #{p.docs_job_id}</span> : null}</h3>
            <div class="chips">
              {envs.map((e) => (
                <span key={e.id} class={`chip ${e.production ? 'status-ok' : ''}`} title={`${e.type}${e.deployment_type ? ` · ${e.deployment_type}` : ''}`}>
                  {e.name} #{e.id}{e.production ? ' · production' : ''}
                </span>
              ))}
            </div>
            <table class="table report-jobs">
              <thead><tr><th>Job</th><th>Environment</th><th>Docs</th><th>Latest runs</th></tr></thead>
              <tbody>
                {(p.jobs ?? []).map((j) => (
                  <tr key={j.id} class={j.selected ? 'current' : ''}>
                    <td>
                      {j.name} <span class="muted small">#{j.id}</span>
                      {j.ci && <span class="chip small">CI</span>}
                      {j.selected && <div class="small">✓ a sync uses this job{j.reason ? `: ${j.reason}` : ''}</div>}
                    </td>
                    <td>{envName.get(j.environment_id)?.name ?? `#${j.environment_id}`}{envName.get(j.environment_id)?.production ? <span class="chip small status-ok">production</span> : null}</td>
                    <td>
                      {j.generate_docs ? <span class="chip small status-ok">generates docs</span> : <span class="chip small status-warn">no docs</span>}
                      {j.run_generate_sources && <span class="chip small">freshness</span>}
                    </td>
                    <td>
                      {(j.latest_runs ?? []).map((r) => (
                        <div key={r.id} class="small">
                          {onPickRun ? <button type="button" class="linklike" title="Sync this run" onClick={() => onPickRun(r.id)}>#{r.id}</button> : `#${r.id}`} <StatusChip status={r.status_name} /> {r.finished_at ? formatDate(r.finished_at) : ''}
                          {r.has_docs_generated ? <span class="chip small">docs</span> : null}
                          {r.has_sources_generated ? <span class="chip small">sources</span> : null}
                        </div>
                      ))}
                      {j.next_run && (
                        <div class="small next-run" title={j.next_run_reason}>
                          a sync takes {onPickRun ? <button type="button" class="linklike" title="Sync this run" onClick={() => onPickRun(j.next_run!.id)}>#{j.next_run.id}</button> : `#${j.next_run.id}`} {j.next_run.finished_at ? formatDate(j.next_run.finished_at) : ''}
                          {j.next_run.has_docs_generated ? <span class="chip small">docs</span> : <span class="chip small status-warn">no docs</span>}
                        </div>
                      )}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        );
      })}
    </div>
  );
}

function SyncPanel({ name, runId, setRunId }: { name: string; runId: string; setRunId: (v: string) => void }) {
  const st = syncs.state(name);
  const p = st.progress;
  const frac = syncs.fraction(p);
  return (
    <div class="sync-panel" data-testid="sync-panel">
      <div class="row">
        <button class="btn btn-primary" type="button" disabled={st.running} onClick={() => void syncs.start(name, Number(runId.trim() || 0)).then((res) => (res ? app.showOwnChange() : app.refreshSnapshots()))}>
          Sync now
        </button>
        <label class="field inline">
          <span>Run ID</span>
          <input name="sync_run_id" inputMode="numeric" pattern="[0-9]*" size={10} placeholder="latest with docs" value={runId} onInput={(e) => setRunId((e.target as HTMLInputElement).value.replace(/[^0-9]/g, ''))} />
        </label>
        {st.running && <button class="btn" type="button" onClick={() => void syncs.cancel(name)}>Cancel</button>}
      </div>
      {p && (st.running || p.phase) && (
        <div class="progress-block">
          <div class="row small">
            <strong class="phase">{p.phase}</strong>
            {p.message && <span class="muted">{p.message}</span>}
            <span class="grow" />
            {(p.bytes ?? 0) > 0 && <span>{formatBytes(p.bytes)}{p.total_bytes ? ` / ${formatBytes(p.total_bytes)}` : ''}</span>}
            {(p.total_items ?? 0) > 0 && <span>{p.items ?? 0} / {p.total_items} items</span>}
          </div>
          <div class={`progress ${frac === null && st.running ? 'indeterminate' : ''} ${p.phase === 'failed' ? 'failed' : ''}`} role="progressbar" aria-valuemin={0} aria-valuemax={100} aria-valuenow={frac === null ? undefined : Math.round(frac * 100)}>
            <div class="bar" style={{ width: `${Math.round((frac ?? (st.running ? 0.3 : 0)) * 100)}%` }} />
          </div>
          {p.error && !st.error && <div class="error-inline">{p.error}</div>}
        </div>
      )}
      <ErrorBox error={st.error} title={st.error?.code === 'invalid' ? 'Sync failed' : undefined} />
      {st.result && !st.running && <SyncOutcome result={st.result} />}
    </div>
  );
}

function SyncOutcome({ result }: { result: SyncResult }) {
  const runs = result.runs?.length ? result.runs : [result];
  return (
    <div class={`notice ${result.failed ? 'warn' : 'ok'}`} data-testid="sync-outcome">
      {runs.map((r) => r.error ? (
        <div key={r.run_id} class="run-failed">
          Not synced: run #{r.run_id} (job #{r.job_id}) · <span class="error-inline">{r.error}</span>
        </div>
      ) : (
        <div key={r.run_id}>
          {r.skipped ? 'Already synced' : 'Synced'} run #{r.run_id} (job #{r.job_id})
          {r.snapshot_id ? <> → <button class="linklike" onClick={() => navigate([''], { snap: r.snapshot_id })}>snapshot #{r.snapshot_id}</button></> : null}
          {r.reason ? <span class="muted"> · {r.reason}</span> : null}
          {(r.warnings ?? []).length > 0 && <ul class="warnings">{r.warnings!.map((w, i) => <li key={i}>{w}</li>)}</ul>}
        </div>
      ))}
    </div>
  );
}

function History({ name, version }: { name: string; version: number }) {
  const [rows, setRows] = useState<SyncRecord[] | null>(null);
  const [err, setErr] = useState<ApiError | null>(null);
  useEffect(() => {
    let live = true;
    api.syncHistory(name).then((r) => live && setRows(r), (e) => live && setErr(e));
    return () => {
      live = false;
    };
  }, [name, version]);
  if (err) return <ErrorBox error={err} />;
  if (!rows) return <Spinner />;
  if (rows.length === 0) return <p class="muted">No syncs yet.</p>;
  return (
    <table class="table history">
      <thead><tr><th>Started</th>{name === '' && <th>Connection</th>}<th>Status</th><th>Run</th><th>Snapshot</th><th>Reason</th><th>Warnings</th></tr></thead>
      <tbody>
        {rows.map((r) => (
          <tr key={r.id}>
            <td>{formatDate(r.started_at)}</td>
            {name === '' && <td><a href={href(['connections', r.connection])}>{r.connection}</a></td>}
            <td><StatusChip status={r.status === 'succeeded' ? 'pass' : r.status === 'failed' ? 'error' : r.status === 'skipped' ? 'skipped' : r.status} label={r.status} /></td>
            <td>{r.run_id ? `#${r.run_id}` : '—'}{r.job_id ? <span class="muted small"> job #{r.job_id}</span> : null}</td>
            <td>{r.snapshot_id ? <button class="linklike" onClick={() => navigate([''], { snap: r.snapshot_id })}>#{r.snapshot_id}</button> : '—'}</td>
            <td class="wrap">{r.reason ?? ''}</td>
            <td class="wrap">{(r.warnings ?? []).map((w, i) => <div key={i} class="small">{w}</div>)}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

export function ConnectionsPage({ name }: { name?: string }) {
  const [list, setList] = useState<Connection[] | null>(null);
  const [listErr, setListErr] = useState<ApiError | null>(null);
  const [draft, setDraft] = useState<Draft>(toDraft(null));
  const [report, setReport] = useState<ConnectionReport | null>(null);
  const [busy, setBusy] = useState<string | null>(null);
  const [err, setErr] = useState<ApiError | null>(null);
  const [saved, setSaved] = useState<string | null>(null);
  const [historyVersion, setHistoryVersion] = useState(0);
  const [syncRun, setSyncRun] = useState('');

  const editing = name && name !== 'new' ? list?.find((c) => c.name === name) ?? null : null;
  const isNew = !editing;

  async function reload() {
    try {
      setList(await api.connections());
    } catch (e) {
      setListErr(e as ApiError);
    }
  }
  useEffect(() => {
    void reload();
    void syncs.adoptRunning();
  }, []);
  // Switching connections resets the form; arriving at the one just saved keeps its report and notice.
  // Before the page is painted (a layout effect): after it, what was typed
  // into the new form at once was wiped (the e2e's fill, now and then).
  const justSaved = useRef<string | null>(null);
  useLayoutEffect(() => {
    setDraft(toDraft(editing));
    if (justSaved.current !== null && justSaved.current === editing?.name) return;
    justSaved.current = null;
    setReport(null);
    setErr(null);
    setSaved(null);
    setSyncRun('');
  }, [name, editing?.updated_at]);

  const running = editing ? syncs.state(editing.name).running : false;
  useEffect(() => {
    if (!running) setHistoryVersion((v) => v + 1);
  }, [running]);

  const field = (k: keyof Draft) => ({
    value: draft[k],
    onInput: (e: Event) => setDraft({ ...draft, [k]: (e.target as HTMLInputElement).value }),
  });

  async function test() {
    setBusy('Testing connection…');
    setErr(null);
    setReport(null);
    try {
      setReport(await api.testConnection(toInput(draft)));
    } catch (e) {
      setErr(e as ApiError);
    } finally {
      setBusy(null);
    }
  }

  async function save(e: Event) {
    e.preventDefault();
    setBusy('Saving…');
    setErr(null);
    try {
      const c = await api.saveConnection({ ...toInput(draft), replace: !isNew });
      setDraft({ ...draft, token: '' }); // never keep the token around once saved
      justSaved.current = c.name;
      setSaved(`Saved “${c.name}”. The token is kept ${c.token_storage === 'keyring' ? 'in the OS keyring' : 'encrypted, with its key in your config folder'}.`);
      await reload();
      if (isNew) navigate(['connections', c.name], {}, true);
    } catch (e2) {
      setErr(e2 as ApiError);
    } finally {
      setBusy(null);
    }
  }

  async function remove() {
    if (!editing) return;
    try {
      await api.deleteConnection(editing.name);
      await reload();
      navigate(['connections']);
    } catch (e) {
      setErr(e as ApiError);
    }
  }

  const storage = app.status.value?.token_storage;
  // The backend refuses to send a saved token to another access URL.
  const movedHost = !!editing && draft.access_url.trim().replace(/\/+$/, '') !== editing.access_url;
  const badIds = idProblems(draft);
  const missingRequired = !draft.name.trim() || !draft.account_id.trim() || !draft.access_url.trim() || (isNew && !draft.token) || badIds.length > 0;

  return (
    <div class="page">
      <header class="page-head">
        <div>
          <div class="eyebrow">dbt Cloud</div>
          <h1>Connections</h1>
          <div class="muted small">
            Tokens are write-only and stored {storage === 'keyring' ? 'in the OS keyring' : storage === 'encrypted-file' ? 'in the database, encrypted with a key kept in your config folder (lineagedesk/secret.key)' : storage ? `as ${storage}` : 'sealed'}; they are never shown again.
          </div>
        </div>
      </header>
      <div class="conn-layout">
        <nav class="conn-list" aria-label="Connections">
          <a class={`side-item ${isNew ? 'active' : ''}`} href={href(['connections', 'new'])}>+ New connection</a>
          {listErr && <ErrorBox error={listErr} />}
          {(list ?? []).map((c) => (
            <a key={c.name} class={`side-item ${editing?.name === c.name ? 'active' : ''}`} href={href(['connections', c.name])}>
              <span>{c.name}</span>
              {syncs.state(c.name).running ? <Spinner /> : <span class="muted small">#{c.account_id}</span>}
            </a>
          ))}
          {list && list.length === 0 && <p class="muted small">No connections yet.</p>}
        </nav>
        <div class="conn-main">
          <form class="conn-form" onSubmit={save} autocomplete="off">
            <h2>{isNew ? 'New connection' : editing!.name}</h2>
            <div class="grid2">
              <label class="field"><span>Name</span><input name="name" required readOnly={!isNew} {...field('name')} placeholder="prod" /></label>
              <label class="field"><span>Account ID</span><input name="account_id" required inputMode="numeric" pattern="[0-9]+" {...field('account_id')} placeholder="12345" /></label>
              <label class="field span2"><span>Access URL</span><input name="access_url" type="url" required {...field('access_url')} placeholder={EXAMPLE_URL} /></label>
              <label class="field span2">
                <span>API token</span>
                <input
                  name="token"
                  type="password"
                  autocomplete="new-password"
                  spellcheck={false}
                  {...field('token')}
                  placeholder={isNew ? 'service token (Job Viewer or Read-only), or personal access token' : movedHost ? 'paste the token again: a saved token stays with its access URL' : 'saved — leave empty to keep the saved token'}
                />
              </label>
              <label class="field"><span>Project ID <em>optional</em></span><input name="project_id" inputMode="numeric" pattern="[0-9]*" {...field('project_id')} /></label>
              <label class="field"><span>Environment ID <em>optional</em></span><input name="environment_id" inputMode="numeric" pattern="[0-9]*" {...field('environment_id')} /></label>
              <label class="field"><span>Job ID <em>optional</em></span><input name="job_id" inputMode="numeric" pattern="[0-9]*" {...field('job_id')} /></label>
              <label class="field"><span>Run ID <em>optional, pins a run</em></span><input name="run_id" inputMode="numeric" pattern="[0-9]*" {...field('run_id')} /></label>
            </div>
            <p class="muted small">Without a run ID, a sync uses the newest successful run that generated docs in the chosen project, environment or job.</p>
            {badIds.length > 0 && <ul class="warnings" data-testid="id-problems">{badIds.map((m) => <li key={m}>{m}</li>)}</ul>}
            <div class="row">
              <button type="button" class="btn" disabled={!!busy || !draft.account_id.trim() || !draft.access_url.trim() || (isNew && !draft.token) || badIds.length > 0} onClick={() => void test()}>Test connection</button>
              <button type="submit" class="btn btn-primary" disabled={!!busy || missingRequired}>Save</button>
              {editing && <ConfirmButton class="btn-danger" label="Delete" confirmLabel="Click again: delete connection and token" title="Its snapshots stay" onConfirm={() => void remove()} />}
              {busy && <Spinner label={busy} />}
            </div>
            {saved && <div class="notice ok">{saved}</div>}
            <ErrorBox error={err} />
          </form>
          {report && <Section title="Connection report"><Report report={report} onPickRun={editing ? (id) => setSyncRun(String(id)) : undefined} /></Section>}
          {isNew && (list ?? []).length > 0 && (
            <Section title="Sync history, all connections">
              <History name="" version={historyVersion} />
            </Section>
          )}
          {editing && (
            <>
              <Section title="Sync">
                <SyncPanel name={editing.name} runId={syncRun} setRunId={setSyncRun} />
              </Section>
              <Section title="Sync history">
                <History name={editing.name} version={historyVersion} />
              </Section>
            </>
          )}
        </div>
      </div>
    </div>
  );
}
