package lineage_test

import (
	"encoding/json"
	"slices"
	"strings"
	"testing"

	"github.com/lineagedesk/lineagedesk/backend"
	"github.com/lineagedesk/lineagedesk/backend/lineage"
)

// TestYAMLSelectors selects with YAML selector definitions of every shape
// dbt records, against sets computed here from the raw manifest.
func TestYAMLSelectors(t *testing.T) {
	m := loadManifest(t, "bouncer-v12-dbt1.11-duckdb")
	g := lineage.New(m.data)
	const orders, stgOrders = "model.dbt_bouncer_test_project.orders", "model.dbt_bouncer_test_project.stg_orders"
	defs := map[string]string{
		"crm":           `{"method": "tag", "value": "crm"}`,
		"shorthand":     `{"tag": "crm"}`,
		"up":            `{"method": "fqn", "value": "orders", "parents": true}`,
		"down_one":      `{"method": "fqn", "value": "stg_orders", "children": true, "children_depth": 1}`,
		"at":            `{"method": "fqn", "value": "stg_orders", "childrens_parents": true}`,
		"finance":       `{"intersection": [{"method": "resource_type", "value": "model"}, {"method": "path", "value": "models/marts/finance"}]}`,
		"ours_no_seeds": `{"union": [{"method": "package", "value": "dbt_bouncer_test_project"}, {"exclude": [{"method": "resource_type", "value": "seed"}, "tag:crm"]}]}`,
		"string":        `"+orders"`,
		"string_excl":   `"+orders --exclude resource_type:seed,package:dbt_bouncer_test_project"`,
		"alias":         `{"method": "selector", "value": "crm"}`,
		"excluding":     `{"method": "package", "value": "tiktok_ads", "exclude": [{"method": "resource_type", "value": "source"}]}`,
		"partly_empty":  `{"union": [{"method": "tag", "value": "crm"}, {"method": "tag", "value": "no_such_tag"}]}`,
		"loop_a":        `{"method": "selector", "value": "loop_b"}`,
		"loop_b":        `{"union": [{"method": "selector", "value": "loop_a"}]}`,
		"odd":           `42`,
		"bad_method":    `{"method": "colour", "value": "red"}`,
		"empty_excl":    `{"union": [{"method": "tag", "value": "crm", "exclude": []}, {"exclude": []}]}`,
		"bad_mode":      `{"method": "tag", "value": "crm", "indirect_selection": "lazy"}`,
	}
	opts := lineage.SelectOptions{Selectors: map[string]json.RawMessage{}}
	for name, def := range defs {
		opts.Selectors[name] = json.RawMessage(def)
	}
	rawType := func(o map[string]any) string { return str(o["resource_type"]) }
	tagged := m.withoutTests(m.where(func(_ string, o map[string]any) bool { return slices.Contains(strs(o["tags"]), "crm") }))
	ofPackage := func(p string) map[string]bool {
		return m.withoutTests(m.where(func(_ string, o map[string]any) bool { return str(o["package_name"]) == p }))
	}
	minus := func(a map[string]bool, drop map[string]bool) map[string]bool {
		out := map[string]bool{}
		for id := range a {
			if !drop[id] {
				out[id] = true
			}
		}
		return out
	}
	seeds := m.where(func(_ string, o map[string]any) bool { return rawType(o) == "seed" })
	sources := m.where(func(_ string, o map[string]any) bool { return rawType(o) == "source" })
	at := map[string]bool{}
	for id := range m.reach([]string{stgOrders}, false, -1) {
		for up := range m.reach([]string{id}, true, -1) {
			at[up] = true
		}
	}
	for expr, want := range map[string]map[string]bool{
		"selector:crm":          tagged,
		"selector:shorthand":    tagged,
		"selector:alias":        tagged,
		"selector:partly_empty": tagged,
		"selector:empty_excl":   tagged,
		"selector:up":           m.withoutTests(m.reach([]string{orders}, true, -1)),
		"selector:down_one":     m.withoutTests(m.reach([]string{stgOrders}, false, 1)),
		"selector:at":           m.withoutTests(at),
		"selector:string":       m.withoutTests(m.reach([]string{orders}, true, -1)),
		// An exclude that is an intersection takes away only what is in all of it.
		"selector:string_excl": minus(m.withoutTests(m.reach([]string{orders}, true, -1)), m.where(func(_ string, o map[string]any) bool {
			return rawType(o) == "seed" && str(o["package_name"]) == "dbt_bouncer_test_project"
		})),
		"selector:ours_no_seeds": minus(minus(ofPackage("dbt_bouncer_test_project"), seeds), tagged),
		"selector:excluding":     minus(ofPackage("tiktok_ads"), sources),
		"selector:finance": m.where(func(_ string, o map[string]any) bool {
			return rawType(o) == "model" && strings.HasPrefix(str(o["original_file_path"]), "models/marts/finance/")
		}),
		// Composed with the rest of the grammar.
		"selector:crm,resource_type:model":   m.where(func(id string, o map[string]any) bool { return tagged[id] && rawType(o) == "model" }),
		"selector:up --exclude selector:crm": minus(m.withoutTests(m.reach([]string{orders}, true, -1)), tagged),
	} {
		if len(want) == 0 {
			t.Fatalf("%s: the fixture gives nothing to select", expr)
		}
		sel := checkSelect(t, g, m, expr, opts, want)
		if expr == "selector:partly_empty" && (sel == nil || !strings.Contains(strings.Join(sel.Warnings, "\n"), `"tag:no_such_tag" matches no tag`)) {
			t.Errorf("%s: warnings %v, want one about tag:no_such_tag", expr, sel)
		}
		if expr == "selector:up" && sel != nil && !slices.Equal(sel.Focus, []string{orders}) {
			t.Errorf("%s: focus %v, want what the criterion names", expr, sel.Focus)
		}
	}
	for expr, want := range map[string]string{
		"selector:crn":        `no YAML selector "crn" in this snapshot; its selectors are "alias", "at"`,
		"selector:loop_a":     `refers to itself (loop_a -> loop_b -> loop_a)`,
		"selector:odd":        `a definition must be a criterion`,
		"selector:bad_method": `unknown method "colour"`,
		"selector:bad_mode":   `YAML selector "bad_mode": indirect selection "lazy" is not one of dbt's modes`,
	} {
		_, err := g.Select(expr, opts)
		if err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("%s: %v, want an error saying %q", expr, err, want)
		}
	}
	if _, err := g.Select("selector:crm", lineage.SelectOptions{}); backend.ErrorCode(err) != backend.ENOTFOUND || !strings.Contains(err.Error(), "this snapshot has none") {
		t.Errorf("no selectors at all: %v", err)
	}
}

// dbt builds a YAML selector's union without an indirect selection mode,
// so it is eager and takes in no test its members hold back: a test whose
// two parents come from two members is left out in cautious and buildable
// mode, where the same union on the command line takes it in.
func TestYAMLSelectorGroupsTakeInNoHeldTests(t *testing.T) {
	m := loadManifest(t, "jaffle-dap-v12-1.12")
	g := lineage.New(m.data)
	const stgOrders, stgItems = "model.jaffle_shop.stg_orders", "model.jaffle_shop.stg_order_items"
	const shared = "test.jaffle_shop.relationships_stg_order_items_order_id__order_id__ref_stg_orders_.dbe9930c54"
	if !slices.Equal(m.parents[shared], []string{stgOrders, stgItems}) && !slices.Equal(m.parents[shared], []string{stgItems, stgOrders}) {
		t.Fatalf("fixture changed: %s has parents %v", shared, m.parents[shared])
	}
	// Each member's own tests: those whose parents it selects alone.
	own := map[string]bool{stgOrders: true, stgItems: true}
	for _, parent := range []string{stgOrders, stgItems} {
		for id := range m.reach([]string{parent}, false, 1) {
			if ps := m.parents[id]; isTestType(m.raw[id]) && len(ps) == 1 {
				own[id] = true
			}
		}
	}
	withShared := map[string]bool{shared: true}
	for id := range own {
		withShared[id] = true
	}
	opts := func(mode string) lineage.SelectOptions {
		return lineage.SelectOptions{IncludeTests: true, IndirectSelection: mode, Selectors: map[string]json.RawMessage{
			"pair": json.RawMessage(`{"union": [{"method": "fqn", "value": "stg_orders"}, {"method": "fqn", "value": "stg_order_items"}]}`),
		}}
	}
	for _, mode := range []string{"cautious", "buildable"} {
		checkSelect(t, g, m, "selector:pair", opts(mode), own)
		checkSelect(t, g, m, "stg_orders stg_order_items", opts(mode), withShared)
	}
	checkSelect(t, g, m, "selector:pair", opts("eager"), withShared)
}
