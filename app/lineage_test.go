package app_test

import (
	"encoding/csv"
	"encoding/json"
	"fmt"
	"maps"
	"math"
	"os"
	"path/filepath"
	"reflect"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/lineagedesk/lineagedesk/app"
	"github.com/lineagedesk/lineagedesk/backend"
	"github.com/lineagedesk/lineagedesk/backend/synth"
)

// TestLineageBeforeAndAfterTheGraphLoads checks that a selection answered
// before the snapshot's whole graph is in memory (from the store's reach
// tables) is the very picture the whole graph gives afterwards, in every
// format, and that a name that matches nothing still gets the whole
// graph's near-name suggestions.
func TestLineageBeforeAndAfterTheGraphLoads(t *testing.T) {
	dataset := "bouncer-build-v12-dbt1.11-duckdb"
	render := func() map[string]string {
		a, _, _ := openApp(t)
		if _, err := a.ImportPaths([]string{filepath.Join(fixtures, dataset)}, ""); err != nil {
			t.Fatal(err)
		}
		out := map[string]string{}
		for _, sel := range []string{"+orders+", "1+stg_orders+2", "model.dbt_bouncer_test_project.stg_customers+"} {
			for _, format := range []string{"json", "dot", "mermaid", "svg", "csv"} {
				res, err := a.Lineage(app.LineageRequest{Select: sel, Format: format, GroupBy: "none"})
				if err != nil {
					t.Fatalf("%s as %s: %v", sel, format, err)
				}
				out[sel+" "+format] = res.Content
			}
		}
		_, err := a.Lineage(app.LineageRequest{Select: "+ordres+", Format: "json"})
		if backend.ErrorCode(err) != backend.ENOTFOUND || !strings.Contains(err.Error(), "orders") {
			t.Errorf("a misspelt name: %v, want ENOTFOUND suggesting orders", err)
		}
		return out
	}
	first := render() // a fresh app: no whole graph in memory yet

	a, _, _ := openApp(t)
	if _, err := a.ImportPaths([]string{filepath.Join(fixtures, dataset)}, ""); err != nil {
		t.Fatal(err)
	}
	// A group of the selection's own needs the whole graph, which Lineage
	// then selects on.
	if _, err := a.Lineage(app.LineageRequest{Select: "orders", Format: "json", GroupBy: "select:stg_orders"}); err != nil {
		t.Fatal(err)
	}
	// Given downstream first, by name: the answer names the ends as the paths run.
	paths, err := a.Paths(0, "orders", "model.dbt_bouncer_test_project.stg_orders", 0)
	if err != nil {
		t.Fatal(err)
	}
	if paths.From != "model.dbt_bouncer_test_project.stg_orders" || paths.To != "model.dbt_bouncer_test_project.orders" || len(paths.Paths) == 0 || paths.Paths[0][0] != paths.From || !paths.Reversed {
		t.Errorf("paths: from %s to %s (reversed %v), %v", paths.From, paths.To, paths.Reversed, paths.Paths)
	}
	if upFirst, err := a.Paths(0, "stg_orders", "orders", 0); err != nil || upFirst.Reversed || len(upFirst.Paths) != len(paths.Paths) {
		t.Errorf("paths given upstream first: reversed %v, %d paths (%v), want %d as they run", upFirst.Reversed, len(upFirst.Paths), err, len(paths.Paths))
	}
	for key, want := range first {
		sel, format, _ := strings.Cut(key, " ")
		res, err := a.Lineage(app.LineageRequest{Select: sel, Format: format, GroupBy: "none"})
		if err != nil {
			t.Fatal(err)
		}
		if res.Content != want {
			t.Errorf("%s as %s differs once the whole graph is loaded", sel, format)
		}
	}
}

// TestLineageConfigMethod selects on config keys the graph does not carry
// (config.schema:, nested meta keys, a list member, severity) through the
// application, against the manifest's configs of nodes and sources.
func TestLineageConfigMethod(t *testing.T) {
	dataset := "bouncer-build-v12-dbt1.11-duckdb"
	a, _, _ := openApp(t)
	if _, err := a.ImportPaths([]string{filepath.Join(fixtures, dataset)}, ""); err != nil {
		t.Fatal(err)
	}
	m := manifestJSON(t, dataset)
	expect := func(includeTests bool, match func(cfg map[string]any) bool) []string {
		var ids []string
		for _, section := range []string{"nodes", "sources"} {
			for id, o := range m[section].(map[string]any) {
				obj := o.(map[string]any)
				cfg, _ := obj["config"].(map[string]any)
				if cfg != nil && match(cfg) && (includeTests || obj["resource_type"] != "test") {
					ids = append(ids, id)
				}
			}
		}
		slices.Sort(ids)
		return ids
	}
	meta := func(cfg map[string]any, key string) any {
		mm, _ := cfg["meta"].(map[string]any)
		return mm[key]
	}
	cases := []struct {
		select_ string
		tests   bool
		match   func(cfg map[string]any) bool
	}{
		{"config.schema:stg_tiktok_ads", false, func(c map[string]any) bool { return c["schema"] == "stg_tiktok_ads" }},
		{"config.meta.maturity:gold", false, func(c map[string]any) bool { return meta(c, "maturity") == "gold" }},
		{"config.meta.contact.slack:@anna", false, func(c map[string]any) bool {
			contact, _ := meta(c, "contact").(map[string]any)
			return contact["slack"] == "@anna"
		}},
		{"config.meta.dbt-bouncer.skip_checks:check_model_has_meta_keys", false, func(c map[string]any) bool {
			skip, _ := meta(c, "dbt-bouncer").(map[string]any)
			list, _ := skip["skip_checks"].([]any)
			return slices.Contains(list, any("check_model_has_meta_keys"))
		}},
		{"config.enabled:True", false, func(c map[string]any) bool { return c["enabled"] == true }},
		{"config.severity:error", true, func(c map[string]any) bool { s, _ := c["severity"].(string); return strings.EqualFold(s, "error") }},
	}
	for _, c := range cases {
		want := expect(c.tests, c.match)
		if len(want) == 0 {
			t.Fatalf("%s: the fixture has nothing to select", c.select_)
		}
		res, err := a.Lineage(app.LineageRequest{Select: c.select_, Format: "json"})
		if err != nil {
			t.Errorf("%s: %v", c.select_, err)
			continue
		}
		var got []string
		for _, n := range res.Nodes {
			got = append(got, n.UniqueID)
		}
		if !slices.Equal(got, want) {
			t.Errorf("%s:\n got %v\nwant %v", c.select_, got, want)
		}
	}
	_, err := a.Lineage(app.LineageRequest{Select: "config.schema:nowhere", Format: "json"})
	if backend.ErrorCode(err) != backend.ENOTFOUND || !strings.Contains(err.Error(), "config.schema") {
		t.Errorf("config.schema:nowhere: %v, want ENOTFOUND naming it", err)
	}
}

// TestLineageYAMLSelector: the project's YAML selectors come with the
// import, are listed, and select (and group) through selector:NAME; the
// one marked default: true selects when no selector is given.
func TestLineageYAMLSelector(t *testing.T) {
	a, _, _ := openApp(t)
	if _, err := a.ImportPaths([]string{filepath.Join(fixtures, "bouncer-build-v12-dbt1.11-duckdb")}, ""); err != nil {
		t.Fatal(err)
	}
	named, err := a.Selectors(0)
	if err != nil || len(named) != 1 || named[0].Name != "nodes_to_exclude" || !named[0].Default {
		t.Fatalf("selectors %+v, %v", named, err)
	}
	ids := func(req app.LineageRequest) []string {
		t.Helper()
		req.Format = "json"
		res, err := a.Lineage(req)
		if err != nil {
			t.Fatalf("%+v: %v", req, err)
		}
		var out []string
		for _, n := range res.Nodes {
			out = append(out, n.UniqueID)
		}
		return out
	}
	// Its definition is {method: package, value: dbt_bouncer_test_project}.
	want := ids(app.LineageRequest{Select: "package:dbt_bouncer_test_project"})
	if got := ids(app.LineageRequest{Select: "selector:nodes_to_exclude"}); len(want) == 0 || !slices.Equal(got, want) {
		t.Errorf("selector:nodes_to_exclude selects %d nodes, package:dbt_bouncer_test_project %d", len(got), len(want))
	}
	res, err := a.Lineage(app.LineageRequest{Select: "+orders+", GroupBy: "select:selector:nodes_to_exclude", Format: "json"})
	if err != nil || len(res.Groups) != 1 || res.Groups[0].Members == 0 {
		t.Errorf("grouped by the selector: %+v, %v", res.Groups, err)
	}
	_, err = a.Lineage(app.LineageRequest{Select: "selector:nodes_to_include", Format: "json"})
	if backend.ErrorCode(err) != backend.ENOTFOUND || !strings.Contains(err.Error(), `its selectors are "nodes_to_exclude"`) {
		t.Errorf("an unknown selector: %v", err)
	}
	// Without a selector, dbt uses the one marked default: true.
	res, err = a.Lineage(app.LineageRequest{Format: "json"})
	if err != nil || res.Select != "selector:nodes_to_exclude" || len(res.Warnings) == 0 || !strings.Contains(res.Warnings[0], "default YAML selector") {
		t.Fatalf("no selector: %+v, %v", res.Warnings, err)
	}
	if got := ids(app.LineageRequest{}); !slices.Equal(got, want) {
		t.Errorf("no selector selects %d nodes, the default selector %d", len(got), len(want))
	}
	if _, err := a.Lineage(app.LineageRequest{Exclude: "tag:x", Format: "json"}); backend.ErrorCode(err) != backend.EINVALID {
		t.Errorf("only --exclude: %v, want EINVALID", err)
	}
	// The API checks a PNG's scale as the CLI does (serve passed -5 on as 1).
	for _, scale := range []float64{-5, 41, 0.001, 1e-300, math.NaN()} {
		if _, err := a.Lineage(app.LineageRequest{Select: "orders", Format: "png", Scale: scale}); backend.ErrorCode(err) != backend.EINVALID || !strings.Contains(err.Error(), "scale") {
			t.Errorf("scale %g: %v, want EINVALID", scale, err)
		}
	}
	other, err := a.ImportPaths([]string{filepath.Join(fixtures, "jaffle-dap-v12-1.11", "manifest.json.gz")}, "")
	if err != nil {
		t.Fatal(err)
	}
	_, err = a.Lineage(app.LineageRequest{SnapshotID: other.SnapshotID, Format: "json"})
	if backend.ErrorCode(err) != backend.EINVALID || !strings.Contains(err.Error(), "default: true") {
		t.Errorf("no selector and no default one: %v", err)
	}
}

// TestLineageResultMethod selects by the snapshot's own run results
// (result:<status>, tests included) on a generated project whose build has
// errors, skips, failures and warnings, against its run_results.json.
func TestLineageResultMethod(t *testing.T) {
	a, dir := synthApp(t, synth.Spec{Models: 1000, Seed: 1})
	raw, err := os.ReadFile(filepath.Join(dir, "run_results.json"))
	if err != nil {
		t.Fatal(err)
	}
	var rr struct {
		Results []struct {
			UniqueID string `json:"unique_id"`
			Status   string `json:"status"`
		} `json:"results"`
	}
	if err := json.Unmarshal(raw, &rr); err != nil {
		t.Fatal(err)
	}
	latest := map[string]string{}
	for _, r := range rr.Results {
		latest[r.UniqueID] = r.Status
	}
	want := map[string][]string{}
	for id, status := range latest {
		want[status] = append(want[status], id)
	}
	for _, status := range []string{"error", "skipped", "fail", "warn"} {
		if len(want[status]) == 0 {
			t.Fatalf("the generated build has no %q result", status)
		}
	}
	for status, ids := range want {
		slices.Sort(ids)
		res, err := a.Lineage(app.LineageRequest{Select: "result:" + status, Format: "json"})
		if err != nil {
			t.Errorf("result:%s: %v", status, err)
			continue
		}
		var got []string
		for _, n := range res.Nodes {
			got = append(got, n.UniqueID)
		}
		if !slices.Equal(got, ids) {
			t.Errorf("result:%s: %d nodes, want %d", status, len(got), len(ids))
		}
	}
	// result:error+ is what errored, tests too, and what depends on it,
	// tests not (hidden, as downstream of any selection).
	var m struct {
		Nodes map[string]struct {
			ResourceType string `json:"resource_type"`
			DependsOn    struct {
				Nodes []string `json:"nodes"`
			} `json:"depends_on"`
		} `json:"nodes"`
		Exposures map[string]struct {
			DependsOn struct {
				Nodes []string `json:"nodes"`
			} `json:"depends_on"`
		} `json:"exposures"`
	}
	raw, err = os.ReadFile(filepath.Join(dir, "manifest.json"))
	if err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal(raw, &m); err != nil {
		t.Fatal(err)
	}
	children := map[string][]string{}
	isTest := map[string]bool{}
	for id, n := range m.Nodes {
		isTest[id] = n.ResourceType == "test" || n.ResourceType == "unit_test"
		for _, p := range n.DependsOn.Nodes {
			children[p] = append(children[p], id)
		}
	}
	for id, e := range m.Exposures {
		for _, p := range e.DependsOn.Nodes {
			children[p] = append(children[p], id)
		}
	}
	reached := map[string]bool{}
	queue := slices.Clone(want["error"])
	for len(queue) > 0 {
		id := queue[0]
		queue = queue[1:]
		for _, c := range children[id] {
			if !reached[c] {
				reached[c] = true
				queue = append(queue, c)
			}
		}
	}
	var wantDown []string
	for id := range reached {
		if !isTest[id] && !slices.Contains(want["error"], id) {
			wantDown = append(wantDown, id)
		}
	}
	wantDown = append(wantDown, want["error"]...)
	slices.Sort(wantDown)
	res, err := a.Lineage(app.LineageRequest{Select: "result:error+", Format: "json"})
	if err != nil {
		t.Fatal(err)
	}
	var gotDown []string
	for _, n := range res.Nodes {
		gotDown = append(gotDown, n.UniqueID)
	}
	if !slices.Equal(gotDown, wantDown) || !slices.ContainsFunc(want["error"], func(id string) bool { return isTest[id] }) {
		t.Errorf("result:error+: %d nodes, want %d (%d errored, tests among them: %v)", len(gotDown), len(wantDown), len(want["error"]),
			slices.ContainsFunc(want["error"], func(id string) bool { return isTest[id] }))
	}
	_, err = a.Lineage(app.LineageRequest{Select: "result:runtime_error", Format: "json"})
	if backend.ErrorCode(err) != backend.ENOTFOUND || !strings.Contains(err.Error(), "the statuses in this snapshot's run results are error, fail,") {
		t.Errorf("a status no result has: %v", err)
	}
}

// stateManifests writes two versions of the jaffle-dap manifest for
// TestLineageStateMethod: the first with descriptions persisted on
// order_items and a contract enforced on stg_products; the second changed
// from it in known ways, each named in the test. It returns the files and
// the models calling cents_to_dollars, whose dispatched macro changes.
func stateManifests(t *testing.T) (first, second string, callers []string) {
	t.Helper()
	const dataset = "jaffle-dap-v12-1.11"
	version := func(changed bool) map[string]any {
		m := manifestJSON(t, dataset)
		nodes := m["nodes"].(map[string]any)
		model := func(name string) map[string]any { return nodes["model.jaffle_shop."+name].(map[string]any) }
		configure := func(name, key string, value any) {
			model(name)["config"].(map[string]any)[key] = value
			model(name)["unrendered_config"].(map[string]any)[key] = value
		}
		configure("order_items", "persist_docs", map[string]any{"relation": true, "columns": true})
		configure("stg_products", "contract", map[string]any{"enforced": true})
		column := func(name, col string) map[string]any {
			return model(name)["columns"].(map[string]any)[col].(map[string]any)
		}
		column("stg_products", "product_id")["data_type"] = "text"
		if !changed {
			return m
		}
		// A later run of the project (the same metadata would be the same run).
		meta := m["metadata"].(map[string]any)
		meta["invocation_id"], meta["generated_at"] = "0b0b0b0b-0000-4000-8000-000000000002", "2031-01-01T00:00:00.000000Z"
		model("stg_orders")["raw_code"] = model("stg_orders")["raw_code"].(string) + "\n-- and a comment"
		configure("stg_customers", "materialized", "table")
		configure("locations", "schema", "marts")
		model("locations")["schema"] = "main_marts"
		model("orders")["schema"] = "elsewhere" // the target's schema, not the model's config: no change to dbt
		model("order_items")["description"] = "Persisted, so changed in the warehouse."
		model("customers")["description"] = "Not persisted: no change to dbt."
		column("stg_products", "product_id")["data_type"] = "integer"
		model("stg_supplies")["fqn"] = []any{"jaffle_shop", "staging", "moved", "stg_supplies"}
		sources := m["sources"].(map[string]any)
		sources["source.jaffle_shop.ecom.raw_stores"].(map[string]any)["freshness"] = map[string]any{"warn_after": map[string]any{"count": 12, "period": "hour"}}
		sources["source.jaffle_shop.ecom.raw_customers"].(map[string]any)["schema"] = "raw_v2"
		query := m["saved_queries"].(map[string]any)["saved_query.jaffle_shop.order_metrics"].(map[string]any)
		query["query_params"].(map[string]any)["where"] = []any{"{{ Dimension('order_id__is_food_order') }}"}
		added := map[string]any{}
		for k, v := range model("supplies") {
			added[k] = v
		}
		added["unique_id"], added["name"] = "model.jaffle_shop.supplies_v2", "supplies_v2"
		added["fqn"] = []any{"jaffle_shop", "marts", "supplies_v2"}
		nodes["model.jaffle_shop.supplies_v2"] = added
		delete(nodes, "model.jaffle_shop.products")
		m["selectors"] = map[string]any{"changed": map[string]any{"name": "changed", "definition": map[string]any{"method": "state", "value": "modified"}}}
		nodes["seed.jaffle_shop.raw_items"].(map[string]any)["checksum"] = map[string]any{"name": "sha256", "checksum": "0f3e"}
		// A model's file hashed anew, its code the same (another dbt's
		// hashing, a line ending): dbt's same_body reads the code alone.
		model("stg_locations")["checksum"] = map[string]any{"name": "sha256", "checksum": "0f3f"}
		dispatched := m["macros"].(map[string]any)["macro.jaffle_shop.default__cents_to_dollars"].(map[string]any)
		dispatched["macro_sql"] = dispatched["macro_sql"].(string) + "{# rounded differently #}"
		for id, n := range nodes {
			calls, _ := n.(map[string]any)["depends_on"].(map[string]any)["macros"].([]any)
			if slices.Contains(calls, any("macro.jaffle_shop.cents_to_dollars")) {
				callers = append(callers, strings.TrimPrefix(id, "model.jaffle_shop."))
			}
		}
		return m
	}
	write := func(name string, m map[string]any) string {
		path := filepath.Join(t.TempDir(), name, "manifest.json")
		raw, err := json.Marshal(m)
		if err != nil {
			t.Fatal(err)
		}
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, raw, 0o644); err != nil {
			t.Fatal(err)
		}
		return path
	}
	first = write("first", version(false))
	second = write("second", version(true))
	if len(callers) == 0 {
		t.Fatal("nothing in the fixture calls cents_to_dollars")
	}
	return first, second, callers
}

// TestLineageStateMethod compares two snapshots of a project, the second
// changed in known ways (stateManifests): each state: selector selects the
// nodes dbt would, and only those: a model's code, config, configured
// schema, persisted description, contract and fqn; a seed's file (its
// checksum; a model's alone is no change); the macro that cents_to_dollars dispatches to (what calls
// cents_to_dollars is then modified.macros); a source's freshness and
// schema; a saved query's filter; one model added and one removed. A
// change of the target's schema and of a description dbt does not persist
// select nothing.
func TestLineageStateMethod(t *testing.T) {
	firstManifest, secondManifest, callers := stateManifests(t)
	a, _, _ := openApp(t)
	first, err := a.ImportPaths([]string{firstManifest}, "")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := a.Lineage(app.LineageRequest{Select: "state:modified", Format: "json"}); backend.ErrorCode(err) != backend.EINVALID || !strings.Contains(err.Error(), "is its first") {
		t.Errorf("state: on the first snapshot: %v", err)
	}
	second, err := a.ImportPaths([]string{secondManifest}, "")
	if err != nil {
		t.Fatal(err)
	}
	ids := func(req app.LineageRequest) []string {
		t.Helper()
		req.Format = "json"
		res, err := a.Lineage(req)
		if err != nil {
			t.Fatalf("%s: %v", req.Select, err)
		}
		if res.StateSnapshotID != first.SnapshotID {
			t.Errorf("%s compared with snapshot %d, want %d (the one before)", req.Select, res.StateSnapshotID, first.SnapshotID)
		}
		var out []string
		for _, n := range res.Nodes {
			out = append(out, strings.TrimPrefix(strings.TrimPrefix(n.UniqueID, "model.jaffle_shop."), "seed.jaffle_shop."))
		}
		slices.Sort(out)
		return out
	}
	modified := sorted(append([]string{"locations", "order_items", "raw_items", "saved_query.jaffle_shop.order_metrics",
		"source.jaffle_shop.ecom.raw_customers", "source.jaffle_shop.ecom.raw_stores", "stg_customers", "stg_orders",
		"stg_products", "stg_supplies", "supplies_v2"}, callers...))
	for sel, want := range map[string][]string{
		"state:new":             {"supplies_v2"},
		"state:modified":        modified,
		"state:modified.macros": sorted(callers),
		// A YAML selector may compare too.
		"selector:changed":                      modified,
		"state:modified.body":                   {"raw_items", "stg_orders", "supplies_v2"},
		"state:modified.configs":                {"stg_customers", "supplies_v2"},
		"state:modified.relation":               {"locations", "source.jaffle_shop.ecom.raw_customers", "supplies_v2"},
		"state:modified.persisted_descriptions": {"order_items", "supplies_v2"},
		"state:modified.contract":               {"stg_products", "supplies_v2"},
	} {
		if got := ids(app.LineageRequest{Select: sel}); !slices.Equal(got, want) {
			t.Errorf("%s: %v, want %v", sel, got, want)
		}
	}
	// state:old is what the state has too, state:unmodified what it has the
	// same (dbt 1.6+): everything drawn, less the new node or the modified ones.
	everything, err := a.Lineage(app.LineageRequest{Select: "* source:*", Format: "json"})
	if err != nil {
		t.Fatal(err)
	}
	var all []string
	for _, n := range everything.Nodes {
		all = append(all, strings.TrimPrefix(strings.TrimPrefix(n.UniqueID, "model.jaffle_shop."), "seed.jaffle_shop."))
	}
	without := func(drop []string) []string {
		return slices.DeleteFunc(slices.Clone(all), func(id string) bool { return slices.Contains(drop, id) })
	}
	for sel, want := range map[string][]string{"state:old": sorted(without([]string{"supplies_v2"})), "state:unmodified": sorted(without(modified))} {
		if got := ids(app.LineageRequest{Select: sel}); len(want) < 10 || !slices.Equal(got, want) {
			t.Errorf("%s: %v, want %v", sel, got, want)
		}
	}
	// Each changed node says how, in the JSON and under its name in the picture.
	res, err := a.Lineage(app.LineageRequest{Select: "state:modified", Format: "json"})
	if err != nil {
		t.Fatal(err)
	}
	how := map[string][]string{}
	for _, n := range res.Nodes {
		how[strings.TrimPrefix(n.UniqueID, "model.jaffle_shop.")] = n.StateChange
	}
	for name, want := range map[string][]string{"supplies_v2": {"new"}, "stg_customers": {"configs"}, "stg_orders": {"body", "macros"},
		"order_items": {"persisted_descriptions"}, "stg_products": {"macros", "contract"}, "stg_supplies": {"macros", "fqn"},
		"saved_query.jaffle_shop.order_metrics": {"properties"}} {
		if !slices.Equal(how[name], want) {
			t.Errorf("%s changed %v, want %v", name, how[name], want)
		}
	}
	if !strings.Contains(res.Content, `"state_change":["configs"]`) {
		t.Errorf("the JSON export does not say how stg_customers changed")
	}
	svg, err := a.Lineage(app.LineageRequest{Select: "state:modified.configs", Format: "svg"})
	if err != nil || !strings.Contains(svg.Content, "modified: configs") || !strings.Contains(svg.Content, ">new<") ||
		!strings.Contains(svg.Content, fmt.Sprintf("state: against snapshot #%d ", first.SnapshotID)) {
		t.Errorf("the picture does not say how nodes changed: %v", err)
	}
	if mmd, err := a.Lineage(app.LineageRequest{Select: "state:modified.configs", Format: "mermaid"}); err != nil || !strings.Contains(mmd.Content, "<i>modified: configs</i>") {
		t.Errorf("the Mermaid export does not say how nodes changed: %v", err)
	}
	if plain, err := a.Lineage(app.LineageRequest{Select: "stg_customers", Format: "json"}); err != nil || strings.Contains(plain.Content, "state_change") {
		t.Errorf("a selection that did not compare says changes: %v", err)
	}
	if got := ids(app.LineageRequest{Select: "state:modified.body+"}); !slices.Contains(got, "orders") || !slices.Contains(got, "stg_orders") {
		t.Errorf("state:modified.body+ leaves out what depends on stg_orders: %v", got)
	}
	// Changes lists the same nodes with how they changed, and the removed model.
	changes, err := a.Changes(0, 0)
	if err != nil {
		t.Fatal(err)
	}
	var changedIDs []string
	for _, n := range changes.Changed {
		changedIDs = append(changedIDs, strings.TrimPrefix(strings.TrimPrefix(n.UniqueID, "model.jaffle_shop."), "seed.jaffle_shop."))
		if n.UniqueID == "model.jaffle_shop.stg_orders" && !slices.Equal(n.Parts, []string{"body", "macros"}) {
			t.Errorf("Changes: stg_orders changed %v", n.Parts)
		}
	}
	slices.Sort(changedIDs)
	if !slices.Equal(changedIDs, modified) || len(changes.Removed) != 1 || changes.Removed[0].UniqueID != "model.jaffle_shop.products" ||
		changes.StateSnapshotID != first.SnapshotID || changes.Counts["new"] != 1 || changes.Counts["modified"] != len(modified)-1 {
		t.Errorf("Changes: %+v", changes)
	}
	if sum := changes.Summary(); !strings.HasPrefix(sum, fmt.Sprintf("1 new, %d modified (", len(modified)-1)) || !strings.HasSuffix(sum, "), 1 removed") {
		t.Errorf("Changes summary: %q", sum)
	}
	// Compared the other way round, the removed model is the new one.
	res, err = a.Lineage(app.LineageRequest{SnapshotID: first.SnapshotID, StateSnapshotID: second.SnapshotID, Select: "state:new", Format: "json"})
	if err != nil || len(res.Nodes) != 1 || res.Nodes[0].UniqueID != "model.jaffle_shop.products" {
		t.Errorf("state:new of the first against the second: %+v, %v", res.Nodes, err)
	}
	if _, err := a.Lineage(app.LineageRequest{Select: "state:modified.sql", Format: "json"}); backend.ErrorCode(err) != backend.EINVALID ||
		!strings.Contains(err.Error(), "state:modified.persisted_descriptions") {
		t.Errorf("state:modified.sql: %v, want a refusal listing the subselectors", err)
	}
}

// sorted returns s sorted without repeats.
func sorted(s []string) []string {
	slices.Sort(s)
	return slices.Compact(s)
}

// TestResourceByName: show takes a name as paths does, and a slip gets the
// unique_ids near it.
func TestResourceByName(t *testing.T) {
	a, _, _ := openApp(t)
	if _, err := a.ImportPaths([]string{filepath.Join(fixtures, "bouncer-build-v12-dbt1.11-duckdb")}, ""); err != nil {
		t.Fatal(err)
	}
	byID, err := a.Resource(0, "model.dbt_bouncer_test_project.stg_orders")
	if err != nil {
		t.Fatal(err)
	}
	byName, err := a.Resource(0, "stg_orders")
	if err != nil || byName.UniqueID != byID.UniqueID || len(byName.Columns) != len(byID.Columns) || len(byName.Columns) == 0 {
		t.Errorf("by name: %s with %d columns, %v; want %s with %d", byName.UniqueID, len(byName.Columns), err, byID.UniqueID, len(byID.Columns))
	}
	for _, slip := range []string{"stg_ordrs", "model.dbt_bouncer_test_project.stg_ordrs"} {
		_, err := a.Resource(0, slip)
		if backend.ErrorCode(err) != backend.ENOTFOUND || !strings.Contains(err.Error(), `did you mean "model.dbt_bouncer_test_project.stg_orders"`) {
			t.Errorf("%s: %v, want ENOTFOUND suggesting model.dbt_bouncer_test_project.stg_orders first", slip, err)
		}
	}
}

// TestSearchTypeFilter: a type filter narrows the hits to that type, and a
// type that does not exist is refused rather than answered with nothing.
func TestSearchTypeFilter(t *testing.T) {
	a, _, _ := openApp(t)
	if _, err := a.ImportPaths([]string{filepath.Join(fixtures, "bouncer-build-v12-dbt1.11-duckdb")}, ""); err != nil {
		t.Fatal(err)
	}
	res, err := a.Search(0, backend.SearchQuery{Text: "orders", ResourceTypes: []string{backend.TypeModel}})
	if err != nil || len(res.Hits) == 0 {
		t.Fatalf("models matching orders: %+v, %v", res, err)
	}
	for _, h := range res.Hits {
		if h.ResourceType != backend.TypeModel {
			t.Errorf("hit %s is a %s", h.UniqueID, h.ResourceType)
		}
	}
	_, err = a.Search(0, backend.SearchQuery{Text: "orders", ResourceTypes: []string{"modle"}})
	if backend.ErrorCode(err) != backend.EINVALID || !strings.Contains(err.Error(), `"modle" is not a resource type`) || !strings.Contains(err.Error(), "model, seed") {
		t.Errorf("unknown type: %v, want EINVALID listing the types", err)
	}
}

// TestLineagePackageThis: package:this selects the snapshot's own project,
// from the reach tables' fallback to the whole graph as from the graph.
func TestLineagePackageThis(t *testing.T) {
	a, _, _ := openApp(t)
	if _, err := a.ImportPaths([]string{filepath.Join(fixtures, "bouncer-build-v12-dbt1.11-duckdb")}, ""); err != nil {
		t.Fatal(err)
	}
	this, err := a.Lineage(app.LineageRequest{Select: "package:this", Format: "json"})
	if err != nil {
		t.Fatal(err)
	}
	named, err := a.Lineage(app.LineageRequest{Select: "package:dbt_bouncer_test_project", Format: "json"})
	if err != nil {
		t.Fatal(err)
	}
	if len(this.Nodes) == 0 || len(this.Nodes) != len(named.Nodes) {
		t.Errorf("package:this drew %d nodes, package:dbt_bouncer_test_project %d", len(this.Nodes), len(named.Nodes))
	}
}

// TestLineageMermaidPastItsLimits: a Mermaid export past what Mermaid
// draws by default says so; the same picture as DOT does not.
func TestLineageMermaidPastItsLimits(t *testing.T) {
	a, _ := synthApp(t, synth.Spec{Models: 300, Seed: 3})
	mermaidWarning := func(res app.LineageResult) string {
		for _, w := range res.Warnings {
			if strings.Contains(w, "Mermaid draws at most 500 links") {
				return w
			}
		}
		return ""
	}
	whole, err := a.Lineage(app.LineageRequest{Select: "*", Format: "mermaid"})
	if err != nil {
		t.Fatal(err)
	}
	links := strings.Count(whole.Content, " --> ")
	if links <= 500 {
		t.Fatalf("the generated project draws %d links: too few to test Mermaid's limit", links)
	}
	if w := mermaidWarning(whole); !strings.Contains(w, fmt.Sprintf("has %d links", links)) {
		t.Errorf("%d links: warnings %q, want Mermaid's limit named with the count", links, whole.Warnings)
	}
	dot, err := a.Lineage(app.LineageRequest{Select: "*", Format: "dot"})
	if err != nil {
		t.Fatal(err)
	}
	if w := mermaidWarning(dot); w != "" {
		t.Errorf("DOT export warns of Mermaid's limit: %q", w)
	}
	// An export asks for the content only: the same bytes, nothing else.
	export, err := a.Lineage(app.LineageRequest{Select: "*", Format: "dot", ContentOnly: true})
	if err != nil {
		t.Fatal(err)
	}
	if export.Content != dot.Content || export.Nodes != nil || export.Edges != nil || len(dot.Nodes) == 0 {
		t.Errorf("content only: %d nodes, %d edges, the same content %v", len(export.Nodes), len(export.Edges), export.Content == dot.Content)
	}
	small, err := a.Lineage(app.LineageRequest{Select: whole.Nodes[0].Name, Format: "mermaid"})
	if err != nil {
		t.Fatal(err)
	}
	if w := mermaidWarning(small); w != "" {
		t.Errorf("one node: %q", w)
	}
}

// TestLineageStateSnapshotMustExist: a snapshot named to compare with that
// the store does not hold is refused, even by a selector that does not
// compare.
func TestLineageStateSnapshotMustExist(t *testing.T) {
	a, _, _ := openApp(t)
	if _, err := a.ImportPaths([]string{filepath.Join(fixtures, "jaffle-dap-v12-1.12")}, ""); err != nil {
		t.Fatal(err)
	}
	_, err := a.Lineage(app.LineageRequest{Select: "orders", Format: "json", StateSnapshotID: 99})
	if backend.ErrorCode(err) != backend.ENOTFOUND || !strings.Contains(err.Error(), "the snapshot to compare with: ") || !strings.Contains(err.Error(), "99") {
		t.Errorf("state: against snapshot 99 of a store without it: %v", err)
	}
}

// TestPathsCountsWhatItDoesNotList: between tuva's medical_claim and its
// quality measures' summary there are far more paths than are listed;
// the answer says how many, as the independent count in the test does.
func TestPathsCountsWhatItDoesNotList(t *testing.T) {
	a, _, _ := openApp(t)
	if _, err := a.ImportPaths([]string{filepath.Join(fixtures, "tuva-v11-dbt1.7")}, ""); err != nil {
		t.Fatal(err)
	}
	res, err := a.Paths(0, "medical_claim", "quality_measures__summary_wide", 0)
	if err != nil {
		t.Fatal(err)
	}
	// Counted here from the raw manifest: paths from each node down to the end.
	children := map[string][]string{}
	for id, n := range manifestJSON(t, "tuva-v11-dbt1.7")["nodes"].(map[string]any) {
		deps, _ := n.(map[string]any)["depends_on"].(map[string]any)["nodes"].([]any)
		for _, p := range deps {
			children[p.(string)] = append(children[p.(string)], id)
		}
	}
	memo := map[string]uint64{}
	var count func(id string) uint64
	count = func(id string) uint64 {
		if id == res.To {
			return 1
		}
		if c, ok := memo[id]; ok {
			return c
		}
		var sum uint64
		for _, c := range children[id] {
			sum += count(c)
		}
		memo[id] = sum
		return sum
	}
	want := count(res.From)
	if !res.Truncated || len(res.Paths) != 200 || res.Total != want || want <= 200 || res.TotalSaturated {
		t.Errorf("%d paths listed (truncated %v) of %d (saturated %v); the manifest has %d", len(res.Paths), res.Truncated, res.Total, res.TotalSaturated, want)
	}
	// The fewest hops, counted here: a limit of 3 lists paths that short.
	hops := map[string]int{}
	var fewest func(id string) int
	fewest = func(id string) int {
		if id == res.To {
			return 0
		}
		if h, ok := hops[id]; ok {
			return h
		}
		best := 1 << 30
		for _, c := range children[id] {
			if count(c) > 0 {
				best = min(best, fewest(c)+1)
			}
		}
		hops[id] = best
		return best
	}
	three, err := a.Paths(0, "medical_claim", "quality_measures__summary_wide", 3)
	firstHops := -1
	if err == nil && len(three.Paths) > 0 {
		firstHops = len(three.Paths[0]) - 1
	}
	if len(three.Paths) != 3 || !three.Truncated || three.Total != want || firstHops != fewest(res.From) {
		t.Errorf("limit 3: %d paths, the first of %d hops (truncated %v, total %d, %v); want 3, the first of %d hops", len(three.Paths), firstHops, three.Truncated, three.Total, err, fewest(res.From))
	}
}

// Two nodes with no path between them: the answer still names them by
// unique_id, as it does when paths are found.
func TestPathsWithoutAPathNameTheirEnds(t *testing.T) {
	a, _, _ := openApp(t)
	if _, err := a.ImportPaths([]string{filepath.Join(fixtures, "bouncer-build-v12-dbt1.11-duckdb")}, ""); err != nil {
		t.Fatal(err)
	}
	res, err := a.Paths(0, "stg_orders", "model.dbt_bouncer_test_project.stg_payments", 0)
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Paths) != 0 || res.From != "model.dbt_bouncer_test_project.stg_orders" || res.To != "model.dbt_bouncer_test_project.stg_payments" {
		t.Errorf("paths %v from %q to %q; want none, between the two unique_ids", res.Paths, res.From, res.To)
	}
}

// TestPNGAndPDFSayWhatTheirFontCannotDraw: a model named in Japanese
// draws as boxes in the PNG and the PDF, and one named in Hebrew reads
// backwards there (QA), and their export says so; the SVG, laid out by
// the viewer, does not need to.
func TestPNGAndPDFSayWhatTheirFontCannotDraw(t *testing.T) {
	a, dir, _ := openApp(t)
	target := editedJaffle(t, dir, "jp", func(nodes map[string]any) {
		nodes["model.jaffle_shop.stg_orders"].(map[string]any)["name"] = "注文"
		nodes["model.jaffle_shop.orders"].(map[string]any)["name"] = "הזמנות"
	})
	if _, err := a.ImportPaths([]string{target}, ""); err != nil {
		t.Fatal(err)
	}
	for format, warns := range map[string]bool{"png": true, "pdf": true, "svg": false} {
		res, err := a.Lineage(app.LineageRequest{Select: "model.jaffle_shop.stg_orders+1", Format: format})
		if err != nil {
			t.Fatal(err)
		}
		said := slices.ContainsFunc(res.Warnings, func(w string) bool {
			return strings.Contains(w, `characters of this picture have no glyph in its `+strings.ToUpper(format)+` font (e.g. "注" in "注文")`)
		})
		backwards := slices.ContainsFunc(res.Warnings, func(w string) bool {
			return strings.Contains(w, `right-to-left text (e.g. "הזמנות") reads backwards in the `+strings.ToUpper(format))
		})
		if said != warns || backwards != warns {
			t.Errorf("%s: warnings %q", format, res.Warnings)
		}
	}
}

// A name that selects nothing because its resource is disabled says so:
// "matches no name" alone reads as a typo.
func TestLineageSaysWhichNamesAreDisabled(t *testing.T) {
	a, _, _ := openApp(t)
	res, err := a.ImportPaths([]string{filepath.Join(fixtures, "dbtcore-state-v12")}, "")
	if err != nil {
		t.Fatal(err)
	}
	for _, sel := range []string{"disabled_model", "+disabled_model+2", "@disabled_model,tag:x"} {
		_, err := a.Lineage(app.LineageRequest{SnapshotID: res.SnapshotID, Select: sel, Format: "json"})
		if backend.ErrorCode(err) != backend.ENOTFOUND || !strings.Contains(err.Error(), "model.test.disabled_model is disabled (config enabled: false)") {
			t.Errorf("%s: %v, want it to say model.test.disabled_model is disabled", sel, err)
		}
	}
	_, err = a.Lineage(app.LineageRequest{SnapshotID: res.SnapshotID, Select: "no_such_model", Format: "json"})
	if backend.ErrorCode(err) != backend.ENOTFOUND || strings.Contains(err.Error(), "disabled") {
		t.Errorf("a name nothing has: %v, want no word of disabled resources", err)
	}
}

// TestLineageLeavesABoxOpen: a box of a grouping opened by its label or
// its key is drawn as its nodes, with the other boxes shut, in the picture
// and the answer; a label no box has is a warning, not an error.
func TestLineageLeavesABoxOpen(t *testing.T) {
	a, _, _ := openApp(t)
	if _, err := a.ImportPaths([]string{filepath.Join(fixtures, "bouncer-build-v12-dbt1.11-duckdb")}, ""); err != nil {
		t.Fatal(err)
	}
	shut, err := a.Lineage(app.LineageRequest{Select: "+orders+", Format: "svg", GroupBy: "schema"})
	if err != nil {
		t.Fatal(err)
	}
	if len(shut.Groups) < 2 || len(shut.OpenGroups) != 0 {
		t.Fatalf("+orders+ by schema: boxes %+v, open %+v; want two boxes or more, none open", shut.Groups, shut.OpenGroups)
	}
	box := shut.Groups[0]
	for _, open := range []string{box.Label, box.Key} {
		res, err := a.Lineage(app.LineageRequest{Select: "+orders+", Format: "svg", GroupBy: "schema", Open: []string{open, "no_such_schema"}})
		if err != nil {
			t.Fatal(err)
		}
		if len(res.OpenGroups) != 1 || !reflect.DeepEqual(res.OpenGroups[0], box) {
			t.Errorf("open %q: open boxes %+v, want %+v", open, res.OpenGroups, box)
		}
		if len(res.Groups) != len(shut.Groups)-1 || slices.ContainsFunc(res.Groups, func(g app.GroupBox) bool { return g.Key == box.Key }) {
			t.Errorf("open %q: boxes %+v, want all but %s", open, res.Groups, box.Key)
		}
		if len(res.Warnings) != 1 || !strings.Contains(res.Warnings[0], `"no_such_schema"`) {
			t.Errorf("open %q: warnings %q, want one naming no_such_schema", open, res.Warnings)
		}
		// Every node is in the answer, grouped or not; the open box's are drawn.
		if len(res.Nodes) != len(shut.Nodes) {
			t.Errorf("open %q: %d nodes, want %d as shut", open, len(res.Nodes), len(shut.Nodes))
		}
		drawn := strings.Count(res.Content, `<g id="node-`)
		if drawn != box.Members+strings.Count(shut.Content, `<g id="node-`) {
			t.Errorf("open %q: %d nodes drawn, want the %d of the box more than shut", open, drawn, box.Members)
		}
		if !strings.Contains(res.Content, "open: "+box.Label) {
			t.Errorf("open %q: the title does not say the box is open", open)
		}
	}
}

// TestLineageRunsLens: the runs lens is a request's, in every picture
// format; an unknown lens is refused before anything is selected.
func TestLineageRunsLens(t *testing.T) {
	a, _, _ := openApp(t)
	if _, err := a.ImportPaths([]string{filepath.Join(fixtures, "bouncer-build-v12-dbt1.11-duckdb")}, ""); err != nil {
		t.Fatal(err)
	}
	for _, format := range []string{"svg", "dot"} {
		res, err := a.Lineage(app.LineageRequest{Select: "+orders+", Format: format, Lens: "runs"})
		if err != nil {
			t.Fatal(err)
		}
		if !strings.Contains(res.Content, "last run (border):") || strings.Contains(res.Content, "tests (border") {
			t.Errorf("%s with the runs lens: no run legend", format)
		}
	}
	if _, err := a.Lineage(app.LineageRequest{Select: "+orders+", Lens: "colour"}); backend.ErrorCode(err) != backend.EINVALID {
		t.Errorf("an unknown lens: %v, want EINVALID", err)
	}
}

// TestRunsLensShowsFreshness: with the runs lens a source's border is its
// latest freshness status from the snapshot's sources.json: as many red
// and amber source borders as sources.json has errors and warnings.
func TestRunsLensShowsFreshness(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "p")
	if _, err := synth.Write(dir, synth.Spec{Models: 300, Seed: 4, WithSources: true}); err != nil {
		t.Fatal(err)
	}
	_, results := readSources(t, filepath.Join(dir, "sources.json"))
	want := map[string]int{}
	for _, r := range results {
		switch str(r["status"]) {
		case "error", "runtime error":
			want["#C62828"]++
		case "warn":
			want["#F9A825"]++
		case "pass":
			want["#2E7D32"]++
		}
	}
	if want["#C62828"] == 0 || want["#F9A825"] == 0 || want["#2E7D32"] == 0 {
		t.Fatalf("the synthetic sources.json lacks a status to check: %v", want)
	}
	a, _, _ := openApp(t)
	if _, err := a.ImportPaths([]string{dir}, ""); err != nil {
		t.Fatal(err)
	}
	res, err := a.Lineage(app.LineageRequest{Select: "source:*", Format: "dot", Lens: "runs"})
	if err != nil {
		t.Fatal(err)
	}
	got := map[string]int{}
	for _, m := range regexp.MustCompile(`(?m)^\s*"node-source_[^"]*" \[.* color="(#[0-9A-F]+)"`).FindAllStringSubmatch(res.Content, -1) {
		got[m[1]]++
	}
	if got["#C62828"] != want["#C62828"] || got["#F9A825"] != want["#F9A825"] || got["#2E7D32"] != want["#2E7D32"] {
		t.Errorf("source borders by colour %v, sources.json's statuses %v", got, want)
	}
	if !strings.Contains(res.Content, "last run, source freshness (border):") {
		t.Error("the legend does not say the sources show their freshness")
	}
}

// TestLineageFillsNodeColors: a project that sets docs.node_color (tuva
// colours its marts by domain) gets those fills in the picture and in its
// exports, for the nodes that set one.
func TestLineageFillsNodeColors(t *testing.T) {
	a, _, _ := openApp(t)
	if _, err := a.ImportPaths([]string{filepath.Join(fixtures, "tuva-v7-dbt1.3")}, ""); err != nil {
		t.Fatal(err)
	}
	req := app.LineageRequest{Select: "1+core__stg_claims_encounter+1", Format: "json"}
	res, err := a.Lineage(req)
	if err != nil {
		t.Fatal(err)
	}
	var doc struct {
		Nodes []struct {
			UniqueID  string `json:"unique_id"`
			NodeColor string `json:"node_color"`
		} `json:"nodes"`
	}
	if err := json.Unmarshal([]byte(res.Content), &doc); err != nil {
		t.Fatal(err)
	}
	colours := map[string]string{}
	for _, n := range doc.Nodes {
		colours[n.UniqueID] = n.NodeColor
	}
	// As the manifest sets them: acute_inpatient__summary #0f3d0b, the
	// data quality model #141161, emergency_department__summary none.
	want := map[string]string{
		"model.the_tuva_project.acute_inpatient__summary":                   "#0F3D0B",
		"model.the_tuva_project.data_quality__claims_preprocessing_summary": "#141161",
		"model.the_tuva_project.emergency_department__summary":              "",
		"model.the_tuva_project.core__stg_claims_encounter":                 "#0F3D0B",
	}
	if !maps.Equal(colours, want) {
		t.Errorf("node_color %v, want %v", colours, want)
	}
	req.Format = "svg"
	svg, err := a.Lineage(req)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(strings.ToLower(svg.Content), `fill="#141161"`) || !strings.Contains(svg.Content, "docs.node_color") {
		t.Error("the SVG does not fill the coloured nodes, or its legend does not say so")
	}
}

// TestLineageNodesCSV: csv-nodes lists the picture's resources, one row
// each, a box's members too: the same nodes the JSON answer lists, grouped
// or not, named -nodes.csv.
func TestLineageNodesCSV(t *testing.T) {
	a := appWith(t, "bouncer-build-v12-dbt1.11-duckdb")
	for _, group := range []string{"", "folder"} {
		res, err := a.Lineage(app.LineageRequest{Select: "+exposure:*", GroupBy: group, Format: "csv-nodes"})
		if err != nil {
			t.Fatal(err)
		}
		records, err := csv.NewReader(strings.NewReader(res.Content)).ReadAll()
		if err != nil {
			t.Fatal(err)
		}
		var ids, want []string
		for _, r := range records[1:] {
			ids = append(ids, r[0])
		}
		for _, n := range res.Nodes {
			want = append(want, n.UniqueID)
		}
		slices.Sort(want)
		if len(want) < 5 || !slices.Equal(ids, want) || res.MimeType != "text/csv" || !strings.HasSuffix(res.Filename, "-nodes.csv") || records[0][0] != "unique_id" {
			t.Errorf("grouped by %q: rows %v, the answer's nodes %v (%s, %s)", group, ids, want, res.MimeType, res.Filename)
		}
		if group != "" && !slices.ContainsFunc(records[1:], func(r []string) bool { return r[4] != "" }) {
			t.Errorf("grouped by %q: no row names its box", group)
		}
	}
}

// TestLineageBoxedNodesAreBrief: in a grouped picture, a node drawn inside
// a closed box is answered with what finds and filters it, not its path,
// relation or description (a whole project by layer was 61 MB at 50k
// models); a node drawn as itself keeps all.
func TestLineageBoxedNodesAreBrief(t *testing.T) {
	a := appWith(t, "bouncer-build-v12-dbt1.11-duckdb")
	res, err := a.Lineage(app.LineageRequest{Select: "*", GroupBy: "folder", Open: []string{"dbt_bouncer_test_project/models/staging/crm"}, Format: "json"})
	if err != nil {
		t.Fatal(err)
	}
	var boxed, alone int
	for _, n := range res.Nodes {
		if n.Box != "" {
			boxed++
			if n.Name == "" || n.ResourceType == "" || n.Package == "" || n.Path != "" || n.RelationName != "" || n.Description != "" || len(n.FQN) > 0 {
				t.Errorf("boxed node %+v", n.GraphNode)
			}
		} else {
			alone++
			if n.ResourceType == "model" && (n.Path == "" || n.RelationName == "" || len(n.FQN) == 0) {
				t.Errorf("node drawn as itself lost its details: %+v", n.GraphNode)
			}
		}
	}
	if boxed == 0 || alone == 0 {
		t.Fatalf("%d boxed, %d alone: the test needs both", boxed, alone)
	}
}
