package storage_test

import (
	"reflect"
	"sort"
	"testing"

	"github.com/lineagedesk/lineagedesk/backend"
	"github.com/lineagedesk/lineagedesk/storage"
)

// TestRealArtifactsRoundTrip imports real dbt artifacts through the parser
// and checks that the store gives back what the bundle holds, with the
// graph and test summaries recomputed here from the bundle itself.
func TestRealArtifactsRoundTrip(t *testing.T) {
	for _, dataset := range []string{"bouncer-build-v12-dbt1.11-duckdb", "tuva-v7-dbt1.3"} {
		t.Run(dataset, func(t *testing.T) {
			s, _, snap, b := saveFixture(t, dataset)
			assertResourcesRoundTrip(t, s, snap.ID, b)
			assertGraphMatchesBundle(t, s, snap.ID, b)
			assertTestsListTheirOutcome(t, s, snap.ID, b)
		})
	}
}

// assertTestsListTheirOutcome: in a list of tests each counts its own
// latest outcome, as the browse list shows it.
func assertTestsListTheirOutcome(t *testing.T, s *storage.Store, snapshotID int64, b *backend.Bundle) {
	t.Helper()
	latest := map[string]string{}
	for _, rr := range b.RunResults {
		if rr.IsTestOutcome {
			latest[rr.UniqueID] = rr.Status
		}
	}
	list, err := s.Resources(t.Context(), snapshotID, backend.ResourceFilter{ResourceTypes: []string{backend.TypeTest, backend.TypeUnitTest}})
	if err != nil {
		t.Fatal(err)
	}
	counted := 0
	for _, r := range list {
		var want backend.TestSummary
		if len(latest) > 0 {
			want.Total = 1
			switch latest[r.UniqueID] {
			case "pass":
				want.Pass = 1
			case "warn":
				want.Warn = 1
			case "fail":
				want.Fail = 1
			case "error", "runtime error":
				want.Error = 1
			case "skipped":
				want.Skipped = 1
			}
		}
		if r.Tests != want {
			t.Errorf("%s (latest %q): listed with %+v, want %+v", r.UniqueID, latest[r.UniqueID], r.Tests, want)
		}
		// Its own page says the same.
		if d, err := s.Resource(t.Context(), snapshotID, r.UniqueID); err != nil || d.TestSummary != want {
			t.Errorf("%s: its detail has %+v (%v), want %+v", r.UniqueID, d.TestSummary, err, want)
		}
		counted += want.Total
	}
	if len(list) == 0 {
		t.Fatal("no tests listed")
	}
	t.Logf("%d tests listed, %d with outcomes", len(list), counted)
}

func assertGraphMatchesBundle(t *testing.T, s *storage.Store, snapshotID int64, b *backend.Bundle) {
	t.Helper()
	g, err := s.Graph(t.Context(), snapshotID)
	if err != nil {
		t.Fatal(err)
	}
	inGraph := map[string]bool{}
	var wantNodes []string
	for _, r := range b.Resources {
		switch r.ResourceType {
		case backend.TypeMacro, backend.TypeDoc, backend.TypeGroup:
			continue
		}
		if r.Enabled {
			inGraph[r.UniqueID] = true
			wantNodes = append(wantNodes, r.UniqueID)
		}
	}
	sort.Strings(wantNodes)
	var gotNodes []string
	nodes := map[string]backend.GraphNode{}
	for _, n := range g.Nodes {
		gotNodes = append(gotNodes, n.UniqueID)
		nodes[n.UniqueID] = n
	}
	if !reflect.DeepEqual(gotNodes, wantNodes) {
		t.Fatalf("graph has %d nodes, bundle %d enabled non-macro/doc/group resources", len(gotNodes), len(wantNodes))
	}

	wantEdges := map[backend.Edge]bool{}
	for _, r := range b.Resources {
		for _, p := range r.DependsOn {
			if inGraph[r.UniqueID] && inGraph[p] {
				wantEdges[backend.Edge{Parent: p, Child: r.UniqueID}] = true
			}
		}
	}
	gotEdges := map[backend.Edge]bool{}
	for _, e := range g.Edges {
		gotEdges[e] = true
	}
	if len(gotEdges) != len(g.Edges) || !reflect.DeepEqual(gotEdges, wantEdges) {
		t.Errorf("graph has %d edges (%d distinct), bundle %d", len(g.Edges), len(gotEdges), len(wantEdges))
	}

	latest := map[string]string{}
	for _, rr := range b.RunResults {
		if rr.IsTestOutcome {
			latest[rr.UniqueID] = rr.Status
		}
	}
	wantSummary := map[string]backend.TestSummary{}
	if len(latest) > 0 {
		for _, r := range b.Resources {
			if r.Test == nil || !inGraph[r.UniqueID] || !inGraph[r.Test.AttachedNode] {
				continue
			}
			sum := wantSummary[r.Test.AttachedNode]
			sum.Total++
			switch latest[r.UniqueID] {
			case "pass":
				sum.Pass++
			case "warn":
				sum.Warn++
			case "fail":
				sum.Fail++
			case "error", "runtime error":
				sum.Error++
			case "skipped":
				sum.Skipped++
			}
			wantSummary[r.Test.AttachedNode] = sum
		}
	}
	tests := 0
	for id, n := range nodes {
		if n.Tests != wantSummary[id] {
			t.Errorf("%s: test summary %+v, want %+v", id, n.Tests, wantSummary[id])
		}
		if n.ResourceType == backend.TypeTest || n.ResourceType == backend.TypeUnitTest {
			tests++
			if n.TestStatus != latest[id] {
				t.Errorf("%s: status %q, want %q", id, n.TestStatus, latest[id])
			}
		}
	}
	t.Logf("%d nodes, %d edges, %d tests, %d test outcomes", len(g.Nodes), len(g.Edges), tests, len(latest))
}
