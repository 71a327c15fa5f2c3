package app

import (
	"path/filepath"
	"slices"
	"testing"

	"github.com/lineagedesk/lineagedesk/backend"
	"github.com/lineagedesk/lineagedesk/backend/lineage"
)

// TestMeshPartSelectsAsTheJoinedLineage: a selection across projects read
// from the runs' reach tables (meshPart) selects what the same selection
// on the whole joined lineage selects, nodes, edges and the run each node
// comes from, from each project of testdata/mesh, tests hidden and shown.
func TestMeshPartSelectsAsTheJoinedLineage(t *testing.T) {
	a, _ := emptyApp(t)
	var snaps []backend.Snapshot
	for _, path := range []string{"../testdata/fixtures/bouncer-v12-dbt1.12-duckdb", "../testdata/mesh/bouncer_finance", "../testdata/mesh/bouncer_reporting",
		"../testdata/mesh/bidirectional/p_a", "../testdata/mesh/bidirectional/p_b"} {
		res, err := a.ImportPaths([]string{filepath.Clean(path)}, "")
		if err != nil {
			t.Fatal(err)
		}
		snap, err := a.snapshot(t.Context(), res.SnapshotID)
		if err != nil {
			t.Fatal(err)
		}
		snaps = append(snaps, snap)
	}
	selectors := []string{
		"orders", "+orders", "orders+", "2+orders+1", "@stg_orders", "@orders", "+fct_revenue+", "fct_revenue+1", "1+fct_revenue",
		"dim_customer_value+", "+dim_customer_value", "@dim_customer_value", "+rpt_top_customers", "1+rpt_top_customers", "2+rpt_top_customers",
		"customers", "customers.v3+", "+customers.v3", "stg_orders+2", "+stg_invoices+", "+model.dbt_bouncer_test_project.orders+",
		"resource_type:exposure", "+exposure:*", "source:*+", "source:*+1", "tag:example_tag+", "package:bouncer_finance+", "+package:bouncer_reporting",
		"config.materialized:table", "config.materialized:table+1", "+exposure:revenue_review", "stg_payments+ --exclude fct_revenue",
		"orders,resource_type:model+", "+campaign_touches+", "@campaign_touches",
		// The two projects that ref each other.
		"a1", "+a2", "@a1", "b1+", "1+a2", "a1+1", "source:raw+", "+b1+",
	}
	checked := 0
	for _, snap := range snaps {
		m, err := a.mesh(t.Context(), snap)
		if err != nil {
			t.Fatal(err)
		}
		whole, err := a.meshLineage(t.Context(), m)
		if err != nil {
			t.Fatal(err)
		}
		for _, tests := range []bool{false, true} {
			for _, expr := range selectors {
				opts, _, err := a.selectOptions(t.Context(), snap, LineageRequest{IncludeTests: tests}, expr)
				if err != nil {
					t.Fatal(err)
				}
				q, ok := lineage.PlanReach(expr, opts)
				if !ok {
					continue
				}
				configs := func(id int64, path, ids []string) ([]any, error) {
					return a.store.ConfigValues(t.Context(), id, path, ids)
				}
				want, wantErr := whole.graph.Select(expr, whole.options(opts, configs, opts.StateChanges, opts.FresherSources))
				part, ok, err := a.meshPart(t.Context(), m, q, nil)
				if err != nil {
					t.Fatalf("%s from %s: %v", expr, snap.Project, err)
				}
				if !ok {
					continue // the whole lineage answers, as for one project
				}
				got, gotErr := part.graph.Select(expr, part.options(opts, configs, opts.StateChanges, opts.FresherSources))
				if (wantErr == nil) != (gotErr == nil) {
					t.Fatalf("%s from %s (tests %v): the part errs %v, the whole %v", expr, snap.Project, tests, gotErr, wantErr)
				}
				if wantErr != nil {
					continue
				}
				checked++
				if !slices.Equal(got.Nodes, want.Nodes) || !slices.Equal(got.Edges, want.Edges) {
					t.Errorf("%s from %s (tests %v): the part's nodes and edges not in the whole's %v %v, the whole's not in the part's %v %v", expr, snap.Project, tests,
						missing(got.Nodes, want.Nodes), missing(got.Edges, want.Edges), missing(want.Nodes, got.Nodes), missing(want.Edges, got.Edges))
					continue
				}
				for _, id := range got.Nodes {
					if part.owners[id].ID != whole.owners[id].ID {
						t.Errorf("%s from %s: %s from run %d, the whole from %d", expr, snap.Project, id, part.owners[id].ID, whole.owners[id].ID)
					}
				}
			}
		}
		// The next start's whole lineage is built afresh.
		a.graphs.mesh = nil
	}
	t.Logf("%d selections compared", checked)
	if checked < 150 {
		t.Errorf("only %d selections compared", checked)
	}
}

// missing is what of a is not in b.
func missing[T comparable](a, b []T) []T {
	var out []T
	for _, x := range a {
		if !slices.Contains(b, x) {
			out = append(out, x)
		}
	}
	return out
}
