// The node page's impact analysis: every node downstream (what a change
// reaches: who to warn) or upstream (what it is built from), nearest
// first, with its owner and tests, and the whole list as CSV.
import { useEffect, useState } from 'preact/hooks';
import { api, transportKind } from '../../api';
import type { ApiError } from '../../api/transport';
import type { ImpactDirection, ImpactList, ImpactRow } from '../../api/types';
import { downloadBlob } from '../../lib/download';
import { listedName, typeNoun, typeOrder } from '../../lib/format';
import { href, inRun } from '../../lib/router';
import { ErrorBox, Section, Spinner, StatusChip, TestSummaryChips, TypeBadge } from '../../components/ui';

/** Rows drawn at most; the CSV holds them all. */
export const IMPACT_ROWS_SHOWN = 200;

const isTest = (t: string) => t === 'test' || t === 'unit_test';

/** The rows a filter keeps: of one type ('' = every type but tests, 'all' = everything), of one owner ('' = any). */
export function impactRows(rows: ImpactRow[], type: string, owner = ''): ImpactRow[] {
  const ofType = type === 'all' ? rows : type === '' ? rows.filter((r) => !isTest(r.resource_type)) : rows.filter((r) => r.resource_type === type);
  return owner ? ofType.filter((r) => r.owner === owner) : ofType;
}

/** Counts by type in a few words: "14 models, 2 exposures". */
function countsText(byType: Record<string, number>): string {
  return Object.entries(byType).sort(([a, x], [b, y]) => y - x || typeOrder(a) - typeOrder(b)).map(([t, n]) => `${n} ${typeNoun(t, n)}`).join(', ');
}

const OWNERS_SHOWN = 8;

/** The list's types with their counts, in the app's type order. */
export function impactTypes(rows: ImpactRow[]): [string, number][] {
  const n = new Map<string, number>();
  for (const r of rows) n.set(r.resource_type, (n.get(r.resource_type) ?? 0) + 1);
  return [...n.entries()].sort(([a], [b]) => typeOrder(a) - typeOrder(b) || a.localeCompare(b));
}

/** The section; opened (a link's ?impact=) opens it on that side, scrolled to. */
export function ImpactListSection({ snapshotId, uniqueId, opened }: { snapshotId: number; uniqueId: string; opened?: ImpactDirection }) {
  const [open, setOpen] = useState(!!opened);
  // An exposure has nothing downstream: its list opens on what feeds it.
  const firstSide: ImpactDirection = opened ?? (uniqueId.startsWith('exposure.') ? 'upstream' : 'downstream');
  const [direction, setDirection] = useState<ImpactDirection>(firstSide);
  const [type, setType] = useState('');
  const [owner, setOwner] = useState('');
  const [answer, setAnswer] = useState<ImpactList | null>(null);
  const [err, setErr] = useState<ApiError | null>(null);
  const [msg, setMsg] = useState('');
  // The other side's list until the new one arrives is no list at all.
  const list = answer && answer.direction === direction && answer.unique_id === uniqueId ? answer : null;

  useEffect(() => {
    setOpen(!!opened);
    setDirection(firstSide);
    setAnswer(null);
    setType('');
    setOwner('');
  }, [snapshotId, uniqueId, opened]);
  useEffect(() => {
    if (opened && list) document.getElementById('impact-analysis')?.scrollIntoView?.({ block: 'start' });
  }, [opened, list !== null]);
  useEffect(() => {
    if (!open) return;
    let live = true;
    setAnswer(null);
    setErr(null);
    api.impactList(snapshotId, uniqueId, direction).then((res) => live && setAnswer(res), (e) => live && setErr(e));
    return () => {
      live = false;
    };
  }, [open, snapshotId, uniqueId, direction]);

  const download = async () => {
    setMsg('');
    try {
      if (transportKind() === 'wails') {
        const saved = await api.saveImpactCSV(snapshotId, uniqueId, direction);
        if (!saved.cancelled) setMsg(`Saved ${saved.path}`);
        return;
      }
      const file = await api.impactCSV(snapshotId, uniqueId, direction);
      downloadBlob(file.filename, 'text/csv', file.content);
      setMsg(`Saved ${file.filename}`);
    } catch (e) {
      setMsg(`Could not save the CSV: ${(e as Error).message}`);
    }
  };

  if (!open) {
    return (
      <Section title="Impact analysis" id="impact-analysis">
        <p class="muted small">
          Every node downstream (what a change reaches, and who owns it) or upstream (what it is built from), nearest first.{' '}
          <button type="button" class="btn" data-testid="impact-list-open" onClick={() => setOpen(true)}>List them</button>
        </p>
      </Section>
    );
  }
  const rows = list ? impactRows(list.rows, type, owner) : [];
  const types = list ? impactTypes(list.rows) : [];
  const tests = list ? list.rows.filter((r) => isTest(r.resource_type)).length : 0;
  const actions = (
    <>
      <select aria-label="Direction" value={direction} onChange={(e) => { setDirection((e.target as HTMLSelectElement).value as ImpactDirection); setType(''); setOwner(''); }}>
        <option value="downstream">Downstream</option>
        <option value="upstream">Upstream</option>
      </select>
      {list && (
        <select aria-label="Resource type" value={type} onChange={(e) => setType((e.target as HTMLSelectElement).value)}>
          <option value="">{tests > 0 ? 'All but tests' : 'All'} ({list.rows.length - tests})</option>
          {tests > 0 && <option value="all">All with tests ({list.rows.length})</option>}
          {types.map(([t, n]) => <option key={t} value={t}>{`${n} ${typeNoun(t, n)}`}</option>)}
        </select>
      )}
      <button type="button" class="btn" disabled={!list || list.rows.length === 0} title="Every node this way, tests too, for a spreadsheet" onClick={() => void download()}>Download CSV</button>
    </>
  );
  return (
    <Section title="Impact analysis" actions={actions} id="impact-analysis">
      {err ? <ErrorBox error={err} /> : !list ? <Spinner label="Walking the lineage…" /> : list.rows.length === 0 ? (
        <p class="muted">Nothing {direction} of {list.name}.</p>
      ) : (
        <>
          {(list.owners ?? []).length > 0 && (
            <p class="small impact-owners" data-testid="impact-owners">
              <span class="muted">Owners:</span>{' '}
              {list.owners.slice(0, OWNERS_SHOWN).map((o, i) => (
                <span key={o.owner}>
                  {i > 0 && ' · '}
                  <button type="button" class={`linklike${owner === o.owner ? ' active' : ''}`} aria-pressed={owner === o.owner} title={owner === o.owner ? 'Show every owner' : `Only what ${o.owner} owns`} onClick={() => setOwner(owner === o.owner ? '' : o.owner)}>{o.owner}</button>
                  <span class="muted"> ({countsText(o.by_type)})</span>
                </span>
              ))}
              {list.owners.length > OWNERS_SHOWN && <span class="muted"> and {list.owners.length - OWNERS_SHOWN} more</span>}
            </p>
          )}
          <div class="table-wrap">
            <table class="table impact-list" data-testid="impact-list">
              <thead>
                <tr><th title="The fewest dependencies between the two">Hops</th><th>Resource</th><th>Owner</th><th>Tests</th><th>Relation</th></tr>
              </thead>
              <tbody>
                {rows.slice(0, IMPACT_ROWS_SHOWN).map((r) => (
                  <tr key={r.unique_id} data-uid={r.unique_id}>
                    <td class="num">{r.distance}</td>
                    <td class="ellipsis"><TypeBadge type={r.resource_type} /> <a href={href(['node', r.unique_id], inRun(r.snapshot_id))} title={r.unique_id}>{listedName(r)}</a>{r.snapshot_id ? <span class="muted small"> · {r.package}</span> : null}</td>
                    <td class="ellipsis">{r.owner ?? ''}</td>
                    <td>{isTest(r.resource_type) ? (r.test_status ? <StatusChip status={r.test_status} /> : null) : <TestSummaryChips s={r.test_summary} compact attached={r.tests_defined} />}</td>
                    <td class="ellipsis">{r.relation_name ? <code>{r.relation_name}</code> : null}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
          {rows.length === 0 && <p class="muted small">Only tests are {direction}: pick “All with tests”.</p>}
          {rows.length > IMPACT_ROWS_SHOWN && <p class="muted small">The first {IMPACT_ROWS_SHOWN} of {rows.length}; the CSV has them all.</p>}
        </>
      )}
      {msg && <p class="muted small" role="status">{msg}</p>}
    </Section>
  );
}
