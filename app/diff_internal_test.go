package app

import (
	"path/filepath"
	"reflect"
	"slices"
	"testing"

	"github.com/lineagedesk/lineagedesk/backend"
	"github.com/lineagedesk/lineagedesk/backend/lineage"
)

// TestDiffFromTheReachTables checks diffs answered from the reach tables
// (the compared snapshot's whole graph not loaded) against the same walk
// over its whole graph, for pictures of tuva 1.7 against tuva 1.3
// around every fifth model: its neighbours, its ancestors, its
// descendants, with tests shown or not, and with an exclude.
func TestDiffFromTheReachTables(t *testing.T) {
	a, store := emptyApp(t)
	var snaps [2]backend.Snapshot
	for i, dataset := range []string{"tuva-v7-dbt1.3", "tuva-v11-dbt1.7"} {
		res, err := a.ImportPaths([]string{filepath.Join("../testdata/fixtures", dataset)}, "")
		if err != nil {
			t.Fatal(err)
		}
		if snaps[i], err = a.snapshot(t.Context(), res.SnapshotID); err != nil {
			t.Fatal(err)
		}
	}
	base, snap := snaps[0], snaps[1]
	baseData, err := store.Graph(t.Context(), base.ID)
	if err != nil {
		t.Fatal(err)
	}
	wholeBase := lineage.New(baseData)
	curData, err := store.Graph(t.Context(), snap.ID)
	if err != nil {
		t.Fatal(err)
	}
	current := lineage.New(curData)
	changes, err := store.StateChanges(t.Context(), snap.ID, base.ID)
	if err != nil {
		t.Fatal(err)
	}
	var models []string
	for _, n := range curData.Nodes {
		if n.ResourceType == backend.TypeModel {
			models = append(models, n.UniqueID)
		}
	}
	slices.Sort(models)
	cases, withRemoved, fromReach := 0, 0, 0
	for i := 0; i < len(models); i += 5 {
		for _, req := range []LineageRequest{
			{Select: "1+" + models[i] + "+1"},
			{Select: "+" + models[i]},
			{Select: models[i] + "+", IncludeTests: true},
			{Select: models[i] + "+2", Exclude: "resource_type:exposure"},
		} {
			opts := lineage.SelectOptions{IncludeTests: req.IncludeTests, RootProject: snap.Project}
			sel, err := current.Select(req.Select+" --exclude "+req.Exclude, opts)
			if req.Exclude == "" {
				sel, err = current.Select(req.Select, opts)
			}
			if err != nil {
				t.Fatalf("%s: %v", req.Select, err)
			}
			a.graphs.forget(base.ID)
			got, err := a.diffAgainst(t.Context(), snap, base, sel, changes, req, opts)
			if err != nil {
				t.Fatal(err)
			}
			if a.graphs.loaded(base) == nil {
				fromReach++
			}
			want, _ := a.walkDiff(t.Context(), snap, base, wholeBase, nil, sel, changes, req, opts)
			if !reflect.DeepEqual(removedIDs(got), removedIDs(want)) || !reflect.DeepEqual(got.edges, want.edges) || !reflect.DeepEqual(got.testsBefore, want.testsBefore) {
				t.Errorf("%s --exclude %q: from the reach tables %v and %d edges, from the whole graph %v and %d edges",
					req.Select, req.Exclude, removedIDs(got), len(got.edges), removedIDs(want), len(want.edges))
			}
			cases++
			if len(want.removed) > 0 {
				withRemoved++
			}
		}
	}
	// The reach tables refuse what would be a big part of the graph (a
	// hub's descendants); those diffs load it whole (60 of these 240).
	if withRemoved < 5 || fromReach < cases/2 {
		t.Errorf("%d diffs, %d drew a removed node, %d were answered from the reach tables: the check checks little", cases, withRemoved, fromReach)
	}
	t.Logf("%d diffs, %d with removed nodes, %d answered from the reach tables", cases, withRemoved, fromReach)
}

func removedIDs(d lineageDiff) []string {
	out := []string{}
	for _, n := range d.removed {
		out = append(out, n.UniqueID)
	}
	return out
}
