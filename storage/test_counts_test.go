package storage_test

import (
	"testing"

	"github.com/lineagedesk/lineagedesk/backend"
)

// TestUnattachedTestsCountOnEveryNodeTheyRead: a singular test over two
// models that do not read each other is attached to neither, and its
// failure shows on both, the same wherever a test summary is read: the
// whole graph, the reach tables, a resource's page and lists. A test's own
// summary in a list is still itself, once.
func TestUnattachedTestsCountOnEveryNodeTheyRead(t *testing.T) {
	s, _ := openStore(t)
	snap, err := s.SaveSnapshot(t.Context(), backend.NewSnapshot{Name: "x", Origin: backend.Origin{Kind: backend.OriginPath}, Bundle: awkwardBundle()})
	if err != nil {
		t.Fatal(err)
	}
	failed := backend.TestSummary{Total: 1, Fail: 1}
	want := map[string]backend.TestSummary{
		"model.p.exact": failed, "model.p.lone": failed, "test.p.t_across": failed,
		"model.p.cut": {},
		// Its attached tests only: a failed test, a warned one and an erred unit test.
		"model.p.long": {Total: 3, Warn: 1, Fail: 1, Error: 1},
	}

	g, err := s.Graph(t.Context(), snap.ID)
	if err != nil {
		t.Fatal(err)
	}
	for _, n := range g.Nodes {
		if w, ok := want[n.UniqueID]; ok && n.Tests != w && n.ResourceType == backend.TypeModel {
			t.Errorf("whole graph: %s's tests %+v, want %+v", n.UniqueID, n.Tests, w)
		}
	}

	part, err := s.Reach(t.Context(), snap.ID, backend.ReachQuery{Terms: []backend.ReachTerm{
		{Value: "model.p.exact"}, {Value: "model.p.lone"}, {Value: "model.p.cut"}, {Value: "model.p.long"}}})
	if err != nil {
		t.Fatal(err)
	}
	if len(part.Nodes) != 4 {
		t.Errorf("reach read %d nodes, want 4", len(part.Nodes))
	}
	for _, n := range part.Nodes {
		if n.Tests != want[n.UniqueID] {
			t.Errorf("reach tables: %s's tests %+v, want %+v", n.UniqueID, n.Tests, want[n.UniqueID])
		}
	}

	for _, id := range []string{"model.p.exact", "model.p.lone"} {
		d, err := s.Resource(t.Context(), snap.ID, id)
		if err != nil {
			t.Fatal(err)
		}
		if d.TestSummary != failed || len(d.Tests) != 1 || d.Tests[0].UniqueID != "test.p.t_across" ||
			d.Tests[0].Result == nil || d.Tests[0].Result.Status != "fail" {
			t.Errorf("%s's page: summary %+v, tests %+v", id, d.TestSummary, d.Tests)
		}
	}

	list, err := s.Resources(t.Context(), snap.ID, backend.ResourceFilter{})
	if err != nil {
		t.Fatal(err)
	}
	seen := 0
	for _, r := range list {
		if w, ok := want[r.UniqueID]; ok {
			seen++
			if r.Tests != w {
				t.Errorf("list: %s's tests %+v, want %+v", r.UniqueID, r.Tests, w)
			}
		}
	}
	if seen != len(want) {
		t.Errorf("the list holds %d of the %d resources checked", seen, len(want))
	}
}
