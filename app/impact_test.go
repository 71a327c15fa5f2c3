package app_test

import (
	"maps"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/lineagedesk/lineagedesk/app"
	"github.com/lineagedesk/lineagedesk/backend"
)

// TestImpact: what is downstream and upstream of a node, counted against
// a walk over the manifest's depends_on written here, the same whether
// the app answers from the reach tables (a fresh start) or from the whole
// graph once it is loaded.
func TestImpact(t *testing.T) {
	const dataset = "bouncer-build-v12-dbt1.11-duckdb"
	m := manifestJSON(t, dataset)
	parents := map[string][]string{}
	children := map[string][]string{}
	kind := map[string]string{}
	name := map[string]string{}
	for _, section := range []string{"nodes", "sources", "exposures", "metrics", "semantic_models", "saved_queries", "unit_tests"} {
		objs, _ := m[section].(map[string]any)
		for id, raw := range objs {
			obj := raw.(map[string]any)
			kind[id], _ = obj["resource_type"].(string)
			name[id], _ = obj["name"].(string)
			if cfg, _ := obj["config"].(map[string]any); cfg["enabled"] == false {
				continue
			}
			deps, _ := obj["depends_on"].(map[string]any)
			list, _ := deps["nodes"].([]any)
			for _, p := range list {
				parents[id] = append(parents[id], p.(string))
				children[p.(string)] = append(children[p.(string)], id)
			}
		}
	}
	walk := func(adj map[string][]string, from string) []string {
		seen := map[string]bool{from: true}
		queue := []string{from}
		for len(queue) > 0 {
			n := queue[0]
			queue = queue[1:]
			for _, next := range adj[n] {
				if !seen[next] && kind[next] != "" {
					seen[next] = true
					queue = append(queue, next)
				}
			}
		}
		delete(seen, from)
		return slices.Sorted(maps.Keys(seen))
	}
	want := func(id string, adj map[string][]string, named string) app.ImpactSide {
		side := app.ImpactSide{ByType: map[string]int{}, Named: []app.ImpactNode{}}
		for _, n := range walk(adj, id) {
			switch kind[n] {
			case "test", "unit_test":
				side.Tests++
				continue
			case named:
				side.Named = append(side.Named, app.ImpactNode{UniqueID: n, Name: name[n]})
			}
			side.Nodes++
			side.ByType[kind[n]]++
		}
		return side
	}
	nodes := []string{"model.dbt_bouncer_test_project.stg_orders", "model.dbt_bouncer_test_project.orders",
		"seed.dbt_bouncer_test_project.raw_customers", "exposure.dbt_bouncer_test_project.Pulse queries"}
	impacts := func(a *app.App) map[string]app.Impact {
		out := map[string]app.Impact{}
		for _, id := range nodes {
			res, err := a.Impact(0, id)
			if err != nil {
				t.Fatal(err)
			}
			out[id] = res
		}
		return out
	}
	a, _, _ := openApp(t)
	if _, err := a.ImportPaths([]string{filepath.Join(fixtures, dataset)}, ""); err != nil {
		t.Fatal(err)
	}
	fromReach := impacts(a)
	// test_name: reads the whole graph, which Impact then answers from.
	if _, err := a.Lineage(app.LineageRequest{Select: "test_name:unique", Format: "json"}); err != nil {
		t.Fatal(err)
	}
	fromGraph := impacts(a)
	for _, id := range nodes {
		got := fromReach[id]
		if got.UniqueID != id || got.Name != name[id] {
			t.Errorf("%s: answered for %s (%s)", id, got.UniqueID, got.Name)
		}
		if w := want(id, children, "exposure"); mustJSON(t, got.Downstream) != mustJSON(t, w) {
			t.Errorf("%s downstream: %s\nwant %s", id, mustJSON(t, got.Downstream), mustJSON(t, w))
		}
		if w := want(id, parents, "source"); mustJSON(t, got.Upstream) != mustJSON(t, w) {
			t.Errorf("%s upstream: %s\nwant %s", id, mustJSON(t, got.Upstream), mustJSON(t, w))
		}
		if mustJSON(t, fromGraph[id]) != mustJSON(t, got) {
			t.Errorf("%s: the whole graph answers %s, the reach tables %s", id, mustJSON(t, fromGraph[id]), mustJSON(t, got))
		}
	}
	if fromReach[nodes[0]].Downstream.Nodes == 0 || len(fromReach[nodes[0]].Downstream.Named) == 0 || fromReach[nodes[0]].Upstream.Nodes == 0 {
		t.Errorf("stg_orders reaches nothing: %+v", fromReach[nodes[0]])
	}

	// By name; a name nothing carries gets near names.
	if res, err := a.Impact(0, "stg_orders"); err != nil || res.UniqueID != nodes[0] {
		t.Errorf("by name: %+v, %v", res, err)
	}
	if _, err := a.Impact(0, "stg_ordrs"); backend.ErrorCode(err) != backend.ENOTFOUND || !strings.Contains(err.Error(), "stg_orders") {
		t.Errorf("a misspelt name: %v", err)
	}
}
