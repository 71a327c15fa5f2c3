package app

import (
	"cmp"
	"context"
	"fmt"
	"slices"
	"strings"

	"github.com/lineagedesk/lineagedesk/backend"
	"github.com/lineagedesk/lineagedesk/backend/lineage"
	"github.com/lineagedesk/lineagedesk/backend/render"
)

// lineageDiff is what a diff adds to a picture from the snapshot compared
// with: the nodes it had that this snapshot lacks, and its edges among
// the nodes drawn.
type lineageDiff struct {
	removed []*backend.GraphNode
	edges   []backend.Edge
	// testsBefore are the drawn resources' test summaries there, when
	// both runs ran tests (a docs generate or compile has no outcomes).
	testsBefore map[string]backend.TestSummary
}

// diffAgainst finds in the snapshot compared with (base) what a diff of
// the selection draws besides it (walkDiff), reading the part of base's
// lineage it needs from the reach tables when they can give it, else the
// whole graph.
func (a *App) diffAgainst(ctx context.Context, snap, base backend.Snapshot, sel *lineage.Selection, changes map[string]backend.StateChange,
	req LineageRequest, opts lineage.SelectOptions) (lineageDiff, error) {
	part, q, err := a.diffPart(ctx, base, sel, changes, req, opts)
	if err != nil {
		return lineageDiff{}, err
	}
	asked := make(map[string]bool, len(sel.Nodes)) // the nodes whose neighbours the part holds
	for _, id := range sel.Nodes {
		asked[id] = true
	}
	for rounds := 0; part != nil; rounds++ {
		diff, unread := a.walkDiff(ctx, snap, base, part, asked, sel, changes, req, opts)
		if len(unread) == 0 {
			return diff, nil
		}
		if rounds == diffPartRounds {
			break
		}
		// Removed nodes found beyond what the part was asked to hold: their
		// neighbours too, and walk again.
		for _, id := range unread {
			q.Terms = append(q.Terms, backend.ReachTerm{Value: id, Parents: 1, Children: 1})
			asked[id] = true
		}
		data, err := a.store.Reach(ctx, base.ID, q)
		if err != nil {
			if ctx.Err() != nil {
				return lineageDiff{}, ctx.Err()
			}
			break
		}
		part = lineage.New(data)
	}
	whole, err := a.graph(ctx, base)
	if err != nil {
		return lineageDiff{}, fmt.Errorf("the snapshot compared with, #%d: %w", base.ID, err)
	}
	diff, _ := a.walkDiff(ctx, snap, base, whole, nil, sel, changes, req, opts)
	return diff, nil
}

// Past these, a diff reads the compared snapshot's whole graph: a picture
// of that many nodes reads much of it anyway, and a removed chain that
// long is a project rebuilt.
const (
	diffPartMaxNodes = 2000
	diffPartRounds   = 4
)

// diffPart reads from the reach tables the part of the compared snapshot a
// diff of sel needs first: each drawn node it has, with its parents and
// children, and what the request's select and exclude reach there. It
// returns nil (the whole graph answers) when that graph is loaded
// already, when the picture is big, or when the reach tables cannot
// answer the select or the exclude. On 50k models a one-off diff of 17
// nodes took 0.8-1.2 s and 390 MB with the whole graph, 0.33-0.38 s and
// 200 MB with the part.
func (a *App) diffPart(ctx context.Context, base backend.Snapshot, sel *lineage.Selection, changes map[string]backend.StateChange,
	req LineageRequest, opts lineage.SelectOptions) (*lineage.Graph, backend.ReachQuery, error) {
	q := backend.ReachQuery{Tests: opts.IncludeTests}
	if a.graphs.loaded(base) != nil || len(sel.Nodes) > diffPartMaxNodes {
		return nil, q, nil
	}
	for _, expr := range []string{req.Select, req.Exclude} {
		terms, ok := termsIn(expr, opts, changes)
		if !ok {
			return nil, q, nil
		}
		q.Terms = append(q.Terms, terms...)
	}
	// A node new since has no row there, which the reach tables would
	// take for a name to suggest near names for.
	for _, id := range sel.Nodes {
		if !changes[id].New {
			q.Terms = append(q.Terms, backend.ReachTerm{Value: id, Parents: 1, Children: 1})
		}
	}
	data, err := a.store.Reach(ctx, base.ID, q)
	if err != nil {
		return nil, q, ctx.Err() // the whole graph answers what the reach tables cannot
	}
	return lineage.New(data), q, nil
}

// termsIn plans what expr selects in the compared snapshot (selectedIn)
// as reach terms; false when the reach tables cannot answer it. An
// expression that compares with another snapshot itself selects nothing
// there (selectedIn), so it needs no terms; a unique_id of a node new
// since names nothing there either.
func termsIn(expr string, opts lineage.SelectOptions, changes map[string]backend.StateChange) ([]backend.ReachTerm, bool) {
	if strings.TrimSpace(expr) == "" || strings.Contains(expr, "state:") || strings.Contains(expr, "source_status:") {
		return nil, true
	}
	plan, ok := lineage.PlanReach(expr, lineage.SelectOptions{IncludeTests: opts.IncludeTests, IndirectSelection: opts.IndirectSelection})
	if !ok {
		return nil, false
	}
	var terms []backend.ReachTerm
	for _, t := range plan.Terms {
		if !t.Bare && t.Method == "" && t.Attribute == "" && t.ResourceType == "" && changes[t.Value].New {
			continue
		}
		terms = append(terms, t)
	}
	return terms, true
}

// walkDiff finds in g, the compared snapshot's lineage or a part of it,
// what a diff of the selection draws besides it: the removed nodes the
// selector selects there (a seed dropped from the project for "*"), those
// next to a drawn node, and the removed nodes next to those, so a dropped
// chain shows whole where it touched the picture (tests only when they are
// shown, nothing the request's exclude leaves out); and base's edges among
// them all. changes are the state: changes, whose Removed entries are the
// nodes base has and this snapshot lacks. When g is a part, asked are the
// nodes whose parents and children it holds, and unread the removed nodes
// found that are not among them; nil for the whole graph.
func (a *App) walkDiff(ctx context.Context, snap, base backend.Snapshot, g *lineage.Graph, asked map[string]bool, sel *lineage.Selection,
	changes map[string]backend.StateChange, req LineageRequest, opts lineage.SelectOptions) (diff lineageDiff, unread []string) {
	excluded := a.selectedIn(ctx, g, base, req.Exclude, true)
	drawn := make(map[string]bool, len(sel.Nodes))
	for _, id := range sel.Nodes {
		drawn[id] = true
	}
	queue := slices.Clone(sel.Nodes)
	add := func(id string) {
		if drawn[id] || !changes[id].Removed || excluded[id] {
			return
		}
		n, ok := g.Node(id)
		if !ok || (!opts.IncludeTests && (n.ResourceType == backend.TypeTest || n.ResourceType == backend.TypeUnitTest)) {
			return
		}
		drawn[id] = true
		diff.removed = append(diff.removed, n)
		queue = append(queue, id)
	}
	for id := range a.selectedIn(ctx, g, base, req.Select, opts.IncludeTests) {
		add(id)
	}
	for len(queue) > 0 {
		id := queue[0]
		queue = queue[1:]
		for _, next := range slices.Concat(g.Parents(id), g.Children(id)) {
			add(next)
		}
	}
	for _, n := range diff.removed {
		if asked != nil && !asked[n.UniqueID] {
			unread = append(unread, n.UniqueID)
		}
	}
	for id := range drawn {
		for _, child := range g.Children(id) {
			if drawn[child] {
				diff.edges = append(diff.edges, backend.Edge{Parent: id, Child: child})
			}
		}
	}
	// Sorted, so the answer lists them in the same order every time.
	slices.SortFunc(diff.removed, func(x, y *backend.GraphNode) int { return strings.Compare(x.UniqueID, y.UniqueID) })
	slices.SortFunc(diff.edges, func(x, y backend.Edge) int {
		return cmp.Or(strings.Compare(x.Parent, y.Parent), strings.Compare(x.Child, y.Child))
	})
	if backend.RunsNodes(snap.RunCommand) && backend.RunsNodes(base.RunCommand) {
		diff.testsBefore = make(map[string]backend.TestSummary, len(sel.Nodes))
		for _, id := range sel.Nodes {
			if n, ok := g.Node(id); ok {
				diff.testsBefore[id] = n.Tests
			}
		}
	}
	return diff, unread
}

// selectedIn is what expr selects in the snapshot compared with: for the
// request's select, the removed nodes it would have drawn there; for its
// exclude, those it leaves out, as the nodes it names stay out of the
// picture. An expression that cannot be read there (one comparing with
// state: itself, or matching nothing) selects nothing.
func (a *App) selectedIn(ctx context.Context, g *lineage.Graph, base backend.Snapshot, expr string, tests bool) map[string]bool {
	out := map[string]bool{}
	if strings.TrimSpace(expr) == "" {
		return out
	}
	sel, err := g.Select(expr, lineage.SelectOptions{
		IncludeTests: tests,
		RootProject:  base.Project,
		ConfigValues: func(path, ids []string) ([]any, error) { return a.store.ConfigValues(ctx, base.ID, path, ids) },
	})
	if err != nil {
		return out
	}
	for _, id := range sel.Nodes {
		out[id] = true
	}
	return out
}

// drawDiff adds the diff to the diagram and to the answer's nodes and
// edges, which stay exactly what the picture shows.
func drawDiff(diff lineageDiff, d *render.Diagram, res *LineageResult) {
	d.MarkDiff(diff.removed, diff.edges, diff.testsBefore)
	res.Diff = &DiffSummary{RemovedNodes: len(diff.removed)}
	for _, e := range d.Edges {
		switch e.Change {
		case render.EdgeAdded:
			res.Diff.AddedEdges++
		case render.EdgeRemoved:
			res.Diff.RemovedEdges++
		}
	}
	for i := range res.Nodes {
		if before, ok := diff.testsBefore[res.Nodes[i].UniqueID]; ok {
			res.Nodes[i].TestsBefore = &before
		}
	}
	for _, n := range diff.removed {
		res.Nodes = append(res.Nodes, LineageNode{GraphNode: *n, StateChange: []string{"removed"}})
	}
	current := make(map[backend.Edge]bool, len(res.Edges))
	for _, e := range res.Edges {
		current[e] = true
	}
	for _, e := range diff.edges {
		if !current[e] {
			res.Edges = append(res.Edges, e)
		}
	}
}
