package storage_test

import (
	"bytes"
	"database/sql"
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/lineagedesk/lineagedesk/backend"
	"github.com/lineagedesk/lineagedesk/backend/artifact"
	"github.com/lineagedesk/lineagedesk/backend/artifact/artifacttest"
	"github.com/lineagedesk/lineagedesk/backend/synth"
)

// TestLineageBuiltWhileWritingMatchesRows: SaveSnapshot builds the lineage
// copy and the reach tables from the resources as it writes them, not from
// the rows. For every fixture with a manifest, and for a bundle made of the
// awkward cases (long multi-byte and NUL-cut descriptions, invalid UTF-8 in
// tags, repeated and dangling dependencies, disabled nodes, test outcomes
// overriding each other), what it stored must be byte for byte what
// loading the graph from the rows stores (the backfill after the copies are
// deleted), and the graphs must be equal.
func TestLineageBuiltWhileWritingMatchesRows(t *testing.T) {
	entries, err := os.ReadDir(artifacttest.Dir())
	if err != nil {
		t.Fatal(err)
	}
	checked := 0
	for _, e := range entries {
		dir := filepath.Join(artifacttest.Dir(), e.Name())
		if manifests, _ := filepath.Glob(filepath.Join(dir, "manifest.json*")); len(manifests) == 0 {
			continue // results or catalog only: not importable alone
		}
		checked++
		t.Run(e.Name(), func(t *testing.T) { assertLineageMatchesRows(t, loadDir(t, dir)) })
	}
	if checked < 40 {
		t.Fatalf("only %d fixtures with a manifest under %s", checked, artifacttest.Dir())
	}
	t.Run("awkward", func(t *testing.T) { assertLineageMatchesRows(t, awkwardBundle()) })
	// Thousands of nodes, as no fixture has, with real test outcomes.
	t.Run("synth-600", func(t *testing.T) {
		dir := t.TempDir()
		if _, err := synth.Write(dir, synth.Spec{Models: 600, Seed: 3, WithSources: true}); err != nil {
			t.Fatal(err)
		}
		assertLineageMatchesRows(t, loadDir(t, dir))
	})
}

// loadDir reads the artifacts in dir whole.
func loadDir(t *testing.T, dir string) *backend.Bundle {
	t.Helper()
	files, err := artifact.Discover([]string{dir})
	if err != nil {
		t.Fatal(err)
	}
	b, err := artifact.Load(t.Context(), files)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func assertLineageMatchesRows(t *testing.T, b *backend.Bundle) {
	t.Helper()
	s, path := openStore(t)
	snap, err := s.SaveSnapshot(t.Context(), backend.NewSnapshot{Name: "x", Origin: backend.Origin{Kind: backend.OriginPath}, Bundle: b})
	if err != nil {
		t.Fatal(err)
	}
	db := rawDB(t, path)
	built := lineageCopies(t, db, snap.ID)
	fromCopy, err := s.Graph(t.Context(), snap.ID)
	if err != nil {
		t.Fatal(err)
	}
	for _, table := range []string{"snapshot_lineage", "snapshot_topology", "lineage_id_chunks", "lineage_nodes"} {
		if _, err := db.Exec(`DELETE FROM `+table+` WHERE snapshot_id = ?`, snap.ID); err != nil {
			t.Fatal(err)
		}
	}
	fromRows, err := s.Graph(t.Context(), snap.ID) // and stores the copies from the rows
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(fromCopy, fromRows) {
		for i := range min(len(fromCopy.Nodes), len(fromRows.Nodes)) {
			if !reflect.DeepEqual(fromCopy.Nodes[i], fromRows.Nodes[i]) {
				t.Fatalf("node %d differs:\nbuilt %#v\nrows  %#v", i, fromCopy.Nodes[i], fromRows.Nodes[i])
			}
		}
		t.Fatalf("built graph (%d nodes, %d edges) != rows graph (%d nodes, %d edges)",
			len(fromCopy.Nodes), len(fromCopy.Edges), len(fromRows.Nodes), len(fromRows.Edges))
	}
	if again := lineageCopies(t, db, snap.ID); !reflect.DeepEqual(built, again) {
		for k := range built {
			if !bytes.Equal(built[k], again[k]) {
				t.Errorf("%s: %d bytes built while writing, %d from the rows", k, len(built[k]), len(again[k]))
			}
		}
		t.Fatalf("stored copies differ (%d vs %d parts)", len(built), len(again))
	}
	if len(fromRows.Nodes) == 0 {
		t.Fatal("no nodes")
	}
	t.Logf("%d nodes, %d edges", len(fromRows.Nodes), len(fromRows.Edges))
}

// lineageCopies reads what SaveSnapshot stores besides the rows for a
// snapshot's lineage, keyed by table and row.
func lineageCopies(t *testing.T, db *sql.DB, snapshotID int64) map[string][]byte {
	t.Helper()
	out := map[string][]byte{}
	for _, q := range []string{
		`SELECT 'lineage', format || ':' || hex(graph) FROM snapshot_lineage WHERE snapshot_id = ?1`,
		`SELECT 'topology', format || ':' || qualifiers || ':' || hex(topology) FROM snapshot_topology WHERE snapshot_id = ?1`,
		`SELECT 'ids ' || first_position, first_id || ':' || hex(ids) FROM lineage_id_chunks WHERE snapshot_id = ?1`,
		`SELECT 'node ' || position, hex(node) FROM lineage_nodes WHERE snapshot_id = ?1`,
	} {
		rows, err := db.Query(q, snapshotID)
		if err != nil {
			t.Fatal(err)
		}
		for rows.Next() {
			var k string
			var v []byte
			if err := rows.Scan(&k, &v); err != nil {
				t.Fatal(err)
			}
			out[k] = v
		}
		if err := rows.Close(); err != nil {
			t.Fatal(err)
		}
	}
	if len(out) < 4 {
		t.Fatalf("only %d lineage copies stored", len(out))
	}
	return out
}

// awkwardBundle holds what a builder that does not read the rows back
// could get wrong.
func awkwardBundle() *backend.Bundle {
	model := func(name, description string, deps ...string) backend.Resource {
		return backend.Resource{UniqueID: "model.p." + name, ResourceType: backend.TypeModel, Name: name, Package: "p",
			FQN: []string{"p", name}, Path: name + ".sql", Description: description, Enabled: true, DependsOn: deps,
			Database: "db", Schema: "s", Identifier: name, RelationName: "db.s." + name, Materialized: "view"}
	}
	test := func(name, attached string, testType string) backend.Resource {
		return backend.Resource{UniqueID: "test.p." + name, ResourceType: backend.TypeTest, Name: name, Package: "p",
			Enabled: true, DependsOn: []string{attached},
			Test: &backend.TestInfo{TestName: "not_null", TestType: testType, AttachedNode: attached}}
	}
	long := model("long", strings.Repeat("é", 150)+strings.Repeat("x", 100), "source.p.raw.orders")
	long.Tags = []string{"ok", "bad\xff\xfeutf8", "<script>"}
	long.FQN = []string{} // empty, not nil: reads back as nil
	continuation := model("continuation", strings.Repeat("\x80", 250)+"tail")
	exact := model("exact", strings.Repeat("€", 200))
	lone := model("lone", strings.Repeat("a\x80", 150))
	cut := model("cut", strings.Repeat("x", 199)+"\xe2\x82"+"yz")
	nul := model("nul", "before\x00after", "model.p.long", "model.p.long", "model.p.missing", "model.p.disabled")
	disabled := model("disabled", "off")
	disabled.Enabled = false
	invalid := model("invalid", "\xff\xfe"+strings.Repeat("ü", 210), "model.p.nul", "model.p.disabled")
	resources := []backend.Resource{
		{UniqueID: "source.p.raw.orders", ResourceType: backend.TypeSource, Name: "orders", Package: "p", Enabled: true,
			Source: &backend.SourceInfo{SourceName: "raw"}},
		long, continuation, exact, lone, cut, nul, disabled, invalid,
		test("t_pass_then_fail", "model.p.long", "generic"),
		test("t_warn", "model.p.long", "generic"),
		test("t_never_run", "model.p.nul", "singular"),
		test("t_on_missing", "model.p.missing", "generic"),
		// A singular test over two models that do not read each other:
		// attached to neither, it counts on both (countTestOutcomes).
		{UniqueID: "test.p.t_across", ResourceType: backend.TypeTest, Name: "t_across", Package: "p", Enabled: true,
			DependsOn: []string{"model.p.exact", "model.p.lone"}, Test: &backend.TestInfo{TestName: "t_across", TestType: "singular"}},
		{UniqueID: "unit_test.p.long.u", ResourceType: backend.TypeUnitTest, Name: "u", Package: "p", Enabled: true,
			DependsOn: []string{"model.p.long"}, Test: &backend.TestInfo{AttachedNode: "model.p.long"}},
		{UniqueID: "exposure.p.dash", ResourceType: backend.TypeExposure, Name: "dash", Package: "p", Enabled: true,
			DependsOn: []string{"model.p.invalid"}, Exposure: &backend.ExposureInfo{Type: "dashboard"}},
		{UniqueID: "macro.p.m", ResourceType: backend.TypeMacro, Name: "m", Package: "p", Enabled: true},
		{UniqueID: "doc.p.d", ResourceType: backend.TypeDoc, Name: "d", Package: "p", Enabled: true},
		{UniqueID: "group.p.g", ResourceType: backend.TypeGroup, Name: "g", Package: "p", Enabled: true},
	}
	result := func(id, status string, outcome bool) backend.RunResult {
		return backend.RunResult{UniqueID: id, Status: status, IsTestOutcome: outcome}
	}
	results := []backend.RunResult{
		result("model.p.long", "success", false),
		result("test.p.t_pass_then_fail", "pass", true),
		result("test.p.t_warn", "warn", true),
		result("test.p.t_pass_then_fail", "fail", true),
		result("test.p.t_warn", "success", false), // not an outcome: the warn stands
		result("unit_test.p.long.u", "error", true),
		result("test.p.t_across", "fail", true),
		result("test.p.gone", "fail", true),
	}
	for i := range resources {
		resources[i].Raw = []byte(fmt.Sprintf(`{"unique_id":%q}`, resources[i].UniqueID))
	}
	return &backend.Bundle{Resources: resources, RunResults: results}
}
