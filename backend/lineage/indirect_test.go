package lineage_test

import (
	"testing"

	"github.com/lineagedesk/lineagedesk/backend/lineage"
)

// TestIndirectSelectionModes checks each of dbt's --indirect-selection
// modes, with tests shown, on every node alone and with its children,
// against the tests computed here from the raw manifest's depends_on:
// eager adds tests with any parent selected, cautious those with all
// parents selected, buildable those with a parent selected whose parents
// are all selected, upstream of the selection or sources (dbt's
// expand_selection looks at the selection's children only), empty none.
func TestIndirectSelectionModes(t *testing.T) {
	for _, ds := range datasets {
		t.Run(ds, func(t *testing.T) {
			m := loadManifest(t, ds)
			g := lineage.New(m.data)
			added := 0
			sources := map[string]bool{}
			for id, o := range m.raw {
				if str(o["resource_type"]) == "source" {
					sources[id] = true
				}
			}
			for id, o := range m.raw {
				if isTestType(o) {
					continue
				}
				for expr, base := range map[string]map[string]bool{id: {id: true}, id + "+1": m.reach([]string{id}, false, 1)} {
					upstream := m.reach(sortedKeys(base), true, -1)
					for mode, adds := range map[string]func(parents []string) bool{
						"eager":     func(ps []string) bool { return anyIn(ps, base) },
						"cautious":  func(ps []string) bool { return allIn(ps, base) },
						"":          func(ps []string) bool { return allIn(ps, base) },
						"buildable": func(ps []string) bool { return anyIn(ps, base) && allIn(ps, union(base, upstream, sources)) },
						"empty":     func([]string) bool { return false },
					} {
						want := union(base)
						for tid, to := range m.raw {
							if isTestType(to) && !base[tid] && len(m.parents[tid]) > 0 && adds(m.parents[tid]) {
								want[tid] = true
								added++
							}
						}
						checkSelect(t, g, m, expr, lineage.SelectOptions{IncludeTests: true, IndirectSelection: mode}, want)
					}
				}
			}
			if added == 0 {
				t.Error("no mode added a test: the dataset does not exercise them")
			}
		})
	}
	g := lineage.New(loadManifest(t, datasets[0]).data)
	if _, err := g.Select("orders", lineage.SelectOptions{IncludeTests: true, IndirectSelection: "lazy"}); err == nil {
		t.Error("an unknown mode selected")
	}
}

func anyIn(ids []string, set map[string]bool) bool {
	for _, id := range ids {
		if set[id] {
			return true
		}
	}
	return false
}

func allIn(ids []string, set map[string]bool) bool {
	for _, id := range ids {
		if !set[id] {
			return false
		}
	}
	return true
}

// TestPlanReachLeavesEagerAndBuildableToTheWholeGraph: those modes add
// tests of nodes a reach part need not hold.
func TestPlanReachLeavesEagerAndBuildableToTheWholeGraph(t *testing.T) {
	for mode, plannable := range map[string]bool{"": true, "cautious": true, "empty": true, "eager": false, "buildable": false} {
		if _, ok := lineage.PlanReach("+orders+", lineage.SelectOptions{IncludeTests: true, IndirectSelection: mode}); ok != plannable {
			t.Errorf("PlanReach with indirect selection %q: %v, want %v", mode, ok, plannable)
		}
	}
}
