package artifact_test

import (
	"encoding/json"
	"slices"
	"strings"
	"testing"

	"github.com/lineagedesk/lineagedesk/backend"
	"github.com/lineagedesk/lineagedesk/backend/artifact"
)

// A tiny manifest whose refs disagree with depends_on: lineage must follow
// depends_on whatever shape refs has.
func miniManifest(version int, refs, disabled string) []byte {
	return []byte(`{"metadata": {"dbt_schema_version": "https://schemas.getdbt.com/dbt/manifest/v` + itoa(version) + `.json", "dbt_version": "1.5.0"},
 "nodes": {
  "model.p.a": {"unique_id": "model.p.a", "resource_type": "model", "name": "a", "package_name": "p", "raw_code": "select 1", "depends_on": {"nodes": []}, "config": {"materialized": "table", "tags": "solo", "meta": {"owner": "x"}}, "meta": {"team": "y"}, "tags": []},
  "model.p.b": {"unique_id": "model.p.b", "resource_type": "model", "name": "b", "package_name": "p", "raw_sql": "select * from a", "compiled_sql": "select * from p.a", "refs": ` + refs + `, "depends_on": {"nodes": ["model.p.a", "model.p.a"]}, "config": {"enabled": true}, "version": 2.0, "latest_version": "2"}
 },
 "sources": {}, "macros": {}, "docs": {}, "exposures": {
  "exposure.p.Weekly report": {"unique_id": "exposure.p.Weekly report", "name": "Weekly report", "package_name": "p", "type": "dashboard", "owner": {"name": "Ann", "email": ["ann@x.io", "bob@x.io"]}, "depends_on": {"nodes": ["model.p.b"]}}
 },
 "disabled": ` + disabled + `}`)
}

func itoa(n int) string { b, _ := json.Marshal(n); return string(b) }

func TestRefsShapesDoNotDriveLineage(t *testing.T) {
	for _, c := range []struct {
		version int
		refs    string
	}{
		{8, `[["c"], ["other", "d"]]`},
		{9, `[{"name": "c", "package": null, "version": null}, {"name": "d", "package": "other", "version": 3}]`},
	} {
		m, err := artifact.ParseManifest(miniManifest(c.version, c.refs, `{}`))
		if err != nil {
			t.Fatalf("v%d: %v", c.version, err)
		}
		b := m.Resources[slices.IndexFunc(m.Resources, func(r backend.Resource) bool { return r.UniqueID == "model.p.b" })]
		if !slices.Equal(b.DependsOn, []string{"model.p.a"}) {
			t.Errorf("v%d: depends_on %v, want [model.p.a] (deduplicated, not from refs)", c.version, b.DependsOn)
		}
		if b.RawCode != "select * from a" || b.CompiledCode != "select * from p.a" || b.Language != "sql" {
			t.Errorf("v%d: raw_sql/compiled_sql not normalised: %q %q %q", c.version, b.RawCode, b.CompiledCode, b.Language)
		}
		if b.Version != "2" || b.LatestVersion != "2" {
			t.Errorf("v%d: version %q latest %q, want 2 and 2", c.version, b.Version, b.LatestVersion)
		}
	}
	// Real files of both shapes: refs are lists in v8 and objects in v9.
	for _, ds := range []string{"jaffle-dap-v8", "jaffle-dap-v9"} {
		if deps := resource(t, loadDataset(t, ds), "model.jaffle_shop.customers").DependsOn; len(deps) == 0 {
			t.Errorf("%s: customers has no dependencies", ds)
		}
	}
}

func TestMixedTypesAndMetaMerge(t *testing.T) {
	m, err := artifact.ParseManifest(miniManifest(12, `[]`, `{}`))
	if err != nil {
		t.Fatal(err)
	}
	a := m.Resources[slices.IndexFunc(m.Resources, func(r backend.Resource) bool { return r.UniqueID == "model.p.a" })]
	if a.UniqueID != "model.p.a" || !slices.Equal(a.Tags, []string{"solo"}) || a.Materialized != "table" || a.Access != "protected" {
		t.Errorf("model.p.a: %+v", a)
	}
	var meta map[string]string
	if err := json.Unmarshal(a.Meta, &meta); err != nil || meta["owner"] != "x" || meta["team"] != "y" {
		t.Errorf("meta not merged with config.meta: %s", a.Meta)
	}
	exp := m.Resources[slices.IndexFunc(m.Resources, func(r backend.Resource) bool { return r.ResourceType == backend.TypeExposure })]
	if exp.UniqueID != "exposure.p.Weekly report" || exp.Exposure == nil || exp.Exposure.OwnerEmail != "ann@x.io, bob@x.io" || exp.Exposure.OwnerName != "Ann" {
		t.Errorf("exposure: %+v %+v", exp, exp.Exposure)
	}
}

func TestDisabledShapes(t *testing.T) {
	// Hand-written: an enabled id also disabled, and two definitions of one disabled id.
	enabledDup := `{"model.p.a": [{"unique_id": "model.p.a", "resource_type": "model", "name": "a_old", "package_name": "p"}],
	 "seed.p.s": [{"unique_id": "seed.p.s", "resource_type": "seed", "name": "first", "package_name": "p"}, {"unique_id": "seed.p.s", "resource_type": "seed", "name": "second", "package_name": "p"}]}`
	listShape := `[{"unique_id": "model.p.a", "resource_type": "model", "name": "a_old", "package_name": "p"},
	 {"unique_id": "seed.p.s", "resource_type": "seed", "name": "first", "package_name": "p"}, {"unique_id": "seed.p.s", "resource_type": "seed", "name": "second", "package_name": "p"}]`
	for version, disabled := range map[int]string{12: enabledDup, 3: listShape} {
		m, err := artifact.ParseManifest(miniManifest(version, `[]`, disabled))
		if err != nil {
			t.Fatalf("v%d: %v", version, err)
		}
		var ids []string
		for _, r := range m.Resources {
			if r.UniqueID == "model.p.a" && (!r.Enabled || r.Name != "a") {
				t.Errorf("v%d: the enabled model.p.a was replaced by its disabled twin", version)
			}
			if !r.Enabled {
				ids = append(ids, r.UniqueID+"="+r.Name)
			}
		}
		if !slices.Equal(ids, []string{"seed.p.s=first"}) {
			t.Errorf("v%d: disabled %v, want [seed.p.s=first]", version, ids)
		}
	}
	// Real files: a list in v1, a map in v12. hubspot's dbt 0.19 manifest
	// also lists two tests among its nodes with config.enabled false.
	for ds, want := range map[string]int{"hubspot-v1-dbt0.19-bigquery": 21 + 2, "hubspot-v12-dbt1.11-postgres": 43} {
		n := 0
		for _, r := range loadDataset(t, ds).Resources {
			if !r.Enabled {
				n++
			}
		}
		if n != want {
			t.Errorf("%s: %d disabled resources, want %d", ds, n, want)
		}
	}
}

// Metrics: legacy (v4-v6: type/sql), v7-v9 (calculation_method/expression)
// and MetricFlow (v10+: type_params) all import with their dependencies.
func TestMetricShapes(t *testing.T) {
	for _, ds := range []string{"dbtcore-state-v4", "dbtcore-state-v7", "dbtcore-state-v10", "jaffle-dap-v12-1.11"} {
		raw := readGeneric(t, fixturesDir+"/"+ds+"/manifest.json.gz")
		b := loadDataset(t, ds)
		metrics := obj(raw["metrics"])
		if len(metrics) == 0 {
			t.Fatalf("%s: fixture has no metrics", ds)
		}
		for id, v := range metrics {
			r := resource(t, b, id)
			var want []string
			for _, n := range list(obj(obj(v)["depends_on"])["nodes"]) {
				want = append(want, text(n))
			}
			slices.Sort(want)
			if r.ResourceType != backend.TypeMetric || r.Name != text(obj(v)["name"]) || !slices.Equal(r.DependsOn, slices.Compact(want)) {
				t.Errorf("%s %s: %s %q deps %v, want %v", ds, id, r.ResourceType, r.Name, r.DependsOn, want)
			}
		}
	}
}

func TestWindowsPaths(t *testing.T) {
	raw := readGeneric(t, fixturesDir+"/tuva-v6-dbt1.2/manifest.json.gz")
	b := loadDataset(t, "tuva-v6-dbt1.2")
	backslashed := 0
	var r *backend.Resource
	for id, v := range obj(raw["nodes"]) {
		p := text(obj(v)["original_file_path"])
		if !strings.Contains(p, `\`) {
			continue
		}
		backslashed++
		r = resource(t, b, id)
		if r.Path != strings.ReplaceAll(p, `\`, "/") {
			t.Errorf("%s: path %q from %q", id, r.Path, p)
		}
		if pp := text(obj(v)["patch_path"]); pp != "" {
			_, rest, _ := strings.Cut(pp, "://")
			if r.PatchPath != strings.ReplaceAll(rest, `\`, "/") {
				t.Errorf("%s: patch path %q from %q", id, r.PatchPath, pp)
			}
		}
	}
	if backslashed < 10 {
		t.Fatalf("only %d Windows paths in the fixture", backslashed)
	}
	if r.Folder() == "" || strings.Contains(r.Folder(), `\`) {
		t.Errorf("folder %q", r.Folder())
	}
}

func TestSeverityUpperCase(t *testing.T) {
	b := loadDataset(t, "tuva-v11-dbt1.7")
	seen := map[string]int{}
	for _, r := range b.Resources {
		if r.Test != nil && r.Test.TestType != "unit" {
			seen[r.Test.Severity]++
		}
	}
	// The fixture spells severity ERROR, WARN and warn.
	if len(seen) != 2 || seen["ERROR"] == 0 || seen["WARN"] == 0 {
		t.Errorf("severities %v, want only ERROR and WARN", seen)
	}
}

func TestVersionedModelsAndExposureWithSpaces(t *testing.T) {
	// v11 writes versions as strings, v12 (1.9) as numbers: both read "2".
	for _, ds := range []string{"bouncer-v11-dbt1.7-duckdb", "bouncer-v12-dbt1.9-duckdb"} {
		b := loadDataset(t, ds)
		v2 := resource(t, b, "model.dbt_bouncer_test_project.customers.v2")
		if v2.Name != "customers" || v2.Version != "2" || v2.LatestVersion == "" || !strings.HasSuffix(v2.FQN[len(v2.FQN)-1], "v2") {
			t.Errorf("%s: versioned model %q v%q latest %q fqn %v", ds, v2.Name, v2.Version, v2.LatestVersion, v2.FQN)
		}
		exp := resource(t, b, "exposure.dbt_bouncer_test_project.Pulse queries")
		if exp.Name != "Pulse queries" || exp.Exposure == nil || exp.Exposure.OwnerEmail == "" || len(exp.DependsOn) == 0 {
			t.Errorf("%s: exposure %+v %+v", ds, exp, exp.Exposure)
		}
	}
}

func TestUnitTestsFromRealBuild(t *testing.T) {
	raw := readGeneric(t, fixturesDir+"/bouncer-build-v12-dbt1.11-duckdb/manifest.json.gz")
	b := loadDataset(t, "bouncer-build-v12-dbt1.11-duckdb")
	if b.Meta.RunCommand != "build" {
		t.Fatalf("run command %q", b.Meta.RunCommand)
	}
	units := obj(raw["unit_tests"])
	if len(units) == 0 {
		t.Fatal("fixture has no unit tests")
	}
	for id, v := range units {
		r := resource(t, b, id)
		deps := list(obj(obj(v)["depends_on"])["nodes"])
		if r.Test == nil || r.Test.TestType != "unit" || len(deps) != 1 || r.Test.AttachedNode != text(deps[0]) {
			t.Errorf("%s: test info %+v, want unit attached to %v", id, r.Test, deps)
		}
	}
	unitOutcomes := 0
	for _, res := range b.RunResults {
		if strings.HasPrefix(res.UniqueID, "unit_test.") {
			if !res.IsTestOutcome || res.Status != "pass" {
				t.Errorf("%s: %s outcome=%v", res.UniqueID, res.Status, res.IsTestOutcome)
			}
			unitOutcomes++
		}
		if strings.HasPrefix(res.UniqueID, "model.") && res.IsTestOutcome {
			t.Errorf("%s: a model result is not a test outcome", res.UniqueID)
		}
	}
	if unitOutcomes != len(units) {
		t.Errorf("%d unit test results, want %d", unitOutcomes, len(units))
	}
	// The versioned unit test is attached to the version it tests.
	if r := resource(t, b, "unit_test.dbt_bouncer_test_project.customers.test_clv_logic_v2"); r.Test.AttachedNode != "model.dbt_bouncer_test_project.customers.v2" {
		t.Errorf("v2 unit test attached to %q", r.Test.AttachedNode)
	}
}

func TestFusion(t *testing.T) {
	raw := readGeneric(t, fixturesDir+"/bouncer-v12-fusion2.0-duckdb/manifest.json.gz")
	b := loadDataset(t, "bouncer-v12-fusion2.0-duckdb")
	if b.Meta.SchemaVersions[backend.ArtifactManifest] != 12 || !strings.HasPrefix(b.Meta.DbtVersion, "2.") || b.Meta.Project != "dbt_bouncer_test_project" {
		t.Errorf("meta %+v", b.Meta)
	}
	// Fusion leaves out top-level group on nodes and test_metadata.namespace:
	// tests are still generic, models still get the default access.
	generic := 0
	for id, v := range obj(raw["nodes"]) {
		r := resource(t, b, id)
		if obj(obj(v)["test_metadata"]) != nil {
			generic++
			if r.Test == nil || r.Test.TestType != "generic" || r.Test.TestName == "" {
				t.Errorf("%s: %+v", id, r.Test)
			}
		}
		if r.ResourceType == backend.TypeModel && r.Access == "" {
			t.Errorf("%s: no access", id)
		}
	}
	if generic == 0 {
		t.Fatal("no generic tests in the Fusion fixture")
	}

	// Early Fusion previews labelled the same layout v20: read as v12, quietly.
	data := replaceOnce(t, fixture(t, "bouncer-v12-fusion2.0-duckdb", "manifest"), "manifest/v12.json", "manifest/v20.json")
	m, err := artifact.ParseManifest(data)
	if err != nil {
		t.Fatal(err)
	}
	if m.Header.SchemaVersion != 20 || m.Header.ReadAs != 12 || len(m.Warnings) != 0 || len(m.Resources) != len(b.Resources) {
		t.Errorf("v20: header %+v, %d warnings, %d resources (want %d)", m.Header, len(m.Warnings), len(m.Resources), len(b.Resources))
	}
}

func TestProjectInference(t *testing.T) {
	// Manifests before v10 have no project_name; the v10+ manifests of the
	// same repositories name the project.
	for ds, want := range map[string]string{
		"jaffle-dap-v9":               "jaffle_shop",
		"jaffle-dap-v1":               "jaffle_shop",
		"bouncer-v9-dbt1.5-duckdb":    "dbt_bouncer_test_project",
		"hubspot-v4-dbt1.0-postgres":  "hubspot_integration_tests",
		"hubspot-v1-dbt0.19-bigquery": "hubspot_integration_tests",
	} {
		if got := loadDataset(t, ds).Meta.Project; got != want {
			t.Errorf("%s: project %q, want %q", ds, got, want)
		}
	}
}

func TestCaseInsensitiveCatalogColumns(t *testing.T) {
	// Snowflake: the catalog says CLAIM_ID where the YAML says claim_id.
	b := loadDataset(t, "tuva-v11-dbt1.7")
	joined, catalogOnly := 0, 0
	for _, r := range b.Resources {
		for _, c := range r.Columns {
			switch {
			case c.InManifest && c.InCatalog:
				joined++
				if c.CatalogType == "" || c.Index == 0 {
					t.Errorf("%s.%s joined without type/index", r.UniqueID, c.Name)
				}
			case c.InCatalog:
				catalogOnly++
			}
		}
	}
	if joined == 0 || catalogOnly == 0 {
		t.Errorf("joined %d, catalog-only %d: want both", joined, catalogOnly)
	}
}

// Before v9 manifests have no attached_node. A relationships test depends
// on two models; it is about the one kwargs.model names, which dbt itself
// records as attached_node in later manifests of the same project.
func TestAttachedNodeFallback(t *testing.T) {
	const id = "test.jaffle_shop.relationships_orders_customer_id__customer_id__ref_customers_.c6ec7f58f2"
	later := obj(obj(readGeneric(t, fixturesDir+"/jaffle-dap-v10/manifest.json.gz")["nodes"])[id])
	want := text(later["attached_node"])
	if want == "" {
		t.Fatal("v10 fixture has no attached_node for the relationships test")
	}
	for _, ds := range []string{"jaffle-dap-v4", "jaffle-dap-v6", "jaffle-dap-v7", "jaffle-dap-v8"} {
		r := resource(t, loadDataset(t, ds), id)
		if len(r.DependsOn) != 2 || r.Test.AttachedNode != want {
			t.Errorf("%s: attached %q (deps %v), want %q", ds, r.Test.AttachedNode, r.DependsOn, want)
		}
	}
	// Source tests have attached_node null: they attach to their source.
	raw := readGeneric(t, fixturesDir+"/bouncer-v12-dbt1.11-duckdb/manifest.json.gz")
	b := loadDataset(t, "bouncer-v12-dbt1.11-duckdb")
	found := 0
	for tid, v := range obj(raw["nodes"]) {
		deps := list(obj(obj(v)["depends_on"])["nodes"])
		if text(obj(v)["resource_type"]) == "test" && len(deps) == 1 && strings.HasPrefix(text(deps[0]), "source.") && obj(v)["attached_node"] == nil {
			found++
			if got := resource(t, b, tid).Test.AttachedNode; got != text(deps[0]) {
				t.Errorf("%s: attached %q, want %q", tid, got, deps[0])
			}
		}
	}
	if found == 0 {
		t.Error("no source test without attached_node in the fixture")
	}
	// A singular test of a model and its input (dbt attaches it to nothing)
	// goes with the model that reads the other; its failure showed nowhere.
	tuva := loadDataset(t, "tuva-v7-dbt1.3")
	if got := resource(t, tuva, "test.the_tuva_project.header_validation__claim_counts").Test.AttachedNode; got != "model.the_tuva_project.normalized_input__medical_claim" {
		t.Errorf("claim counts test attached to %q, want the normalising model", got)
	}
}
