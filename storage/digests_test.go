package storage

import (
	"path/filepath"
	"reflect"
	"testing"

	"github.com/lineagedesk/lineagedesk/backend"
	"github.com/lineagedesk/lineagedesk/backend/artifact"
	"github.com/lineagedesk/lineagedesk/backend/artifact/artifacttest"
)

// TestStateChangesDigestsMatchRows compares two versions of a real project
// both ways, from the digests and from the rows: the same changes, and
// every kind of them (the dbt-bouncer test project under dbt 1.10 and
// 1.12: code, configs, a relation, macros, new nodes).
func TestStateChangesDigestsMatchRows(t *testing.T) {
	s, err := Open(t.Context(), filepath.Join(t.TempDir(), "s.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	var ids []int64
	for _, dataset := range []string{"bouncer-v12-dbt1.8-duckdb", "bouncer-v12-dbt1.12-duckdb"} {
		files, err := artifact.Discover([]string{filepath.Join(artifacttest.Dir(), dataset)})
		if err != nil {
			t.Fatal(err)
		}
		b, err := artifact.Load(t.Context(), files)
		if err != nil {
			t.Fatal(err)
		}
		snap, err := s.SaveSnapshot(t.Context(), backend.NewSnapshot{Name: dataset, Origin: backend.Origin{Kind: backend.OriginPath}, Bundle: b})
		if err != nil {
			t.Fatal(err)
		}
		ids = append(ids, snap.ID)
	}
	for _, pair := range [][2]int64{{ids[1], ids[0]}, {ids[0], ids[1]}} {
		fromDigests, err := s.stateChangesFromDigests(t.Context(), pair[0], pair[1])
		if err != nil || fromDigests == nil {
			t.Fatalf("digests: %v, %v", fromDigests, err)
		}
		fromRows, err := s.stateChangesFromRows(t.Context(), pair[0], pair[1])
		if err != nil {
			t.Fatal(err)
		}
		if !reflect.DeepEqual(fromDigests, fromRows) {
			t.Errorf("%d against %d:\ndigests %v\n   rows %v", pair[0], pair[1], fromDigests, fromRows)
		}
		kinds := map[string]int{}
		for _, c := range fromRows {
			for kind, on := range map[string]bool{"new": c.New, "body": c.Body, "configs": c.Configs, "relation": c.Relation, "macros": c.Macros} {
				if on {
					kinds[kind]++
				}
			}
		}
		t.Logf("%d against %d: %v", pair[0], pair[1], kinds)
		if len(kinds) < 5 {
			t.Errorf("%d against %d: changes %v; the test needs every kind", pair[0], pair[1], kinds)
		}
	}
}

// TestDigestsRoundTripAndTruncation: digests decode to what was encoded,
// sorted, with macro calls by unique_id (a call to a macro the snapshot
// lacks is dropped); every truncation of the blob is an error, never a
// panic.
func TestDigestsRoundTripAndTruncation(t *testing.T) {
	var in snapshotDigests
	in.nodes = []nodeDigest{{id: "model.p.b", code: 1, config: 2, relation: 3, calls: in.calls([]string{"macro.p.m", "macro.dbt.gone"})},
		{id: "model.p.a", checksum: 4}, {id: "seed.p.c"}}
	in.macros = []macroDigest{{id: "macro.p.m", code: 5, calls: in.calls([]string{"macro.p.a"})}, {id: "macro.p.a", code: 6}}
	blob := in.encode()
	got, err := decodeDigests(blob)
	want := snapshotDigests{
		nodes: []nodeDigest{{id: "model.p.a", checksum: 4}, {id: "model.p.b", code: 1, config: 2, relation: 3, macros: []string{"macro.p.m"}},
			{id: "seed.p.c"}},
		macros: []macroDigest{{id: "macro.p.a", code: 6}, {id: "macro.p.m", code: 5, macros: []string{"macro.p.a"}}},
	}
	if err != nil || !reflect.DeepEqual(got, want) {
		t.Fatalf("round trip:\n got %+v, %v\nwant %+v", got, err, want)
	}
	for n := range len(blob) {
		if _, err := decodeDigests(blob[:n]); err == nil {
			t.Errorf("a blob cut at %d of %d bytes decoded", n, len(blob))
		}
	}
}
