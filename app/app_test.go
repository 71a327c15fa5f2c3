package app_test

import (
	"encoding/json"
	"github.com/lineagedesk/lineagedesk/backend/synth"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"

	"github.com/lineagedesk/lineagedesk/app"
	"github.com/lineagedesk/lineagedesk/app/demo"
	"github.com/lineagedesk/lineagedesk/backend"
	"github.com/lineagedesk/lineagedesk/backend/artifact/artifacttest"
	"github.com/lineagedesk/lineagedesk/backend/secret"
	"github.com/lineagedesk/lineagedesk/storage"
)

const fixtures = "../testdata/fixtures"

// recorder keeps every event the app emits; syncs emit from their own
// goroutine, so it locks.
type recorder struct {
	mu     sync.Mutex
	events []string
}

func (r *recorder) Emit(name string, payload any) {
	b, _ := json.Marshal(payload)
	r.mu.Lock()
	r.events = append(r.events, name+" "+string(b))
	r.mu.Unlock()
}

func (r *recorder) snapshot() []string {
	r.mu.Lock()
	defer r.mu.Unlock()
	return slices.Clone(r.events)
}

// openApp opens the real application on a fresh SQLite file, with a real
// file sealer and the embedded demo.
func openApp(t testing.TB) (*app.App, string, *recorder) {
	a, _, dir, rec := openAppStore(t)
	return a, dir, rec
}

// openAppStore is openApp that also hands back the store, for tests that
// must close it early (the store is closed at cleanup too; closing twice is
// harmless).
func openAppStore(t testing.TB) (*app.App, *storage.Store, string, *recorder) {
	t.Helper()
	dir := t.TempDir()
	a, store, rec := openAppIn(t, dir)
	return a, store, dir, rec
}

// openAppIn opens the app on dir/store.db with the sealer's key under
// dir/config: a second call on one dir is a second process on one store.
func openAppIn(t testing.TB, dir string, options ...func(*app.Config)) (*app.App, *storage.Store, *recorder) {
	t.Helper()
	dbPath := filepath.Join(dir, "store.db")
	store, err := storage.Open(t.Context(), dbPath)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { store.Close() })
	sealer, err := secret.New(filepath.Join(dir, "config"), nil)
	if err != nil {
		t.Fatal(err)
	}
	rec := &recorder{}
	cfg := app.Config{Version: "test", DBPath: dbPath, Sealer: sealer, Demo: demo.Source{}, Emitter: rec}
	for _, option := range options {
		option(&cfg)
	}
	a := app.New(t.Context(), store, cfg)
	return a, store, rec
}

// manifestJSON decodes a fixture's manifest generically, for expectations
// computed independently of the parser.
func manifestJSON(t testing.TB, dataset string) map[string]any {
	t.Helper()
	var m map[string]any
	if err := json.Unmarshal(artifacttest.Gunzip(t, filepath.Join(fixtures, dataset, "manifest.json.gz")), &m); err != nil {
		t.Fatal(err)
	}
	return m
}

func TestEmptyStoreOpensOnDemo(t *testing.T) {
	a, _, rec := openApp(t)
	if _, err := a.Lineage(app.LineageRequest{Select: "+customers+"}); backend.ErrorCode(err) != backend.ENOTFOUND {
		t.Fatalf("lineage on an empty store: %v, want ENOTFOUND saying how to fill it", err)
	}
	opened, err := a.EnsureDemo()
	if err != nil || !opened {
		t.Fatalf("EnsureDemo = %v, %v", opened, err)
	}
	again, err := a.EnsureDemo()
	if err != nil || again {
		t.Fatalf("second EnsureDemo = %v, %v: the demo must be imported once", again, err)
	}
	st, err := a.Status()
	if err != nil {
		t.Fatal(err)
	}
	if st.Snapshots != 1 || st.Latest == nil || st.Latest.Origin.Kind != backend.OriginDemo || st.Latest.Project != "jaffle_shop" {
		t.Fatalf("status after demo: %+v", st)
	}
	// The demo is the real jaffle_shop manifest: every model it lists is browsable.
	m := manifestJSON(t, "jaffle-dap-v12-1.12")
	var models []string
	for id, n := range m["nodes"].(map[string]any) {
		if n.(map[string]any)["resource_type"] == "model" {
			models = append(models, id)
		}
	}
	rs, err := a.Resources(0, backend.ResourceFilter{ResourceTypes: []string{"model"}})
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, r := range rs {
		got = append(got, r.UniqueID)
	}
	slices.Sort(models)
	if !slices.Equal(got, models) {
		t.Fatalf("demo models:\n got %v\nwant %v", got, models)
	}
	if !slices.ContainsFunc(rec.snapshot(), func(e string) bool { return strings.HasPrefix(e, app.EventSnapshotsChanged) }) {
		t.Errorf("no %s event after the demo import: %v", app.EventSnapshotsChanged, rec.snapshot())
	}
}

func TestImportLineageAndExportsAgree(t *testing.T) {
	a, _, _ := openApp(t)
	res, err := a.ImportPaths([]string{filepath.Join(fixtures, "bouncer-build-v12-dbt1.11-duckdb")}, "")
	if err != nil {
		t.Fatal(err)
	}
	if res.Project != "dbt_bouncer_test_project" || res.SchemaVersions["manifest"] != 12 || res.SchemaVersions["run_results"] != 6 {
		t.Fatalf("import result %+v", res)
	}
	m := manifestJSON(t, "bouncer-build-v12-dbt1.11-duckdb")
	nodes := m["nodes"].(map[string]any)
	// Pick the model with the most direct parents and compute its 1-hop
	// upstream from depends_on.nodes by hand.
	var focus string
	var parents []string
	for id, n := range nodes {
		nm := n.(map[string]any)
		if nm["resource_type"] != "model" {
			continue
		}
		var ps []string
		for _, p := range nm["depends_on"].(map[string]any)["nodes"].([]any) {
			ps = append(ps, p.(string))
		}
		if len(ps) > len(parents) || (len(ps) == len(parents) && id < focus) {
			focus, parents = id, ps
		}
	}
	want := append([]string{focus}, parents...)
	slices.Sort(want)
	want = slices.Compact(want)

	sel := "1+" + focus
	asJSON, err := a.Lineage(app.LineageRequest{Select: sel, Format: "json"})
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, n := range asJSON.Nodes {
		got = append(got, n.UniqueID)
	}
	if !slices.Equal(got, want) {
		t.Fatalf("%s selected %v, want %v", sel, got, want)
	}
	// What is exported equals what is shown: every format names the same nodes.
	var doc struct {
		Nodes []struct {
			UniqueID string `json:"unique_id"`
		} `json:"nodes"`
		Edges []struct{ From, To string } `json:"edges"`
	}
	if err := json.Unmarshal([]byte(asJSON.Content), &doc); err != nil {
		t.Fatalf("json export does not parse: %v", err)
	}
	if len(doc.Nodes) != len(want) || len(doc.Edges) != len(asJSON.Edges) {
		t.Fatalf("json export has %d nodes/%d edges, result lists %d/%d", len(doc.Nodes), len(doc.Edges), len(want), len(asJSON.Edges))
	}
	for _, format := range []string{"svg", "dot", "mermaid", "csv"} {
		r, err := a.Lineage(app.LineageRequest{Select: sel, Format: format})
		if err != nil {
			t.Fatalf("%s: %v", format, err)
		}
		for _, n := range asJSON.Nodes {
			if !strings.Contains(r.Content, n.Name) {
				t.Errorf("%s export lacks node %s", format, n.UniqueID)
			}
		}
		if len(r.Nodes) != len(asJSON.Nodes) {
			t.Errorf("%s result lists %d nodes, json %d", format, len(r.Nodes), len(asJSON.Nodes))
		}
	}
	png, err := a.Lineage(app.LineageRequest{Select: sel, Format: "png"})
	if err != nil || !png.Base64 || !strings.HasPrefix(png.Content, "iVBORw0KGgo") {
		t.Fatalf("png export: base64=%v err=%v prefix=%.12q", png.Base64, err, png.Content)
	}
}

// TestFailedImportLeavesStoreUnchanged: an import refused (a manifest cut
// off, dependencies in a cycle) says why, naming the file or the cycle,
// and the store keeps exactly the snapshots it had.
func TestFailedImportLeavesStoreUnchanged(t *testing.T) {
	a, dir, _ := openApp(t)
	if _, err := a.ImportPaths([]string{filepath.Join(fixtures, "jaffle-dap-v12-1.12")}, "first"); err != nil {
		t.Fatal(err)
	}
	before, err := a.Snapshots()
	if err != nil {
		t.Fatal(err)
	}
	// A real manifest cut off half-way: the parser must refuse it.
	raw := artifacttest.Gunzip(t, filepath.Join(fixtures, "hubspot-v12-dbt1.9-bigquery", "manifest.json.gz"))
	truncated := filepath.Join(dir, "target")
	os.MkdirAll(truncated, 0o755)
	os.WriteFile(filepath.Join(truncated, "manifest.json"), raw[:len(raw)/2], 0o644)
	// Dependencies that go round (dbt never writes them): stg_orders now
	// also selects from orders, which is built on it.
	cycle := editedJaffle(t, dir, "cycle", func(nodes map[string]any) {
		addDependency(nodes, "model.jaffle_shop.stg_orders", "model.jaffle_shop.orders")
	})
	for _, c := range []struct {
		name, dir string
		want      []string
	}{
		{"truncated manifest", truncated, []string{"manifest.json"}},
		{"a cycle", cycle, []string{"dependencies go round in a cycle: ", "model.jaffle_shop.orders -> model.jaffle_shop.stg_orders"}},
	} {
		_, err = a.ImportPaths([]string{c.dir}, "")
		if backend.ErrorCode(err) != backend.EINVALID || slices.ContainsFunc(c.want, func(w string) bool { return !strings.Contains(err.Error(), w) }) {
			t.Errorf("%s: %v, want EINVALID saying %q", c.name, err, c.want)
		}
		after, err := a.Snapshots()
		if err != nil {
			t.Fatal(err)
		}
		if len(after) != len(before) || after[0].ID != before[0].ID {
			t.Fatalf("%s: snapshots changed by a refused import: %v -> %v", c.name, before, after)
		}
	}
}

// TestImportSaysWhatDependsOnNothing: a dependency on a node the manifest
// does not hold (nor holds disabled) is left out, and the import says so.
func TestImportSaysWhatDependsOnNothing(t *testing.T) {
	a, dir, _ := openApp(t)
	target := editedJaffle(t, dir, "ghost", func(nodes map[string]any) {
		addDependency(nodes, "model.jaffle_shop.stg_orders", "model.jaffle_shop.ghost")
	})
	res, err := a.ImportPaths([]string{target}, "")
	if err != nil {
		t.Fatal(err)
	}
	snaps, err := a.Snapshots()
	if err != nil {
		t.Fatal(err)
	}
	want := "1 dependency names a node it does not hold (model.jaffle_shop.stg_orders depends on model.jaffle_shop.ghost)"
	if len(snaps) != 1 || snaps[0].ID != res.SnapshotID || !slices.ContainsFunc(snaps[0].Warnings, func(w string) bool { return strings.Contains(w, want) }) {
		t.Errorf("warnings %q, want one saying %q", snaps[0].Warnings, want)
	}
	// The real fixture names no such node: no warning there.
	clean, err := a.ImportPaths([]string{filepath.Join(fixtures, "jaffle-dap-v12-1.12")}, "")
	if err != nil {
		t.Fatal(err)
	}
	snaps, _ = a.Snapshots()
	for _, s := range snaps {
		if s.ID == clean.SnapshotID && slices.ContainsFunc(s.Warnings, func(w string) bool { return strings.Contains(w, "does not hold") }) {
			t.Errorf("the fixture as dbt wrote it: %q", s.Warnings)
		}
	}
}

// TestImportSaysWhatDependsOnDisabledNodes: dbt 1.0's jaffle_shop has an
// enabled test on a disabled model. The lineage leaves the dependency out,
// as dbt leaves disabled nodes out, and the import says so.
func TestImportSaysWhatDependsOnDisabledNodes(t *testing.T) {
	a, _, _ := openApp(t)
	res, err := a.ImportPaths([]string{filepath.Join(fixtures, "jaffle-dap-v4")}, "")
	if err != nil {
		t.Fatal(err)
	}
	want := "1 dependency names a disabled node (test.jaffle_shop.relationships_orders_customer_id__customer_id__ref_customers_.c6ec7f58f2 depends on model.jaffle_shop.customers)"
	if !slices.ContainsFunc(res.Warnings, func(w string) bool { return strings.Contains(w, want) }) {
		t.Errorf("warnings %q, want one saying %q", res.Warnings, want)
	}
	if slices.ContainsFunc(res.Warnings, func(w string) bool { return strings.Contains(w, "does not hold") }) {
		t.Errorf("a disabled node is held: %q", res.Warnings)
	}
	// The test's page lists the model upstream, marked disabled.
	test, err := a.Resource(res.SnapshotID, "test.jaffle_shop.relationships_orders_customer_id__customer_id__ref_customers_.c6ec7f58f2")
	if err != nil {
		t.Fatal(err)
	}
	disabled := map[string]bool{}
	for _, p := range test.Parents {
		disabled[p.UniqueID] = p.Disabled
	}
	if len(disabled) != 2 || !disabled["model.jaffle_shop.customers"] || disabled["model.jaffle_shop.orders"] {
		t.Errorf("upstream of the test, disabled or not: %v", disabled)
	}
}

// editedJaffle writes jaffle_shop's manifest (dbt 1.12) into dir/name after
// edit changed its nodes, and returns the folder to import.
func editedJaffle(t *testing.T, dir, name string, edit func(nodes map[string]any)) string {
	t.Helper()
	var manifest map[string]any
	if err := json.Unmarshal(artifacttest.Gunzip(t, filepath.Join(fixtures, "jaffle-dap-v12-1.12", "manifest.json.gz")), &manifest); err != nil {
		t.Fatal(err)
	}
	edit(manifest["nodes"].(map[string]any))
	raw, err := json.Marshal(manifest)
	if err != nil {
		t.Fatal(err)
	}
	target := filepath.Join(dir, name)
	if err := os.MkdirAll(target, 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(target, "manifest.json"), raw, 0o644); err != nil {
		t.Fatal(err)
	}
	return target
}

// addDependency makes node depend on parent too.
func addDependency(nodes map[string]any, node, parent string) {
	deps := nodes[node].(map[string]any)["depends_on"].(map[string]any)
	deps["nodes"] = append(deps["nodes"].([]any), parent)
}

// synthApp opens an app on a store holding the project spec generates, and
// returns the folder the artifacts were written to.
func synthApp(t *testing.T, spec synth.Spec) (*app.App, string) {
	t.Helper()
	dir := filepath.Join(t.TempDir(), "p")
	if _, err := synth.Write(dir, spec); err != nil {
		t.Fatal(err)
	}
	a, _, _ := openApp(t)
	if _, err := a.ImportPaths([]string{dir}, ""); err != nil {
		t.Fatal(err)
	}
	return a, dir
}
