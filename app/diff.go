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

// diffAgainst finds, in the snapshot compared with (base), what a diff of
// the selection draws besides it: the removed nodes the selector selects
// there (a seed dropped from the project for "*"), those next to a drawn
// node, and the removed nodes next to those, so a dropped chain shows
// whole where it touched the picture (tests only when they are shown,
// nothing the request's exclude leaves out); and base's edges among them
// all.
// changes are the state: changes, whose Removed entries are the nodes
// base has and this snapshot lacks.
func (a *App) diffAgainst(ctx context.Context, snap, base backend.Snapshot, sel *lineage.Selection, changes map[string]backend.StateChange,
	req LineageRequest, opts lineage.SelectOptions) (lineageDiff, error) {
	baseGraph, err := a.graph(ctx, base)
	if err != nil {
		return lineageDiff{}, fmt.Errorf("the snapshot compared with, #%d: %w", base.ID, err)
	}
	excluded := a.selectedIn(ctx, baseGraph, base, req.Exclude, true)
	drawn := make(map[string]bool, len(sel.Nodes))
	for _, id := range sel.Nodes {
		drawn[id] = true
	}
	var diff lineageDiff
	queue := slices.Clone(sel.Nodes)
	add := func(id string) {
		if drawn[id] || !changes[id].Removed || excluded[id] {
			return
		}
		n, ok := baseGraph.Node(id)
		if !ok || (!opts.IncludeTests && (n.ResourceType == backend.TypeTest || n.ResourceType == backend.TypeUnitTest)) {
			return
		}
		drawn[id] = true
		diff.removed = append(diff.removed, n)
		queue = append(queue, id)
	}
	selected := a.selectedIn(ctx, baseGraph, base, req.Select, opts.IncludeTests)
	for id := range selected {
		add(id)
	}
	for len(queue) > 0 {
		id := queue[0]
		queue = queue[1:]
		for _, next := range slices.Concat(baseGraph.Parents(id), baseGraph.Children(id)) {
			add(next)
		}
	}
	for id := range drawn {
		for _, child := range baseGraph.Children(id) {
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
			if n, ok := baseGraph.Node(id); ok {
				diff.testsBefore[id] = n.Tests
			}
		}
	}
	return diff, nil
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
