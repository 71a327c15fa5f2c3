package storage_test

import (
	"context"
	"reflect"
	"slices"
	"testing"

	"github.com/lineagedesk/lineagedesk/backend"
	"github.com/lineagedesk/lineagedesk/backend/lineage"
	"github.com/lineagedesk/lineagedesk/storage"
)

// TestTestsOf checks, for every node but the tests of two projects, the
// tests that count on it against the lineage graph: a test counts on its
// attached_node, or, attached to none, on each node it reads. tuva 1.3's
// manifest (v7) has no attached_node (the import finds each test's node);
// awkwardBundle has a singular test over two models that do not read each
// other, attached to neither.
func TestTestsOf(t *testing.T) {
	unattached := 0
	for _, dataset := range []string{"tuva-v7-dbt1.3", "bouncer-build-v12-dbt1.11-duckdb", "awkward"} {
		var s *storage.Store
		var snap backend.Snapshot
		if dataset == "awkward" {
			s, _ = openStore(t)
			var err error
			if snap, err = s.SaveSnapshot(t.Context(), backend.NewSnapshot{Name: "awkward", Origin: backend.Origin{Kind: backend.OriginPath}, Bundle: awkwardBundle()}); err != nil {
				t.Fatal(err)
			}
		} else {
			s, _, snap, _ = saveFixture(t, dataset)
		}
		data, err := s.Graph(context.Background(), snap.ID)
		if err != nil {
			t.Fatal(err)
		}
		g := lineage.New(data)
		var ids []string
		for _, n := range data.Nodes {
			if n.ResourceType != backend.TypeTest && n.ResourceType != backend.TypeUnitTest {
				ids = append(ids, n.UniqueID)
			}
		}
		asked := map[string]bool{}
		for _, id := range ids {
			asked[id] = true
		}
		want := map[string][]string{}
		for _, n := range data.Nodes {
			if n.ResourceType != backend.TypeTest && n.ResourceType != backend.TypeUnitTest {
				continue
			}
			targets := []string{n.AttachedNode}
			if n.AttachedNode == "" {
				targets = g.Parents(n.UniqueID)
				if len(targets) > 0 {
					unattached++
				}
			}
			for _, target := range targets {
				if asked[target] {
					want[n.UniqueID] = append(want[n.UniqueID], target)
				}
			}
		}
		got, err := s.TestsOf(context.Background(), snap.ID, ids)
		if err != nil {
			t.Fatal(err)
		}
		for _, nodes := range got {
			slices.Sort(nodes)
		}
		for _, nodes := range want {
			slices.Sort(nodes)
		}
		if len(want) < 3 || !reflect.DeepEqual(got, want) {
			t.Errorf("%s: TestsOf gives %d tests, the graph %d", dataset, len(got), len(want))
		}
	}
	if unattached == 0 {
		t.Error("no test that reads nodes is attached to none: the check checks half of TestsOf")
	}
}
