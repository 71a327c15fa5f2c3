package lineage_test

import (
	"encoding/json"
	"maps"
	"slices"
	"testing"

	"github.com/lineagedesk/lineagedesk/backend/lineage"
)

// dbtPick is what dbt's NodeSelector returns for a spec: the nodes selected
// directly and those held back (indirect).
type dbtPick struct{ direct, indirect map[string]bool }

// expandSelection is dbt's expand_selection, written here from dbt-core's
// graph/selector.py over the raw manifest: the tests and unit tests a
// selected node feeds join when the mode is eager or all their parents are
// selected; buildable also takes those whose parents are selected, their
// ancestors or sources; the others are held; empty takes none.
func (m *manifest) expandSelection(selected map[string]bool, mode string, sources map[string]bool) dbtPick {
	out := dbtPick{direct: union(selected), indirect: map[string]bool{}}
	if mode == "empty" {
		return out
	}
	built := union(selected, m.reach(sortedKeys(selected), true, -1), sources)
	for id, o := range m.raw {
		parents := m.parents[id]
		if !isTestType(o) || selected[id] || !anyIn(parents, selected) {
			continue
		}
		switch {
		case mode == "eager" || allIn(parents, selected):
			out.direct[id] = true
		case mode == "buildable" && allIn(parents, built):
			out.direct[id] = true
		default:
			out.indirect[id] = true
		}
	}
	return out
}

// group is dbt's select_nodes_recursively for a union, intersection or
// difference, then incorporate_indirect_nodes with the group's mode: held
// data tests (not unit tests) join once their parents are all selected
// (cautious), or selected or upstream of the selection (buildable).
func (m *manifest) group(op string, parts []dbtPick, mode string) dbtPick {
	if len(parts) == 0 {
		return dbtPick{direct: map[string]bool{}, indirect: map[string]bool{}}
	}
	combine := func(sets []map[string]bool) map[string]bool {
		out := union(sets[0])
		for _, s := range sets[1:] {
			for id := range out {
				if op == "intersection" && !s[id] || op == "difference" && s[id] {
					delete(out, id)
				}
			}
			if op == "union" {
				out = union(out, s)
			}
		}
		return out
	}
	var directs, eithers []map[string]bool
	for _, p := range parts {
		directs = append(directs, p.direct)
		eithers = append(eithers, union(p.direct, p.indirect))
	}
	direct, indirect := combine(directs), combine(eithers)
	selected := union(direct)
	var enough map[string]bool
	switch mode {
	case "cautious":
		enough = direct
	case "buildable":
		enough = union(direct, m.reach(sortedKeys(direct), true, -1))
	}
	if enough != nil {
		for id := range indirect {
			if str(m.raw[id]["resource_type"]) == "test" && allIn(m.parents[id], enough) {
				selected[id] = true
			}
		}
	}
	return dbtPick{direct: selected, indirect: indirect}
}

// TestIndirectSelectionThroughSetOperations: with tests shown, unions,
// intersections and excludes select tests as dbt does, each criterion
// expanding with the mode and every group taking in what it held back,
// checked against dbt's algorithm written here, in every mode: an excluded
// model's tests go in eager mode, and in cautious mode a test on a kept and
// an excluded model stays (dbt runs it). Then a YAML selector whose criteria
// set their own indirect_selection.
func TestIndirectSelectionThroughSetOperations(t *testing.T) {
	keptWithExcludedParent, yaml, ownModes := 0, 0, 0
	for _, ds := range datasets {
		t.Run(ds, func(t *testing.T) {
			m := loadManifest(t, ds)
			g := lineage.New(m.data)
			sources := map[string]bool{}
			for id, o := range m.raw {
				if str(o["resource_type"]) == "source" {
					sources[id] = true
				}
			}
			down1 := func(id string) map[string]bool { return m.reach([]string{id}, false, 1) }
			up := func(id string) map[string]bool { return m.reach([]string{id}, true, -1) }
			down := func(id string) map[string]bool { return m.reach([]string{id}, false, -1) }
			checked := 0
			for _, x := range sortedKeys(m.where(func(_ string, o map[string]any) bool { return str(o["resource_type"]) == "model" })) {
				var y string // a model x feeds
				for _, c := range m.children[x] {
					if str(m.raw[c]["resource_type"]) == "model" {
						y = c
						break
					}
				}
				if y == "" || checked >= 12 {
					continue
				}
				checked++
				for _, mode := range lineage.IndirectSelectionModes {
					crit := func(s map[string]bool) dbtPick { return m.expandSelection(s, mode, sources) }
					term := func(parts ...dbtPick) dbtPick { return m.group("intersection", parts, mode) }
					cli := func(selects, excludes []dbtPick) map[string]bool {
						return m.group("difference", []dbtPick{m.group("union", selects, mode), m.group("union", excludes, mode)}, mode).direct
					}
					opts := lineage.SelectOptions{IncludeTests: true, IndirectSelection: mode}
					want := cli([]dbtPick{term(crit(down1(x)))}, []dbtPick{term(crit(map[string]bool{y: true}))})
					checkSelect(t, g, m, x+"+1 --exclude "+y, opts, want)
					if mode == "cautious" {
						for id := range want {
							if isTestType(m.raw[id]) && slices.Contains(m.parents[id], y) {
								keptWithExcludedParent++
							}
						}
					}
					checkSelect(t, g, m, "+"+y+","+x+"+", opts, cli([]dbtPick{term(crit(up(y)), crit(down(x)))}, nil))
					checkSelect(t, g, m, x+" "+y+"+1", opts, cli([]dbtPick{term(crit(map[string]bool{x: true})), term(crit(down1(y)))}, nil))
					checkSelect(t, g, m, "+"+y+" --exclude "+x+"+", opts,
						cli([]dbtPick{term(crit(up(y)))}, []dbtPick{term(crit(down(x)))}))
				}
				// A YAML selector: x with no tests, y with every test that
				// touches it, and the parents of y less x (graph operators
				// select tests as nodes, so those criteria take the global
				// mode); the groups take the global one. By name, when the
				// name is x's alone.
				xName, yName := str(m.raw[x]["name"]), str(m.raw[y]["name"])
				if !selectsOnly(g, xName, x) || !selectsOnly(g, yName, y) {
					continue
				}
				def := map[string]any{"union": []any{
					map[string]any{"method": "fqn", "value": xName, "indirect_selection": "empty"},
					map[string]any{"method": "fqn", "value": yName, "indirect_selection": "eager"},
					map[string]any{"method": "fqn", "value": yName, "parents": true, "parents_depth": 1,
						"exclude": []any{map[string]any{"method": "fqn", "value": xName}}},
				}}
				raw, _ := json.Marshal(def)
				for _, mode := range []string{"cautious", "buildable"} {
					opts := lineage.SelectOptions{IncludeTests: true, IndirectSelection: mode, Selectors: map[string]json.RawMessage{"mine": raw}}
					yamlWant := func(xMode, yMode string) map[string]bool {
						parents := m.group("difference", []dbtPick{
							m.expandSelection(m.reach([]string{y}, true, 1), mode, sources),
							m.expandSelection(map[string]bool{x: true}, mode, sources)}, mode)
						return m.group("union", []dbtPick{m.expandSelection(map[string]bool{x: true}, xMode, sources),
							m.expandSelection(map[string]bool{y: true}, yMode, sources), parents}, mode).direct
					}
					want := yamlWant("empty", "eager")
					checkSelect(t, g, m, "selector:mine", opts, want)
					yaml++
					if !maps.Equal(want, yamlWant(mode, mode)) {
						ownModes++ // the criteria's own modes made a difference
					}
				}
			}
			if checked == 0 {
				t.Fatal("no model feeds another: the dataset does not exercise set operations")
			}
		})
	}
	if yaml == 0 || ownModes == 0 {
		t.Errorf("%d YAML selectors checked, %d where the criteria's own modes mattered: the datasets do not exercise them", yaml, ownModes)
	}
	if keptWithExcludedParent == 0 {
		t.Error("no cautious selection kept a test of an excluded model: the datasets do not exercise dbt's difference")
	}
	t.Logf("%d tests kept with an excluded parent; %d YAML selectors checked, %d where the criteria's own modes mattered", keptWithExcludedParent, yaml, ownModes)
}

// selectsOnly is true when the name selects exactly the node id.
func selectsOnly(g *lineage.Graph, name, id string) bool {
	sel, err := g.Select(name, lineage.SelectOptions{})
	return err == nil && len(sel.Nodes) == 1 && sel.Nodes[0] == id
}
