package artifact_test

import (
	"compress/gzip"
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/lineagedesk/lineagedesk/backend"
	"github.com/lineagedesk/lineagedesk/backend/artifact"
)

const fixturesDir = "../../testdata/fixtures"

// readGeneric decodes a gzip JSON fixture into map[string]any: the
// independent view the tests compare the parser against.
func readGeneric(t testing.TB, path string) map[string]any {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	zr, err := gzip.NewReader(f)
	if err != nil {
		t.Fatal(err)
	}
	var v map[string]any
	if err := json.NewDecoder(zr).Decode(&v); err != nil {
		t.Fatalf("%s: %v", path, err)
	}
	return v
}

func obj(v any) map[string]any { m, _ := v.(map[string]any); return m }
func list(v any) []any         { l, _ := v.([]any); return l }
func text(v any) string        { s, _ := v.(string); return s }

func fixtureDatasets(t *testing.T) []string {
	entries, err := os.ReadDir(fixturesDir)
	if err != nil {
		t.Fatal(err)
	}
	var dirs []string
	for _, e := range entries {
		if e.IsDir() {
			dirs = append(dirs, e.Name())
		}
	}
	if len(dirs) < 10 {
		t.Fatalf("only %d datasets in %s", len(dirs), fixturesDir)
	}
	return dirs
}

func exists(path string) bool { _, err := os.Stat(path); return err == nil }

var resourceSections = map[string]string{
	"nodes": "", "sources": "source", "exposures": "exposure", "metrics": "metric",
	"semantic_models": "semantic_model", "saved_queries": "saved_query", "unit_tests": "unit_test",
	"macros": "macro", "docs": "doc", "groups": "group", "functions": "function",
}

// TestFixtures imports every real dataset and checks the bundle against
// values computed here from the raw JSON.
func TestFixtures(t *testing.T) {
	for _, name := range fixtureDatasets(t) {
		t.Run(name, func(t *testing.T) {
			dir := filepath.Join(fixturesDir, name)
			manifestPath := filepath.Join(dir, "manifest.json.gz")
			fs, err := artifact.Discover([]string{dir})
			if !exists(manifestPath) {
				if backend.ErrorCode(err) != backend.EINVALID || !strings.Contains(err.Error(), "no manifest.json") {
					t.Fatalf("a dataset without manifest must be refused with EINVALID, got %v", err)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			b, err := artifact.Load(context.Background(), fs)
			if err != nil {
				t.Fatal(err)
			}
			raw := readGeneric(t, manifestPath)
			checkMeta(t, b, raw)
			checkCounts(t, b, raw)
			checkEdges(t, b, raw)
			checkResources(t, b, raw)
			if p := filepath.Join(dir, "catalog.json.gz"); exists(p) {
				checkCatalog(t, b, readGeneric(t, p))
			}
			if p := filepath.Join(dir, "run_results.json.gz"); exists(p) {
				checkRunResults(t, b, raw, readGeneric(t, p))
			}
		})
	}
}

// enabledEntries lists the manifest's resources as (id, type, entry), first
// definition of an id winning.
func enabledEntries(raw map[string]any) map[string]map[string]any {
	out := map[string]map[string]any{}
	for section, defaultType := range resourceSections {
		for id, v := range obj(raw[section]) {
			e := obj(v)
			if e == nil {
				continue
			}
			if text(e["resource_type"]) == "" {
				e["resource_type"] = defaultType
			}
			if configDisabled(e) {
				continue
			}
			if _, dup := out[id]; !dup {
				out[id] = e
			}
		}
	}
	return out
}

// configDisabled: an entry listed among the enabled ones whose config says
// enabled: false (dbt 0.19 lists disabled tests so); dbt's selector leaves
// it out.
func configDisabled(e map[string]any) bool {
	enabled, set := obj(e["config"])["enabled"].(bool)
	return set && !enabled
}

func checkCounts(t *testing.T, b *backend.Bundle, raw map[string]any) {
	want := map[string]int{}
	for _, e := range enabledEntries(raw) {
		want[text(e["resource_type"])]++
	}
	got := b.Counts()
	for k, n := range want {
		if got[k] != n {
			t.Errorf("count of %s: got %d, want %d", k, got[k], n)
		}
	}
	for k, n := range got {
		if want[k] == 0 {
			t.Errorf("count of %s: got %d, want none", k, n)
		}
	}
	// Disabled: every id in `disabled` that no enabled resource has, once.
	enabled := enabledEntries(raw)
	wantDisabled := map[string]bool{}
	for section := range resourceSections {
		for id, v := range obj(raw[section]) {
			if e := obj(v); e != nil && configDisabled(e) && enabled[id] == nil {
				wantDisabled[id] = true
			}
		}
	}
	switch d := raw["disabled"].(type) {
	case []any:
		for _, e := range d {
			if id := text(obj(e)["unique_id"]); enabled[id] == nil {
				wantDisabled[id] = true
			}
		}
	case map[string]any:
		for id := range d {
			if enabled[id] == nil {
				wantDisabled[id] = true
			}
		}
	}
	gotDisabled := 0
	for _, r := range b.Resources {
		if !r.Enabled {
			gotDisabled++
			if !wantDisabled[r.UniqueID] {
				t.Errorf("unexpected disabled resource %s", r.UniqueID)
			}
		}
	}
	if gotDisabled != len(wantDisabled) {
		t.Errorf("disabled resources: got %d, want %d", gotDisabled, len(wantDisabled))
	}
	if !slices.IsSortedFunc(b.Resources, func(a, c backend.Resource) int { return strings.Compare(a.UniqueID, c.UniqueID) }) {
		t.Error("resources are not sorted by unique_id")
	}
}

func checkEdges(t *testing.T, b *backend.Bundle, raw map[string]any) {
	want := map[[2]string]bool{}
	for id, e := range enabledEntries(raw) {
		for _, p := range list(obj(e["depends_on"])["nodes"]) {
			want[[2]string{text(p), id}] = true
		}
	}
	got := map[[2]string]bool{}
	for _, r := range b.Resources {
		if !r.Enabled {
			continue
		}
		if !slices.IsSorted(r.DependsOn) || len(slices.Compact(slices.Clone(r.DependsOn))) != len(r.DependsOn) {
			t.Errorf("%s: depends_on not sorted and unique: %v", r.UniqueID, r.DependsOn)
		}
		for _, p := range r.DependsOn {
			got[[2]string{p, r.UniqueID}] = true
		}
	}
	if len(got) != len(want) {
		t.Errorf("edges: got %d, want %d", len(got), len(want))
	}
	for e := range want {
		if !got[e] {
			t.Errorf("missing edge %s -> %s", e[0], e[1])
			break
		}
	}
}

// checkResources compares per-resource fields that have a direct raw source.
func checkResources(t *testing.T, b *backend.Bundle, raw map[string]any) {
	byID := map[string]*backend.Resource{}
	for i := range b.Resources {
		byID[b.Resources[i].UniqueID] = &b.Resources[i]
	}
	for id, e := range enabledEntries(raw) {
		r := byID[id]
		if r == nil {
			t.Errorf("%s missing", id)
			continue
		}
		if r.Name != text(e["name"]) || r.Package != text(e["package_name"]) {
			t.Errorf("%s: name/package %q/%q, want %q/%q", id, r.Name, r.Package, text(e["name"]), text(e["package_name"]))
		}
		if p := text(e["original_file_path"]); p != "" && r.Path != strings.ReplaceAll(p, `\`, "/") {
			t.Errorf("%s: path %q, want %q", id, r.Path, p)
		}
		if strings.Contains(r.Path+r.PatchPath, `\`) || strings.Contains(r.PatchPath, "://") {
			t.Errorf("%s: paths not normalised: %q %q", id, r.Path, r.PatchPath)
		}
		var rawRes map[string]any
		if err := json.Unmarshal(r.Raw, &rawRes); err != nil || text(rawRes["unique_id"]) != text(e["unique_id"]) {
			t.Errorf("%s: Raw is not the entry's JSON (%v)", id, err)
		}
		if _, ok := e["macro_sql"]; !ok {
			if want := firstText(e["raw_code"], e["raw_sql"]); r.RawCode != want {
				t.Errorf("%s: raw code %.40q, want %.40q", id, r.RawCode, want)
			}
			if want := firstText(e["compiled_code"], e["compiled_sql"], e["injected_sql"]); r.CompiledCode != want {
				t.Errorf("%s: compiled code %.40q, want %.40q", id, r.CompiledCode, want)
			}
		}
		cfg := obj(e["config"])
		if r.Materialized != text(cfg["materialized"]) {
			t.Errorf("%s: materialized %q, want %q", id, r.Materialized, text(cfg["materialized"]))
		}
		switch r.ResourceType {
		case "macro":
			var macros []string
			for _, m := range list(obj(e["depends_on"])["macros"]) {
				macros = append(macros, text(m))
			}
			slices.Sort(macros)
			if r.RawCode != text(e["macro_sql"]) || !slices.Equal(r.DependsOnMacros, slices.Compact(macros)) {
				t.Errorf("%s: macro_sql or macro dependencies wrong", id)
			}
		case "doc":
			if r.Description != text(e["block_contents"]) {
				t.Errorf("%s: description is not block_contents", id)
			}
		case "model":
			want := firstText(e["access"], cfg["access"], "protected")
			if r.Access != want {
				t.Errorf("%s: access %q, want %q", id, r.Access, want)
			}
			if r.Identifier != text(e["alias"]) {
				t.Errorf("%s: identifier %q, want alias %q", id, r.Identifier, text(e["alias"]))
			}
		case "source":
			if r.Identifier != text(e["identifier"]) || r.Source == nil || r.Source.SourceName != text(e["source_name"]) {
				t.Errorf("%s: source fields wrong: %q %+v", id, r.Identifier, r.Source)
			}
		case "test":
			sev := strings.ToUpper(text(cfg["severity"]))
			if r.Test == nil || r.Test.Severity != sev {
				t.Errorf("%s: test info %+v, want severity %q", id, r.Test, sev)
				continue
			}
			wantType := "singular"
			if obj(e["test_metadata"]) != nil {
				wantType = "generic"
			}
			if r.Test.TestType != wantType {
				t.Errorf("%s: test type %q, want %q", id, r.Test.TestType, wantType)
			}
			deps := list(obj(e["depends_on"])["nodes"])
			if a := text(e["attached_node"]); a != "" && r.Test.AttachedNode != a {
				t.Errorf("%s: attached %q, want %q", id, r.Test.AttachedNode, a)
			} else if a == "" && len(deps) == 1 && r.Test.AttachedNode != text(deps[0]) {
				t.Errorf("%s: attached %q, want the single dependency %q", id, r.Test.AttachedNode, text(deps[0]))
			}
			// A derived target is one of the dependencies. (A declared one
			// need not be: Fusion attaches tests to Python models it omits.)
			if text(e["attached_node"]) == "" && r.Test.AttachedNode != "" && !slices.Contains(r.DependsOn, r.Test.AttachedNode) {
				t.Errorf("%s: attached %q is not a dependency", id, r.Test.AttachedNode)
			}
		}
	}
}

func firstText(vs ...any) string {
	for _, v := range vs {
		if s := text(v); s != "" {
			return s
		}
	}
	return ""
}

func checkCatalog(t *testing.T, b *backend.Bundle, cat map[string]any) {
	byID := map[string]*backend.Resource{}
	for i := range b.Resources {
		byID[b.Resources[i].UniqueID] = &b.Resources[i]
	}
	tables := 0
	for _, section := range []string{"nodes", "sources"} {
		for id, v := range obj(cat[section]) {
			tables++
			r := byID[id]
			if r == nil {
				continue
			}
			for key, c := range obj(obj(v)["columns"]) {
				col := obj(c)
				var found *backend.Column
				for i := range r.Columns {
					if strings.EqualFold(r.Columns[i].Name, text(col["name"])) && r.Columns[i].InCatalog {
						found = &r.Columns[i]
					}
				}
				if found == nil {
					t.Errorf("%s: catalog column %s missing", id, key)
					continue
				}
				if found.CatalogType != text(col["type"]) || found.Index != int(col["index"].(float64)) {
					t.Errorf("%s.%s: type/index %q/%d, want %v/%v", id, key, found.CatalogType, found.Index, col["type"], col["index"])
				}
			}
			for i := 1; i < len(r.Columns); i++ {
				a, c := r.Columns[i-1], r.Columns[i]
				if c.InCatalog && (!a.InCatalog || a.Index > c.Index) {
					t.Errorf("%s: columns not in catalog order at %s", id, c.Name)
				}
			}
		}
	}
	if len(b.Catalog) != tables {
		t.Errorf("catalog tables: got %d, want %d", len(b.Catalog), tables)
	}
}

func checkRunResults(t *testing.T, b *backend.Bundle, manifest, rr map[string]any) {
	args := obj(rr["args"])
	which := firstText(args["which"], args["rpc_method"])
	if b.Meta.RunCommand != which {
		t.Errorf("run command %q, want %q", b.Meta.RunCommand, which)
	}
	results := list(rr["results"])
	if len(b.RunResults) != len(results) {
		t.Fatalf("run results: got %d, want %d", len(b.RunResults), len(results))
	}
	types := map[string]string{}
	for id, e := range enabledEntries(manifest) {
		types[id] = text(e["resource_type"])
	}
	outcomes := 0
	for i, v := range results {
		res := obj(v)
		got := b.RunResults[i]
		id := text(res["unique_id"])
		if got.UniqueID != id || got.Status != text(res["status"]) {
			t.Errorf("result %d: %s/%s, want %s/%s", i, got.UniqueID, got.Status, id, res["status"])
		}
		isTest := types[id] == "test" || types[id] == "unit_test"
		want := isTest && (which == "test" || which == "build")
		if got.IsTestOutcome != want {
			t.Errorf("%s: IsTestOutcome %v, want %v (which=%s)", id, got.IsTestOutcome, want, which)
		}
		if want {
			outcomes++
		}
		if f, ok := res["failures"].(float64); ok && (got.Failures == nil || *got.Failures != int64(f)) {
			t.Errorf("%s: failures %v, want %v", id, got.Failures, f)
		}
	}
	t.Logf("%d results, %d test outcomes (which=%s)", len(results), outcomes, which)
}

func checkMeta(t *testing.T, b *backend.Bundle, raw map[string]any) {
	md := obj(raw["metadata"])
	if p := text(md["project_name"]); p != "" && b.Meta.Project != p {
		t.Errorf("project %q, want %q", b.Meta.Project, p)
	}
	if b.Meta.Project == "" {
		t.Error("no project name")
	}
	if b.Meta.DbtVersion != text(md["dbt_version"]) || b.Meta.AdapterType != text(md["adapter_type"]) || b.Meta.InvocationID != text(md["invocation_id"]) {
		t.Errorf("meta %+v, want %v", b.Meta, md)
	}
	url := text(md["dbt_schema_version"])
	if v := b.Meta.SchemaVersions[backend.ArtifactManifest]; !strings.HasSuffix(url, "/v"+itoa(v)+".json") {
		t.Errorf("manifest schema version %d, declared %s", v, url)
	}
	if b.Meta.GeneratedAt.IsZero() || b.Meta.GeneratedAt.Format("2006-01-02T15:04:05") != text(md["generated_at"])[:19] {
		t.Errorf("generated_at %v, want %v", b.Meta.GeneratedAt, md["generated_at"])
	}
}
