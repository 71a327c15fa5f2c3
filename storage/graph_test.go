package storage_test

import (
	"reflect"
	"sort"
	"testing"

	"github.com/lineagedesk/lineagedesk/backend"
)

func TestGraph(t *testing.T) {
	s, _ := openStore(t)
	snap := saveShop(t, s)
	g, err := s.Graph(t.Context(), snap.ID)
	if err != nil {
		t.Fatal(err)
	}
	nodes := map[string]backend.GraphNode{}
	for _, n := range g.Nodes {
		nodes[n.UniqueID] = n
	}
	// Everything enabled except the macro and the doc block; not the disabled model.
	wantIDs := []string{"exposure.shop.revenue_dashboard", "model.shop.orders", "model.shop.stg_orders",
		"model.utils.calendar", "seed.shop.countries", "source.shop.raw.orders",
		"test.shop.not_null_stg_orders_order_id.abc", "test.shop.orders_positive", "test.shop.relationships_never_ran",
		"test.shop.unique_stg_orders_order_id.def", "unit_test.shop.orders.test_revenue"}
	var gotIDs []string
	for _, n := range g.Nodes {
		gotIDs = append(gotIDs, n.UniqueID)
	}
	if !reflect.DeepEqual(gotIDs, wantIDs) {
		t.Errorf("nodes = %v\nwant %v", gotIDs, wantIDs)
	}
	wantStg := backend.GraphNode{UniqueID: "model.shop.stg_orders", ResourceType: "model", Name: "stg_orders",
		Package: "shop", Path: "models/staging/stg_orders.sql", PatchPath: "models/staging/schema.yml", FQN: []string{"shop", "staging", "stg_orders"},
		Tags: []string{"staging", "daily"}, Database: "warehouse", Schema: "staging", Identifier: "stg_orders",
		RelationName: `"warehouse"."staging"."stg_orders"`, Materialized: "view", Access: "protected", Group: "sales", RunStatus: "success",
		Description: "Orders, cleaned: one row per order with its customer.",
		Tests:       backend.TestSummary{Total: 2, Fail: 1, Warn: 1}}
	if got := nodes["model.shop.stg_orders"]; !reflect.DeepEqual(got, wantStg) {
		t.Errorf("stg_orders node\n got %+v\nwant %+v", got, wantStg)
	}
	// orders: singular test errored then passed (latest wins), one test never
	// ran (counted in Total only), the unit test was skipped.
	if got, want := nodes["model.shop.orders"].Tests, (backend.TestSummary{Total: 3, Pass: 1, Skipped: 1}); got != want {
		t.Errorf("orders tests = %+v, want %+v", got, want)
	}
	if n := nodes["model.shop.orders"]; n.Version != "2" || n.LatestVersion != "2" {
		t.Errorf("orders versions = %q/%q", n.Version, n.LatestVersion)
	}
	if n := nodes["source.shop.raw.orders"]; n.SourceName != "raw" || n.Tests.Total != 0 {
		t.Errorf("source node = %+v", n)
	}
	for id, want := range map[string]string{"test.shop.orders_positive": "pass", "test.shop.not_null_stg_orders_order_id.abc": "fail",
		"test.shop.relationships_never_ran": "", "unit_test.shop.orders.test_revenue": "skipped"} {
		if n := nodes[id]; n.TestStatus != want || n.AttachedNode == "" || n.TestType == "" {
			t.Errorf("%s: status %q (want %q), attached %q, type %q", id, n.TestStatus, want, n.AttachedNode, n.TestType)
		}
	}
	// Node edges among graph nodes only: no macro edges, none to the
	// disabled model.
	var edges []string
	for _, e := range g.Edges {
		edges = append(edges, e.Parent+" -> "+e.Child)
	}
	sort.Strings(edges)
	wantEdges := []string{
		"model.shop.orders -> exposure.shop.revenue_dashboard",
		"model.shop.orders -> test.shop.orders_positive",
		"model.shop.orders -> test.shop.relationships_never_ran",
		"model.shop.orders -> unit_test.shop.orders.test_revenue",
		"model.shop.stg_orders -> model.shop.orders",
		"model.shop.stg_orders -> test.shop.not_null_stg_orders_order_id.abc",
		"model.shop.stg_orders -> test.shop.unique_stg_orders_order_id.def",
		"seed.shop.countries -> model.shop.orders",
		"source.shop.raw.orders -> model.shop.stg_orders",
	}
	if !reflect.DeepEqual(edges, wantEdges) {
		t.Errorf("edges = %v\nwant %v", edges, wantEdges)
	}
	if _, err := s.Graph(t.Context(), 999); backend.ErrorCode(err) != backend.ENOTFOUND {
		t.Errorf("Graph(999) = %v, want ENOTFOUND", err)
	}
}

func TestGraphWithoutTestOutcomesHasNoSummaries(t *testing.T) {
	s, _ := openStore(t)
	b := shopBundle()
	// As after `dbt docs generate`: every result is "success", none is a test outcome.
	for i := range b.RunResults {
		b.RunResults[i].Status, b.RunResults[i].IsTestOutcome = "success", false
	}
	snap, err := s.SaveSnapshot(t.Context(), backend.NewSnapshot{Name: "docs", Origin: backend.Origin{Kind: backend.OriginPath}, Bundle: b})
	if err != nil {
		t.Fatal(err)
	}
	g, err := s.Graph(t.Context(), snap.ID)
	if err != nil {
		t.Fatal(err)
	}
	for _, n := range g.Nodes {
		if n.Tests != (backend.TestSummary{}) || n.TestStatus != "" {
			t.Errorf("%s: tests %+v, status %q; want none", n.UniqueID, n.Tests, n.TestStatus)
		}
	}
	d, err := s.Resource(t.Context(), snap.ID, "model.shop.stg_orders")
	if err != nil {
		t.Fatal(err)
	}
	if d.TestSummary != (backend.TestSummary{}) || len(d.Tests) != 2 || d.Tests[0].Result != nil {
		t.Errorf("detail: summary %+v, tests %+v; want listed tests without results", d.TestSummary, d.Tests)
	}
}

func TestTree(t *testing.T) {
	s, _ := openStore(t)
	snap := saveShop(t, s)
	tree, err := s.Tree(t.Context(), snap.ID)
	if err != nil {
		t.Fatal(err)
	}
	// Counted by hand from shopBundle's enabled resources and their paths.
	want := []backend.TreeEntry{
		{Package: "shop", Folder: "", Counts: map[string]int{"source": 1, "seed": 1, "model": 2, "test": 4, "unit_test": 1, "exposure": 1, "macro": 1, "doc": 1}},
		{Package: "shop", Folder: "macros", Counts: map[string]int{"macro": 1}},
		{Package: "shop", Folder: "models", Counts: map[string]int{"source": 1, "model": 2, "test": 3, "unit_test": 1, "exposure": 1, "doc": 1}},
		{Package: "shop", Folder: "models/marts", Counts: map[string]int{"model": 1, "test": 1, "unit_test": 1}},
		{Package: "shop", Folder: "models/marts/finance", Counts: map[string]int{"model": 1, "test": 1, "unit_test": 1}},
		{Package: "shop", Folder: "models/staging", Counts: map[string]int{"source": 1, "model": 1, "test": 2}},
		{Package: "shop", Folder: "seeds", Counts: map[string]int{"seed": 1}},
		{Package: "shop", Folder: "tests", Counts: map[string]int{"test": 1}},
		{Package: "utils", Folder: "", Counts: map[string]int{"model": 1}},
		{Package: "utils", Folder: "models", Counts: map[string]int{"model": 1}},
	}
	if !reflect.DeepEqual(tree, want) {
		t.Errorf("Tree =\n%v\nwant\n%v", tree, want)
	}
}

func TestResourcesFilters(t *testing.T) {
	s, _ := openStore(t)
	snap := saveShop(t, s)
	ctx := t.Context()
	for _, tc := range []struct {
		name   string
		filter backend.ResourceFilter
		want   []string
	}{
		{"models", backend.ResourceFilter{ResourceTypes: []string{"model"}},
			[]string{"model.shop.orders", "model.shop.stg_orders", "model.utils.calendar"}},
		{"package", backend.ResourceFilter{Package: "utils"}, []string{"model.utils.calendar"}},
		{"folder and below", backend.ResourceFilter{FolderPrefix: "models/marts", ResourceTypes: []string{"model", "test"}},
			[]string{"model.shop.orders", "test.shop.relationships_never_ran"}},
		{"folder prefix is a path, not a string prefix", backend.ResourceFilter{FolderPrefix: "model"}, []string{}},
		{"tag", backend.ResourceFilter{Tag: "daily"}, []string{"model.shop.stg_orders", "model.utils.calendar"}},
		{"materialized", backend.ResourceFilter{Materialized: "table"}, []string{"model.shop.orders", "model.utils.calendar"}},
		{"page", backend.ResourceFilter{ResourceTypes: []string{"test"}, Limit: 2, Offset: 1},
			[]string{"test.shop.orders_positive", "test.shop.relationships_never_ran"}},
	} {
		got, err := s.Resources(ctx, snap.ID, tc.filter)
		if err != nil {
			t.Errorf("%s: %v", tc.name, err)
			continue
		}
		if ids := summaryIDs(got); !reflect.DeepEqual(ids, tc.want) {
			t.Errorf("%s: %v, want %v", tc.name, ids, tc.want)
		}
	}
	list, err := s.Resources(ctx, snap.ID, backend.ResourceFilter{ResourceTypes: []string{"model"}, Package: "shop"})
	if err != nil || len(list) != 2 {
		t.Fatalf("%v, %v", list, err)
	}
	want := backend.ResourceSummary{UniqueID: "model.shop.orders", ResourceType: "model", Name: "orders", Package: "shop",
		Path: "models/marts/finance/orders.sql", RelationName: `"warehouse"."marts"."orders"`, Materialized: "table", Version: "2",
		Description: "Revenue per order, in dollars.", Tags: []string{"finance"},
		Tests: backend.TestSummary{Total: 3, Pass: 1, Skipped: 1}}
	if !reflect.DeepEqual(list[0], want) {
		t.Errorf("summary\n got %+v\nwant %+v", list[0], want)
	}
	if _, err := s.Resources(ctx, 999, backend.ResourceFilter{}); backend.ErrorCode(err) != backend.ENOTFOUND {
		t.Errorf("Resources(999) = %v, want ENOTFOUND", err)
	}
}
