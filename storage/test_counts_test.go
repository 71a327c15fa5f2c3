package storage_test

import (
	"reflect"
	"testing"

	"github.com/lineagedesk/lineagedesk/backend"
	"github.com/lineagedesk/lineagedesk/storage"
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

// TestMigrationRecountsOnlyTheSnapshotsItMust: migration 0015 drops the
// lineage copies of the snapshots holding a test attached to no single
// node, whose counts changed, and keeps every other snapshot's (a new
// format for all would make every first picture load the whole graph from
// the rows); the dropped copies come back from the rows as the import wrote
// them.
func TestMigrationRecountsOnlyTheSnapshotsItMust(t *testing.T) {
	s, path := openStore(t)
	save := func(name string, b *backend.Bundle) int64 {
		snap, err := s.SaveSnapshot(t.Context(), backend.NewSnapshot{Name: name, Origin: backend.Origin{Kind: backend.OriginPath}, Bundle: b})
		if err != nil {
			t.Fatal(err)
		}
		return snap.ID
	}
	across, shop := save("across", awkwardBundle()), save("shop", shopBundle())
	db := rawDB(t, path)
	imported := map[int64]map[string][]byte{across: lineageCopies(t, db, across), shop: lineageCopies(t, db, shop)}
	s.Close()

	rewind(t, path, 14)
	s2, err := storage.Open(t.Context(), path)
	if err != nil {
		t.Fatal(err)
	}
	defer s2.Close()
	for id, wantCopies := range map[int64]int{across: 0, shop: 2} {
		var copies int
		if err := db.QueryRow(`SELECT (SELECT count(*) FROM snapshot_lineage WHERE snapshot_id = ?1)
			+ (SELECT count(*) FROM snapshot_topology WHERE snapshot_id = ?1)`, id).Scan(&copies); err != nil {
			t.Fatal(err)
		}
		if copies != wantCopies {
			t.Errorf("snapshot %d: %d lineage copies after the migration, want %d", id, copies, wantCopies)
		}
	}
	if got := lineageCopies(t, db, shop); !reflect.DeepEqual(got, imported[shop]) {
		t.Error("the migration changed the copies of a snapshot without such a test")
	}

	g, err := s2.Graph(t.Context(), across) // and stores the copies again
	if err != nil {
		t.Fatal(err)
	}
	for _, n := range g.Nodes {
		if n.UniqueID == "model.p.exact" && n.Tests != (backend.TestSummary{Total: 1, Fail: 1}) {
			t.Errorf("after the migration, model.p.exact's tests %+v", n.Tests)
		}
	}
	if got := lineageCopies(t, db, across); !reflect.DeepEqual(got, imported[across]) {
		t.Error("the copies written again from the rows differ from the import's")
	}
}
