package storage

import (
	"slices"
	"strings"
	"testing"

	"github.com/lineagedesk/lineagedesk/backend"
)

// TestNodeStateStepsAgreeWithStateChanges: one node compared along a
// series of snapshots (the dbt-bouncer test project under dbt 1.8 to
// 1.12 and Fusion, in that order and backwards, so that nodes come and
// go) says, step by step, what the whole snapshots' comparison says of
// it, for every node any of them holds.
func TestNodeStateStepsAgreeWithStateChanges(t *testing.T) {
	s := openInternal(t)
	ids := saveDatasets(t, s, "bouncer-v12-dbt1.8-duckdb", "bouncer-v12-dbt1.10-duckdb", "bouncer-v12-dbt1.12-duckdb", "bouncer-v12-fusion2.0-duckdb")
	nodes := map[string]bool{}
	for _, id := range ids {
		d, err := s.digests(t.Context(), id)
		if err != nil {
			t.Fatal(err)
		}
		for _, n := range d.nodes {
			nodes[n.id] = true
		}
	}
	for _, series := range [][]int64{ids, {ids[3], ids[2], ids[1], ids[0]}, {ids[0], ids[2], ids[0]}} {
		var whole []map[string]backend.StateChange
		for i := 1; i < len(series); i++ {
			changes, err := s.StateChanges(t.Context(), series[i], series[i-1])
			if err != nil {
				t.Fatal(err)
			}
			whole = append(whole, changes)
		}
		seen := map[string]int{}
		for id := range nodes {
			steps, err := s.NodeStateSteps(t.Context(), id, series)
			if err != nil {
				t.Fatal(err)
			}
			if len(steps) != len(series)-1 {
				t.Fatalf("%s: %d steps along %d snapshots", id, len(steps), len(series))
			}
			for i, step := range steps {
				if want := whole[i][id]; step.StateChange != want {
					t.Errorf("%s, snapshot %d against %d: %+v, the snapshots' comparison says %+v", id, series[i+1], series[i], step, want)
				}
				for _, part := range step.Parts() {
					seen[part]++
				}
			}
		}
		t.Logf("series %v: %v", series, seen)
		for _, part := range []string{"new", "removed", "body", "configs", "relation", "macros", "contract", "properties"} {
			if seen[part] == 0 {
				t.Errorf("series %v: no node's step is %s; the test needs every kind (%v)", series, part, seen)
			}
		}
	}
	if steps, err := s.NodeStateSteps(t.Context(), "model.nowhere.none", ids); err != nil || slices.ContainsFunc(steps, func(c backend.NodeStep) bool { return c != backend.NodeStep{} }) {
		t.Errorf("a node no snapshot holds: %v, %v", steps, err)
	}
}

// TestNodeWarehouseColumnsAgreeWithTheSnapshots: one node's catalog
// columns along snapshots are what each snapshot's whole list gives it
// (hubspot under dbt 1.8 and 1.11, whose catalogs differ).
func TestNodeWarehouseColumnsAgreeWithTheSnapshots(t *testing.T) {
	s := openInternal(t)
	ids := saveDatasets(t, s, "hubspot-v12-dbt1.8-postgres", "hubspot-v12-dbt1.11-postgres")
	whole := map[int64]map[string][]backend.CodeColumn{}
	nodes := map[string]bool{}
	for _, id := range ids {
		cols, err := s.WarehouseColumns(t.Context(), id)
		if err != nil {
			t.Fatal(err)
		}
		whole[id] = cols
		for n := range cols {
			nodes[n] = true
		}
	}
	if len(nodes) < 100 {
		t.Fatalf("%d nodes with warehouse columns; the test needs the catalogs", len(nodes))
	}
	for n := range nodes {
		got, err := s.NodeWarehouseColumns(t.Context(), n, ids)
		if err != nil {
			t.Fatal(err)
		}
		for _, id := range ids {
			want, ok := whole[id][n]
			if cols, held := got[id]; held != ok || !slices.Equal(cols, want) {
				t.Errorf("%s in snapshot %d: %v (held %v), the snapshot's list says %v (held %v)", n, id, cols, held, want, ok)
			}
		}
	}
}

// TestNodeStateStepsOfAMacro: a macro changes by its code, or by a macro
// it calls, however deep; nothing else of it counts (hubspot's
// engagements_joined between dbt 1.8 and 1.11, read from the two
// manifests: its code changed, and so did
// dbt_utils.default__get_filtered_columns_in_relation, which star calls
// through default__star and get_filtered_columns_in_relation).
func TestNodeStateStepsOfAMacro(t *testing.T) {
	s := openInternal(t)
	ids := saveDatasets(t, s, "hubspot-v12-dbt1.8-postgres", "hubspot-v12-dbt1.11-postgres")
	steps, err := s.NodeStateSteps(t.Context(), "macro.hubspot.engagements_joined", ids)
	if err != nil {
		t.Fatal(err)
	}
	if len(steps) != 1 || !slices.Equal(steps[0].Parts(), []string{"body", "macros"}) {
		t.Errorf("engagements_joined 1.8 -> 1.11: %+v (%v)", steps, steps[0].Parts())
	}
}

// TestNodeStateStepsSayWhenDescriptionsChanged: a step says a node's
// description or its columns' changed, whether dbt persists them or not
// (the expectation read from the manifests: bouncer under dbt 1.8 and
// 1.12, hubspot under 1.8 and 1.11).
func TestNodeStateStepsSayWhenDescriptionsChanged(t *testing.T) {
	for _, pair := range [][2]string{{"bouncer-v12-dbt1.8-duckdb", "bouncer-v12-dbt1.12-duckdb"}, {"hubspot-v12-dbt1.8-postgres", "hubspot-v12-dbt1.11-postgres"}} {
		s := openInternal(t)
		ids := saveDatasets(t, s, pair[0], pair[1])
		before, now := descriptionsOf(t, pair[0]), descriptionsOf(t, pair[1])
		changed := 0
		for id, docs := range now {
			old, ok := before[id]
			if !ok {
				continue
			}
			steps, err := s.NodeStateSteps(t.Context(), id, ids)
			if err != nil {
				t.Fatal(err)
			}
			if want := old != docs; steps[0].Descriptions != want {
				t.Errorf("%s %s: descriptions changed %v, the manifests say %v", pair[1], id, steps[0].Descriptions, want)
			}
			if old != docs {
				changed++
			}
		}
		t.Logf("%s -> %s: %d nodes' descriptions changed", pair[0], pair[1], changed)
		if changed == 0 {
			t.Errorf("%s -> %s: no description changed; the test needs one", pair[0], pair[1])
		}
	}
}

// descriptionsOf reads each lineage node's description and its columns'
// (those the manifest documents, by name) from a dataset, as one string.
func descriptionsOf(t *testing.T, dataset string) map[string]string {
	t.Helper()
	out := map[string]string{}
	for _, r := range loadDataset(t, dataset).Resources {
		if r.ResourceType == backend.TypeMacro || r.ResourceType == backend.TypeDoc || !r.Enabled {
			continue
		}
		var columns []string
		for _, c := range r.Columns {
			if c.InManifest {
				columns = append(columns, c.Name+"="+c.Description)
			}
		}
		slices.Sort(columns)
		out[r.UniqueID] = r.Description + "\n" + strings.Join(columns, "\n")
	}
	return out
}
