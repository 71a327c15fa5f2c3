// The lineage view: a Graphviz SVG rendered by the backend for a dbt
// selector, shown with pan/zoom, click-to-focus, a test-status lens, depth
// controls, grouping, path finding and exports of exactly what is shown.
import { useEffect, useLayoutEffect, useRef, useState } from 'preact/hooks';
import svgPanZoom from 'svg-pan-zoom';
import { api } from '../api';
import type { GroupBy, LineageFormat, LineageRequest, LineageResult, NamedSelector, PathsResult } from '../api/types';
import { ExportControls } from './lineage/ExportControls';
import { fitBeside } from './lineage/viewport';
import { drawnPicture, fromExclude, groupOf, isNodeCollapse, keepPicture, lensModeOf, lineageRequest, openOf, quotedId, newRequestId, SEMANTIC_LAYER, takeEarly, testsModeOf, testsParam, viewQuery, type LensMode, type TestsMode } from './lineage/request';
import { GroupPanel, NodePanel } from './lineage/Panels';
import { dropPanZoom, neighbour as nextNode, sizeSvg } from './lineage/canvas';
import { Counts, CriticalPathButton, LensLegend, OpenBoxes, StateMenu } from './lineage/MetaBar';
import { isTooBig, TooBigAdvice } from './lineage/TooBig';
import { DepthControls, GroupControl, TestsControl } from './lineage/Toolbar';
import { PathsPanel } from './lineage/PathsPanel';
import { ColumnLensNote, type ColumnLens } from './lineage/ColumnLens';
import { ViewsMenu } from './lineage/ViewsMenu';
import { FacetFilter } from './lineage/FacetFilter';
import { FindBox, useFind } from './lineage/FindBox';
import type { ApiError } from '../api/transport';
import { app } from '../state';
import { inRun, navigate, route, shareableLink } from '../lib/router';
import { parseSafeSvg } from '../lib/svg';
import { annotateSvgNodes, expectedIds, stableId } from '../lib/svgmap';
import { adjustDepth, expandAround, idSelector, namesOneNode, parseDepth, parseUniqueId, preciseSelector } from '../lib/selector';
import { afterPaint, recordMetric } from '../lib/metrics';
import { defaultHops, focusSelector, setDefaultHops } from '../lib/prefs';
import { CopyButton, ErrorBox, Spinner } from '../components/ui';
import { pickedText } from './lineage/announce';

let firstPictureRecorded = false;

const ONE_PROJECT = "It reads one project's runs: switch Across projects off to draw it";
const MESH_TITLE = "Draw the lineage across the dbt projects the store holds (dbt Mesh): another project's public model that this one refs is drawn from that project's run, with its own lineage, and this project's public models lead on to the projects that ref them";

interface Loading {
  id: string;
  started: number;
}

export function LineagePage() {
  const q = route.value.query;
  const snapId = app.snapshotId.value;
  const select = q.select ?? '';
  const exclude = q.exclude ?? '';
  const testsMode = testsModeOf(q.tests);
  const runtime = q.runtime === '1';
  const diff = q.diff === '1'; // drawn as a diff against the snapshot compared with
  const across = q.across === '1'; // drawn across the dbt projects the store holds
  const semantic = q.semantic !== '0'; // the semantic layer drawn
  const groupBy = groupOf(q.group);
  const open = openOf(q); // boxes of the grouping left open
  const lens = lensModeOf(q.lens);
  const collapseExpr = groupBy.startsWith('select:') ? groupBy.slice('select:'.length) : '';

  const [selDraft, setSelDraft] = useState(select);
  const [exDraft, setExDraft] = useState(exclude);
  const [result, setResult] = useState<LineageResult | null>(null);
  const [loading, setLoading] = useState<Loading | null>(null);
  const [err, setErr] = useState<ApiError | null>(null);
  const [focused, setFocused] = useState<string | null>(q.focus ?? null);
  const [focusedGroup, setFocusedGroup] = useState<string | null>(null);
  const [showPaths, setShowPaths] = useState(false);
  const [pathFrom, setPathFrom] = useState('');
  const [pathTo, setPathTo] = useState('');
  const [paths, setPaths] = useState<PathsResult | null>(null);
  // A column's lineage outlined on the picture (the node panel's columns).
  const [columnLens, setColumnLens] = useState<ColumnLens | null>(null);
  const [yamlSelectors, setYamlSelectors] = useState<NamedSelector[]>([]);
  // Apply asks again even when the address does not change (after a cancel).
  const [reload, setReload] = useState(0);

  const canvasRef = useRef<HTMLDivElement>(null);
  const pzRef = useRef<SvgPanZoom.Instance | null>(null);
  const elemsRef = useRef<Map<string, Element>>(new Map());
  const pendingRef = useRef<string | null>(null);
  const downAt = useRef<{ x: number; y: number } | null>(null);
  const startedRef = useRef(0);

  useEffect(() => setSelDraft(select), [select]);
  useEffect(() => setExDraft(exclude), [exclude]);
  useEffect(() => {
    if (!snapId) return;
    let live = true;
    api.selectors(snapId).then((s) => live && setYamlSelectors(s), () => live && setYamlSelectors([]));
    return () => {
      live = false;
    };
  }, [snapId]);
  // Whether the project refs other projects' models or is read by them
  // (dbt Mesh): the Across projects switch is offered then.
  const [mesh, setMesh] = useState(false);
  useEffect(() => {
    if (!snapId) return;
    let live = true;
    api.mesh(snapId).then((m) => live && setMesh(m.reads.length + m.read_by.length > 0), () => live && setMesh(false));
    return () => {
      live = false;
    };
  }, [snapId, app.snapshots.value.length]); // a project imported since may ref this one
  const chosenSelector = /^selector:(\S+)$/.exec(select.trim())?.[1] ?? '';
  // Group by "selection…": what the Collapse field selects becomes one box.
  const [collapsing, setCollapsing] = useState(collapseExpr !== '');
  const [colDraft, setColDraft] = useState(collapseExpr);
  useEffect(() => {
    setCollapsing(collapseExpr !== '');
    setColDraft(collapseExpr);
  }, [collapseExpr]);
  // Chosen from the Group menu, the field appears and takes the keys: left
  // on the menu, typing "p" would pick "package" by type-ahead.
  const collapseRef = useRef<HTMLInputElement>(null);
  useEffect(() => {
    if (collapsing && !collapseExpr) collapseRef.current?.focus();
  }, [collapsing]);

  function apply(next: Partial<{ select: string; exclude: string; tests: TestsMode; group: GroupBy; open: string[]; lens: LensMode; focus: string | null; state: number; runtime: boolean; semantic: boolean; diff: boolean; across: boolean }>, replace = false) {
    // An open box is one of this grouping's boxes of this selection (a
    // change of depth passes them on).
    const keepOpen = (next.group ?? groupBy) === groupBy && (next.select ?? select) === select;
    const merged = {
      state: next.state !== undefined ? (next.state > 0 ? String(next.state) : '') : q.state ?? '',
      select: next.select ?? select,
      exclude: next.exclude ?? exclude,
      tests: testsParam(next.tests ?? testsMode),
      group: (next.group ?? groupBy) === 'none' ? '' : next.group ?? groupBy,
      open: (next.open ?? (keepOpen ? open : [])).join('\n'),
      lens: (next.lens ?? lens) === 'tests' ? '' : next.lens ?? lens,
      focus: next.focus === null ? '' : next.focus ?? focused ?? '',
      runtime: (next.runtime ?? runtime) ? '1' : '',
      semantic: (next.semantic ?? semantic) ? '' : '0',
      diff: (next.diff ?? diff) ? '1' : '',
      across: (next.across ?? across) ? '1' : '',
    };
    // A switch applies to the selector shown, not to one typed and not applied.
    setSelDraft(merged.select);
    setExDraft(merged.exclude);
    navigate(['lineage'], merged, replace);
  }

  // Without a selector, start from the selected resource, else the first model.
  useEffect(() => {
    if (select || !snapId) return;
    let live = true;
    const sel = app.selection.value;
    if (sel) {
      const p = parseUniqueId(sel);
      apply({ select: focusSelector(preciseSelector({ unique_id: sel, resource_type: p.resource_type, name: p.name, source_name: p.source_name })), focus: sel }, true);
      return;
    }
    api.resources(snapId, { resource_types: ['model'], limit: 1 }).then((rs) => {
      if (!live) return;
      if (rs[0]) apply({ select: focusSelector(preciseSelector(rs[0])), focus: rs[0].unique_id }, true);
      else apply({ select: 'resource_type:source' }, true);
    }, setErr);
    return () => {
      live = false;
    };
  }, [select, snapId]);

  function request(format: LineageFormat, id?: string): LineageRequest {
    return lineageRequest(q, snapId, format, id);
  }

  function show(res: LineageResult) {
    setResult(res);
    // A node picked in an earlier picture and not in this one: the address
    // (and a copied link) stops naming it.
    const picked = route.value.query.focus;
    if (picked && !(res.nodes ?? []).some((n) => n.unique_id === picked)) {
      setFocused(null);
      navigate(['lineage'], { ...route.value.query, focus: '' }, true);
    }
  }

  // Load the picture whenever what is asked for changes; cancel a stale one.
  useEffect(() => {
    if (!select || !snapId) return;
    if (pendingRef.current) void api.cancelRequest(pendingRef.current).catch(() => {});
    const asked = request('svg');
    const kept = drawnPicture(asked);
    if (kept) {
      pendingRef.current = null;
      startedRef.current = performance.now();
      setErr(null);
      setLoading(null);
      show({ ...kept }); // a new object: painted (and timed) as a fresh answer is
      return;
    }
    // A deep link's picture may have been asked for at launch (request.ts).
    const early = takeEarly(asked);
    const id = early?.id ?? newRequestId();
    pendingRef.current = id;
    const started = performance.now();
    setLoading({ id, started });
    setErr(null);
    const answer = early
      ? early.answer.then((res) => res ?? api.lineage(request('svg', id)))
      : api.lineage(request('svg', id));
    answer.then(
      (res) => {
        if (pendingRef.current !== id) return;
        pendingRef.current = null;
        startedRef.current = started;
        keepPicture(asked, res);
        setLoading(null);
        show(res);
      },
      (e: ApiError) => {
        if (pendingRef.current !== id) return;
        pendingRef.current = null;
        setLoading(null);
        setErr(e);
        // The last picture stays, dimmed, while the selector is mended;
        // another snapshot's would pass for this one's.
        setResult((shown) => (shown && shown.snapshot_id !== snapId ? null : shown));
      },
    );
  }, [snapId, select, exclude, testsMode, groupBy, open.join('\n'), lens, q.state, runtime, semantic, diff, across, reload]);

  // Another snapshot: what was picked or found on the last one is gone.
  const shownSnap = useRef(snapId);
  useEffect(() => {
    if (shownSnap.current === snapId) return;
    shownSnap.current = snapId;
    setFocused(null);
    setFocusedGroup(null);
    setPaths(null);
    setPathFrom('');
    setPathTo('');
  }, [snapId]);

  // Back and Forward bring the node picked with the selector back too.
  useEffect(() => {
    if (q.focus !== undefined) setFocused(q.focus || null);
  }, [q.focus]);

  useEffect(
    () => () => {
      if (pendingRef.current) void api.cancelRequest(pendingRef.current).catch(() => {});
      pendingRef.current = null;
      dropPanZoom(pzRef.current);
    },
    [],
  );

  // The picture follows the pane's size (the window resized, the toolbar wrapped).
  useEffect(() => {
    const host = canvasRef.current;
    if (!host || typeof ResizeObserver === 'undefined') return;
    const ro = new ResizeObserver(() => {
      const svg = host.querySelector<SVGSVGElement>('svg.lineage-svg');
      if (svg && sizeSvg(svg, host)) pzRef.current?.resize();
    });
    ro.observe(host);
    return () => ro.disconnect();
  }, []);

  // Insert the picture (sanitised) and wire pan/zoom.
  const [painted, setPainted] = useState(0);
  const [drawing, setDrawing] = useState(false);
  useEffect(() => {
    const host = canvasRef.current;
    if (!host) return;
    let live = true;
    dropPanZoom(pzRef.current);
    pzRef.current = null;
    host.replaceChildren();
    elemsRef.current = new Map();
    if (!result) return;
    const nodes = result.nodes ?? [];
    const groups = result.groups ?? [];
    setDrawing(true);
    // Let the "Drawing…" overlay paint before the (synchronous) parse of a big picture.
    const painted = new Promise<void>((r) => afterPaint(r));
    // Only the nodes drawn, not those inside a box: a whole project by layer
    // is seven boxes and 55,000 digests (QA: 250 ms of a 1 s freeze).
    const drawn = groups.length > 0 ? nodes.filter((n) => !n.box) : nodes;
    void Promise.all([expectedIds(drawn), Promise.all(groups.map((g) => stableId('group', g.key))), painted]).then(([ids, groupIds]) => {
      if (!live) return;
      let svg: SVGSVGElement;
      try {
        svg = document.importNode(parseSafeSvg(result.content), true) as SVGSVGElement;
      } catch (e) {
        setDrawing(false);
        setErr({ name: 'ApiError', code: 'internal', message: (e as Error).message } as ApiError);
        return;
      }
      elemsRef.current = annotateSvgNodes(svg, drawn, ids);
      const groupKey = new Map(groupIds.map((id, i) => [id, groups[i].key]));
      for (const g of Array.from(svg.querySelectorAll('g.node:not([data-uid])'))) {
        const key = groupKey.get(g.getAttribute('id') ?? '');
        if (key) {
          g.setAttribute('data-group', key);
          g.classList.add('ld-node');
        }
      }
      const byUid = new Map(nodes.map((n) => [n.unique_id, n]));
      for (const [uid, el] of elemsRef.current) {
        const n = byUid.get(uid);
        el.classList.add('ld-node');
        if (n?.focus) el.classList.add('ld-core');
      }
      // The pane's size in pixels, not 100%: a percentage-sized SVG is
      // laid out again, all of it, whenever the page is, and on a picture
      // of 1,500 nodes each key typed in a field of the page took 0.2 s
      // (20 ms sized in pixels). An observer of the pane follows its size.
      sizeSvg(svg, host);
      svg.classList.add('lineage-svg');
      host.appendChild(svg);
      pzRef.current = svgPanZoom(svg, {
        zoomEnabled: true,
        panEnabled: true,
        controlIconsEnabled: false,
        dblClickZoomEnabled: false,
        mouseWheelZoomEnabled: true,
        fit: true,
        center: true,
        minZoom: 0.02,
        maxZoom: 40,
        zoomScaleSensitivity: 0.25,
      });
      if (pzRef.current.getZoom() > 1.1) pzRef.current.zoom(1.1);
      setDrawing(false);
      setPainted((p) => p + 1);
    });
    return () => {
      live = false;
    };
  }, [result]);

  // Timings for the bench harness: request to painted picture, and page load to the first one.
  useEffect(() => {
    if (!painted || !result) return;
    const started = startedRef.current;
    const n = result.nodes?.length ?? 0;
    afterPaint(() => {
      recordMetric({ metric: 'lineage_render', ms: Math.round(performance.now() - started), nodes: n, select: result.select });
      if (!firstPictureRecorded) {
        firstPictureRecorded = true;
        recordMetric({ metric: 'lineage_first_picture', ms: Math.round(performance.now()), nodes: n, select: result.select });
      }
    });
  }, [painted]);

  // Focus highlight.
  useEffect(() => {
    for (const el of elemsRef.current.values()) el.classList.remove('ld-focused');
    if (focused) elemsRef.current.get(focused)?.classList.add('ld-focused');
  }, [focused, painted]);

  function nodeAt(e: MouseEvent): string | null {
    const g = (e.target as Element).closest?.('[data-uid]');
    return g?.getAttribute('data-uid') ?? null;
  }

  function groupAt(e: MouseEvent): string | null {
    return (e.target as Element).closest?.('[data-group]')?.getAttribute('data-group') ?? null;
  }

  /** Picks a node (null: none), in the address too, so Back from its page picks it again. */
  function pick(uid: string | null) {
    setFocused(uid);
    if ((route.value.query.focus ?? '') !== (uid ?? '')) navigate(['lineage'], { ...route.value.query, focus: uid ?? '' }, true);
  }

  function onCanvasClick(e: MouseEvent) {
    const d = downAt.current;
    if (d && Math.hypot(e.clientX - d.x, e.clientY - d.y) > 4) return; // a pan, not a click
    const uid = nodeAt(e);
    pick(uid);
    setFocusedGroup(uid ? null : groupAt(e));
    if (uid) setPathFrom((f) => f || uid);
  }

  /** Draws a box's nodes in its place, the other boxes left shut. */
  /** A node's page; a node a diff shows removed has its page in the snapshot compared with. */
  function openNode(uid: string) {
    const n = result?.nodes?.find((x) => x.unique_id === uid);
    if (n?.state_change?.[0] === 'removed' && result?.state_snapshot_id) navigate(['node', uid], { snap: String(result.state_snapshot_id) });
    else navigate(['node', uid], inRun(n?.snapshot_id)); // across projects, another project's node opens in its run
  }

  function openHere(key: string) {
    setFocusedGroup(null);
    apply({ open: [...open.filter((k) => k !== key), key] });
  }

  function onCanvasDblClick(e: MouseEvent) {
    const uid = nodeAt(e);
    const box = uid ? null : groupAt(e);
    if (uid) openNode(uid);
    else if (box) openHere(box);
  }

  // Find in the picture (FindBox.tsx); a match picked is picked as a click would.
  const find = useFind(result, canvasRef, painted, (f) => {
    pick(f.kind === 'node' ? f.id : null);
    setFocusedGroup(f.kind === 'group' ? f.id : null);
  });

  // Paths found (or the critical path, when asked to show it): outline
  // their nodes on the picture and dim the rest.
  const [showCritical, setShowCritical] = useState(false);
  const criticalPath = result?.critical_path ?? null;
  // How many nodes the selector names (before its operators): a depth is
  // worth keeping as the default when chosen around one node.
  const focusCount = (result?.nodes ?? []).filter((n) => n.focus).length;
  // The size guard's refusal, answered with ways to draw less.
  const tooBig = isTooBig(err);
  useEffect(() => setColumnLens(null), [snapId]);
  const showColumn = (uid: string, column: string) => {
    setColumnLens({ uid, column, nodes: [], busy: true });
    api.columnTrace(result?.snapshot_id ?? snapId, uid, column, '', 0).then(
      (t) => setColumnLens((l) => (l?.uid === uid && l.column === column ? { uid, column, nodes: (t.nodes ?? []).flatMap((n) => (n.unique_id ? [n.unique_id] : [])) } : l)),
      (e) => setColumnLens((l) => (l?.uid === uid && l.column === column ? { uid, column, nodes: [], err: (e as Error).message } : l)),
    );
  };
  useEffect(() => {
    const on = new Set(showPaths ? (paths?.paths ?? []).flat() : showCritical ? criticalPath?.nodes ?? [] : columnLens?.nodes ?? []);
    for (const [uid, el] of elemsRef.current) {
      el.classList.toggle('ld-path', on.has(uid));
      el.classList.toggle('ld-dim', on.size > 0 && !on.has(uid));
    }
  }, [paths, showPaths, showCritical, criticalPath, columnLens, painted]);

  function cancel() {
    const id = pendingRef.current;
    if (!id) return;
    pendingRef.current = null;
    setLoading(null);
    setErr({ name: 'ApiError', code: 'canceled', message: 'The picture was cancelled. Narrow the selector or lower the depth, then apply again.' } as ApiError);
    void api.cancelRequest(id).catch(() => {});
  }

  // Registered as the render commits (a layout effect), not after the next
  // frame: a key pressed as soon as a click's panel shows reads that click's
  // pick (Enter on a box just picked did nothing one time in three).
  useLayoutEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      // Keys typed into a field, or Enter/arrows on a focused control, belong to that control;
      // Esc on a button (the panel's own, after a click) still closes the panel.
      const target = e.target as Element;
      // A dialog over the picture (the shortcuts) has its own keys: Esc closes it alone.
      if (e.ctrlKey || e.metaKey || e.altKey || target.closest?.('input,textarea,select,[role=dialog]')) return;
      if (target.closest?.('button,a[href]') && e.key !== 'Escape') return;
      const pz = pzRef.current;
      if (e.key === 'ArrowLeft' || e.key === 'ArrowRight' || e.key === 'ArrowUp' || e.key === 'ArrowDown') {
        const next = neighbour(e.key);
        if (!next) return;
        pick(next);
        setFocusedGroup(null);
      } else if (e.key === 'Escape' && (focused || focusedGroup)) {
        pick(null);
        setFocusedGroup(null);
      } else if (e.key === 'Escape') return;
      else if (e.key === 'Enter' && focused) openNode(focused);
      else if (e.key === 'Enter' && focusedGroup) openHere(focusedGroup);
      else if (e.key === 'f') find.fieldRef.current?.focus();
      else if (e.key === '0' && pz) (pz.resize(), pz.fit(), pz.center());
      else if ((e.key === '=' || e.key === '+') && pz) pz.zoomIn();
      else if (e.key === '-' && pz) pz.zoomOut();
      else if (e.key === '[') depth('up', 1);
      else if (e.key === ']') depth('down', 1);
      else if (e.key === '{') depth('up', -1);
      else if (e.key === '}') depth('down', -1);
      else return;
      e.preventDefault();
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  });

  /** Keyboard moves: left/right to a parent/child, up/down to the previous/next node on screen. */
  function neighbour(key: string): string | null {
    return nextNode(key, focused, elemsRef.current, result?.nodes ?? [], result?.edges ?? []);
  }

  /**
   * Pans the least that shows the node whole, clear of the panel that
   * describes it (which sits over the picture's right side).
   */
  function reveal(uid: string) {
    const el = elemsRef.current.get(uid);
    const host = canvasRef.current;
    const pz = pzRef.current;
    if (!el || !host || !pz) return;
    const panel = host.parentElement?.querySelector('.focus-panel')?.getBoundingClientRect();
    const margin = 16;
    const shiftIn = () => {
      // Frames later the picture may be another one, its pan and zoom gone.
      if (pzRef.current !== pz || !el.isConnected) return;
      const h = host.getBoundingClientRect();
      const r = el.getBoundingClientRect();
      const right = panel && panel.left > h.left + r.width + 2 * margin ? panel.left - margin : h.right - margin;
      const shift = (lo: number, hi: number, from: number, to: number) => (from < lo ? lo - from : to > hi ? Math.max(hi - to, lo - from) : 0);
      const dx = shift(h.left + margin, right, r.left, r.right);
      const dy = shift(h.top + margin, h.bottom - margin, r.top, r.bottom);
      if (dx || dy) pz.panBy({ x: dx, y: dy });
    };
    // svg-pan-zoom draws a zoom on the next frames: the node is measured after.
    if (panel && fitBeside(panel.left - margin, host, pz, host.getBoundingClientRect().left + margin)) requestAnimationFrame(() => requestAnimationFrame(shiftIn));
    else shiftIn();
  }

  // Picked by a click, a key or the address: once its panel is up.
  useEffect(() => {
    if (focused) reveal(focused);
  }, [focused, painted]);

  function depth(side: 'up' | 'down', delta: number) {
    const next = adjustDepth(select, side, delta);
    if (next && next !== select) apply({ select: next, open }); // the same boxes, wider or narrower
  }

  const d = parseDepth(select);
  const counts = app.snapshots.value.find((x) => x.id === snapId)?.counts ?? {};
  const hasSemanticLayer = (counts.metric ?? 0) + (counts.semantic_model ?? 0) + (counts.saved_query ?? 0) > 0;
  const project = app.snapshots.value.find((x) => x.id === snapId)?.project;
  const hasEarlierRun = app.snapshots.value.some((x) => x.id !== snapId && x.project === project);
  const nodes = result?.nodes ?? [];
  const focusNode = focused ? nodes.find((n) => n.unique_id === focused) : null;
  // The panel's actions reach past the picture: a name another resource
  // out of sight shares would pick that one too.
  const focusSel = focusNode ? preciseSelector(focusNode) : null;
  const focusGroup = focusedGroup ? (result?.groups ?? []).find((x) => x.key === focusedGroup) ?? null : null;
  
  return (
    <div class="page lineage-page">
      <h1 class="sr-only">Lineage</h1>
      <form
        class="lineage-bar"
        onSubmit={(e) => {
          e.preventDefault();
          if (!selDraft.trim()) {
            // Applied empty, the view would open on some model of its own choosing.
            setErr({ name: 'ApiError', code: 'invalid', message: 'Type a selector: a name (orders), with graph operators (+orders+, 2+orders+1) or a method (tag:finance, path:models/marts).' } as ApiError);
            return;
          }
          const collapse = colDraft.trim();
          // The same view again (after a cancel, say): the address does not
          // change, so ask again here.
          if (selDraft.trim() === select && exDraft.trim() === exclude && (!collapsing || `select:${collapse}` === groupBy)) setReload((n) => n + 1);
          if (collapsing && !collapse) setCollapsing(false); // nothing to collapse: back to "none"
          // What the node panel collapsed around one node belongs to the view
          // it was made in: a new selector drops it, unless it was edited too.
          const stale = selDraft.trim() !== select && isNodeCollapse(groupBy) && (!collapsing || `select:${collapse}` === groupBy);
          if (stale) setCollapsing(false);
          apply({
            select: selDraft.trim(),
            exclude: exDraft.trim(),
            ...(stale ? { group: 'none' as GroupBy } : collapsing ? { group: collapse ? (`select:${collapse}` as GroupBy) : 'none' } : {}),
          });
        }}
      >
        <label class="field grow">
          <span>Select</span>
          <input name="select" type="text" spellcheck={false} value={selDraft} placeholder="2+customers+2, tag:finance, path:models/marts" onInput={(e) => setSelDraft((e.target as HTMLInputElement).value)} />
        </label>
        <label class="field">
          <span>Exclude</span>
          <input name="exclude" type="text" spellcheck={false} value={exDraft} placeholder="e.g. tag:deprecated" onInput={(e) => setExDraft((e.target as HTMLInputElement).value)} />
        </label>
        {yamlSelectors.length > 0 && (
          <label class="field">
            <span>YAML selector</span>
            <select name="yaml-selector" class="yaml-selector" value={chosenSelector} title="The project's selectors.yml" onChange={(e) => {
              const name = (e.target as HTMLSelectElement).value;
              if (name) apply({ select: `selector:${name}`, exclude: '', ...(isNodeCollapse(groupBy) ? { group: 'none' as GroupBy } : {}) });
            }}>
              <option value="">—</option>
              {yamlSelectors.map((s) => (
                <option key={s.name} value={s.name} title={s.description}>{s.name}{s.default ? ' (default)' : ''}</option>
              ))}
            </select>
          </label>
        )}
        <button class="btn btn-primary" type="submit">Apply</button>
        <DepthControls
          depth={d}
          onDepth={depth}
          onMakeDefault={!err && !loading && d && namesOneNode(d.core) && focusCount === 1 && d.up !== Infinity && d.down !== Infinity && ((d.up ?? 0) !== defaultHops.value.up || (d.down ?? 0) !== defaultHops.value.down) ? () => setDefaultHops({ up: d.up ?? 0, down: d.down ?? 0 }) : undefined}
        />
        <TestsControl mode={testsMode} onChange={(tests) => apply({ tests })} />
        <label class="check" title={across ? ONE_PROJECT : "Each node's execution time in the snapshot's run, and the critical path: the slowest chain of dependencies, which no number of threads makes faster"}>
          <input type="checkbox" name="runtime" checked={runtime} disabled={across && !runtime} onChange={(e) => apply({ runtime: (e.target as HTMLInputElement).checked })} /> Run times
        </label>
        <GroupControl groupBy={groupBy} collapsing={collapsing} setCollapsing={setCollapsing} draft={colDraft} setDraft={setColDraft} fieldRef={collapseRef} onGroup={(group) => apply({ group })} />
      </form>

      <div class="lineage-meta">
        {result && !err && <Counts result={result} />}
        {result && !err && <OpenBoxes result={result} onShut={(key) => apply({ open: open.filter((k) => k !== key) })} />}
        {result && !err && <CriticalPathButton result={result} on={showCritical} toggle={() => setShowCritical(!showCritical)} />}
        {(diff || hasEarlierRun) && (
          <label class="check small" title={groupBy !== 'none' ? 'A diff draws resources, not boxes: choose no grouping' : across ? ONE_PROJECT : 'Draw this picture as a diff against the snapshot compared with: what was removed since (dashed), dependencies added (green) and removed (dashed red)'}>
            <input type="checkbox" name="diff" checked={diff} disabled={(groupBy !== 'none' || across) && !diff} onChange={(e) => apply({ diff: (e.target as HTMLInputElement).checked })} /> Diff
          </label>
        )}
        {(across || mesh) && (
          <label class="check small" title={MESH_TITLE}>
            <input type="checkbox" name="across" checked={across} onChange={(e) => apply({ across: (e.target as HTMLInputElement).checked })} /> Across projects
          </label>
        )}
        {result && <StateMenu result={result} snapshots={app.snapshots.value} project={app.current.value?.project} onChoose={(state) => apply({ state })} />}
        <label class="small" title="What the borders show: the worst test result, each node's status in the snapshot's run, whether it has a description, how its tests fared over recent runs, its data health (its last build, tests, the freshness of the sources upstream, its description), or nothing">
          Lens{' '}
          <select name="lens" value={lens} onChange={(e) => apply({ lens: (e.target as HTMLSelectElement).value as LensMode }, true)}>
            <option value="tests">test status</option>
            <option value="runs">last run</option>
            <option value="docs">description</option>
            <option value="trend" disabled={across} title={across ? ONE_PROJECT : undefined}>test trend</option>
            <option value="health" disabled={across} title={across ? ONE_PROJECT : undefined}>data health</option>
            <option value="none">none</option>
          </select>
        </label>
        <LensLegend mode={lens} />
        {(hasSemanticLayer || !semantic) && (
          <label class="check small" title={`dbt's semantic layer (metrics, semantic models, saved queries): off, the picture leaves it out (--exclude ${SEMANTIC_LAYER})`}>
            <input type="checkbox" name="semantic" checked={semantic} onChange={(e) => apply({ semantic: (e.target as HTMLInputElement).checked })} /> Semantic layer
          </label>
        )}
        {result && !err && <FacetFilter nodes={result.nodes ?? []} exclude={exclude} onExclude={(ex) => apply({ exclude: ex })} />}
        <span class="grow" />
        {result && !err && <FindBox find={find} />}
        <button type="button" class={`btn btn-small ${showPaths ? 'on' : ''}`} onClick={() => setShowPaths(!showPaths)}>Paths…</button>
        {/* A view opens on the snapshot shown, with the comparison chosen. */}
        <ViewsMenu snapshotId={result?.snapshot_id ?? snapId} current={err || !result ? null : request('svg')} onOpen={(v) => navigate(['lineage'], { ...viewQuery(v), state: q.state ?? '', focus: '' })} />
        {/* After an error the picture is the previous selection's: nothing to count or export. */}
        <ExportControls result={err || loading ? null : result} dataOnly={tooBig && !loading} request={(fmt) => request(fmt)} />
        <CopyButton text={shareableLink(result?.snapshot_id ?? snapId)} label="Copy link" title="Copy a link to this view (selector, options and snapshot)" />
      </div>
      {!err && (result?.warnings ?? []).length > 0 && <ul class="warnings">{result!.warnings!.map((w, i) => <li key={i}>{w}</li>)}</ul>}

      {columnLens && <ColumnLensNote lens={columnLens} inPicture={columnLens.nodes.filter((uid) => elemsRef.current.has(uid)).length} onDrawAll={() => apply({ select: columnLens.nodes.map(idSelector).join(' '), exclude: '' })} onClose={() => setColumnLens(null)} />}
      {showPaths && (
        <PathsPanel
          snapshotId={snapId}
          nodes={nodes}
          from={pathFrom}
          to={pathTo}
          setFrom={setPathFrom}
          setTo={setPathTo}
          paths={paths}
          setPaths={setPaths}
          onShow={(ids) => apply({ select: ids.map(idSelector).join(' '), exclude: '', group: 'none' })}
        />
      )}

      <div class="lineage-body">
        <div
          class={`canvas${err ? ' stale' : ''}`}
          ref={canvasRef}
          data-testid="lineage-canvas"
          // One tab stop for the picture: the arrows pick its nodes, Enter
          // opens the one picked (QA: Tab never reached it, and the keys
          // stopped once a button had focus).
          tabIndex={0}
          role="application"
          aria-roledescription="lineage picture"
          aria-label={`Lineage of ${select.trim() || 'the project'}: ${nodes.length} nodes. Arrow keys pick a node, Enter opens it, Escape lets it go, f finds by name.`}
          onMouseDown={(e) => {
            downAt.current = { x: e.clientX, y: e.clientY };
            // The keys act on the picture from here, not on the last button pressed
            // (Enter would press it again).
            (e.currentTarget as HTMLElement).focus({ preventScroll: true });
          }}
          onClick={onCanvasClick}
          onDblClick={onCanvasDblClick}
        />
        {!loading && drawing && (
          <div class="overlay">
            <Spinner label={`Drawing ${(result?.nodes ?? []).length.toLocaleString()} nodes…`} />
          </div>
        )}
        {loading && (
          <div class="overlay">
            <Spinner label="Rendering lineage…" />
            <button type="button" class="btn" onClick={cancel}>Cancel</button>
          </div>
        )}
        {err && (
          <div class="overlay-error">
            {tooBig ? <TooBigAdvice error={err} base={request('json')} groupBy={groupBy} depth={d} apply={apply} /> : <ErrorBox error={err} title={fromExclude(err, select, exclude) ? 'Check the Exclude field' : undefined} />}
          </div>
        )}
        {!focusNode && focusGroup && (
          <GroupPanel
            group={focusGroup}
            onUngroup={() => apply({ group: 'none' })}
            onOpenHere={() => openHere(focusGroup.key)}
            // Within the picture's selector when it is one term (an intersection binds it); else the box alone.
            rootProject={app.snapshots.value.find((x) => x.id === snapId)?.project ?? ''}
            onOpen={(inner) => apply({ select: /\s/.test(select.trim()) || /\s/.test(inner) ? inner : `${select.trim()},${inner}`, group: 'none', focus: null })}
          />
        )}
        {focusNode && (
          <NodePanel
            node={focusNode}
            snapshotId={result?.snapshot_id ?? snapId}
            stateBase={result?.state_snapshot_id ?? 0}
            actions={{
              close: () => pick(null),
              showColumn: (column) => showColumn(focusNode.unique_id, column),
              // A new subject: what the panel collapsed around the old one goes.
              refocus: () => apply({ select: focusSelector(focusSel!), focus: focusNode.unique_id, ...(isNodeCollapse(groupBy) ? { group: 'none' as GroupBy } : {}) }),
              expandUp: () => apply({ select: expandAround(select, focusSel!, 'up'), open }),
              expandDown: () => apply({ select: expandAround(select, focusSel!, 'down'), open }),
              // By unique_id: a name may also be a metric's or a semantic model's.
              collapseUp: () => apply({ group: `select:+${quotedId(focusNode.unique_id)} --exclude ${quotedId(focusNode.unique_id)}` as GroupBy }),
              collapseDown: () => apply({ group: `select:${quotedId(focusNode.unique_id)}+ --exclude ${quotedId(focusNode.unique_id)}` as GroupBy }),
              pathsFrom: () => (setShowPaths(true), setPathFrom(focusNode.unique_id)),
              pathsTo: () => (setShowPaths(true), setPathTo(focusNode.unique_id)),
              // The node's whole lineage one way, the node still picked.
              showAll: (side) => apply({ select: side === 'down' ? `${focusSel!}+` : `+${focusSel!}`, exclude: '', focus: focusNode.unique_id, ...(isNodeCollapse(groupBy) ? { group: 'none' as GroupBy } : {}) }),
            }}
          />
        )}
        <div class="sr-only" role="status" aria-live="polite">{pickedText(focusNode ?? null, focusGroup, result?.edges ?? [])}</div>
        <div class="canvas-help muted small">drag to pan · wheel to zoom · click to select · double-click to open · <kbd>←</kbd><kbd>→</kbd><kbd>↑</kbd><kbd>↓</kbd> move · <kbd>0</kbd> fit · <kbd>[</kbd><kbd>]</kbd> depth · <kbd>f</kbd> find</div>
      </div>
    </div>
  );
}
