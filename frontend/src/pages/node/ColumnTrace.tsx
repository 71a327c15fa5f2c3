// The node page's column lineage of one column (?column=NAME&direction=&depth=):
// the trace drawn by the backend (ColumnTracePicture, graphviz SVG inserted
// through the sanitiser), each node a way to that node's page with its column
// traced, the links as a table, and the trace exported as SVG, PNG, PDF, DOT, JSON or CSV
// (a browser download; the window's save dialog through SaveColumnTrace).
import { useEffect, useRef, useState } from 'preact/hooks';
import { api, transportKind } from '../../api';
import { toApiError, type ApiError } from '../../api/transport';
import type { ColumnKey, ColumnPicture, ColumnTrace, ColumnTraceFormat, ColumnTraceNode } from '../../api/types';
import { downloadBlob } from '../../lib/download';
import { inRun, navigate, route } from '../../lib/router';
import { parseSafeSvg } from '../../lib/svg';
import { annotateSvgNodes, expectedIds } from '../../lib/svgmap';
import { ErrorBox, Section, Spinner } from '../../components/ui';
import { typeNoun } from '../../lib/format';
import { apiDirection, columnHref, KIND_HOW, KIND_TITLE, nearestFirst, pickedColumn, TRACE_WAYS, type TraceWay } from './columnRefs';

/** Links drawn at most in the table; the JSON export has them all. */
export const LINKS_SHOWN = 200;

const EXPORTS: { fmt: ColumnTraceFormat; label: string }[] = [
  { fmt: 'svg', label: 'SVG' },
  { fmt: 'png', label: 'PNG' },
  { fmt: 'pdf', label: 'PDF' },
  { fmt: 'dot', label: 'DOT' },
  { fmt: 'mermaid', label: 'Mermaid' },
  { fmt: 'json', label: 'JSON' },
  { fmt: 'csv', label: 'CSV' },
];

const WAY_LABEL: Record<TraceWay, string> = { both: 'Both', upstream: 'Upstream', downstream: 'Downstream' };
/** The depths offered, 0 for all the way. */
const DEPTHS = [1, 2, 3, 0];

interface Answer {
  key: string;
  /** The picture, or (when it could not be drawn) the trace written as JSON. */
  pic?: ColumnPicture;
  err?: ApiError;
}

const traceNodeKey = (n: { unique_id?: string; relation?: string; node?: string }) => n.unique_id ?? n.node ?? `relation:${n.relation}`;

/** A column of the trace in the links table: a link to its node's page, tracing it the same way, or a relation outside the project. */
function KeyRef({ k, nodes, way, depth, focus, shared }: { k: ColumnKey; nodes: Map<string, ColumnTraceNode>; way: TraceWay; depth: number; focus: ColumnKey; shared: Set<string> }) {
  const n = nodes.get(traceNodeKey(k));
  const name = n?.name ?? k.node ?? k.relation ?? '';
  // A model and the semantic model over it often share a name: a row
  // "customers.x → customers.x" says which is which (QA).
  const kind = n && shared.has(n.name ?? '') ? <span class="muted small"> ({typeNoun(n.resource_type ?? '', 1)})</span> : null;
  const isFocus = k.node === focus.node && k.relation === focus.relation && k.column.toLowerCase() === focus.column.toLowerCase();
  if (!k.node) return <span class="col-ref outside" title="Outside the project: a relation the SQL reads without ref() or source()"><code>{k.relation}</code>{k.column ? <>.<wbr />{k.column}</> : ''}</span>;
  if (!k.column) {
    const exposure = n?.resource_type === 'exposure';
    return (
      <span title={exposure ? KIND_TITLE.exposed : KIND_TITLE.filter}>
        <a class="col-ref" href={columnHref(k.node, undefined, way, depth, n?.snapshot_id)}>{name}</a>{exposure ? null : kind} <span class="muted small">{exposure ? '(exposure)' : '(its rows)'}</span>
      </span>
    );
  }
  return (
    <>
      <a class={`col-ref${isFocus ? ' focus' : ''}`} href={columnHref(k.node, k.column, way, depth, n?.snapshot_id)} title={`${k.node}: ${k.column}`}>{name}.<wbr />{k.column}</a>
      {kind}
    </>
  );
}

function LinksTable({ trace, way, depth }: { trace: ColumnTrace; way: TraceWay; depth: number }) {
  const nodes = new Map((trace.nodes ?? []).map((n) => [traceNodeKey(n), n]));
  const seen = new Set<string>();
  const shared = new Set<string>(); // names two nodes of the trace carry
  for (const n of nodes.values()) (seen.has(n.name ?? '') ? shared : seen).add(n.name ?? '');
  const edges = nearestFirst(trace.edges ?? [], trace.focus);
  if (edges.length === 0) return null;
  return (
    <>
      <div class="table-wrap">
        <table class="table column-links" data-testid="column-links">
          <thead>
            <tr><th>From</th><th aria-hidden="true" /><th>To</th><th>How</th><th>Expression</th></tr>
          </thead>
          <tbody>
            {edges.slice(0, LINKS_SHOWN).map((e, i) => (
              <tr key={i} data-kind={e.kind}>
                <td><KeyRef k={e.from} nodes={nodes} way={way} depth={depth} focus={trace.focus} shared={shared} /></td>
                <td class="arrow" aria-hidden="true">→</td>
                <td><KeyRef k={e.to} nodes={nodes} way={way} depth={depth} focus={trace.focus} shared={shared} /></td>
                <td><span class={`chip small kind kind-${e.kind}`} title={KIND_TITLE[e.kind]}>{KIND_HOW[e.kind] ?? e.kind}</span></td>
                <td class="expr">{e.expression ? <code>{e.expression}</code> : null}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      {edges.length > LINKS_SHOWN && <p class="muted small">The first {LINKS_SHOWN} of {edges.length} links, nearest first; the JSON export has them all.</p>}
    </>
  );
}

/** What a trace with no links says. */
function nothingText(column: string, way: TraceWay): string {
  if (way === 'upstream') return `${column} is made from no other column: a source's or seed's column, or a constant.`;
  if (way === 'downstream') return `No column is made from ${column}, and no model joins or filters on it.`;
  return `${column} is made from no other column, and no column is made from it.`;
}

/** Scrolls pane (only it, not the page) so that el is in its middle. */
export function centerIn(pane: HTMLElement, el: Element) {
  const p = pane.getBoundingClientRect();
  const r = el.getBoundingClientRect();
  pane.scrollLeft += r.left + r.width / 2 - (p.left + pane.clientWidth / 2);
  pane.scrollTop += r.top + r.height / 2 - (p.top + pane.clientHeight / 2);
}

/** The picture: inserted sanitised, each node of the project a way to its page, the column clicked traced there. */
function TracePicture({ pic, way, depth, fit }: { pic: ColumnPicture; way: TraceWay; depth: number; fit: boolean }) {
  const hostRef = useRef<HTMLDivElement>(null);
  const [drawErr, setDrawErr] = useState<string | null>(null);
  const trace = pic.trace;
  useEffect(() => {
    const host = hostRef.current;
    if (!host) return;
    host.replaceChildren();
    setDrawErr(null);
    let live = true;
    const projectNodes = (trace.nodes ?? []).filter((n) => n.unique_id).map((n) => ({ unique_id: n.unique_id! }));
    const known = new Set(projectNodes.map((n) => n.unique_id));
    // Without Web Crypto the ids are not computed: the titles name the nodes.
    void expectedIds(projectNodes).catch(() => new Map<string, string>()).then((ids) => {
      if (!live) return;
      let svg: SVGSVGElement;
      try {
        svg = document.importNode(parseSafeSvg(pic.content), true) as SVGSVGElement;
      } catch (e) {
        setDrawErr((e as Error).message);
        return;
      }
      annotateSvgNodes(svg, projectNodes, ids);
      // Where the ids could not be computed, the <title>'s first line starts with the unique_id.
      for (const g of Array.from(svg.querySelectorAll('g.node:not([data-uid])'))) {
        const first = (g.querySelector(':scope > title')?.textContent ?? '').trim().split(/\s/)[0];
        if (known.has(first)) g.setAttribute('data-uid', first);
      }
      const byUid = new Map((trace.nodes ?? []).map((n) => [n.unique_id, n]));
      for (const g of Array.from(svg.querySelectorAll('g.node[data-uid]'))) {
        const n = byUid.get(g.getAttribute('data-uid')!);
        g.classList.add('ld-node');
        g.setAttribute('tabindex', '0');
        g.setAttribute('role', 'link');
        g.setAttribute('aria-label', `Open ${n?.name ?? g.getAttribute('data-uid')}${n?.columns?.length ? `, tracing ${n.columns.join(', ')}` : ''}`);
      }
      svg.classList.add('column-svg');
      host.appendChild(svg);
      // A big trace opens on the column traced, not on its empty corner.
      const focus = Array.from(svg.querySelectorAll('g.node[data-uid]')).find((g) => g.getAttribute('data-uid') === trace.focus?.node);
      if (focus) centerIn(host, focus);
    });
    return () => {
      live = false;
    };
  }, [pic]);

  const open = (g: Element, target: Element | null) => {
    const uid = g.getAttribute('data-uid')!;
    const n = (trace.nodes ?? []).find((x) => x.unique_id === uid);
    const column = pickedColumn(g, target, n?.columns ?? [], trace.focus.column);
    const run = inRun(n?.snapshot_id);
    navigate(['node', uid], column ? { column, direction: way, ...(depth > 0 ? { depth: String(depth) } : {}), ...run } : run);
  };
  return (
    <>
      {drawErr && <ErrorBox error={new Error(drawErr)} title="The picture could not be shown" />}
      <div
        ref={hostRef}
        class={`column-picture${fit ? ' fit' : ''}`}
        data-testid="column-picture"
        onClick={(e) => {
          const g = (e.target as Element).closest?.('g.node[data-uid]');
          if (g) open(g, e.target as Element);
        }}
        onKeyDown={(e) => {
          const g = (e.target as Element).closest?.('g.node[data-uid]');
          if (g && e.key === 'Enter') open(g, null);
        }}
      />
    </>
  );
}

/** The columns a "has no column X; did you mean a, b?" error suggests. */
export function nearColumns(message: string): string[] {
  const m = /did you mean (.+)\?$/.exec(message);
  return m ? m[1].split(', ').filter((c) => c !== '') : [];
}

/** The section, for the column the address names. */
export function ColumnTraceSection({ snapshotId, uniqueId, column, way, depth = 0 }: { snapshotId: number; uniqueId: string; column: string; way: TraceWay; depth?: number }) {
  const key = `${snapshotId}|${uniqueId}|${column}|${way}|${depth}`;
  const [answer, setAnswer] = useState<Answer | null>(null);
  const [msg, setMsg] = useState('');
  const [busy, setBusy] = useState<ColumnTraceFormat | null>(null);
  // Fitted, a picture wider than the page shrinks to its width; at its size, it scrolls.
  const [fit, setFit] = useState(true);
  const current = answer?.key === key ? answer : null;
  const direction = apiDirection(way);

  useEffect(() => {
    let live = true;
    setAnswer(null);
    setMsg('');
    api.columnTracePicture(snapshotId, uniqueId, column, direction, depth, 'svg').then(
      (pic) => live && setAnswer({ key, pic }),
      async (e) => {
        const err = toApiError(e);
        // A trace too big to draw is still a list of links: JSON is written whatever the size.
        let pic: ColumnPicture | undefined;
        if (err.code !== 'not_found') pic = await api.columnTracePicture(snapshotId, uniqueId, column, direction, depth, 'json').catch(() => undefined);
        if (live) setAnswer({ key, err, pic });
      },
    );
    return () => {
      live = false;
    };
  }, [key]);

  // Opened by a link (or another column's "trace"), the section comes into view once it has its answer.
  const scrolled = useRef('');
  useEffect(() => {
    const at = `${uniqueId}|${column}`;
    if (!current || scrolled.current === at) return;
    scrolled.current = at;
    // Nearest: under the page's head (a link followed), it stays where it is, the node's name in view.
    document.getElementById('column-lineage')?.scrollIntoView?.({ block: 'nearest' });
  }, [uniqueId, column, current !== null]);

  const setWay = (w: TraceWay) => navigate(['node', uniqueId], { ...route.value.query, column, direction: w }, true);
  const setDepth = (d: number) => {
    const { depth: _depth, ...rest } = route.value.query;
    navigate(['node', uniqueId], { ...rest, column, direction: way, ...(d > 0 ? { depth: String(d) } : {}) }, true);
  };
  const close = () => {
    const { column: _c, direction: _d, depth: _depth, ...rest } = route.value.query;
    navigate(['node', uniqueId], rest);
  };

  const exportAs = async (fmt: ColumnTraceFormat, label: string) => {
    setMsg('');
    setBusy(fmt);
    try {
      if (transportKind() === 'wails') {
        const saved = await api.saveColumnTrace(snapshotId, uniqueId, column, direction, depth, fmt);
        if (!saved.cancelled) setMsg([`Saved ${saved.path}`, ...(saved.warnings ?? [])].join('. '));
        return;
      }
      // The picture on screen is the SVG export.
      const file = current?.pic?.format === fmt ? current.pic : await api.columnTracePicture(snapshotId, uniqueId, column, direction, depth, fmt);
      downloadBlob(file.filename, file.mime_type, file.content, !!file.base64);
      setMsg([`Saved ${file.filename}`, ...(file.warnings ?? [])].join('. '));
    } catch (e) {
      setMsg(`Could not save the ${label}: ${(e as Error).message}`);
    } finally {
      setBusy(null);
    }
  };

  const trace = current?.pic?.trace;
  const problems = (trace?.nodes ?? []).filter((n) => n.problem);
  const goesOn = (trace?.nodes ?? []).filter((n) => n.unique_id && (n.continues ?? []).length > 0);
  // The pictures (SVG, PNG, PDF) are drawn when the SVG was; DOT, JSON and CSV are written whenever there is a trace.
  const canExport = (fmt: ColumnTraceFormat) => !busy && (['svg', 'png', 'pdf'].includes(fmt) ? current?.pic?.format === 'svg' : !!current?.pic);
  return (
    <Section
      title={`Column lineage of ${column}`}
      id="column-lineage"
      actions={<button type="button" class="btn btn-small btn-ghost" aria-label="Close the column lineage" title="Close" onClick={close}>×</button>}
    >
      <div class="row column-trace-bar">
        <span class="segmented" role="group" aria-label="Direction">
          {TRACE_WAYS.map((w) => (
            <button key={w} type="button" class={`btn btn-small${w === way ? ' on' : ''}`} aria-pressed={w === way} onClick={() => setWay(w)}>{WAY_LABEL[w]}</button>
          ))}
        </span>
        <span class="muted small" aria-hidden="true">Levels</span>
        <span class="segmented" role="group" aria-label="Depth" title="How many levels to follow each way">
          {DEPTHS.map((d) => (
            <button key={d} type="button" class={`btn btn-small${d === depth ? ' on' : ''}`} aria-pressed={d === depth} onClick={() => setDepth(d)}>{d > 0 ? d : 'All'}</button>
          ))}
        </span>
        <button type="button" class={`btn btn-small${fit ? ' on' : ''}`} aria-pressed={fit} disabled={current?.pic?.format !== 'svg'} title={fit ? "Show the picture at its size (it scrolls)" : "Shrink the picture to the width of the page"} onClick={() => setFit(!fit)}>Fit</button>
        <span class="grow" />
        <span class="export" role="group" aria-label="Export">
          <span class="muted small">Export</span>
          {EXPORTS.map((x) => (
            <button key={x.fmt} type="button" class="btn btn-small" data-export={x.fmt} disabled={!canExport(x.fmt)} title={`Save the trace as ${x.label}`} onClick={() => void exportAs(x.fmt, x.label)}>{x.label}</button>
          ))}
        </span>
      </div>
      {!current ? <Spinner label="Tracing the column through the SQL…" /> : (
        <>
          {current.err && <ErrorBox error={current.err} />}
          {current.err && nearColumns(current.err.message).length > 0 && (
            <p class="small" data-testid="column-trace-near">
              Trace instead:{' '}
              {nearColumns(current.err.message).map((c) => (
                <button key={c} type="button" class="linklike" onClick={() => navigate(['node', uniqueId], { ...route.value.query, column: c, direction: way }, true)}>{c}</button>
              ))}
            </p>
          )}
          {trace?.truncated && (
            <p class="notice small" data-testid="column-trace-truncated">
              The trace stopped at its size limit: it does not hold every column this way. Trace upstream or downstream alone, or from a column further along.
            </p>
          )}
          {current.pic?.format === 'svg' && (
            <>
              <TracePicture pic={current.pic} way={way} depth={depth} fit={fit} />
              <p class="muted small">Click a node to open its page with its column traced.</p>
            </>
          )}
          {(trace?.across_projects ?? []).length > 0 && (
            <p class="muted small" data-testid="column-trace-across">
              Across projects (dbt Mesh), through cross-project refs:{' '}
              {trace!.across_projects!.map((r) => `${r.nodes} ${r.nodes === 1 ? 'node' : 'nodes'} from ${r.project} #${r.snapshot_id}`).join(', ')}.
            </p>
          )}
          {goesOn.length > 0 && (
            <p class="muted small" data-testid="column-trace-goes-on">
              At {depth} level{depth > 1 ? 's' : ''} each way; the links go on past{' '}
              {goesOn.map((n, i) => (
                <span key={traceNodeKey(n)}>{i > 0 && ', '}<a href={columnHref(n.unique_id!, n.columns?.[0], way, depth, n.snapshot_id)} title={`Trace ${n.name}${n.columns?.[0] ? `.${n.columns[0]}` : ''} from there`}>{n.name}</a> ({(n.continues ?? []).join(', ')})</span>
              ))}
              . <button type="button" class="btn btn-small btn-ghost" onClick={() => setDepth(0)}>Trace all the way</button>
            </p>
          )}
          {problems.length > 0 && (
            <ul class="warnings" data-testid="column-trace-problems">
              {problems.map((n) => <li key={traceNodeKey(n)}><strong>{n.name}</strong>: {n.problem}</li>)}
            </ul>
          )}
          {trace && ((trace.edges ?? []).length === 0 ? <p class="muted">{nothingText(column, way)}</p> : <LinksTable trace={trace} way={way} depth={depth} />)}
        </>
      )}
      {msg && <p class="muted small" role="status">{msg}</p>}
    </Section>
  );
}

