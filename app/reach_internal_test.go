package app

import (
	"errors"
	"math/rand/v2"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/lineagedesk/lineagedesk/backend"
	"github.com/lineagedesk/lineagedesk/backend/lineage"
	"github.com/lineagedesk/lineagedesk/storage"
)

// tuvaApp is an app on a fresh store holding tuva (1,000 resources), with
// its snapshot and its whole graph, read straight from the store: the
// oracle, while the app's own cache of it stays empty.
func tuvaApp(t *testing.T) (*App, backend.Snapshot, *backend.GraphData) {
	t.Helper()
	a, store := emptyApp(t)
	res, err := a.ImportPaths([]string{filepath.Join("../testdata/fixtures", "tuva-v11-dbt1.7")}, "")
	if err != nil {
		t.Fatal(err)
	}
	snap, err := a.snapshot(t.Context(), res.SnapshotID)
	if err != nil {
		t.Fatal(err)
	}
	data, err := store.Graph(t.Context(), snap.ID)
	if err != nil {
		t.Fatal(err)
	}
	return a, snap, data
}

// emptyApp is an app on a fresh store, and the store.
func emptyApp(t *testing.T) (*App, *storage.Store) {
	t.Helper()
	dir := t.TempDir()
	store, err := storage.Open(t.Context(), filepath.Join(dir, "store.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { store.Close() })
	return New(t.Context(), store, Config{Version: "test", DBPath: filepath.Join(dir, "store.db")}), store
}

// TestPathsFromTheReachTables checks the paths read from the reach tables
// (the whole graph never loaded) against the whole graph's, for pairs of
// nodes of a 1,000-resource project: connected either way, unconnected,
// by unique_id and by name, with the 200-path limit reached.
func TestPathsFromTheReachTables(t *testing.T) {
	a, snap, data := tuvaApp(t)
	whole := lineage.New(data)
	var ids []string
	for _, n := range data.Nodes {
		if n.ResourceType != "test" && n.ResourceType != "unit_test" {
			ids = append(ids, n.UniqueID)
		}
	}
	slices.Sort(ids)
	rng := rand.New(rand.NewPCG(1, 23))
	connected, truncated := 0, 0
	check := func(from, to string) {
		t.Helper()
		got, err := a.Paths(snap.ID, from, to, 0)
		if err != nil {
			t.Fatalf("paths %s %s: %v", from, to, err)
		}
		want, err := whole.Paths(from, to, 200)
		if err != nil && !errors.Is(err, lineage.ErrPathsTruncated) {
			t.Fatalf("whole graph, paths %s %s: %v", from, to, err)
		}
		if want == nil {
			want = [][]string{}
		}
		if !slices.EqualFunc(got.Paths, want, slices.Equal) || got.Truncated != (err != nil) {
			t.Fatalf("paths %s %s from the reach tables: %d (truncated %v), the whole graph's: %d (%v)", from, to, len(got.Paths), got.Truncated, len(want), err)
		}
		if got.Truncated {
			truncated++
			if total, saturated := whole.CountPaths(got.From, got.To); got.Total != total || got.TotalSaturated != saturated {
				t.Fatalf("paths %s %s: total %d (%v), the whole graph counts %d (%v)", from, to, got.Total, got.TotalSaturated, total, saturated)
			}
		}
		if len(want) > 0 {
			connected++
		}
	}
	for range 300 {
		check(ids[rng.IntN(len(ids))], ids[rng.IntN(len(ids))])
	}
	// Pairs along the lineage, downstream end first too: every source
	// against what its first descendants feed.
	for _, id := range ids {
		for _, child := range whole.Children(id) {
			for _, grandchild := range whole.Children(child) {
				check(grandchild, id)
			}
		}
	}
	check("patient", "encounter") // by name
	if a.graphs.loaded(snap) != nil {
		t.Error("the whole graph was loaded: the paths above did not come from the reach tables")
	}
	if connected < 100 || truncated == 0 {
		t.Errorf("only %d connected pairs and %d truncated: the test checks too little", connected, truncated)
	}
	t.Logf("%d connected pairs, %d past the limit", connected, truncated)
}

// TestResourceByNameFromTheReachTables: show NAME resolves the name from
// the reach tables, as the whole graph would, for every name of a
// 1,000-resource project that names one node, and the whole graph is
// loaded only for a name that resolves to nothing there (a slip, to word
// the error).
func TestResourceByNameFromTheReachTables(t *testing.T) {
	a, snap, data := tuvaApp(t)
	whole := lineage.New(data)
	resolved := 0
	for _, n := range data.Nodes {
		want, err := whole.Resolve(n.Name)
		if err != nil {
			continue // a test's name, or one several nodes carry
		}
		got, err := a.Resource(snap.ID, n.Name)
		if err != nil || got.UniqueID != want {
			t.Fatalf("show %s: %s (%v), the whole graph resolves %s", n.Name, got.UniqueID, err, want)
		}
		resolved++
	}
	if a.graphs.loaded(snap) != nil {
		t.Fatal("the whole graph was loaded: the names above were not resolved from the reach tables")
	}
	if resolved < 300 {
		t.Fatalf("only %d names resolved: the test checks too little", resolved)
	}
	if _, err := a.Resource(snap.ID, "patiennt"); backend.ErrorCode(err) != backend.ENOTFOUND || !strings.Contains(err.Error(), "patient") {
		t.Errorf("a slip: %v, want ENOTFOUND naming patient", err)
	}
	t.Logf("%d names resolved", resolved)
}
