package lineage_test

import (
	"errors"
	"fmt"
	"path"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/lineagedesk/lineagedesk/backend"
	"github.com/lineagedesk/lineagedesk/backend/lineage"
)

var datasets = []string{
	"jaffle-dap-v12-1.12",
	"bouncer-v12-dbt1.11-duckdb",
	"bouncer-build-v12-dbt1.11-duckdb",
	"hubspot-v12-dbt1.9-bigquery",
	"tuva-v11-dbt1.7",
}

// checkSelect runs expr and compares the nodes with want and the edges
// with the depends_on edges among want.
func checkSelect(t *testing.T, g *lineage.Graph, m *manifest, expr string, opts lineage.SelectOptions, want map[string]bool) *lineage.Selection {
	t.Helper()
	sel, err := g.Select(expr, opts)
	if len(want) == 0 {
		if err == nil {
			t.Errorf("Select(%q) = %d nodes, want an error (nothing matches)", expr, len(sel.Nodes))
		}
		return nil
	}
	if err != nil {
		t.Errorf("Select(%q): %v", expr, err)
		return nil
	}
	if got, w := sel.Nodes, sortedKeys(want); !slices.Equal(got, w) {
		t.Errorf("Select(%q) nodes:\n got %d %v\nwant %d %v", expr, len(got), clip(got), len(w), clip(w))
		return sel
	}
	var wantEdges []string
	for _, child := range sel.Nodes {
		for _, p := range m.parents[child] {
			if want[p] {
				wantEdges = append(wantEdges, p+" -> "+child)
			}
		}
	}
	slices.Sort(wantEdges)
	var gotEdges []string
	for _, e := range sel.Edges {
		gotEdges = append(gotEdges, e.Parent+" -> "+e.Child)
	}
	if !slices.Equal(gotEdges, wantEdges) {
		t.Errorf("Select(%q) edges:\n got %v\nwant %v", expr, clip(gotEdges), clip(wantEdges))
	}
	return sel
}

func clip(s []string) []string {
	if len(s) > 12 {
		return append(s[:12:12], fmt.Sprintf("... %d more", len(s)-12))
	}
	return s
}

func union(sets ...map[string]bool) map[string]bool {
	out := map[string]bool{}
	for _, s := range sets {
		for k, ok := range s {
			if ok {
				out[k] = true
			}
		}
	}
	return out
}

// indirectTests adds, as dbt's cautious indirect selection, the tests whose
// parents are all in s.
func (m *manifest) indirectTests(s map[string]bool) map[string]bool {
	out := union(s)
	for id, o := range m.raw {
		if !isTestType(o) || len(m.parents[id]) == 0 {
			continue
		}
		all := true
		for _, p := range m.parents[id] {
			all = all && s[p]
		}
		if all {
			out[id] = true
		}
	}
	return out
}

func TestGraphOperatorsOnEveryNode(t *testing.T) {
	for _, ds := range datasets {
		t.Run(ds, func(t *testing.T) {
			m := loadManifest(t, ds)
			g := lineage.New(m.data)
			if len(g.SkippedEdges()) != 0 {
				t.Errorf("skipped edges: %v", g.SkippedEdges())
			}
			for id, o := range m.raw {
				if isTestType(o) {
					continue
				}
				one := []string{id}
				down := m.reach(one, false, -1)
				at := m.reach(sortedKeys(down), true, -1)
				cases := map[string]map[string]bool{
					id:                            {id: true},
					"+" + id:                      m.reach(one, true, -1),
					id + "+":                      down,
					"+" + id + "+":                union(m.reach(one, true, -1), down),
					"2+" + id:                     m.reach(one, true, 2),
					id + "+1":                     m.reach(one, false, 1),
					"1+" + id + "+3":              union(m.reach(one, true, 1), m.reach(one, false, 3)),
					"@" + id:                      at,
					"0+" + id + "+0":              {id: true},
					"'" + id + "'+1":              m.reach(one, false, 1),
					"+'" + id + "',@'" + id + "'": m.reach(one, true, -1), // ancestors are all in @'s set
				}
				for expr, want := range cases {
					checkSelect(t, g, m, expr, lineage.SelectOptions{}, m.withoutTests(want))
				}
				all := union(m.reach(one, true, -1), down)
				sel := checkSelect(t, g, m, "+"+id+"+", lineage.SelectOptions{IncludeTests: true}, m.indirectTests(all))
				if sel != nil && !slices.Equal(sel.Focus, []string{id}) {
					t.Errorf("focus of +%s+ = %v", id, sel.Focus)
				}
			}
		})
	}
}

// fqnMatches is dbt's rule for a selector without dots or wildcards,
// written out for the test: the fqn's last part (or a versioned model's
// name), the package or the first folder, of any resource but a source
// (dbt's fqn method searches its non_source_nodes).
func fqnMatches(o map[string]any, name string) bool {
	fqn := strs(o["fqn"])
	if len(fqn) == 0 || str(o["resource_type"]) == "source" {
		return false
	}
	// dbt's is_selected_node: only models are versioned (BaseNode.is_versioned);
	// a versioned model goes by its name or name_vN, not by its fqn's last part.
	if str(o["resource_type"]) == "model" && str(o["version"]) != "" {
		if fqn[len(fqn)-2] == name || fqn[len(fqn)-2]+"_"+fqn[len(fqn)-1] == name {
			return true
		}
	} else if fqn[len(fqn)-1] == name {
		return true
	}
	// Then the fqn's parts split at their dots, the name their first.
	first := func(part string) string { return strings.Split(part, ".")[0] }
	return first(fqn[0]) == name || len(fqn) > 1 && first(fqn[1]) == name
}

// A model whose name has dots is in the namespace its first part names, as
// dbt splits every fqn part at its dots (QA: a model named ads.stg_orders
// at the models' root was not selected by "ads", which dbt selects it by).
func TestDottedModelNameIsANamespace(t *testing.T) {
	m := loadManifest(t, "jaffle-dap-v12-1.12")
	const id = "model.jaffle_shop.stg_orders"
	m.raw[id]["fqn"] = []any{"jaffle_shop", "ads.stg_orders"}
	m.raw[id]["name"] = "ads.stg_orders"
	for i := range m.data.Nodes {
		if m.data.Nodes[i].UniqueID == id {
			m.data.Nodes[i].FQN = []string{"jaffle_shop", "ads.stg_orders"}
			m.data.Nodes[i].Name = "ads.stg_orders"
		}
	}
	g := lineage.New(m.data)
	want := m.where(func(_ string, o map[string]any) bool { return fqnMatches(o, "ads") })
	if len(want) != 1 || !want[id] {
		t.Fatalf("the reference selects %v for ads", want)
	}
	checkSelect(t, g, m, "ads", lineage.SelectOptions{}, want)
	checkSelect(t, g, m, "ads+", lineage.SelectOptions{}, m.withoutTests(m.reach([]string{id}, false, -1)))
	if q := lineage.Qualifiers(m.data.Nodes); !slices.Contains(q, "ads") {
		t.Errorf("qualifiers %v lack ads: a store would answer ads by the models so named alone", q)
	}
}

func notSource(o map[string]any) bool { return str(o["resource_type"]) != "source" }

func TestMethodsAgainstTheRawManifest(t *testing.T) {
	for _, ds := range datasets {
		t.Run(ds, func(t *testing.T) {
			m := loadManifest(t, ds)
			g := lineage.New(m.data)
			values := func(f func(o map[string]any) []string) []string {
				set := map[string]bool{}
				for _, o := range m.raw {
					for _, v := range f(o) {
						if v != "" {
							set[v] = true
						}
					}
				}
				return sortedKeys(set)
			}
			one := func(key string) func(o map[string]any) []string {
				return func(o map[string]any) []string { return []string{str(o[key])} }
			}
			ofType := func(rt string) func(o map[string]any) []string {
				return func(o map[string]any) []string {
					if str(o["resource_type"]) == rt {
						return []string{str(o["name"])}
					}
					return nil
				}
			}
			noTests := lineage.SelectOptions{}
			check := func(expr string, want map[string]bool) { checkSelect(t, g, m, expr, noTests, want) }

			for _, name := range values(one("name")) {
				if strings.ContainsAny(name, " *?[,+@:'\"/") || strings.HasSuffix(name, ".sql") || strings.HasSuffix(name, ".py") || strings.HasSuffix(name, ".csv") || strings.Contains(name, ".") {
					continue
				}
				want := m.withoutTests(m.where(func(_ string, o map[string]any) bool { return fqnMatches(o, name) }))
				if len(want) == 0 {
					continue // a test's own name: hidden
				}
				check(name, want)
			}
			// A YAML file selects what it documents, and what it defines.
			documented := 0
			for _, yml := range values(func(o map[string]any) []string { return []string{patchPath(o)} }) {
				want := m.withoutTests(m.where(func(_ string, o map[string]any) bool {
					return patchPath(o) == yml || str(o["original_file_path"]) == yml
				}))
				if len(want) > 0 {
					documented++
					check("path:"+yml, want)
				}
			}
			if documented == 0 {
				t.Errorf("%s: no resource documented in a YAML file", ds)
			}
			for _, tag := range values(func(o map[string]any) []string { return strs(o["tags"]) }) {
				check("tag:"+tag, m.withoutTests(m.where(func(_ string, o map[string]any) bool { return slices.Contains(strs(o["tags"]), tag) })))
			}
			for _, p := range values(one("original_file_path")) {
				for _, q := range []string{p, path.Dir(p)} {
					want := m.withoutTests(m.where(func(_ string, o map[string]any) bool {
						f := str(o["original_file_path"])
						return f == q || strings.HasPrefix(f, q+"/") || patchPath(o) == q
					}))
					if len(want) > 0 {
						check("path:"+q, want)
						check(q+"/", want) // the default method for a value with a slash
					}
				}
				base := path.Base(p)
				stem := strings.TrimSuffix(base, path.Ext(base))
				want := m.withoutTests(m.where(func(_ string, o map[string]any) bool {
					b := path.Base(str(o["original_file_path"]))
					return str(o["original_file_path"]) != "" && (b == base || b == stem || strings.TrimSuffix(b, path.Ext(b)) == base)
				}))
				if len(want) > 0 {
					check("file:"+base, want)
				}
			}
			for _, pkg := range values(one("package_name")) {
				check("package:"+pkg, m.withoutTests(m.where(func(_ string, o map[string]any) bool { return str(o["package_name"]) == pkg })))
			}
			for _, src := range values(one("source_name")) {
				want := m.where(func(_ string, o map[string]any) bool {
					return str(o["resource_type"]) == "source" && str(o["source_name"]) == src
				})
				check("source:"+src, want)
				for id := range want {
					o := m.raw[id]
					check("source:"+src+"."+str(o["name"]), map[string]bool{id: true})
					check("source:"+str(o["package_name"])+"."+src+"."+str(o["name"]), map[string]bool{id: true})
				}
				check("source:"+src+"+", m.withoutTests(m.reach(sortedKeys(want), false, -1)))
			}
			for _, rt := range []string{"exposure", "metric", "semantic_model", "saved_query", "unit_test"} {
				for _, name := range values(ofType(rt)) {
					want := m.where(func(_ string, o map[string]any) bool { return str(o["resource_type"]) == rt && str(o["name"]) == name })
					if !strings.Contains(name, " ") { // unquoted, a space separates criteria
						check(rt+":"+name, want)
					}
					check(rt+":'"+name+"'", want)
				}
			}
			for _, rt := range values(one("resource_type")) {
				check("resource_type:"+rt, m.where(func(_ string, o map[string]any) bool { return str(o["resource_type"]) == rt }))
			}
			for _, mat := range values(func(o map[string]any) []string { return []string{str(get(o, "config", "materialized"))} }) {
				check("config.materialized:"+mat, m.withoutTests(m.where(func(_ string, o map[string]any) bool { return str(get(o, "config", "materialized")) == mat })))
			}
			checkConfigMethod(t, g, m)
			for _, tn := range values(func(o map[string]any) []string { return []string{str(get(o, "test_metadata", "name"))} }) {
				check("test_name:"+tn, m.where(func(_ string, o map[string]any) bool {
					return str(o["resource_type"]) == "test" && str(get(o, "test_metadata", "name")) == tn
				}))
			}
			generic := m.where(func(_ string, o map[string]any) bool {
				return str(o["resource_type"]) == "test" && get(o, "test_metadata") != nil
			})
			singular := m.where(func(_ string, o map[string]any) bool {
				return str(o["resource_type"]) == "test" && get(o, "test_metadata") == nil
			})
			check("test_type:generic", generic)
			check("test_type:schema", generic) // dbt's older name for it
			check("test_type:singular", singular)
			// test_name: matches a generic test's test_metadata.name and a
			// unit test's name; a singular test has neither.
			check("test_name:*", union(generic, m.where(func(_ string, o map[string]any) bool { return str(o["resource_type"]) == "unit_test" })))
			check("test_type:data", union(generic, singular))
			check("test_type:unit", m.where(func(_ string, o map[string]any) bool { return str(o["resource_type"]) == "unit_test" }))
			for _, access := range []string{"public", "protected", "private"} {
				check("access:"+access, m.withoutTests(m.where(func(_ string, o map[string]any) bool { return str(o["access"]) == access })))
			}
			check("version:none", m.where(func(_ string, o map[string]any) bool {
				return str(o["resource_type"]) == "model" && str(o["version"]) == ""
			}))
			for _, v := range []string{"latest", "old", "prerelease"} {
				check("version:"+v, m.where(func(_ string, o map[string]any) bool {
					ver, latest := str(o["version"]), str(o["latest_version"])
					if str(o["resource_type"]) != "model" || ver == "" {
						return false
					}
					return v == "latest" && ver == latest || v == "old" && ver < latest || v == "prerelease" && ver > latest
				}))
			}
			for _, pkg := range values(one("package_name")) {
				check("fqn:"+pkg+".*", m.withoutTests(m.where(func(_ string, o map[string]any) bool {
					fqn := strs(o["fqn"])
					return notSource(o) && (len(fqn) > 1 && fqn[0] == pkg || len(fqn) > 2 && fqn[1] == pkg) // scoped or unscoped
				})))
			}
			check("*", m.withoutTests(m.where(func(_ string, o map[string]any) bool { return notSource(o) && len(strs(o["fqn"])) > 0 })))
			check("stg_*", m.withoutTests(m.where(func(_ string, o map[string]any) bool {
				fqn := strs(o["fqn"])
				if !notSource(o) {
					return false
				}
				// The wildcard part must match the whole rest of the (scoped or unscoped) fqn.
				return len(fqn) > 1 && strings.HasPrefix(strings.Join(fqn[1:], "."), "stg_") ||
					len(fqn) > 0 && strings.HasPrefix(strings.Join(fqn, "."), "stg_")
			})))
		})
	}
}

func TestSetOperations(t *testing.T) {
	m := loadManifest(t, "jaffle-dap-v12-1.12")
	g := lineage.New(m.data)
	id := "model.jaffle_shop.customers"
	up := m.withoutTests(m.reach([]string{id}, true, -1))
	views := m.where(func(_ string, o map[string]any) bool { return str(get(o, "config", "materialized")) == "view" })
	inter := map[string]bool{}
	minus := map[string]bool{}
	for k := range up {
		if views[k] {
			inter[k] = true
		} else {
			minus[k] = true
		}
	}
	if len(inter) == 0 || len(minus) == 0 {
		t.Fatalf("fixture changed: +customers has %d views and %d others", len(inter), len(minus))
	}
	checkSelect(t, g, m, "+"+id+",config.materialized:view", lineage.SelectOptions{}, inter)
	checkSelect(t, g, m, "+"+id+" --exclude config.materialized:view", lineage.SelectOptions{}, minus)
	orders := m.withoutTests(m.reach([]string{"model.jaffle_shop.orders"}, false, -1))
	checkSelect(t, g, m, "+"+id+" model.jaffle_shop.orders+", lineage.SelectOptions{}, union(up, orders))
	sel := checkSelect(t, g, m, id+"   --select model.jaffle_shop.orders", lineage.SelectOptions{}, map[string]bool{id: true, "model.jaffle_shop.orders": true})
	if sel != nil && len(sel.Focus) != 2 {
		t.Errorf("focus = %v, want both named models", sel.Focus)
	}
	named := m.withoutTests(m.where(func(_ string, o map[string]any) bool { return fqnMatches(o, "customers") || fqnMatches(o, "orders") }))
	checkSelect(t, g, m, "customers orders", lineage.SelectOptions{}, named)
	sel = checkSelect(t, g, m, "+"+id+" --exclude tag:nothing_has_this", lineage.SelectOptions{}, up)
	if sel != nil && (len(sel.Warnings) != 1 || !strings.Contains(sel.Warnings[0], "tag:nothing_has_this")) {
		t.Errorf("warnings = %v, want one naming the exclude criterion", sel.Warnings)
	}
	// As dbt: a criterion of a union that matches nothing is a warning
	// while the rest selects something, and an error when nothing does.
	sel = checkSelect(t, g, m, "+"+id+" tag:nothing_has_this custmers", lineage.SelectOptions{}, up)
	if sel != nil && (len(sel.Warnings) != 2 || !strings.Contains(sel.Warnings[0], `select "tag:nothing_has_this" matches no tag`) ||
		!strings.Contains(sel.Warnings[1], `select "custmers" matches no name`) || !strings.Contains(sel.Warnings[1], "did you mean")) {
		t.Errorf("warnings = %q, want one per criterion matching nothing, with near names", sel.Warnings)
	}
	_, err := g.Select("tag:nothing_has_this custmers", lineage.SelectOptions{})
	if backend.ErrorCode(err) != backend.ENOTFOUND || !strings.Contains(err.Error(), "tag:nothing_has_this") || !strings.Contains(err.Error(), "custmers") {
		t.Errorf("nothing selected: %v, want an error naming both criteria", err)
	}
}

// A criterion naming tests shows them, and its other criteria bring their
// tests along as with tests shown: dbt's own example,
// "one_specific_model,test_type:unit", is that model's unit tests.
func TestIntersectionsWithTestMethods(t *testing.T) {
	m := loadManifest(t, "jaffle-dap-v12-1.12")
	g := lineage.New(m.data)
	const orders = "model.jaffle_shop.orders"
	testsOf := func(kind string) map[string]bool {
		return m.where(func(id string, o map[string]any) bool {
			return str(o["resource_type"]) == kind && slices.Equal(m.parents[id], []string{orders})
		})
	}
	unit, data := testsOf("unit_test"), testsOf("test")
	if len(unit) != 1 || len(data) < 2 {
		t.Fatalf("fixture changed: orders has %d unit tests and %d data tests of its own", len(unit), len(data))
	}
	checkSelect(t, g, m, "orders,test_type:unit", lineage.SelectOptions{}, unit)
	checkSelect(t, g, m, "orders,resource_type:unit_test", lineage.SelectOptions{}, unit)
	checkSelect(t, g, m, "orders,test_type:data", lineage.SelectOptions{}, data)
	// The same with tests shown, and without a test method they stay hidden.
	checkSelect(t, g, m, "orders,test_type:unit", lineage.SelectOptions{IncludeTests: true}, unit)
	checkSelect(t, g, m, "orders", lineage.SelectOptions{}, m.withoutTests(m.where(func(_ string, o map[string]any) bool { return fqnMatches(o, "orders") })))
}

func TestVersionsAndNamesWithSpaces(t *testing.T) {
	m := loadManifest(t, "bouncer-build-v12-dbt1.11-duckdb")
	g := lineage.New(m.data)
	v1, v2 := "model.dbt_bouncer_test_project.customers.v1", "model.dbt_bouncer_test_project.customers.v2"
	exposure := "exposure.dbt_bouncer_test_project.customers"
	named := m.withoutTests(m.where(func(_ string, o map[string]any) bool { return fqnMatches(o, "customers") }))
	for _, id := range []string{v1, v2, exposure} {
		if !named[id] {
			t.Errorf("oracle: %s should be named customers", id)
		}
	}
	checkSelect(t, g, m, "customers", lineage.SelectOptions{}, named)
	checkSelect(t, g, m, "customers_v2", lineage.SelectOptions{}, map[string]bool{v2: true})
	checkSelect(t, g, m, "customers.v2", lineage.SelectOptions{}, map[string]bool{v2: true})
	checkSelect(t, g, m, "dbt_bouncer_test_project.marts.finance.customers.v1", lineage.SelectOptions{}, map[string]bool{v1: true})
	checkSelect(t, g, m, "version:2", lineage.SelectOptions{}, map[string]bool{v2: true})
	checkSelect(t, g, m, "version:latest", lineage.SelectOptions{}, map[string]bool{v2: true})
	checkSelect(t, g, m, "version:old", lineage.SelectOptions{}, map[string]bool{v1: true})

	// A unit test of a versioned model carries the model's version, but
	// only models are versioned in dbt: the tests go by their own fqn.
	shown := lineage.SelectOptions{IncludeTests: true, IndirectSelection: "empty"}
	clv := m.where(func(_ string, o map[string]any) bool { return fqnMatches(o, "test_clv_logic") })
	if len(clv) != 2 {
		t.Fatalf("fixture changed: %d nodes named test_clv_logic, want the two unit tests", len(clv))
	}
	checkSelect(t, g, m, "test_clv_logic", shown, clv)
	checkSelect(t, g, m, "unit_test:dbt_bouncer_test_project.customers.test_clv_logic", shown, clv)
	checkSelect(t, g, m, "unit_test:dbt_bouncer_test_project.test_clv_logic", shown, clv)
	checkSelect(t, g, m, "customers", shown, m.where(func(_ string, o map[string]any) bool { return fqnMatches(o, "customers") }))
	checkSelect(t, g, m, "customers_test_clv_logic", shown, nil)
	checkSelect(t, g, m, "customers.test_clv_logic", shown, nil)

	pulse := "exposure.dbt_bouncer_test_project.Pulse queries"
	if _, ok := m.raw[pulse]; !ok {
		t.Fatal("fixture changed: no Pulse queries exposure")
	}
	up := m.reach([]string{pulse}, true, -1)
	for _, expr := range []string{`"` + pulse + `"`, `exposure:"Pulse queries"`, `'Pulse queries'`, `exposure:Pulse*`} {
		checkSelect(t, g, m, expr, lineage.SelectOptions{}, map[string]bool{pulse: true})
	}
	checkSelect(t, g, m, `+"`+pulse+`"`, lineage.SelectOptions{}, m.withoutTests(up))
	checkSelect(t, g, m, `+exposure:"Pulse queries"`, lineage.SelectOptions{}, m.withoutTests(up))
}

func TestGroupMethod(t *testing.T) {
	m := loadManifest(t, "jaffle-dap-v12-1.12")
	// No public fixture uses groups, so give the marts models one here.
	want := map[string]bool{}
	for i := range m.data.Nodes {
		n := &m.data.Nodes[i]
		if n.ResourceType == backend.TypeModel && strings.HasPrefix(n.Path, "models/marts/") {
			n.Group = "finance"
			want[n.UniqueID] = true
		}
	}
	// dbt's group: reads nodes and metrics (groupable_nodes) and its
	// config.<key>: nodes and sources (configurable_nodes): a semantic
	// model's or an exposure's group or tag is matched by neither.
	others := map[string]bool{}
	wantTagged, configTagged := map[string]bool{}, map[string]bool{}
	for i := range m.data.Nodes {
		n := &m.data.Nodes[i]
		switch n.ResourceType {
		case backend.TypeMetric:
			n.Group = "finance"
			want[n.UniqueID] = true
		case backend.TypeSemanticModel, backend.TypeExposure, backend.TypeSavedQuery:
			n.Group = "finance"
			configTagged[n.UniqueID] = true
			others[n.ResourceType] = true
		case backend.TypeSource:
			configTagged[n.UniqueID] = true
			wantTagged[n.UniqueID] = true
		}
	}
	// config.tags: reads each config's tags (ConfigValues), not the node's.
	configTags := lineage.SelectOptions{ConfigValues: func(path, ids []string) ([]any, error) {
		values := make([]any, len(ids))
		for i, id := range ids {
			if slices.Equal(path, []string{"tags"}) && configTagged[id] {
				values[i] = []any{"nightly", "finance_only"}
			}
		}
		return values, nil
	}}
	if len(others) < 2 || len(wantTagged) == 0 {
		t.Fatalf("fixture changed: want semantic models, saved queries and sources, have %v", others)
	}
	configWant := map[string]bool{}
	for id := range want {
		if strings.HasPrefix(id, "model.") {
			configWant[id] = true
		}
	}
	g := lineage.New(m.data)
	checkSelect(t, g, m, "group:finance", lineage.SelectOptions{}, want)
	checkSelect(t, g, m, "group:fin*", lineage.SelectOptions{}, want)
	checkSelect(t, g, m, "config.group:finance", lineage.SelectOptions{}, configWant)
	checkSelect(t, g, m, "config.tags:finance_only", configTags, wantTagged)
}

// dbt takes a leading + after @ (its RAW_SELECTOR_PATTERN allows it, only
// a trailing + is refused) and selects what @ alone does.
func TestAtWithLeadingPlus(t *testing.T) {
	m := loadManifest(t, "jaffle-dap-v12-1.12")
	g := lineage.New(m.data)
	at, err := g.Select("@customers", lineage.SelectOptions{})
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]bool{}
	for _, id := range at.Nodes {
		want[id] = true
	}
	if len(want) < 3 {
		t.Fatalf("@customers selected %v: the fixture should give it ancestors and descendants", at.Nodes)
	}
	checkSelect(t, g, m, "@+customers", lineage.SelectOptions{}, want)
	checkSelect(t, g, m, "@2+customers", lineage.SelectOptions{}, want)
}

func TestErrors(t *testing.T) {
	m := loadManifest(t, "jaffle-dap-v12-1.12")
	g := lineage.New(m.data)
	cases := []struct {
		expr, code string
		mentions   []string
	}{
		{"colour:red", backend.EINVALID, []string{`"colour"`, "tag", "config.<key>", "version"}},
		{"tagg:finance", backend.EINVALID, []string{`did you mean "tag"`}},
		{"ustomers*", backend.ENOTFOUND, []string{`"*ustomers*" matches some`}},
		{"Resource_Type:model", backend.EINVALID, []string{`did you mean "resource_type"`}},
		{"+custmers+", backend.ENOTFOUND, []string{`"+custmers+"`, `"customers"`}},
		{"tag:nightlyy", backend.ENOTFOUND, []string{"tag:nightlyy"}},
		// Written without a method, a path or a file is read and said as one.
		{"models/stagin", backend.ENOTFOUND, []string{`"models/stagin" matches no path`, `did you mean "models/staging"`}},
		{"stg_ordrs.sql", backend.ENOTFOUND, []string{`matches no file`, `"stg_orders.sql"`}},
		{"customers,source:ecom", backend.ENOTFOUND, []string{"at once"}},
		{"customers --exclude customers", backend.ENOTFOUND, []string{"excluded"}},
		{"test_type:fuzzy", backend.EINVALID, []string{"generic", "unit"}},
		{"resource_type:table", backend.EINVALID, []string{"model"}},
		{"access:secret", backend.EINVALID, []string{"public"}},
		{"exposure:\"open", backend.EINVALID, []string{"quote"}},
		{"@customers+", backend.EINVALID, []string{"trailing +", `write "@customers"`}},
		{"@customers+2", backend.EINVALID, []string{"trailing +", `write "@customers"`}},
		{"a,,b", backend.EINVALID, []string{"comma"}},
		{"version:newest", backend.EINVALID, []string{"latest, prerelease, old or none"}},
		{"exposure:a.b.c", backend.EINVALID, []string{"exposure:PACKAGE.NAME"}},
		{"metric:a.b.c", backend.EINVALID, []string{"metric:PACKAGE.NAME"}},
		{"unit_test:a.b.c.d", backend.EINVALID, []string{"unit_test:PACKAGE.MODEL.NAME"}},
		{"--exclude customers", backend.EINVALID, []string{"at least one"}},
		{"tag:", backend.EINVALID, []string{"no value"}},
	}
	for _, c := range cases {
		_, err := g.Select(c.expr, lineage.SelectOptions{})
		var be *backend.Error
		if !errors.As(err, &be) || be.Code != c.code {
			t.Errorf("Select(%q) error = %v, want a %s *backend.Error", c.expr, err, c.code)
			continue
		}
		for _, want := range c.mentions {
			if !strings.Contains(err.Error(), want) {
				t.Errorf("Select(%q) error %q does not mention %s", c.expr, err, want)
			}
		}
	}
	// Tests only, but hidden: the message says how to see them.
	if _, err := g.Select("test_name:unique --exclude test_name:unique", lineage.SelectOptions{}); backend.ErrorCode(err) != backend.ENOTFOUND {
		t.Errorf("everything excluded: err = %v", err)
	}
}

// Names in dbt projects carry a layer prefix (stg_, dim_, fct_): a bare
// name or a typo of the part after it is the usual slip, and the message
// names the models meant, closest first.
func TestNearNamesLookPastLayerPrefixes(t *testing.T) {
	g := lineage.New(loadManifest(t, "jaffle-dap-v3").data)
	cases := []struct {
		expr string
		want string // how the suggestion list starts
	}{
		{"custmers", `"dim_customers" or "raw_customers" or "stg_customers"?)`},
		{"+orders+", `"fct_orders" or "raw_orders" or "stg_orders"?)`},
		{"stg_ordrs", `"stg_orders" or `},
		{"dim_custmers", `"dim_customers" or `},
	}
	for _, c := range cases {
		_, err := g.Select(c.expr, lineage.SelectOptions{})
		if backend.ErrorCode(err) != backend.ENOTFOUND {
			t.Errorf("Select(%q) error = %v, want ENOTFOUND", c.expr, err)
			continue
		}
		if !strings.Contains(err.Error(), "(did you mean "+c.want) {
			t.Errorf("Select(%q) error %q, want it to suggest %s", c.expr, err, c.want)
		}
	}
	// Far from every name: no guesses.
	if _, err := g.Select("zzzzqqq", lineage.SelectOptions{}); err == nil || strings.Contains(err.Error(), "did you mean") {
		t.Errorf("Select(zzzzqqq) error = %v, want no suggestion", err)
	}
}

// checkConfigMethod selects config.<key>:value for every config key the
// fixture's nodes and sources hold with a string, boolean or list value,
// meta's keys too (config.meta.owner), up to three values each, against
// the raw configs: strings match exactly (severity in any case), lists
// when they hold the value, booleans as true or false in any case.
func checkConfigMethod(t *testing.T, g *lineage.Graph, m *manifest) {
	t.Helper()
	configurable := func(o map[string]any) bool {
		switch str(o["resource_type"]) {
		case "exposure", "metric", "semantic_model", "saved_query", "unit_test":
			return false // dbt's config method reads nodes and sources only
		}
		return true
	}
	opts := lineage.SelectOptions{ConfigValues: func(path, ids []string) ([]any, error) {
		out := make([]any, len(ids))
		for i, id := range ids {
			if o, ok := m.raw[id]; ok && configurable(o) {
				out[i] = get(o, append([]string{"config"}, path...)...)
			}
		}
		return out, nil
	}}
	plain := regexp.MustCompile(`^[A-Za-z0-9_./-]+$`)
	asked := map[string][]string{}
	ask := func(key string, v any) {
		var words []string
		switch x := v.(type) {
		case string:
			words = []string{x}
		case bool:
			words = []string{strings.ToUpper(fmt.Sprint(x))} // any case
		case []any:
			for _, e := range x {
				if s, ok := e.(string); ok {
					words = append(words, s)
				}
			}
		}
		for _, w := range words {
			if plain.MatchString(w) && len(asked[key]) < 3 && !slices.Contains(asked[key], w) {
				asked[key] = append(asked[key], w)
			}
		}
	}
	for _, o := range m.raw {
		cfg, _ := o["config"].(map[string]any)
		for k, v := range cfg {
			if configurable(o) {
				ask(k, v)
			}
		}
		if meta, ok := cfg["meta"].(map[string]any); ok && configurable(o) {
			for k, v := range meta {
				if !strings.Contains(k, ".") {
					ask("meta."+k, v)
				}
			}
		}
	}
	if len(asked) < 5 {
		t.Fatalf("only %d config keys to select by", len(asked))
	}
	for key, words := range asked {
		for _, w := range words {
			want := m.where(func(_ string, o map[string]any) bool {
				if !configurable(o) {
					return false
				}
				v := get(o, append([]string{"config"}, strings.Split(key, ".")...)...)
				items, isList := v.([]any)
				if !isList {
					items = []any{v}
				}
				for _, item := range items {
					switch x := item.(type) {
					case string:
						if x == w || key == "severity" && strings.EqualFold(x, w) {
							return true
						}
					case bool:
						if strings.EqualFold(fmt.Sprint(x), w) {
							return true
						}
					}
				}
				return false
			})
			if key != "severity" {
				want = m.withoutTests(want)
			}
			checkSelect(t, g, m, "config."+key+":"+w, opts, want)
			if key == "severity" {
				checkSelect(t, g, m, "config."+key+":"+strings.ToLower(w), opts, want)
			}
		}
	}
}

// TestConfigKeyMessages: config.<key>: matching nothing says what the
// configs hold there: every value when they are few, the nearest when
// they are many, or that no config sets the key.
func TestConfigKeyMessages(t *testing.T) {
	m := loadManifest(t, "jaffle-dap-v12-1.12")
	g := lineage.New(m.data)
	opts := lineage.SelectOptions{ConfigValues: func(path, ids []string) ([]any, error) {
		out := make([]any, len(ids))
		for i, id := range ids {
			if o, ok := m.raw[id]; ok {
				out[i] = get(o, append([]string{"config"}, path...)...)
			}
		}
		return out, nil
	}}
	for expr, want := range map[string]string{
		// Tests set severity ERROR or WARN (and exclude the tests' own values).
		"config.severity:wran": `the config.severity values in this snapshot are "ERROR"`,
		"config.meta.ownr:kim": "no node's config sets meta.ownr",
		"config.enabled:maybe": `values in this snapshot are "true"`,
	} {
		_, err := g.Select(expr, opts)
		if backend.ErrorCode(err) != backend.ENOTFOUND || !strings.Contains(err.Error(), want) {
			t.Errorf("Select(%q) error = %v, want it to say %s", expr, err, want)
		}
	}
	// Many values: the nearest, as for names.
	many := lineage.SelectOptions{ConfigValues: func(_, ids []string) ([]any, error) {
		out := make([]any, len(ids))
		for i := range ids {
			out[i] = fmt.Sprintf("team_%02d", i%12)
		}
		return out, nil
	}}
	_, err := g.Select("config.meta.team:tem_03", many)
	if backend.ErrorCode(err) != backend.ENOTFOUND || !strings.Contains(err.Error(), `(did you mean "team_03"`) ||
		strings.Contains(err.Error(), "team_11") {
		t.Errorf("twelve values: error = %v, want the nearest only", err)
	}
}

// TestNothingNearSaysWhatThereIs: a method's value with nothing near it
// gets the snapshot's values when they are few, or that there are none.
// A selector of many criteria that match nothing says so readably: each
// once, five of them, a long name cut (10,000 of one made a 590 kB error).
func TestNothingMatchedSaysItBriefly(t *testing.T) {
	g := lineage.New(&backend.GraphData{Nodes: []backend.GraphNode{{UniqueID: "model.p.a", ResourceType: backend.TypeModel, Name: "a", Package: "p"}}})
	terms := strings.Repeat("nope ", 10000) + strings.Repeat("x", 100000)
	for i := range 20 {
		terms += fmt.Sprintf(" nix%d", i)
	}
	_, err := g.Select(terms, lineage.SelectOptions{})
	if backend.ErrorCode(err) != backend.ENOTFOUND {
		t.Fatalf("%v, want ENOTFOUND", err)
	}
	msg := err.Error()
	if len(msg) > 3000 || strings.Count(msg, `"nope"`) != 1 || !strings.Contains(msg, "and 17 more criteria that match nothing") || !strings.Contains(msg, "…") {
		t.Errorf("%d bytes, %d times nope: %.600s", len(msg), strings.Count(msg, `"nope"`), msg)
	}
}

func TestNothingNearSaysWhatThereIs(t *testing.T) {
	g := lineage.New(&backend.GraphData{Nodes: []backend.GraphNode{
		{UniqueID: "model.p.a", ResourceType: backend.TypeModel, Name: "a", Package: "p", Tags: []string{"daily", "finance"}},
		{UniqueID: "model.p.b", ResourceType: backend.TypeModel, Name: "b", Package: "p", Tags: []string{"pii"}},
	}})
	for expr, want := range map[string]string{
		"tag:zzzzzzzz":            `"tag:zzzzzzzz" matches no tag in this snapshot (its tags are "daily", "finance", "pii")`,
		"tag:dayly":               `(did you mean "daily"?)`,
		"exposure:weekly_report":  `"exposure:weekly_report" matches no exposure in this snapshot (it has no exposures)`,
		"saved_query:by_customer": `(it has no saved queries)`,
		"version:latest":          `"version:latest" matches no version in this snapshot (no model in it is versioned)`,
	} {
		_, err := g.Select(expr, lineage.SelectOptions{})
		if backend.ErrorCode(err) != backend.ENOTFOUND || !strings.HasSuffix(err.Error(), want) {
			t.Errorf("Select(%q): %v, want ENOTFOUND ending %s", expr, err, want)
		}
	}
	// A versioned project: version: lists nothing and claims nothing.
	versioned := lineage.New(&backend.GraphData{Nodes: []backend.GraphNode{
		{UniqueID: "model.p.a.v2", ResourceType: backend.TypeModel, Name: "a", Package: "p", Version: "2"},
	}})
	_, err := versioned.Select("version:7", lineage.SelectOptions{})
	if backend.ErrorCode(err) != backend.ENOTFOUND || !strings.HasSuffix(err.Error(), `"version:7" matches no version in this snapshot`) {
		t.Errorf("version:7 on a versioned project: %v", err)
	}
}

// TestSourcesAreSelectedBySourceOnly: as dbt's fqn method searches every
// node but sources, a name a source shares with a seed selects the seed
// alone, and a name only sources carry says to use source:.
func TestSourcesAreSelectedBySourceOnly(t *testing.T) {
	m := loadManifest(t, "jaffle-dap-v12-1.12")
	g := lineage.New(m.data)
	seed := "seed.jaffle_shop.raw_products"
	if _, ok := m.raw["source.jaffle_shop.ecom.raw_products"]; !ok {
		t.Fatal("the fixture's source ecom.raw_products is gone: pick another name shared with a seed")
	}
	checkSelect(t, g, m, "raw_products+", lineage.SelectOptions{}, m.withoutTests(m.reach([]string{seed}, false, -1)))

	h := loadManifest(t, "hubspot-v12-dbt1.9-bigquery")
	hg := lineage.New(h.data)
	checked := 0
	for id, o := range h.raw {
		name := str(o["name"])
		if str(o["resource_type"]) != "source" || len(h.where(func(_ string, x map[string]any) bool { return fqnMatches(x, name) })) > 0 {
			continue
		}
		_, err := hg.Select(name, lineage.SelectOptions{})
		want := "source:" + str(o["source_name"]) + "." + name
		if backend.ErrorCode(err) != backend.ENOTFOUND || !strings.Contains(err.Error(), want) {
			t.Errorf("Select(%q) for %s: %v, want a pointer to %s", name, id, err, want)
		}
		checked++
	}
	if checked == 0 {
		t.Fatal("no source name to check")
	}
}

// TestPathGlobs: in path:, * stays within a folder and ** spans any number
// of folders, as pathlib's glob does for dbt.
func TestPathGlobs(t *testing.T) {
	m := loadManifest(t, "bouncer-build-v12-dbt1.11-duckdb")
	g := lineage.New(m.data)
	under := func(keep func(p string) bool) map[string]bool {
		return m.withoutTests(m.where(func(_ string, o map[string]any) bool {
			return keep(str(o["original_file_path"])) || keep(patchPath(o))
		}))
	}
	depth := func(p string) int { return strings.Count(p, "/") }
	cases := map[string]map[string]bool{
		"path:models/**/orders.sql": under(func(p string) bool { return strings.HasPrefix(p, "models/") && path.Base(p) == "orders.sql" }),
		"path:models/**/*.sql":      under(func(p string) bool { return strings.HasPrefix(p, "models/") && strings.HasSuffix(p, ".sql") }),
		"path:models/*/*.sql": under(func(p string) bool {
			return strings.HasPrefix(p, "models/") && strings.HasSuffix(p, ".sql") && depth(p) == 2
		}),
		"path:**/marts": under(func(p string) bool { return strings.Contains("/"+p, "/marts/") }),
	}
	for expr, want := range cases {
		if len(want) == 0 {
			t.Fatalf("%s: the fixture has nothing for it", expr)
		}
		checkSelect(t, g, m, expr, lineage.SelectOptions{}, want)
	}
	if _, err := g.Select("path:**/**/**/**/**/**/**/**/**/**/**/**/**/**/**/**/**/**/**/**/nothing.sql", lineage.SelectOptions{}); backend.ErrorCode(err) != backend.ENOTFOUND {
		t.Errorf("many **: %v", err)
	}
}

// TestResolveVersions: a model version resolves by dbt's names for it,
// and by the name the app shows (customers v2).
func TestResolveVersions(t *testing.T) {
	g := lineage.New(loadManifest(t, "bouncer-build-v12-dbt1.11-duckdb").data)
	for ref, want := range map[string]string{
		"customers.v1": "model.dbt_bouncer_test_project.customers.v1",
		"customers_v2": "model.dbt_bouncer_test_project.customers.v2",
		"customers v2": "model.dbt_bouncer_test_project.customers.v2",
	} {
		if got, err := g.Resolve(ref); err != nil || got != want {
			t.Errorf("Resolve(%q) = %q, %v; want %s", ref, got, err, want)
		}
	}
	if _, err := g.Resolve("customers.v9"); backend.ErrorCode(err) != backend.ENOTFOUND {
		t.Errorf("a version that does not exist: %v", err)
	}
}

// TestResolveAsSelectorsName: a node reference may be written as the
// selector names it: a source as source_name.table (with source: or
// without; source:X is a source's name, as in dbt), an exposure as exposure:name; "customers" alone names four
// nodes (two model versions, an exposure, a semantic model), not one.
func TestResolveAsSelectorsName(t *testing.T) {
	g := lineage.New(loadManifest(t, "bouncer-build-v12-dbt1.11-duckdb").data)
	for ref, want := range map[string]string{
		"dummy_source.customers":        "source.dbt_bouncer_test_project.dummy_source.customers",
		"source:dummy_source.customers": "source.dbt_bouncer_test_project.dummy_source.customers",
		"exposure:customers":            "exposure.dbt_bouncer_test_project.customers",
		"semantic_model:customers":      "semantic_model.dbt_bouncer_test_project.customers",
		"source:dummy_source":           "source.dbt_bouncer_test_project.dummy_source.customers", // its one table
	} {
		if got, err := g.Resolve(ref); err != nil || got != want {
			t.Errorf("Resolve(%q) = %q, %v; want %s", ref, got, err, want)
		}
	}
	for _, ref := range []string{"customers", "metric:customers", "source:customers", "nosuch.customers"} {
		if got, err := g.Resolve(ref); err == nil {
			t.Errorf("Resolve(%q) = %q, want an error", ref, got)
		}
	}
}

// TestPackageThis: package:this is the root project's package, as in dbt.
func TestPackageThis(t *testing.T) {
	m := loadManifest(t, "bouncer-build-v12-dbt1.11-duckdb")
	g := lineage.New(m.data)
	root := str(m.raw["model.dbt_bouncer_test_project.orders"]["package_name"])
	want := m.withoutTests(m.where(func(_ string, o map[string]any) bool { return str(o["package_name"]) == root }))
	checkSelect(t, g, m, "package:this", lineage.SelectOptions{RootProject: root}, want)
	checkSelect(t, g, m, "package:"+root, lineage.SelectOptions{}, want)
	if _, err := g.Select("package:this", lineage.SelectOptions{}); backend.ErrorCode(err) != backend.ENOTFOUND {
		t.Errorf("package:this without a root project: %v", err)
	}
}

// TestPathIsTheRootProjects: dbt globs a path selector in the root
// project's folder and compares every node's original_file_path (a
// package's is relative to the package) with what it found, so a package's
// node is selected only where the root project has the same path.
func TestPathIsTheRootProjects(t *testing.T) {
	m := loadManifest(t, "bouncer-build-v12-dbt1.11-duckdb")
	g := lineage.New(m.data)
	const root = "dbt_bouncer_test_project"
	fileOf := func(o map[string]any) string { return str(o["original_file_path"]) }
	// The root project's files and folders, from its own resources.
	rootPaths := map[string]bool{}
	for _, o := range m.raw {
		if str(o["package_name"]) != root {
			continue
		}
		if pp := patchPath(o); pp != "" {
			rootPaths[pp] = true
		}
		for p := fileOf(o); p != "." && p != "/" && p != ""; p = path.Dir(p) {
			rootPaths[p] = true
		}
	}
	// dbt's rule, for globs without **: each segment matches one segment.
	want := func(sel string) map[string]bool {
		glob := strings.Split(sel, "/")
		found := func(p string) bool {
			segs := strings.Split(p, "/")
			if !rootPaths[p] || len(segs) != len(glob) {
				return false
			}
			for i := range segs {
				if ok, _ := path.Match(glob[i], segs[i]); !ok {
					return false
				}
			}
			return true
		}
		return m.withoutTests(m.where(func(_ string, o map[string]any) bool {
			if pp := patchPath(o); pp != "" && found(pp) {
				return true
			}
			for p := fileOf(o); p != "." && p != "/" && p != ""; p = path.Dir(p) {
				if found(p) {
					return true
				}
			}
			return false
		}))
	}
	opts := lineage.SelectOptions{RootProject: root}
	models := want("models")
	packaged := 0
	for id := range models {
		if !strings.Contains(id, "."+root+".") {
			packaged++
		}
	}
	if packaged == 0 {
		t.Fatal("fixture changed: no package's model under models/ (path:models should take them, as dbt does)")
	}
	checkSelect(t, g, m, "path:models", opts, models)
	checkSelect(t, g, m, "path:models/*", opts, want("models/*"))
	// Only the tiktok_ads packages have models/tmp and top-level models/*.sql.
	checkSelect(t, g, m, "path:models/tmp", opts, want("models/tmp"))
	if len(want("models/tmp")) != 0 {
		t.Fatal("fixture changed: the root project has a models/tmp folder")
	}
	checkSelect(t, g, m, "path:models/tmp", lineage.SelectOptions{}, m.withoutTests(m.where(func(_ string, o map[string]any) bool {
		return strings.HasPrefix(fileOf(o), "models/tmp/")
	})))
}

// A path only packages have says so and names the fqn that selects it.
func TestPathOnlyInPackagesSaysHowToSelectIt(t *testing.T) {
	m := loadManifest(t, "bouncer-build-v12-dbt1.11-duckdb")
	g := lineage.New(m.data)
	_, err := g.Select("path:models/tmp", lineage.SelectOptions{RootProject: "dbt_bouncer_test_project"})
	if backend.ErrorCode(err) != backend.ENOTFOUND {
		t.Fatalf("path:models/tmp: %v, want ENOTFOUND", err)
	}
	for _, want := range []string{"root project dbt_bouncer_test_project", `"tiktok_ads_source"`, "fqn"} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("message %q does not mention %s", err, want)
		}
	}
}

// NamesSelected gives the names a selector's select criteria name, without
// graph operators, methods or excludes.
func TestNamesSelected(t *testing.T) {
	got := lineage.NamesSelected(`2+orders+1 @customers,tag:x "my model" path:models --exclude stg_orders`)
	if want := []string{"orders", "customers", "my model"}; !slices.Equal(got, want) {
		t.Errorf("NamesSelected = %q, want %q", got, want)
	}
	if got := lineage.NamesSelected("a,,b"); got != nil {
		t.Errorf("a selector that does not parse: %q", got)
	}
}
