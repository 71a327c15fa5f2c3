package app

import (
	"context"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"regexp"
	"strings"
	"time"
	"unicode"

	"github.com/lineagedesk/lineagedesk/backend"
	"github.com/lineagedesk/lineagedesk/backend/lineage"
	"github.com/lineagedesk/lineagedesk/backend/render"
)

// markFreshness gives the runs lens each source's latest freshness status.
func (a *App) markFreshness(ctx context.Context, snapshotID int64, d *render.Diagram) error {
	results, err := a.store.LatestFreshness(ctx, snapshotID, nil)
	if err != nil {
		return fmt.Errorf("runs lens: %w", err)
	}
	status := make(map[string]string, len(results))
	for _, f := range results {
		status[f.UniqueID] = f.Status
	}
	d.MarkFreshness(status)
	return nil
}

// markColors fills the drawn resources whose config sets dbt's
// docs.node_color with it, as dbt Docs draws them.
func (a *App) markColors(ctx context.Context, snapshotID int64, d *render.Diagram) error {
	ids := make([]string, 0, len(d.Nodes))
	for _, n := range d.Nodes {
		if n.Resource != nil {
			ids = append(ids, n.Resource.UniqueID)
		}
	}
	colors, err := a.store.NodeColors(ctx, snapshotID, ids)
	if err != nil {
		return fmt.Errorf("node colours: %w", err)
	}
	d.MarkColors(colors)
	return nil
}

// openGroups lists the boxes left open, and warns of each asked for that
// holds none of the selected nodes (a typo, or another grouping's box).
func openGroups(grp *lineage.Grouping, asked []string, warnings []string) ([]GroupBox, []string) {
	var open []GroupBox
	held := map[string]bool{}
	for _, b := range grp.Open {
		open = append(open, groupBox(b))
		held[b.ID] = true
	}
	for _, key := range asked {
		if !held[key] {
			label := strings.TrimPrefix(key, lineage.BoxID(grp.By, ""))
			warnings = append(warnings, fmt.Sprintf("open %q: grouped by %s, no box of that name holds a selected node: give a box's label as the picture shows it", label, grp.By))
		}
	}
	return open, warnings
}

// groupBox is a box of the picture as the answer lists it.
func groupBox(b lineage.Box) GroupBox {
	return GroupBox{Key: b.ID, Label: b.Label, Members: len(b.Members), Counts: b.Counts}
}

// mimeType names the formats Lineage can produce; "" for any other.
func mimeType(format string) string {
	switch format {
	case "svg":
		return "image/svg+xml"
	case "png":
		return "image/png"
	case "pdf":
		return "application/pdf"
	case "dot":
		return "text/vnd.graphviz"
	case "mermaid":
		return "text/plain"
	case "json":
		return "application/json"
	case "csv", "csv-nodes":
		return "text/csv"
	}
	return ""
}

// unknownFormat is the error for a format Lineage cannot produce.
func unknownFormat(format string) error {
	return backend.Errorf(backend.EINVALID, "format %q is not one of svg, png, pdf, dot, mermaid, json, csv (the edges), csv-nodes", format)
}

// Lineage selects part of a snapshot's lineage with dbt's selector syntax
// and renders it in the requested format. Nodes and Edges in the result are
// exactly what the picture shows.
func (a *App) Lineage(req LineageRequest) (LineageResult, error) {
	ctx, done := a.requests.start(a.ctx, req.RequestID)
	defer done()
	started := time.Now()
	p, err := a.picture(ctx, req)
	if err != nil {
		return LineageResult{}, err
	}
	res, diagram, meta, format := p.res, p.diagram, p.meta, p.res.Format
	var content []byte
	if format == "csv-nodes" { // the resources, boxes' members too: no layout
		content, err = render.NodesCSV(diagram, p.node)
	} else {
		content, err = a.renderDiagram(ctx, diagram, format, meta, req.Scale)
	}
	if err != nil {
		return LineageResult{}, fmt.Errorf("lineage %q: %w", res.Select, err)
	}
	if format == "png" || format == "pdf" {
		if n, r, in := render.MissingGlyphs(diagram, meta); n > 0 {
			lack, shows := "characters of this picture have", "they show as empty boxes; the SVG export keeps them"
			if n == 1 {
				lack, shows = "character of this picture has", "it shows as an empty box; the SVG export keeps it"
			}
			res.Warnings = append(res.Warnings, fmt.Sprintf("%d %s no glyph in its %s font (e.g. %q in %q): %s, drawn by the viewer's fonts",
				n, lack, strings.ToUpper(format), string(r), clipped(in), shows))
		}
		if text := render.RightToLeft(diagram, meta); text != "" {
			res.Warnings = append(res.Warnings, fmt.Sprintf("right-to-left text (e.g. %q) reads backwards in the %s, its letters drawn one by one from the left; the SVG export lays it out right", clipped(text), strings.ToUpper(format)))
		}
	}
	if format == "mermaid" {
		if w := render.MermaidLimitWarning(diagram, content); w != "" {
			res.Warnings = append(res.Warnings, w)
		}
	}
	if format == "png" || format == "pdf" {
		res.Content, res.Base64 = base64.StdEncoding.EncodeToString(content), true
	} else {
		res.Content = string(content)
	}
	if req.ContentOnly {
		res.Nodes, res.Edges, res.Groups = nil, nil, nil
	}
	res.RenderMS = time.Since(started).Milliseconds()
	return res, nil
}

// boxedNode is what the answer says of a node drawn inside a closed box:
// what finds it (its name) and filters it (type, package, tags...), not
// where it lies or what it says. A whole project by layer is 55,000 such
// nodes: their paths, fqns, relations and descriptions made most of its
// 61 MB, parsed on the page's main thread. Its own page says the rest.
func boxedNode(n backend.GraphNode) backend.GraphNode {
	return backend.GraphNode{UniqueID: n.UniqueID, ResourceType: n.ResourceType, Name: n.Name, Package: n.Package,
		Version: n.Version, SourceName: n.SourceName, Tags: n.Tags, Materialized: n.Materialized, Access: n.Access,
		Group: n.Group, RunStatus: n.RunStatus, TestStatus: n.TestStatus, Tests: n.Tests}
}

// drawn is a lineage request's answer before its picture is drawn: the
// result without content, the diagram to draw and its footer.
type drawn struct {
	res     LineageResult
	diagram *render.Diagram
	meta    render.Meta
	node    func(uniqueID string) (*backend.GraphNode, bool) // the graph's, for a box's members
}

// picture selects, groups and marks what a lineage request draws.
func (a *App) picture(ctx context.Context, req LineageRequest) (drawn, error) {
	format := strings.ToLower(req.Format)
	if format == "" {
		format = "svg"
	}
	mime := mimeType(format)
	if mime == "" {
		return drawn{}, unknownFormat(req.Format)
	}
	lens, err := render.ParseLens(req.Lens)
	if err != nil {
		return drawn{}, err
	}
	if req.Scale != 0 && !(req.Scale >= 0.1 && req.Scale <= 40) { // NaN too
		return drawn{}, backend.Errorf(backend.EINVALID, "scale %g: a PNG's scale is from 0.1 to 40 (1 is 96 dpi; none means 1)", req.Scale)
	}
	snap, err := a.snapshot(ctx, req.SnapshotID)
	if err != nil {
		return drawn{}, err
	}
	id := snap.ID
	var notes []string
	if strings.TrimSpace(req.Select) == "" {
		if req.Select, err = a.defaultSelector(ctx, id, req.Exclude); err != nil {
			return drawn{}, err
		}
		notes = append(notes, fmt.Sprintf("no selector given: %s, the project's default YAML selector", req.Select))
	}
	expr := req.Select
	if strings.TrimSpace(req.Exclude) != "" {
		expr += " --exclude " + req.Exclude
	}
	opts, cmp, err := a.selectOptions(ctx, snap, req, expr)
	if err != nil {
		return drawn{}, err
	}
	grouped := req.GroupBy != "" && req.GroupBy != "none"
	if req.Diff && grouped {
		return drawn{}, backend.Errorf(backend.EINVALID, "a diff draws resources, not boxes: draw it without grouping (group by none), or drop the diff")
	}
	// Run times of a build put tests in the chain, shown or not.
	keepTests := req.Runtime && snap.RunCommand == "build"
	g, sel, opts, mesh, err := a.selectPicture(ctx, snap, req, lens, expr, opts, cmp, keepTests, format)
	if err != nil {
		return drawn{}, err
	}
	runs := []backend.Snapshot{snap} // the runs the picture draws from
	if mesh != nil {
		runs = mesh.runs.runs
	}
	res := LineageResult{
		SnapshotID: id, Select: req.Select, Exclude: req.Exclude, Format: format, MimeType: mime, StateSnapshotID: cmp.base.ID,
		Filename: exportFilename(snap.Project, pictureName(req, snap.ID), format), Warnings: append(notes, sel.Warnings...),
	}
	if mesh != nil {
		res.AcrossProjects, res.Warnings = mesh.drawn(sel.Nodes, res.Warnings)
	}
	focus := map[string]bool{}
	for _, f := range sel.Focus {
		focus[f] = true
	}
	for _, nid := range sel.Nodes {
		if n, ok := g.Node(nid); ok {
			ln := LineageNode{GraphNode: *n, Focus: focus[nid], StateChange: cmp.changes[nid].Parts(), CrossProject: n.CrossProject()}
			if mesh != nil {
				ln.SnapshotID = mesh.owners[nid].ID
			}
			res.Nodes = append(res.Nodes, ln)
		}
	}
	res.Edges = sel.Edges
	if res.Edges == nil {
		res.Edges = []backend.Edge{}
	}

	var diagram *render.Diagram
	if by := req.GroupBy; grouped {
		keys := make([]string, len(req.Open))
		for i, label := range req.Open {
			keys[i] = lineage.BoxID(by, label)
		}
		grp, err := g.Group(sel, by, opts, keys...)
		if err != nil {
			return drawn{}, fmt.Errorf("grouping: %w", err)
		}
		inBox := map[string]string{}
		for _, b := range grp.Boxes {
			res.Groups = append(res.Groups, groupBox(b))
			for _, m := range b.Members {
				inBox[m] = b.ID
			}
		}
		for i := range res.Nodes {
			if box := inBox[res.Nodes[i].UniqueID]; box != "" {
				res.Nodes[i].Box = box
				res.Nodes[i].GraphNode = boxedNode(res.Nodes[i].GraphNode)
			}
		}
		res.OpenGroups, res.Warnings = openGroups(grp, keys, res.Warnings)
		res.Warnings = append(res.Warnings, grp.Warnings...)
		diagram, err = render.FromGrouping(g, grp)
		if err != nil {
			return drawn{}, err
		}
	} else {
		diagram, err = render.FromSelection(g, sel)
		if err != nil {
			return drawn{}, err
		}
	}
	diagram.Lens = lens
	if mesh != nil {
		projects := make(map[string]string, len(mesh.owners))
		for id, s := range mesh.owners {
			projects[id] = s.Project
		}
		diagram.MarkProjects(projects)
	}
	for _, run := range runs {
		if !strings.HasPrefix(format, "csv") { // no colour in a CSV
			if err := a.markColors(ctx, run.ID, diagram); err != nil {
				return drawn{}, err
			}
		}
		if lens == render.LensRuns {
			if err := a.markFreshness(ctx, run.ID, diagram); err != nil {
				return drawn{}, err
			}
		}
	}
	if lens == render.LensTrend {
		trends, err := a.testTrends(ctx, snap, sel.Nodes)
		if err != nil {
			return drawn{}, fmt.Errorf("trend lens: %w", err)
		}
		diagram.MarkTrends(trends)
	}
	if lens == render.LensHealth {
		judged, err := a.healthOf(ctx, snap, sel.Nodes)
		if err != nil {
			return drawn{}, fmt.Errorf("health lens: %w", err)
		}
		diagram.MarkHealth(judged)
		for i := range res.Nodes {
			if h, ok := judged[res.Nodes[i].UniqueID]; ok {
				res.Nodes[i].Health = &h
			}
		}
	}
	if req.Diff {
		// The comparison a diff needs, whether the selector asked for it
		// or not.
		if _, err := opts.StateChanges(); err != nil {
			return drawn{}, fmt.Errorf("a diff: %w", err)
		}
		diff, err := a.diffAgainst(ctx, snap, cmp.base, sel, cmp.changes, req, opts)
		if err != nil {
			return drawn{}, err
		}
		for i := range res.Nodes {
			res.Nodes[i].StateChange = cmp.changes[res.Nodes[i].UniqueID].Parts()
		}
		diagram.MarkChanges(cmp.changes)
		drawDiff(diff, diagram, &res)
		res.StateSnapshotID = cmp.base.ID
	} else {
		diagram.MarkChanges(cmp.changes)
	}
	if req.Runtime {
		if err := a.markRuntime(ctx, snap, g, sel, &res, diagram); err != nil {
			return drawn{}, fmt.Errorf("run times: %w", err)
		}
	}
	meta := snapshotMeta(snap)
	if mesh != nil {
		for i, r := range res.AcrossProjects {
			res.AcrossProjects[i].ComparedWith = cmp.across[r.SnapshotID]
		}
		res.Warnings = append(res.Warnings, cmp.acrossNotes...)
		meta.AcrossProjects = acrossFooter(res.AcrossProjects)
	}
	if base := cmp.base; base.ID != 0 {
		meta.ComparedWith = snapshotMeta(base).Snapshot
		if w := compareWarning(snap, base); w != "" {
			res.Warnings = append(res.Warnings, w)
		}
	}
	return drawn{res: res, diagram: diagram, meta: meta, node: g.Node}, nil
}

// selectPicture selects what a request draws: on the snapshot's own
// lineage, or, across projects, on the lineage of the projects tied to it
// (mesh, nil otherwise), whose options then read each node's config from
// its own run.
func (a *App) selectPicture(ctx context.Context, snap backend.Snapshot, req LineageRequest, lens render.Lens, expr string,
	opts lineage.SelectOptions, cmp *comparison, keepTests bool, format string) (*lineage.Graph, *lineage.Selection, lineage.SelectOptions, *meshLineage, error) {
	var m *meshRuns
	if req.AcrossProjects {
		if what := acrossProjectsRefuses(req, lens); what != "" {
			return nil, nil, opts, nil, backend.Errorf(backend.EINVALID, "%s reads one project's runs: draw it without across projects", what)
		}
		var err error
		if m, err = a.mesh(ctx, snap); err != nil {
			return nil, nil, opts, nil, fmt.Errorf("across projects: %w", err)
		}
	}
	if m == nil || len(m.runs) == 1 {
		// One project (no other the store holds is tied to it): its own
		// lineage, read as a one-project picture is.
		g, sel, err := a.selectLineage(ctx, snap, expr, opts, req.GroupBy, keepTests, a.readyToDraw(format, req.GroupBy))
		if err != nil {
			if !req.AcrossProjects {
				err = a.sayWhatItSelectsAcross(ctx, snap, expr, opts, err)
			}
			return nil, nil, opts, nil, a.sayWhereNamesAre(ctx, snap, req.Select, a.sayWhichAreDisabled(ctx, snap.ID, req.Select, err))
		}
		if m != nil {
			return g, sel, opts, &meshLineage{runs: m, graph: g}, nil
		}
		return g, sel, opts, nil, nil
	}
	configs := func(snapshotID int64, path, ids []string) ([]any, error) {
		return a.store.ConfigValues(ctx, snapshotID, path, ids)
	}
	state := a.stateAcross(ctx, m, opts.StateChanges, req.StateSnapshotID != 0, cmp)
	fresher := a.fresherAcross(ctx, m, opts.FresherSources, req.StateSnapshotID != 0, cmp)
	// As for one project: the part a selector of names and graph
	// operators reaches, unless the joined lineage is in memory already;
	// a selection that fails there goes to the whole (for its near names).
	if q, ok := lineage.PlanReach(expr, opts); ok && a.cachedMesh(m) == nil && !strings.HasPrefix(req.GroupBy, lineage.GroupBySelection) {
		q.Tests = q.Tests || keepTests
		part, ok, err := a.meshPart(ctx, m, q, nil)
		if err != nil {
			return nil, nil, opts, nil, fmt.Errorf("across projects: %w", err)
		}
		if ok {
			partOpts := part.options(opts, configs, state, fresher)
			if sel, err := part.graph.Select(expr, partOpts); err == nil {
				return part.graph, sel, partOpts, part, nil
			}
		}
	}
	mesh, err := a.meshLineage(ctx, m)
	if err != nil {
		return nil, nil, opts, nil, err
	}
	opts = mesh.options(opts, configs, state, fresher)
	sel, err := mesh.graph.Select(expr, opts)
	if err != nil {
		return nil, nil, opts, nil, err
	}
	return mesh.graph, sel, opts, mesh, nil
}

func (a *App) renderDiagram(ctx context.Context, d *render.Diagram, format string, meta render.Meta, scale float64) ([]byte, error) {
	r, err := a.renderer()
	if err != nil {
		return nil, err
	}
	// The worker for big pictures starts a while after the first picture,
	// not at launch nor right after it: a second process starting while the
	// window or the browser loads and paints cost launch-to-first-picture
	// 0.25-0.4 s on 50k models. A big picture before then starts it itself.
	if a.graphs.longLived.Load() {
		a.graphs.workerOnce.Do(func() {
			time.AfterFunc(workerStartDelay, func() {
				if err := r.StartWorker(); err != nil {
					a.log.Warn("start graphviz worker", "err", err)
				}
			})
		})
	}
	switch format {
	case "svg":
		return r.SVG(ctx, d, meta)
	case "png":
		return r.PNG(ctx, d, meta, scale)
	case "pdf":
		return r.PDF(ctx, d, meta)
	case "dot":
		return r.DOT(d, meta)
	case "mermaid":
		return r.Mermaid(d)
	case "csv":
		return r.CSV(d)
	default:
		return r.JSON(d, meta)
	}
}

func snapshotMeta(s backend.Snapshot) render.Meta {
	m := render.Meta{
		Project:  s.Project,
		Snapshot: fmt.Sprintf("#%d %s, generated %s", s.ID, s.Name, s.GeneratedAt.UTC().Format("2006-01-02 15:04 MST")),
	}
	if s.Origin.Kind == backend.OriginDbtCloud {
		m.DbtCloudRun = fmt.Sprintf("run %d (job %d)", s.Origin.RunID, s.Origin.JobID)
	}
	return m
}

var unsafeFilename = regexp.MustCompile(`[^\p{L}\p{N}._+@-]+`)

// pictureName names a lineage export after what it draws, so the exports
// of one selection grouped, with tests, as a diff or of another snapshot
// do not overwrite each other: "+orders+-by-folder-tests-s12".
func pictureName(req LineageRequest, snapshotID int64) string {
	name := req.Select
	switch by := req.GroupBy; {
	case strings.HasPrefix(by, "select:"):
		name += "-by-selection"
	case by != "" && by != "none":
		name += "-by-" + by
	}
	if req.IncludeTests {
		name += "-tests"
	}
	if req.Diff {
		name += "-diff"
	}
	if req.AcrossProjects {
		name += "-across-projects"
	}
	return fmt.Sprintf("%s-s%d", name, snapshotID)
}

// exportFilename suggests a file name like "jaffle_shop-customers.svg".
func exportFilename(project, selector, format string) string {
	// Letters of any script stay (a project named in Japanese keeps its name).
	name := strings.Trim(unsafeFilename.ReplaceAllString(project+"-"+selector, "_"), "_")
	if runes := []rune(name); len(runes) > 80 {
		name = string(runes[:80])
	}
	switch format {
	case "mermaid":
		return name + ".mmd"
	case "csv-nodes":
		return name + "-nodes.csv"
	}
	return name + "." + format
}

// comparison is what a selection compared with another snapshot: that
// snapshot and, once asked, the state: changes and source_status:
// fresher sources.
type comparison struct {
	base    backend.Snapshot // zero when the selection compared nothing
	changes map[string]backend.StateChange
	fresher map[string]bool
	// Across projects: the run each other project's run was compared
	// with, and what was left uncompared.
	across      map[int64]int64
	acrossNotes []string
}

// selectOptions gives the selector what it reads besides the graph: config
// values, the snapshot's YAML selectors (read when the selection or the
// grouping names one) and, when state: or source_status: is evaluated,
// even from inside a YAML selector, the changes or the fresher sources
// against the snapshot compared with, which it keeps in the comparison
// (each asked once, though a grouping selects again).
func (a *App) selectOptions(ctx context.Context, snap backend.Snapshot, req LineageRequest, expr string) (lineage.SelectOptions, *comparison, error) {
	cmp := &comparison{}
	// A snapshot named to compare with must exist, whether the selector
	// compares or not: a typo is not to pass unnoticed.
	if req.StateSnapshotID != 0 {
		base, err := a.stateBase(ctx, snap, req.StateSnapshotID)
		if err != nil {
			return lineage.SelectOptions{}, nil, fmt.Errorf("the snapshot to compare with: %w", err)
		}
		cmp.base = base
	}
	compared := func() (int64, error) {
		if cmp.base.ID == 0 {
			base, err := a.stateBase(ctx, snap, req.StateSnapshotID)
			if err != nil {
				return 0, err
			}
			cmp.base = base
		}
		return cmp.base.ID, nil
	}
	opts := lineage.SelectOptions{
		IncludeTests:      req.IncludeTests || req.IndirectSelection != "",
		IndirectSelection: req.IndirectSelection,
		RootProject:       snap.Project,
		ConfigValues: func(path, ids []string) ([]any, error) {
			return a.store.ConfigValues(ctx, snap.ID, path, ids)
		},
		StateChanges: func() (map[string]backend.StateChange, error) {
			if cmp.changes != nil {
				return cmp.changes, nil
			}
			base, err := compared()
			if err != nil {
				return nil, err
			}
			cmp.changes, err = a.store.StateChanges(ctx, snap.ID, base)
			return cmp.changes, err
		},
		FresherSources: func() (map[string]bool, error) {
			if cmp.fresher != nil {
				return cmp.fresher, nil
			}
			base, err := compared()
			if err != nil {
				return nil, err
			}
			if cmp.fresher, err = a.fresherSources(ctx, snap.ID, base); err != nil {
				return nil, err
			}
			return cmp.fresher, nil
		},
	}
	if strings.Contains(expr+" "+req.GroupBy, "selector:") {
		named, err := a.store.Selectors(ctx, snap.ID)
		if err != nil {
			return opts, nil, err
		}
		opts.Selectors = make(map[string]json.RawMessage, len(named))
		for _, s := range named {
			opts.Selectors[s.Name] = s.Definition
		}
	}
	return opts, cmp, nil
}

// defaultSelector is what a lineage without a selector selects, as in
// dbt: the project's YAML selector marked default: true, when there is one
// and no --exclude either.
func (a *App) defaultSelector(ctx context.Context, snapshotID int64, exclude string) (string, error) {
	const hint = "give a selector, e.g. --select +customers+ (dbt's node selection syntax)"
	if strings.TrimSpace(exclude) != "" {
		return "", backend.Errorf(backend.EINVALID, "%s: --exclude takes away from a selection", hint)
	}
	selectors, err := a.store.Selectors(ctx, snapshotID)
	if err != nil {
		return "", fmt.Errorf("read the YAML selectors for the default one: %w", err)
	}
	var defaults []string
	for _, s := range selectors {
		if s.Default {
			defaults = append(defaults, s.Name)
		}
	}
	switch len(defaults) {
	case 0:
		return "", backend.Errorf(backend.EINVALID, "%s; no YAML selector of this snapshot is marked default: true", hint)
	case 1:
		return "selector:" + defaults[0], nil
	}
	return "", backend.Errorf(backend.EINVALID, "%s; the YAML selectors %s are all marked default: true, and dbt allows one",
		hint, strings.Join(defaults, ", "))
}

// compareWarning warns when the snapshot state: compares with is of
// another project, where every node is new, or was generated after the
// one shown, so that changes read backwards.
func compareWarning(snap, base backend.Snapshot) string {
	switch {
	case base.Project != snap.Project:
		return fmt.Sprintf("snapshot #%d, compared with, is of project %s, not %s: every node counts as new", base.ID, base.Project, snap.Project)
	case runsAfter(base, snap):
		return fmt.Sprintf("snapshot #%d, compared with, was generated after #%d: what is new or modified reads from the later run back", base.ID, snap.ID)
	}
	return ""
}

// stateBase returns the snapshot state: compares snap with: base when
// given (another snapshot), else the project's run generated last before
// snap. The project's first run has none: compared with a later run by
// default, what is new would read backwards (sqldiff and history refuse
// too).
func (a *App) stateBase(ctx context.Context, snap backend.Snapshot, base int64) (backend.Snapshot, error) {
	if base != 0 {
		if base == snap.ID {
			return backend.Snapshot{}, backend.Errorf(backend.EINVALID, "state: compares snapshot #%d with another snapshot: pick a different one", snap.ID)
		}
		return a.store.Snapshot(ctx, base)
	}
	all, err := a.store.Snapshots(ctx)
	if err != nil {
		return backend.Snapshot{}, fmt.Errorf("find the snapshot to compare with: %w", err)
	}
	// The run before this one, by generation time as History orders them
	// (older artifacts may be imported after newer ones).
	if before, ok := runBefore(all, snap, func(backend.Snapshot) bool { return true }); ok {
		return before, nil
	}
	return backend.Snapshot{}, backend.Errorf(backend.EINVALID,
		"state: compares with an earlier snapshot of %s, and snapshot #%d is its first run: import or sync the project again later, or pick a snapshot to compare with (--state N)", snap.Project, snap.ID)
}

// fresherSources compares two runs' source freshness checks
// (sources.json): the sources whose data is newer in run than in base.
// A run that checked none is EINVALID, saying how to get its checks.
func (a *App) fresherSources(ctx context.Context, run, base int64) (map[string]bool, error) {
	var results [2][]backend.FreshnessResult
	for i, id := range []int64{run, base} {
		var err error
		if results[i], err = a.store.LatestFreshness(ctx, id, nil); err != nil {
			return nil, err
		}
		if len(results[i]) == 0 {
			return nil, backend.Errorf(backend.EINVALID, "source_status:fresher compares source freshness results (sources.json), "+
				"and snapshot #%d has none: import a target/ folder after dbt source freshness, or sync a job run that checks freshness", id)
		}
	}
	return backend.FresherSources(results[0], results[1]), nil
}

// sayWhereNamesAre names the snapshot a selection matched nothing in, and
// adds the other projects' runs that hold what its names name
// (heldElsewhere), unless it already says the projects tied to this one
// select something.
func (a *App) sayWhereNamesAre(ctx context.Context, snap backend.Snapshot, selector string, err error) error {
	var e *backend.Error
	if !errors.As(err, &e) || e.Code != backend.ENOTFOUND || strings.Contains(e.Message, "across the projects tied to") {
		return err
	}
	msg := e.Message
	if !strings.Contains(msg, "this snapshot'") { // not "this snapshot's run results"
		msg = strings.Replace(msg, " in this snapshot", fmt.Sprintf(" in snapshot #%d (project %s)", snap.ID, snap.Project), 1)
	}
	if where := a.heldElsewhere(ctx, snap, lineage.NamesSelected(selector)); len(where) > 0 {
		msg += "; " + strings.Join(where, ", ")
	}
	return &backend.Error{Code: e.Code, Err: e.Err, Message: msg}
}

// sayWhichAreDisabled adds to a selection that matched nothing the
// resources its names name that are disabled (config enabled: false): dbt
// selects only enabled nodes, and "matches no name" alone reads as a typo.
// Any other error is returned as it is.
func (a *App) sayWhichAreDisabled(ctx context.Context, snapshotID int64, selector string, err error) error {
	var e *backend.Error
	if !errors.As(err, &e) || e.Code != backend.ENOTFOUND {
		return err
	}
	disabled, lookErr := a.store.DisabledNamed(ctx, snapshotID, lineage.NamesSelected(selector))
	if lookErr != nil || len(disabled) == 0 {
		return err
	}
	verb := "are"
	if len(disabled) == 1 {
		verb = "is"
	}
	return &backend.Error{Code: e.Code, Err: e.Err, Message: fmt.Sprintf(
		"%s; %s %s disabled (config enabled: false), and dbt selects only enabled resources", e.Message, strings.Join(disabled, ", "), verb)}
}

// clipped is a name for a message: its first 60 characters, the controls
// and bidirectional marks a hostile manifest may hold replaced, so that a
// 300-character name does not fill the terminal (QA).
func clipped(text string) string {
	var b strings.Builder
	n := 0
	for _, r := range text {
		if n++; n > 60 {
			b.WriteString("…")
			break
		}
		if unicode.IsControl(r) || unicode.Is(unicode.Bidi_Control, r) {
			r = '\uFFFD'
		}
		b.WriteRune(r)
	}
	return b.String()
}
