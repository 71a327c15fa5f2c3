package artifact_test

import (
	"bytes"
	"compress/gzip"
	"context"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"unicode/utf16"
	"unicode/utf8"

	"github.com/lineagedesk/lineagedesk/backend"
	"github.com/lineagedesk/lineagedesk/backend/artifact"
)

func TestBadManifestFiles(t *testing.T) {
	good := fixture(t, "jaffle-dap-v12-1.11", "manifest")
	cases := []struct {
		name      string
		data      []byte
		fragments []string
	}{
		{"not JSON", []byte("<html>404 Not Found</html>"), []string{"is not JSON"}},
		{"a JSON list", []byte("[1, 2]"), []string{"is JSON but not an object"}},
		{"empty", nil, []string{"is empty"}},
		{"UTF-16 with its mark", utf16LE(good[:4096], true), []string{"is UTF-16 text", "save it again as UTF-8"}},
		{"UTF-16 without a mark", utf16LE(good[:4096], false), []string{"is UTF-16 text"}},
		{"nested too deep", replaceOnce(t, good, `"meta": {}`, `"meta": `+strings.Repeat("[", 600)+strings.Repeat("]", 600)),
			[]string{"malformed entry", "nests deeper than 512 levels"}},
		{"truncated", good[:len(good)/2], []string{"not valid JSON", "truncated", "regenerate"}},
		{"trailing garbage", append(append([]byte{}, good...), []byte(`{"x":1}`)...), []string{"not valid JSON"}},
		{"catalog as manifest", fixture(t, "jaffle-dap-v12-1.11", "catalog"), []string{"is a dbt catalog, not a manifest", "same target/ folder"}},
		{"run results as manifest", fixture(t, "jaffle-dap-v12-1.11", "run_results"), []string{"is dbt run results, not a manifest"}},
		{"invalid deep inside", replaceOnce(t, good, `"meta": {}`, `"meta": {"owner" "x"}`), []string{"not valid JSON", "expected ':'"}},
		{"not an artifact", []byte(`{"name": "package.json?"}`), []string{"is not a dbt artifact"}},
		{"dbt 0.18", readHandwritten(t, "manifest-v0.json"), []string{"dbt 0.18 or older", "regenerate it with dbt 0.19 or newer"}},
		// Well-formed JSON of the wrong shape would silently lose lineage.
		{"depends_on not an object", replaceOnce(t, good, `"depends_on": {"macros": ["macro.jaffle_shop.cents_to_dollar`, `"depends_on": "oops", "x": {"macros": ["macro.jaffle_shop.cents_to_dollar`),
			[]string{"malformed entry", "depends_on is a string, where dbt writes an object", "regenerate the manifest"}},
		{"depends_on.nodes not ids", replaceOnce(t, good, `"depends_on": {"macros": [`, `"depends_on": {"nodes": [1, 2], "macros": [`),
			[]string{"malformed entry", "depends_on.nodes holds a number, where dbt writes unique_ids"}},
		{"name null", replaceOnce(t, good, `"resource_type": "model", "package_name"`, `"resource_type": "model", "name": null, "package_name"`),
			[]string{"malformed entry", "name is null, where dbt writes a string"}},
		{"no name", replaceOnce(t, good, `"name": "stg_products", "resource_type": "model"`, `"resource_type": "model"`),
			[]string{"malformed entry", "model.jaffle_shop.stg_products", "it has no name"}},
		{"depends_on null", replaceOnce(t, good, `"depends_on": {"macros": ["macro.jaffle_shop.cents_to_dollar`, `"depends_on": null, "x": {"macros": ["macro.jaffle_shop.cents_to_dollar`),
			[]string{"malformed entry", "depends_on is null, where dbt writes an object"}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			dir := writeFiles(t, map[string][]byte{"target/manifest.json": c.data})
			_, err := loadDir(t, dir)
			wantInvalid(t, err, append(c.fragments, filepath.Join(dir, "target", "manifest.json"))...)
			// The exported parser refuses the same input without panicking.
			if _, err := artifact.ParseManifest(c.data); backend.ErrorCode(err) != backend.EINVALID {
				t.Errorf("ParseManifest: %v", err)
			}
		})
	}
}

// utf16LE is text as Windows PowerShell saves it: UTF-16, little-endian.
func utf16LE(text []byte, mark bool) []byte {
	var out []byte
	if mark {
		out = append(out, 0xff, 0xfe)
	}
	for _, r := range utf16.Encode([]rune(string(text))) {
		out = append(out, byte(r), byte(r>>8))
	}
	return out
}

func readHandwritten(t *testing.T, name string) []byte { return readHandwrittenF(t, name) }

func readHandwrittenF(t testing.TB, name string) []byte {
	data, err := os.ReadFile(filepath.Join("testdata", "handwritten", name))
	if err != nil {
		t.Fatal(err)
	}
	return data
}

func TestWrongRoleForOtherFiles(t *testing.T) {
	manifest := fixture(t, "jaffle-dap-v12-1.11", "manifest")
	dir := writeFiles(t, map[string][]byte{
		"manifest.json": manifest,
		"catalog.json":  fixture(t, "jaffle-dap-v12-1.11", "run_results"),
	})
	_, err := loadDir(t, dir)
	wantInvalid(t, err, filepath.Join(dir, "catalog.json"), "is dbt run results, not a catalog")

	dir = writeFiles(t, map[string][]byte{"manifest.json": manifest, "run_results.json": []byte(`{"metadata": {"dbt_schema_version": "https://schemas.getdbt.com/dbt/run-results/v6.json"}, "results": [`)})
	_, err = loadDir(t, dir)
	wantInvalid(t, err, filepath.Join(dir, "run_results.json"), "truncated")
}

func TestDifferentProjectIsRefused(t *testing.T) {
	dir := writeFiles(t, map[string][]byte{
		"manifest.json": fixture(t, "jaffle-dap-v12-1.11", "manifest"),
		"catalog.json":  fixture(t, "tuva-v11-dbt1.7", "catalog"),
	})
	_, err := loadDir(t, dir)
	wantInvalid(t, err, filepath.Join(dir, "catalog.json"), "does not belong to the project", filepath.Join(dir, "manifest.json"))

	dir = writeFiles(t, map[string][]byte{
		"manifest.json":    fixture(t, "jaffle-dap-v12-1.11", "manifest"),
		"run_results.json": fixture(t, "bouncer-build-v12-dbt1.11-duckdb", "run_results"),
	})
	_, err = loadDir(t, dir)
	wantInvalid(t, err, filepath.Join(dir, "run_results.json"), "does not belong to the project")
}

func TestUnknownResultsAreKeptWithOneWarning(t *testing.T) {
	var rr map[string]any
	if err := json.Unmarshal(fixture(t, "bouncer-build-v12-dbt1.11-duckdb", "run_results"), &rr); err != nil {
		t.Fatal(err)
	}
	results := rr["results"].([]any)
	results[0].(map[string]any)["unique_id"] = "model.gone.first"
	results[1].(map[string]any)["unique_id"] = "model.gone.second"
	data, _ := json.Marshal(rr)
	dir := writeFiles(t, map[string][]byte{
		"manifest.json.gz": mustRead(t, filepath.Join(fixturesDir, "bouncer-build-v12-dbt1.11-duckdb", "manifest.json.gz")),
		"run_results.json": data,
	})
	b, err := loadDir(t, dir)
	if err != nil {
		t.Fatal(err)
	}
	if len(b.RunResults) != len(results) {
		t.Errorf("%d results, want all %d", len(b.RunResults), len(results))
	}
	n := 0
	for _, w := range b.Warnings {
		if strings.Contains(w, "the manifest does not know") {
			n++
			if !strings.Contains(w, "2 results") {
				t.Errorf("warning %q does not count 2 results", w)
			}
		}
	}
	if n != 1 {
		t.Errorf("%d warnings about unknown results, want 1: %v", n, b.Warnings)
	}
}

func mustRead(t *testing.T, path string) []byte {
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return data
}

func TestUnversionedSiblingIsSkipped(t *testing.T) {
	dir := writeFiles(t, map[string][]byte{
		"manifest.json": fixture(t, "jaffle-dap-v12-1.11", "manifest"),
		"catalog.json":  readHandwritten(t, "catalog-v0.json"),
	})
	b, err := loadDir(t, dir)
	if err != nil {
		t.Fatal(err)
	}
	if _, ok := b.Meta.SchemaVersions[backend.ArtifactCatalog]; ok || len(b.Catalog) != 0 {
		t.Errorf("a v0 catalog was imported: %v", b.Meta.SchemaVersions)
	}
	if !hasWarning(b, filepath.Join(dir, "catalog.json"), "dbt 0.18 or older", "skipped") {
		t.Errorf("no warning about the skipped catalog: %v", b.Warnings)
	}
}

func TestNewerSchemaVersionWarns(t *testing.T) {
	data := replaceOnce(t, fixture(t, "jaffle-dap-v12-1.11", "manifest"), "manifest/v12.json", "manifest/v13.json")
	dir := writeFiles(t, map[string][]byte{"manifest.json": data})
	b, err := loadDir(t, dir)
	if err != nil {
		t.Fatal(err)
	}
	if b.Meta.SchemaVersions[backend.ArtifactManifest] != 13 || len(b.Resources) == 0 {
		t.Errorf("schema versions %v, %d resources", b.Meta.SchemaVersions, len(b.Resources))
	}
	if !hasWarning(b, "v13", "read as v12") {
		t.Errorf("no warning about v13: %v", b.Warnings)
	}
}

// TestNullNodesWarns: a manifest whose "nodes" is null imports what else it
// holds, and says that no models came with it.
func TestNullNodesWarns(t *testing.T) {
	var doc map[string]any
	if err := json.Unmarshal(fixture(t, "jaffle-dap-v12-1.11", "manifest"), &doc); err != nil {
		t.Fatal(err)
	}
	doc["nodes"] = nil
	data, _ := json.Marshal(doc)
	b, err := loadDir(t, writeFiles(t, map[string][]byte{"manifest.json": data}))
	if err != nil {
		t.Fatal(err)
	}
	if !hasWarning(b, `no entries in "nodes" (empty or null)`) {
		t.Errorf("no warning for null nodes: %v", b.Warnings)
	}
	b, err = loadDir(t, writeFiles(t, map[string][]byte{"manifest.json": fixture(t, "jaffle-dap-v12-1.11", "manifest")}))
	if err != nil || hasWarning(b, `no entries in "nodes"`) {
		t.Errorf("the manifest as dbt wrote it: %v %v", b.Warnings, err)
	}
}

// A manifest of no project holding nothing is refused: stored, it was a
// nameless snapshot every command took for the latest (QA).
func TestManifestOfNoProjectAndNothingIsRefused(t *testing.T) {
	data := []byte(`{"metadata": {"dbt_schema_version": "https://schemas.getdbt.com/dbt/manifest/v12.json"}, "nodes": {}}`)
	dir := writeFiles(t, map[string][]byte{"manifest.json": data})
	_, err := loadDir(t, dir)
	wantInvalid(t, err, "names no project", "holds no resources", filepath.Join(dir, "manifest.json"))
	// A project's manifest without nodes still imports, with its warning.
	named := []byte(`{"metadata": {"dbt_schema_version": "https://schemas.getdbt.com/dbt/manifest/v12.json", "project_name": "empty"}, "nodes": {}}`)
	b, err := loadDir(t, writeFiles(t, map[string][]byte{"manifest.json": named}))
	if err != nil || b.Meta.Project != "empty" || !hasWarning(b, `no entries in "nodes"`) {
		t.Errorf("a named project without nodes: %+v, %v", b, err)
	}
}

func TestNoManifest(t *testing.T) {
	for _, ds := range []string{"tuva-dbt1.9-no-manifest", "jaffle-dap-results-v6", "jaffle-dap-catalog-1.9"} {
		_, err := artifact.Discover([]string{filepath.Join(fixturesDir, ds)})
		wantInvalid(t, err, "no manifest.json", filepath.Join(fixturesDir, ds))
	}
	rr := filepath.Join(fixturesDir, "jaffle-dap-results-v6", "run_results.json.gz")
	_, err := artifact.Load(context.Background(), artifact.FileSet{RunResults: rr})
	wantInvalid(t, err, "no manifest.json", rr)
}

func TestDiscover(t *testing.T) {
	manifest := fixture(t, "jaffle-dap-v12-1.11", "manifest")
	gz := mustRead(t, filepath.Join(fixturesDir, "jaffle-dap-v12-1.11", "catalog.json.gz"))

	project := writeFiles(t, map[string][]byte{"dbt_project.yml": []byte("name: x"), "target/manifest.json": manifest, "target/catalog.json.gz": gz, "target/graph.gpickle": nil})
	fs, err := artifact.Discover([]string{project})
	if err != nil {
		t.Fatal(err)
	}
	want := artifact.FileSet{Manifest: filepath.Join(project, "target", "manifest.json"), Catalog: filepath.Join(project, "target", "catalog.json.gz")}
	if fs != want {
		t.Errorf("project folder: %+v, want %+v", fs, want)
	}
	b, err := artifact.Load(context.Background(), fs)
	if err != nil || b.Meta.SchemaVersions[backend.ArtifactCatalog] != 1 {
		t.Fatalf("gzip catalog not read: %v", err)
	}

	// Files given one by one.
	fs, err = artifact.Discover([]string{want.Catalog, want.Manifest})
	if err != nil || fs != want {
		t.Errorf("files: %+v %v", fs, err)
	}

	twice := writeFiles(t, map[string][]byte{"manifest.json": manifest, "manifest.json.gz": gz})
	_, err = artifact.Discover([]string{twice})
	wantInvalid(t, err, "two manifest files", filepath.Join(twice, "manifest.json"), filepath.Join(twice, "manifest.json.gz"))

	empty := writeFiles(t, map[string][]byte{"README.md": []byte("hi")})
	_, err = artifact.Discover([]string{empty})
	wantInvalid(t, err, empty, "contains no dbt artifacts", "dbt docs generate")

	_, err = artifact.Discover([]string{filepath.Join(empty, "README.md")})
	wantInvalid(t, err, "README.md", "not a dbt artifact name")

	_, err = artifact.Discover([]string{filepath.Join(empty, "missing")})
	wantInvalid(t, err, filepath.Join(empty, "missing"), "does not exist")
}

func TestSourcesFreshness(t *testing.T) {
	cases := []struct {
		dataset, file string
		version       int
	}{
		{"hubspot-v1-dbt0.19-bigquery", "sources-v1.json", 1},
		{"jaffle-dap-v12-1.11", "sources-v3.json", 3},
	}
	for _, c := range cases {
		raw := readHandwritten(t, c.file)
		dir := writeFiles(t, map[string][]byte{
			"manifest.json": fixture(t, c.dataset, "manifest"),
			"sources.json":  raw,
		})
		b, err := loadDir(t, dir)
		if err != nil {
			t.Fatal(err)
		}
		var want struct {
			Results []struct {
				UniqueID string  `json:"unique_id"`
				Status   string  `json:"status"`
				Age      float64 `json:"max_loaded_at_time_ago_in_s"`
				Error    string  `json:"error"`
			} `json:"results"`
		}
		if err := json.Unmarshal(raw, &want); err != nil {
			t.Fatal(err)
		}
		if b.Meta.SchemaVersions[backend.ArtifactSources] != c.version || len(b.Freshness) != len(want.Results) {
			t.Fatalf("%s: versions %v, %d results", c.file, b.Meta.SchemaVersions, len(b.Freshness))
		}
		for i, w := range want.Results {
			got := b.Freshness[i]
			if got.UniqueID != w.UniqueID || got.Status != w.Status || got.AgeSeconds != w.Age || got.Error != w.Error {
				t.Errorf("%s #%d: %+v, want %+v", c.file, i, got, w)
			}
			if resource(t, b, w.UniqueID).ResourceType != backend.TypeSource {
				t.Errorf("%s is not a source", w.UniqueID)
			}
		}
	}
	// sources-v3.json comes from another invocation than the manifest, as
	// every `dbt source freshness` does: no warning (QA: one on every import).
	dir := writeFiles(t, map[string][]byte{"manifest.json": fixture(t, "jaffle-dap-v12-1.11", "manifest"), "sources.json": readHandwritten(t, "sources-v3.json")})
	b, err := loadDir(t, dir)
	if err != nil {
		t.Fatal(err)
	}
	if hasWarning(b, "another dbt invocation") {
		t.Errorf("a freshness check's own invocation warned: %v", b.Warnings)
	}
	// Run results of another run do warn, naming both invocations.
	dir = writeFiles(t, map[string][]byte{"manifest.json": fixture(t, "jaffle-dap-v12-1.11", "manifest"), "run_results.json": fixture(t, "jaffle-dap-v12-1.12", "run_results")})
	if b, err = loadDir(t, dir); err != nil {
		t.Fatal(err)
	}
	var manifest, results struct {
		Metadata struct {
			InvocationID string `json:"invocation_id"`
		} `json:"metadata"`
	}
	json.Unmarshal(fixture(t, "jaffle-dap-v12-1.11", "manifest"), &manifest)
	json.Unmarshal(fixture(t, "jaffle-dap-v12-1.12", "run_results"), &results)
	if !hasWarning(b, "another dbt invocation", "invocation "+results.Metadata.InvocationID, "the manifest's "+manifest.Metadata.InvocationID) {
		t.Errorf("no invocation warning naming both invocations: %v", b.Warnings)
	}
}

func TestRunResultsV1MessageTypes(t *testing.T) {
	rr := []byte(`{"metadata": {"dbt_schema_version": "https://schemas.getdbt.com/dbt/run-results/v1.json", "dbt_version": "0.19.1", "generated_at": "2021-02-01T00:00:00Z"},
	 "results": [
	  {"unique_id": "model.p.a", "status": "success", "message": 7, "execution_time": 1.5, "thread_id": "Thread-1", "timing": [], "adapter_response": {}},
	  {"unique_id": "test.p.t", "status": "fail", "message": "Got 3 results", "failures": "3", "execution_time": 0.2, "timing": [], "adapter_response": {}}
	 ], "elapsed_time": 2, "args": {"rpc_method": "test"}}`)
	got, err := artifact.ParseRunResults(rr)
	if err != nil {
		t.Fatal(err)
	}
	if got.Command != "test" || len(got.Results) != 2 {
		t.Fatalf("%+v", got)
	}
	a, tst := got.Results[0], got.Results[1]
	if a.Message != "7" || a.IsTestOutcome || a.ExecutionTime != 1.5 {
		t.Errorf("model result %+v", a)
	}
	if tst.Failures == nil || *tst.Failures != 3 || !tst.IsTestOutcome || tst.Message != "Got 3 results" {
		t.Errorf("test result %+v", tst)
	}
}

// TestRunResultsOddValuesWarn: values dbt never writes are read somehow,
// and the import says so, one warning per field, with an example.
func TestRunResultsOddValuesWarn(t *testing.T) {
	rr := []byte(`{"metadata": {"dbt_schema_version": "https://schemas.getdbt.com/dbt/run-results/v6.json", "dbt_version": "1.9.0", "generated_at": "2025-02-01T00:00:00Z"},
	 "results": [
	  {"unique_id": "model.p.a", "status": "success", "execution_time": "slow", "timing": []},
	  {"unique_id": "model.p.b", "status": 3, "execution_time": {"s": 1}, "timing": []},
	  {"unique_id": "model.p.c", "status": "success", "execution_time": "2.5", "timing": []},
	  {"unique_id": "model.p.d", "status": "success", "execution_time": null, "timing": []},
	  {"unique_id": "model.p.e", "status": "success", "execution_time": -5, "timing": []},
	  {"unique_id": "model.p.f", "status": "success", "execution_time": 1e308, "timing": []}
	 ], "elapsed_time": 2, "args": {"which": "run"}}`)
	got, err := artifact.ParseRunResults(rr)
	if err != nil {
		t.Fatal(err)
	}
	want := []string{
		`the run results: 4 results have an execution_time that is not seconds, as dbt writes it (model.p.a has "slow", counted as 0 s)`,
		`the run results: 1 result has a status that is not a string, as dbt writes it (model.p.b has 3, read as "3")`,
	}
	var odd []string
	for _, w := range got.Warnings {
		if strings.Contains(w, "as dbt writes it") {
			odd = append(odd, w)
		}
	}
	if len(odd) != 2 || !strings.HasPrefix(odd[0], want[1]) && !strings.HasPrefix(odd[1], want[1]) ||
		!strings.HasPrefix(odd[0], want[0]) && !strings.HasPrefix(odd[1], want[0]) {
		t.Errorf("warnings %q\nwant ones starting %q", got.Warnings, want)
	}
	if got.Results[0].ExecutionTime != 0 || got.Results[2].ExecutionTime != 2.5 || got.Results[1].Status != "3" ||
		got.Results[4].ExecutionTime != 0 || got.Results[5].ExecutionTime != 0 {
		t.Errorf("results %+v", got.Results)
	}
}

func TestLoadCanceled(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	_, err := artifact.Load(ctx, artifact.FileSet{Manifest: filepath.Join(fixturesDir, "jaffle-dap-v12-1.11", "manifest.json.gz")})
	if backend.ErrorCode(err) != backend.ECANCELED {
		t.Errorf("got %v, want a cancellation", err)
	}
}

// A gzip manifest is read as a stream: one cut short, or with a broken
// checksum, is found out at its end and refused naming the file, as one
// that is not gzip at all.
func TestDamagedGzipManifest(t *testing.T) {
	var gz bytes.Buffer
	zw := gzip.NewWriter(&gz)
	zw.Write(fixture(t, "jaffle-dap-v12-1.11", "manifest"))
	zw.Close()
	whole := gz.Bytes()

	cut := append([]byte{}, whole[:len(whole)*2/3]...)
	dir := writeFiles(t, map[string][]byte{"manifest.json.gz": cut})
	_, err := loadDir(t, dir)
	wantInvalid(t, err, filepath.Join(dir, "manifest.json.gz"), "damaged gzip file")

	badSum := append([]byte{}, whole...)
	badSum[len(badSum)-6] ^= 0xff // the CRC-32 in the trailer
	dir = writeFiles(t, map[string][]byte{"manifest.json.gz": badSum})
	_, err = loadDir(t, dir)
	wantInvalid(t, err, filepath.Join(dir, "manifest.json.gz"), "damaged gzip file")

	dir = writeFiles(t, map[string][]byte{"manifest.json.gz": {0x1f, 0x8b, 0xff, 0, 0}})
	_, err = loadDir(t, dir)
	wantInvalid(t, err, filepath.Join(dir, "manifest.json.gz"), "not a valid gzip file")
}

// A catalog that describes a relation twice (under "nodes" and "sources")
// keeps the first entry and says so; the store's one row per relation
// would otherwise refuse the whole import. An entry keyed by one relation
// that names another is skipped: read, it stood in for that one's columns.
func TestCatalogDuplicatesWarn(t *testing.T) {
	var doc map[string]any
	if err := json.Unmarshal(fixture(t, "jaffle-dap-v12-1.11", "catalog"), &doc); err != nil {
		t.Fatal(err)
	}
	nodes := doc["nodes"].(map[string]any)
	sources, _ := doc["sources"].(map[string]any)
	if sources == nil {
		sources = map[string]any{}
		doc["sources"] = sources
	}
	sources["model.jaffle_shop.customers"] = nodes["model.jaffle_shop.customers"]
	nodes["model.jaffle_shop.customers_twin"] = nodes["model.jaffle_shop.orders"] // its own unique_id says orders
	// A relation whose columns are a list: left out, said (QA: its types
	// vanished without a word).
	broken := map[string]any{}
	for k, v := range nodes["model.jaffle_shop.stg_orders"].(map[string]any) {
		broken[k] = v
	}
	broken["columns"] = []any{1, 2}
	nodes["model.jaffle_shop.stg_orders"] = broken
	catalog, _ := json.Marshal(doc)
	b, err := loadDir(t, writeFiles(t, map[string][]byte{"manifest.json": fixture(t, "jaffle-dap-v12-1.11", "manifest"), "catalog.json": catalog}))
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"describes 1 relation more than once (e.g. model.jaffle_shop.customers)",
		"1 entry skipped, its unique_id not its key (e.g. key model.jaffle_shop.customers_twin, unique_id model.jaffle_shop.orders)",
		`1 relation malformed (its columns or metadata not objects as dbt writes them; e.g. "model.jaffle_shop.stg_orders")`} {
		if !hasWarning(b, want) {
			t.Errorf("no warning %q: %v", want, b.Warnings)
		}
	}
	seen := map[string]int{}
	for _, e := range b.Catalog {
		seen[e.UniqueID]++
	}
	if seen["model.jaffle_shop.customers"] != 1 || seen["model.jaffle_shop.orders"] != 1 || len(seen) != len(b.Catalog) {
		t.Errorf("catalog entries per unique_id: %v", seen)
	}
}

// A "results" that is no list is refused, in run_results.json and in
// sources.json: read as empty, the run would seem to have run nothing.
func TestResultsThatAreNoListAreRefused(t *testing.T) {
	for file, version := range map[string]string{"run_results.json": "run-results/v6", "sources.json": "sources/v3"} {
		for _, results := range []string{`{"a": 1}`, `"nope"`, `7`} {
			doc := `{"metadata": {"dbt_schema_version": "https://schemas.getdbt.com/dbt/` + version + `.json", "dbt_version": "1.9.0", "generated_at": "2025-02-01T00:00:00Z"}, "results": ` + results + `, "elapsed_time": 1}`
			dir := writeFiles(t, map[string][]byte{"manifest.json": fixture(t, "jaffle-dap-v12-1.11", "manifest"), file: []byte(doc)})
			_, err := loadDir(t, dir)
			wantInvalid(t, err, filepath.Join(dir, file), `"results" is`, "where dbt writes a list")
		}
	}
}

// Entries that are no resource (null, a string) are skipped with a
// warning; null used to become a nameless, enabled model.
func TestEntriesThatAreNoResourceAreSkipped(t *testing.T) {
	var doc map[string]any
	if err := json.Unmarshal(fixture(t, "jaffle-dap-v12-1.11", "manifest"), &doc); err != nil {
		t.Fatal(err)
	}
	nodes := doc["nodes"].(map[string]any)
	nodes["model.jaffle_shop.customers"] = nil
	nodes["model.jaffle_shop.oddity"] = "not a node"
	data, _ := json.Marshal(doc)
	b, err := loadDir(t, writeFiles(t, map[string][]byte{"manifest.json": data}))
	if err != nil {
		t.Fatal(err)
	}
	if !hasWarning(b, "manifest.json: 2 entries skipped, being no resource", `e.g. the one keyed "model.jaffle_shop.customers"`) {
		t.Errorf("warnings %q", b.Warnings)
	}
	for _, r := range b.Resources {
		if r.UniqueID == "model.jaffle_shop.customers" || r.UniqueID == "model.jaffle_shop.oddity" || r.Name == "" {
			t.Errorf("kept %q (name %q)", r.UniqueID, r.Name)
		}
	}
}

// Bytes that are not UTF-8 (a description pasted from a Latin-1 file) are
// read as U+FFFD with a warning naming the file, in the streamed manifest
// and in the other artifacts alike: the store's text must be UTF-8.
func TestBytesThatAreNotUTF8(t *testing.T) {
	manifest := bytes.Replace(fixture(t, "jaffle-dap-v12-1.11", "manifest"), []byte(`"description": "`), []byte("\"description\": \"caf\xe9 "), 1)
	catalog := bytes.Replace(fixture(t, "jaffle-dap-v12-1.11", "catalog"), []byte(`"comment": null`), []byte("\"comment\": \"\xff\xfe\""), 1)
	dir := writeFiles(t, map[string][]byte{"manifest.json": manifest, "catalog.json": catalog})
	b, err := loadDir(t, dir)
	if err != nil {
		t.Fatal(err)
	}
	for file, n := range map[string]int{"manifest.json": 1, "catalog.json": 2} {
		if !hasWarning(b, fmt.Sprintf("%s: %s not UTF-8", filepath.Join(dir, file), map[int]string{1: "1 byte", 2: "2 bytes"}[n])) {
			t.Errorf("no warning for %s: %q", file, b.Warnings)
		}
	}
	found := false
	for _, r := range b.Resources {
		if !utf8.ValidString(r.Description) || !utf8.Valid(r.Raw) {
			t.Errorf("%s keeps bytes that are not UTF-8", r.UniqueID)
		}
		found = found || strings.HasPrefix(r.Description, "caf\uFFFD ")
	}
	if !found {
		t.Error("the description with the Latin-1 byte is not read as caf\uFFFD")
	}
}

// Edited manifests get messages that say what is wrong with them.
func TestEditedManifestMessages(t *testing.T) {
	edit := func(change func(doc map[string]any)) []byte {
		var doc map[string]any
		if err := json.Unmarshal(fixture(t, "jaffle-dap-v12-1.11", "manifest"), &doc); err != nil {
			t.Fatal(err)
		}
		change(doc)
		data, _ := json.Marshal(doc)
		return data
	}
	// dbt 1.11 writes dbt_schema_version: its absence is an edit, not dbt 0.18.
	noVersion := edit(func(doc map[string]any) { delete(doc["metadata"].(map[string]any), "dbt_schema_version") })
	_, err := loadDir(t, writeFiles(t, map[string][]byte{"manifest.json": noVersion}))
	wantInvalid(t, err, "has no metadata.dbt_schema_version, which dbt 1.11", "edited or cut")
	if msg := backend.NewErrorPayload(err).Message; strings.Contains(msg, "0.18") || strings.Contains(msg, "0.19 or newer") {
		t.Errorf("the message blames an old dbt: %s", msg)
	}
	// metadata that is no object.
	stringMeta := edit(func(doc map[string]any) { doc["metadata"] = "x" })
	_, err = loadDir(t, writeFiles(t, map[string][]byte{"manifest.json": stringMeta}))
	wantInvalid(t, err, `its "metadata" is a string, where dbt writes an object`)
	// An entry keyed by one unique_id that says another is skipped with a
	// warning; read, orders would stand in for customers and be its own parent.
	misKeyed := edit(func(doc map[string]any) {
		nodes := doc["nodes"].(map[string]any)
		nodes["model.jaffle_shop.customers"].(map[string]any)["unique_id"] = "model.jaffle_shop.orders"
	})
	b, err := loadDir(t, writeFiles(t, map[string][]byte{"manifest.json": misKeyed}))
	if err != nil {
		t.Fatal(err)
	}
	if !hasWarning(b, "1 entry skipped, its unique_id not its key (e.g. key model.jaffle_shop.customers, unique_id model.jaffle_shop.orders)") {
		t.Errorf("warnings %q", b.Warnings)
	}
}

// Members of a kind dbt never writes are ignored with a warning naming an
// example, rather than silently (documented columns were dropped without
// a word).
func TestOddManifestMembersWarn(t *testing.T) {
	var doc map[string]any
	if err := json.Unmarshal(fixture(t, "jaffle-dap-v12-1.11", "manifest"), &doc); err != nil {
		t.Fatal(err)
	}
	nodes := doc["nodes"].(map[string]any)
	nodes["model.jaffle_shop.customers"].(map[string]any)["columns"] = []any{"customer_id"}
	nodes["model.jaffle_shop.orders"].(map[string]any)["config"] = "table"
	data, _ := json.Marshal(doc)
	// A second top-level "nodes", after the real one: the first is read.
	data = append(bytes.TrimSuffix(bytes.TrimSpace(data), []byte("}")), []byte(`, "nodes": {}}`)...)
	b, err := loadDir(t, writeFiles(t, map[string][]byte{"manifest.json": data}))
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{
		`1 entry has a columns that is not an object, as dbt writes it (model.jaffle_shop.customers has ["customer_id"], ignored)`,
		`1 entry has a config that is not an object, as dbt writes it (model.jaffle_shop.orders has "table", ignored)`,
		`has the top-level key "nodes" more than once; the first was read`,
	} {
		if !hasWarning(b, want) {
			t.Errorf("no warning %q in %q", want, b.Warnings)
		}
	}
	if len(b.Resources) < 10 {
		t.Errorf("the first nodes were not read: %d resources", len(b.Resources))
	}
}

// A failures count that is no count is left out with a warning.
func TestRunResultsOddFailures(t *testing.T) {
	rr := []byte(`{"metadata": {"dbt_schema_version": "https://schemas.getdbt.com/dbt/run-results/v6.json", "dbt_version": "1.9.0", "generated_at": "2025-02-01T00:00:00Z"},
	 "results": [
	  {"unique_id": "test.p.a", "status": "fail", "failures": "three", "execution_time": 1, "timing": []},
	  {"unique_id": "test.p.b", "status": "fail", "failures": 1e20, "execution_time": 1, "timing": []},
	  {"unique_id": "test.p.c", "status": "fail", "failures": 3, "execution_time": 1, "timing": []}
	 ], "elapsed_time": 2, "args": {"which": "test"}}`)
	got, err := artifact.ParseRunResults(rr)
	if err != nil {
		t.Fatal(err)
	}
	want := `the run results: 2 results have a failures that is not a count of rows, as dbt writes it (test.p.a has "three", left out)`
	if !slices.ContainsFunc(got.Warnings, func(w string) bool { return strings.HasPrefix(w, want) }) {
		t.Errorf("warnings %q, want one starting %q", got.Warnings, want)
	}
	if got.Results[0].Failures != nil || got.Results[1].Failures != nil || got.Results[2].Failures == nil || *got.Results[2].Failures != 3 {
		t.Errorf("failures %v %v %v", got.Results[0].Failures, got.Results[1].Failures, got.Results[2].Failures)
	}
}

// A unique_id defined twice (in two sections) keeps the first definition
// and names one in the warning, with the file.
func TestManifestDuplicatesNameOne(t *testing.T) {
	var doc map[string]any
	if err := json.Unmarshal(fixture(t, "jaffle-dap-v12-1.11", "manifest"), &doc); err != nil {
		t.Fatal(err)
	}
	doc["exposures"].(map[string]any)["model.jaffle_shop.customers"] = doc["nodes"].(map[string]any)["model.jaffle_shop.customers"]
	data, _ := json.Marshal(doc)
	b, err := loadDir(t, writeFiles(t, map[string][]byte{"manifest.json": data}))
	if err != nil {
		t.Fatal(err)
	}
	if !hasWarning(b, "manifest.json defines 1 unique_id more than once (e.g. model.jaffle_shop.customers)") {
		t.Errorf("warnings %q", b.Warnings)
	}
}

// A result without unique_id and a status dbt does not write are said,
// not dropped or kept without a word (QA).
func TestOddResultsAreSaid(t *testing.T) {
	rr := []byte(`{"metadata": {"dbt_schema_version": "https://schemas.getdbt.com/dbt/run-results/v6.json", "dbt_version": "1.9.0", "generated_at": "2025-02-01T00:00:00Z"},
		"results": [
			{"unique_id": "model.jaffle_shop.orders", "status": "success", "execution_time": 1},
			{"unique_id": null, "status": "success", "execution_time": 1},
			{"unique_id": "model.jaffle_shop.customers", "status": "banana", "execution_time": 1}],
		"elapsed_time": 2, "args": {"which": "build"}}`)
	dir := writeFiles(t, map[string][]byte{"manifest.json": fixture(t, "jaffle-dap-v12-1.11", "manifest"), "run_results.json": rr})
	b, err := loadDir(t, dir)
	if err != nil {
		t.Fatal(err)
	}
	if !hasWarning(b, "run_results.json: 1 result skipped, being no result", "the 2nd in the list") {
		t.Errorf("no warning for the result without unique_id: %q", b.Warnings)
	}
	if !hasWarning(b, "run_results.json: 1 result has a status that is not one dbt writes", `model.jaffle_shop.customers has "banana"`) {
		t.Errorf("no warning for the unknown status: %q", b.Warnings)
	}
	if len(b.RunResults) != 2 {
		t.Errorf("%d results kept, want the two with a unique_id", len(b.RunResults))
	}
}
