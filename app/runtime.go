package app

import (
	"context"
	"fmt"
	"slices"

	"github.com/lineagedesk/lineagedesk/backend"
	"github.com/lineagedesk/lineagedesk/backend/lineage"
	"github.com/lineagedesk/lineagedesk/backend/render"
)

// markRuntime times a selection with the snapshot's run results: each
// node's execution time (in res and on the diagram) and the critical path.
// A snapshot whose run_results.json did not come from running the nodes
// gets a warning saying where run times come from instead.
func (a *App) markRuntime(ctx context.Context, snap backend.Snapshot, g *lineage.Graph, sel *lineage.Selection, res *LineageResult, d *render.Diagram) error {
	if !backend.RunsNodes(snap.RunCommand) {
		res.Warnings = append(res.Warnings, noRunTimes(snap))
		return nil
	}
	// A build ran each model's tests in its chain, shown or not: unit tests
	// before it, data tests between it and what depends on it.
	nodes, edges := sel.Nodes, sel.Edges
	timed := sel.Nodes
	if snap.RunCommand == "build" {
		nodes, edges = lineage.BuildOrder(g, sel)
		timed = append(slices.Clone(sel.Nodes), nodes...)
	}
	results, err := a.store.LatestResults(ctx, snap.ID, timed)
	if err != nil {
		return err
	}
	times := make(map[string]float64, len(results))
	for id, r := range results {
		times[id] = r.ExecutionTime
	}
	path := lineage.CriticalPathOf(nodes, edges, times)
	if len(path.Nodes) == 0 && snap.RunCommand == "test" && !slices.ContainsFunc(res.Nodes, func(n LineageNode) bool {
		return n.ResourceType == backend.TypeTest || n.ResourceType == backend.TypeUnitTest
	}) {
		res.Warnings = append(res.Warnings, fmt.Sprintf("no run times: snapshot #%d's run is a dbt test, which timed its tests only, and the picture shows none: show tests (the Tests switch, --include-tests) to see them", snap.ID))
	}
	for i := range res.Nodes {
		if s, ok := times[res.Nodes[i].UniqueID]; ok {
			res.Nodes[i].ExecutionTime = &s
		}
	}
	res.CriticalPath = &CriticalPath{Command: snap.RunCommand, Seconds: path.Seconds, Nodes: path.Nodes, Times: path.Times}
	d.MarkRuntime(times, render.Runtime{Command: snap.RunCommand, Path: path})
	return nil
}

func noRunTimes(snap backend.Snapshot) string {
	const where = "import the target/ folder of a dbt build or dbt run, or sync a dbt Cloud run whose steps build the models"
	switch snap.RunCommand {
	case "":
		return fmt.Sprintf("no run times: snapshot #%d has no run_results.json; %s", snap.ID, where)
	case "generate":
		return fmt.Sprintf("no run times: snapshot #%d's run_results.json is from dbt docs generate, which compiles the models without running them; %s", snap.ID, where)
	}
	return fmt.Sprintf("no run times: snapshot #%d's run_results.json is from %s, which does not run the models; %s", snap.ID, backend.CommandLine(snap.RunCommand), where)
}
