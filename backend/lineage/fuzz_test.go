package lineage_test

import (
	"encoding/json"
	"errors"
	"slices"
	"testing"

	"github.com/lineagedesk/lineagedesk/backend"
	"github.com/lineagedesk/lineagedesk/backend/lineage"
)

// FuzzSelect feeds arbitrary selectors, and YAML selector definitions, in
// every indirect selection mode, to Select and PlanReach on a real project:
// neither may panic; a refusal is a *backend.Error with a message (the user
// sees it); an answer holds only the graph's nodes, sorted, with exactly
// the edges among them and its focus inside it; and it groups, with a box
// left open, into a picture that draws each of them once (checkGrouping).
func FuzzSelect(f *testing.F) {
	g := lineage.New(loadManifest(f, "jaffle-dap-v12-1.11").data)
	for _, seed := range []string{
		"+customers+", "2+orders+1", "@stg_orders", "tag:nightly,resource_type:model", "path:models/marts+",
		"source:ecom.raw_items+ --exclude stg_items", "exposure:* metric:*", "config.materialized:view",
		"version:latest", "test_type:unit", `"Pulse queries"+`, "fqn:jaffle_shop.staging.*", "a,,b", "+",
		"--exclude", "1+", "@+x", "resource_type:", "source:a.b.c.d", "[!a-", "*", "customers+99999999999999999999",
		"state:modified+", "result:fail+", "path:models/staging/*.yml", "config.meta.owner:x",
	} {
		f.Add(seed, false, `{"method": "tag", "value": "x"}`, uint8(0))
	}
	// YAML selector definitions come from the manifest: untrusted too.
	for _, def := range []string{
		`{"union": [{"method": "fqn", "value": "customers", "parents": true}, {"exclude": ["stg_customers"]}]}`,
		`{"intersection": [{"resource_type": "model"}, {"method": "path", "value": "models/marts", "children": true, "children_depth": 1}]}`,
		`{"method": "selector", "value": "s"}`, `{"union": "x"}`, `{"exclude": 1}`, `"@orders"`, `[1, 2]`, `null`,
		`{"method": "tag", "value": null, "parents_depth": -3, "childrens_parents": "yes"}`,
		`{"method": "fqn", "value": "orders", "exclude": []}`, `{"union": [{"exclude": []}]}`,
		`{"method": "fqn", "value": "orders", "indirect_selection": "eager"}`, `{"method": "fqn", "value": "orders", "indirect_selection": 3}`,
	} {
		f.Add("selector:s", true, def, uint8(1))
		f.Add("+selector:s,resource_type:model --exclude selector:t", false, def, uint8(2))
	}
	// mode picks the indirect selection: one of dbt's four, or the default.
	f.Fuzz(func(t *testing.T, expr string, includeTests bool, definition string, mode uint8) {
		modes := append([]string{""}, lineage.IndirectSelectionModes...)
		opts := lineage.SelectOptions{IncludeTests: includeTests, IndirectSelection: modes[int(mode)%len(modes)], Selectors: map[string]json.RawMessage{
			"s": json.RawMessage(definition),
			"t": json.RawMessage(`{"union": [{"method": "selector", "value": "s"}, "tag:x"]}`),
		}}
		lineage.PlanReach(expr, opts)
		sel, err := g.Select(expr, opts)
		if err != nil {
			var be *backend.Error
			if !errors.As(err, &be) || be.Message == "" {
				t.Fatalf("Select(%q) error %v is not a user-facing *backend.Error", expr, err)
			}
			return
		}
		if !slices.IsSorted(sel.Nodes) {
			t.Fatalf("Select(%q): nodes not sorted", expr)
		}
		for _, id := range sel.Nodes {
			if _, ok := g.Node(id); !ok {
				t.Fatalf("Select(%q) returned %q, not in the graph", expr, id)
			}
		}
		for _, e := range sel.Edges {
			if _, ok := slices.BinarySearch(sel.Nodes, e.Parent); !ok {
				t.Fatalf("Select(%q): edge %v leaves the selection", expr, e)
			}
			if _, ok := slices.BinarySearch(sel.Nodes, e.Child); !ok {
				t.Fatalf("Select(%q): edge %v leaves the selection", expr, e)
			}
		}
		for _, id := range sel.Focus {
			if _, ok := slices.BinarySearch(sel.Nodes, id); !ok {
				t.Fatalf("Select(%q): focus %q is not selected", expr, id)
			}
		}
		checkGrouping(t, g, sel, opts, int(mode), expr)
	})
}

// checkGrouping groups sel by one of the fixed kinds, then again with its
// first box and a key no box has left open: every selected node is drawn
// once, in a box or as itself; an open box's members are drawn as
// themselves; every edge joins drawn things.
func checkGrouping(t *testing.T, g *lineage.Graph, sel *lineage.Selection, opts lineage.SelectOptions, pick int, bogus string) {
	by := []string{lineage.GroupByPackage, lineage.GroupByFolder, lineage.GroupBySchema, lineage.GroupByLayer, lineage.GroupByDbtGroup}[pick%5]
	shut, err := g.Group(sel, by, opts)
	if err != nil {
		t.Fatalf("Group(%q by %s): %v", sel.Expr, by, err)
	}
	open := []string{bogus}
	if len(shut.Boxes) > 0 {
		open = append(open, shut.Boxes[0].ID)
	}
	grp, err := g.Group(sel, by, opts, open...)
	if err != nil {
		t.Fatalf("Group(%q by %s, open %q): %v", sel.Expr, by, open, err)
	}
	drawn := map[string]int{}
	for _, id := range grp.Nodes {
		drawn[id]++
	}
	boxes := map[string]bool{}
	for _, b := range grp.Boxes {
		boxes[b.ID] = true
		for _, m := range b.Members {
			drawn[m]++
		}
	}
	for _, id := range sel.Nodes {
		if drawn[id] != 1 {
			t.Fatalf("Group(%q by %s, open %q): %s drawn %d times", sel.Expr, by, open, id, drawn[id])
		}
	}
	if len(drawn) != len(sel.Nodes) {
		t.Fatalf("Group(%q by %s, open %q): %d drawn, %d selected", sel.Expr, by, open, len(drawn), len(sel.Nodes))
	}
	if len(shut.Boxes) > 0 && (len(grp.Open) != 1 || grp.Open[0].ID != shut.Boxes[0].ID || boxes[shut.Boxes[0].ID]) {
		t.Fatalf("Group(%q by %s, open %q): open boxes %v", sel.Expr, by, open, grp.Open)
	}
	for _, b := range grp.Open {
		for _, m := range b.Members {
			if _, ok := slices.BinarySearch(grp.Nodes, m); !ok {
				t.Fatalf("Group(%q by %s): %s of the open box %s is not drawn as itself", sel.Expr, by, m, b.ID)
			}
		}
	}
	for _, e := range grp.Edges {
		for _, end := range []string{e.From, e.To} {
			if _, ok := slices.BinarySearch(grp.Nodes, end); !ok && !boxes[end] {
				t.Fatalf("Group(%q by %s, open %q): edge %v ends outside the picture", sel.Expr, by, open, e)
			}
		}
	}
}
