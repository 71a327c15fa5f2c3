package app

import (
	"context"
	"fmt"
	"slices"
	"strings"

	"github.com/lineagedesk/lineagedesk/backend"
	"github.com/lineagedesk/lineagedesk/backend/lineage"
	"github.com/lineagedesk/lineagedesk/backend/render"
)

// runsAsOf is the run of each project the store holds (all) to read with
// snap: snap for its own project; each other project's latest when snap
// is its own project's latest, else each one's latest generated no later
// than snap (its oldest when all are later), so an older run is read with
// the projects as they were then.
func runsAsOf(all []backend.Snapshot, snap backend.Snapshot) map[string]backend.Snapshot {
	byProject := map[string][]backend.Snapshot{}
	for _, s := range all {
		byProject[s.Project] = append(byProject[s.Project], s)
	}
	latest := func(runs []backend.Snapshot) backend.Snapshot {
		best := runs[0]
		for _, s := range runs[1:] {
			if runsAfter(s, best) {
				best = s
			}
		}
		return best
	}
	asOfLatest := len(byProject[snap.Project]) == 0 || latest(byProject[snap.Project]).ID == snap.ID
	pick := func(runs []backend.Snapshot) backend.Snapshot {
		if asOfLatest {
			return latest(runs)
		}
		var before, oldest *backend.Snapshot
		for i := range runs {
			s := &runs[i]
			if !runsAfter(*s, snap) && (before == nil || runsAfter(*s, *before)) {
				before = s
			}
			if oldest == nil || runsAfter(*oldest, *s) {
				oldest = s
			}
		}
		if before != nil {
			return *before
		}
		return *oldest
	}
	chosen := map[string]backend.Snapshot{snap.Project: snap}
	for project, runs := range byProject {
		if project != snap.Project {
			chosen[project] = pick(runs)
		}
	}
	return chosen
}

// meshRuns is the run of each project the store holds that a project's
// lineage reaches across projects (dbt Mesh cross-project refs, either
// way, however many projects away), starting from one snapshot.
type meshRuns struct {
	// runs are the snapshots, the starting one first, then by project.
	runs []backend.Snapshot
	// refs are each run's cross-project refs, as runs.
	refs [][]backend.CrossProjectRef
	// missing are the projects refs name that the store holds no run
	// of, sorted.
	missing []string
	// runOf gives each project's run by its index in runs; refdBy the
	// runs that ref each public model; refProject each run's refs, to
	// the project that defines each.
	runOf      map[string]int
	refdBy     map[string][]int
	refProject []map[string]string
}

// mesh finds the projects connected to snap's by cross-project refs and
// the run of each to read (runsAsOf).
func (a *App) mesh(ctx context.Context, snap backend.Snapshot) (*meshRuns, error) {
	all, err := a.store.Snapshots(ctx)
	if err != nil {
		return nil, err
	}
	chosen := runsAsOf(all, snap)
	refs := map[string][]backend.CrossProjectRef{}
	readers := map[string][]string{} // project → the projects that ref it
	for project, run := range chosen {
		r, err := a.store.CrossProjectRefs(ctx, run.ID)
		if err != nil {
			return nil, err
		}
		refs[project] = r
		for _, ref := range r {
			if ref.Project != project && !slices.Contains(readers[ref.Project], project) {
				readers[ref.Project] = append(readers[ref.Project], project)
			}
		}
	}
	m := &meshRuns{}
	seen := map[string]bool{snap.Project: true}
	queue := []string{snap.Project}
	var missing []string
	for len(queue) > 0 {
		project := queue[0]
		queue = queue[1:]
		var next []string
		for _, ref := range refs[project] {
			next = append(next, ref.Project)
		}
		next = append(next, readers[project]...)
		slices.Sort(next)
		for _, p := range slices.Compact(next) {
			if seen[p] {
				continue
			}
			seen[p] = true
			if _, held := chosen[p]; held {
				queue = append(queue, p)
			} else {
				missing = append(missing, p)
			}
		}
	}
	projects := make([]string, 0, len(seen))
	for p := range seen {
		if _, held := chosen[p]; held && p != snap.Project {
			projects = append(projects, p)
		}
	}
	slices.Sort(projects)
	for _, p := range append([]string{snap.Project}, projects...) {
		m.runs = append(m.runs, chosen[p])
		m.refs = append(m.refs, refs[p])
	}
	slices.Sort(missing)
	m.missing = missing
	m.runOf, m.refdBy = map[string]int{}, map[string][]int{}
	for i, s := range m.runs {
		m.runOf[s.Project] = i
		m.refProject = append(m.refProject, map[string]string{})
		for _, r := range m.refs[i] {
			m.refProject[i][r.UniqueID] = r.Project
			m.refdBy[r.UniqueID] = append(m.refdBy[r.UniqueID], i)
		}
	}
	return m, nil
}

// meshGraph is the lineage of the runs of a mesh as one graph: each
// project's nodes from its own run, and a public model another project
// refs from the run of the project that defines it, so its whole lineage
// joins up. A ref to a model that run does not hold (dropped or made
// private since) keeps the node the reading project's manifest holds.
// owners maps each node drawn from a run other than the first to that run.
type meshGraph struct {
	data   backend.GraphData
	owners map[string]backend.Snapshot
}

func (a *App) buildMeshGraph(ctx context.Context, m *meshRuns) (*meshGraph, error) {
	graphs := make([]*lineage.Graph, len(m.runs))
	for i, run := range m.runs {
		g, err := a.graph(ctx, run)
		if err != nil {
			return nil, err
		}
		graphs[i] = g
	}
	mg := joinMesh(m, func(i int) []backend.GraphNode { return graphs[i].Nodes() })
	for _, g := range graphs {
		mg.data.Edges = append(mg.data.Edges, g.Edges()...)
	}
	return mg, nil
}

// joinMesh joins the nodes of a mesh's runs (nodes(i), of run i): a ref
// gives way to the model the run of its project holds; each node of
// another run than the first is owned by it. The edges are the caller's.
func joinMesh(m *meshRuns, nodes func(run int) []backend.GraphNode) *meshGraph {
	mg := &meshGraph{owners: map[string]backend.Snapshot{}}
	mg.data.SnapshotID = m.runs[0].ID
	held := map[string]bool{} // unique_ids of the nodes the runs define
	for i := range m.runs {
		for _, n := range nodes(i) {
			if !n.CrossProject() {
				held[n.UniqueID] = true
			}
		}
	}
	seen := map[string]bool{} // a part read in steps may hold a node twice; the first run holding it owns it
	for i := range m.runs {
		for _, n := range nodes(i) {
			if n.CrossProject() && held[n.UniqueID] || seen[n.UniqueID] {
				continue
			}
			seen[n.UniqueID] = true
			if i > 0 {
				mg.owners[n.UniqueID] = m.runs[i]
			}
			mg.data.Nodes = append(mg.data.Nodes, n)
		}
	}
	return mg
}

// acrossFooter names the other projects' runs a picture or a trace across
// projects read nodes from, as its footer says it: "platform #3, finance #7".
func acrossFooter(runs []backend.ProjectRun) string {
	parts := make([]string, len(runs))
	for i, r := range runs {
		parts[i] = fmt.Sprintf("%s #%d", r.Project, r.SnapshotID)
		if r.ComparedWith != 0 {
			parts[i] += fmt.Sprintf(" (state: against #%d)", r.ComparedWith)
		}
	}
	return strings.Join(parts, ", ")
}

// key names the set of runs (a snapshot id is never given twice).
func (m *meshRuns) key() string {
	var key strings.Builder
	for _, s := range m.runs {
		fmt.Fprintf(&key, "%d,", s.ID)
	}
	return key.String()
}

// cachedMesh is the joined lineage of the mesh's runs when it is in
// memory already, else nil.
func (a *App) cachedMesh(m *meshRuns) *meshLineage {
	c := a.graphs
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.mesh != nil && c.meshKey == m.key() {
		return c.mesh
	}
	return nil
}

// meshLineage is a mesh's graph, ready to select on.
type meshLineage struct {
	runs   *meshRuns
	graph  *lineage.Graph
	owners map[string]backend.Snapshot
}

// meshLineage returns the lineage across the runs of a mesh, built once
// for a set of runs: the last one is kept, since a session
// draws one project's mesh after another rather than many at once.
func (a *App) meshLineage(ctx context.Context, m *meshRuns) (*meshLineage, error) {
	if ml := a.cachedMesh(m); ml != nil {
		return ml, nil
	}
	mg, err := a.buildMeshGraph(ctx, m)
	if err != nil {
		return nil, fmt.Errorf("across projects: %w", err)
	}
	ml := &meshLineage{runs: m, graph: lineage.New(&mg.data), owners: mg.owners}
	c := a.graphs
	c.mu.Lock()
	c.mesh, c.meshKey = ml, m.key()
	c.mu.Unlock()
	return ml, nil
}

// options makes a selection's options read each node's config from the
// run that holds it, group by project as the runs hold the nodes, and
// state: and source_status: compare each run with
// its project's run before (stateChanges, fresherSources: App.stateAcross,
// App.fresherAcross).
func (ml *meshLineage) options(opts lineage.SelectOptions, configValues func(snapshotID int64, path, ids []string) ([]any, error),
	stateChanges func() (map[string]backend.StateChange, error), fresherSources func() (map[string]bool, error)) lineage.SelectOptions {
	first := ml.runs.runs[0].ID
	opts.ConfigValues = func(path, ids []string) ([]any, error) {
		byRun := map[int64][]int{}
		for i, id := range ids {
			run := first
			if s, ok := ml.owners[id]; ok {
				run = s.ID
			}
			byRun[run] = append(byRun[run], i)
		}
		values := make([]any, len(ids))
		for run, at := range byRun {
			part := make([]string, len(at))
			for k, i := range at {
				part[k] = ids[i]
			}
			got, err := configValues(run, path, part)
			if err != nil {
				return nil, err
			}
			for k, i := range at {
				values[i] = got[k]
			}
		}
		return values, nil
	}
	opts.ProjectOf = func(id string) string {
		return ml.owners[id].Project // "" for the starting run's nodes: RootProject's
	}
	opts.StateChanges = stateChanges
	opts.FresherSources = fresherSources
	return opts
}

// acrossProjectsRefuses says what a picture across projects cannot draw:
// what reads one project's runs (a diff, run times, the trend and health
// lenses); "" when it can.
func acrossProjectsRefuses(req LineageRequest, lens render.Lens) string {
	switch {
	case req.Diff:
		return "a diff"
	case req.Runtime:
		return "run times"
	case lens == render.LensTrend:
		return "the trend lens"
	case lens == render.LensHealth:
		return "the health lens"
	}
	return ""
}

// drawn counts the nodes a selection drew from each other project's run,
// and warns of the cross-project refs it drew that no run held resolves:
// the projects the store holds no run of.
func (ml *meshLineage) drawn(nodes []string, warnings []string) ([]backend.ProjectRun, []string) {
	counts := map[int64]int{}
	unresolved := map[string]int{}
	for _, id := range nodes {
		if s, ok := ml.owners[id]; ok {
			counts[s.ID]++
		}
		if n, ok := ml.graph.Node(id); ok && n.CrossProject() && slices.Contains(ml.runs.missing, n.Package) {
			unresolved[n.Package]++
		}
	}
	var runs []backend.ProjectRun
	for _, s := range ml.runs.runs[1:] {
		if counts[s.ID] > 0 {
			runs = append(runs, backend.ProjectRun{Project: s.Project, SnapshotID: s.ID, Nodes: counts[s.ID]})
		}
	}
	for _, p := range ml.runs.missing {
		if n := unresolved[p]; n > 0 {
			what := fmt.Sprintf("%d public models", n)
			if n == 1 {
				what = "1 public model"
			}
			warnings = append(warnings, fmt.Sprintf("%s of project %s drawn as the projects that ref it know it, without its lineage: "+
				"the store holds no run of %s; import or sync it to draw it whole", what, p, p))
		}
	}
	return runs, warnings
}
