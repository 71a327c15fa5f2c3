package lineage_test

import (
	"errors"
	"path"
	"reflect"
	"slices"
	"strings"
	"testing"

	"github.com/lineagedesk/lineagedesk/backend"
	"github.com/lineagedesk/lineagedesk/backend/lineage"
)

func TestUpstreamDownstream(t *testing.T) {
	m := loadManifest(t, "hubspot-v12-dbt1.9-bigquery")
	g := lineage.New(m.data)
	for id := range m.raw {
		for _, depth := range []int{0, 1, 2} {
			d := depth
			if d == 0 {
				d = -1
			}
			for _, up := range []bool{true, false} {
				want := m.reach([]string{id}, up, d)
				delete(want, id)
				got, err := g.Downstream(id, depth)
				if up {
					got, err = g.Upstream(id, depth)
				}
				if err != nil || !slices.Equal(got, sortedKeys(want)) {
					t.Errorf("%s up=%v depth %d: got %v, %v; want %v", id, up, depth, clip(got), err, clip(sortedKeys(want)))
				}
			}
		}
	}
	if _, err := g.Upstream("model.hubspot.hubspot__contactz", 1); backend.ErrorCode(err) != backend.ENOTFOUND || !strings.Contains(err.Error(), "model.hubspot.hubspot__contacts") {
		t.Errorf("unknown id: %v, want ENOTFOUND suggesting the near id", err)
	}
}

// TestDistances: each node's distance is the fewest hops whose reach,
// computed by the test's own walk over depends_on, takes it in.
func TestDistances(t *testing.T) {
	for _, dataset := range []string{"hubspot-v12-dbt1.9-bigquery", "bouncer-v12-dbt1.11-duckdb"} {
		m := loadManifest(t, dataset)
		g := lineage.New(m.data)
		far := 0
		for id := range m.raw {
			for _, down := range []bool{true, false} {
				got, err := g.Distances(id, down)
				if err != nil {
					t.Fatal(err)
				}
				want := map[string]int{}
				for d, before := 1, map[string]bool{id: true}; ; d++ {
					within := m.reach([]string{id}, !down, d)
					within[id] = true
					for n := range within {
						if !before[n] {
							want[n] = d
						}
					}
					if len(within) == len(before) {
						break
					}
					before = within
				}
				if !reflect.DeepEqual(got, want) {
					t.Fatalf("%s %s down=%v: got %v, want %v", dataset, id, down, got, want)
				}
				for _, d := range got {
					far = max(far, d)
				}
			}
		}
		if far < 4 {
			t.Errorf("%s: the farthest node is %d hops away: the test checks too little", dataset, far)
		}
	}
	if _, err := lineage.New(loadManifest(t, "hubspot-v12-dbt1.9-bigquery").data).Distances("model.hubspot.nope", true); backend.ErrorCode(err) != backend.ENOTFOUND {
		t.Errorf("unknown id: %v, want ENOTFOUND", err)
	}
}

// allPaths enumerates every simple path from a to b over depends_on,
// independently of the code under test.
func (m *manifest) allPaths(a, b string) []string {
	var out []string
	var stack []string
	var dfs func(n string)
	dfs = func(n string) {
		stack = append(stack, n)
		defer func() { stack = stack[:len(stack)-1] }()
		if n == b {
			out = append(out, strings.Join(stack, " > "))
			return
		}
		for _, c := range m.children[n] {
			if !slices.Contains(stack, c) {
				dfs(c)
			}
		}
	}
	dfs(a)
	slices.Sort(out)
	return out
}

func TestPaths(t *testing.T) {
	m := loadManifest(t, "jaffle-dap-v12-1.12")
	g := lineage.New(m.data)
	checked := 0
	var src, dst string // the pair with the most paths, for the truncation check
	most := 0
	for a := range m.raw {
		for b := range m.raw {
			if a == b {
				continue
			}
			want := m.allPaths(a, b)
			if len(want) == 0 {
				continue
			}
			for _, args := range [][2]string{{a, b}, {b, a}} { // either direction gives the same paths
				got, err := g.Paths(args[0], args[1], 1000)
				if err != nil {
					t.Fatalf("Paths(%s, %s): %v", args[0], args[1], err)
				}
				var joined []string
				for _, p := range got {
					joined = append(joined, strings.Join(p, " > "))
				}
				slices.Sort(joined)
				if !slices.Equal(joined, want) {
					t.Errorf("Paths(%s, %s):\n got %v\nwant %v", args[0], args[1], joined, want)
				}
			}
			checked++
			if len(want) > most {
				src, dst, most = a, b, len(want)
			}
		}
	}
	if checked < 50 {
		t.Fatalf("only %d connected pairs: fixture changed?", checked)
	}
	// Truncation is reported and the paths found are kept.
	if most < 3 {
		t.Fatalf("fixture changed: at most %d paths between two nodes", most)
	}
	got, err := g.Paths(dst, src, 2)
	if !errors.Is(err, lineage.ErrPathsTruncated) || len(got) != 2 {
		t.Errorf("limit 2 of %d paths %s -> %s: got %d paths, err %v", most, src, dst, len(got), err)
	}
	// Unrelated nodes: no paths, no error.
	if got, err := g.Paths("source.jaffle_shop.ecom.raw_stores", "source.jaffle_shop.ecom.raw_items", 10); err != nil || len(got) != 0 {
		t.Errorf("unrelated: %v %v", got, err)
	}
}

// TestPathsByName: a name that one node carries stands for its unique_id;
// a name several carry, or none, is refused with the candidates.
func TestPathsByName(t *testing.T) {
	g := lineage.New(loadManifest(t, "jaffle-dap-v3").data)
	byID, err := g.Paths("seed.jaffle_shop.raw_orders", "model.jaffle_shop.dim_customers", 10)
	if err != nil || len(byID) != 2 {
		t.Fatalf("by unique_id: %v, %v; want 2 paths", byID, err)
	}
	byName, err := g.Paths("raw_orders", "dim_customers", 10)
	if err != nil || !reflect.DeepEqual(byName, byID) {
		t.Errorf("by name: %v, %v; want %v", byName, err, byID)
	}
	_, err = g.Paths("raw_ordrs", "dim_customers", 10)
	if backend.ErrorCode(err) != backend.ENOTFOUND || !strings.Contains(err.Error(), `"seed.jaffle_shop.raw_orders"`) {
		t.Errorf("misspelt name: %v, want ENOTFOUND suggesting seed.jaffle_shop.raw_orders", err)
	}

	// Two packages with a model of the same name.
	data := &backend.GraphData{Nodes: []backend.GraphNode{
		{UniqueID: "model.a.orders", ResourceType: backend.TypeModel, Name: "orders", Package: "a", FQN: []string{"a", "orders"}},
		{UniqueID: "model.b.orders", ResourceType: backend.TypeModel, Name: "orders", Package: "b", FQN: []string{"b", "orders"}},
		{UniqueID: "model.b.report", ResourceType: backend.TypeModel, Name: "report", Package: "b", FQN: []string{"b", "report"}},
	}, Edges: []backend.Edge{{Parent: "model.b.orders", Child: "model.b.report"}}}
	two := lineage.New(data)
	_, err = two.Paths("orders", "report", 10)
	if backend.ErrorCode(err) != backend.EINVALID || !strings.Contains(err.Error(), `"model.a.orders" or "model.b.orders"`) {
		t.Errorf("ambiguous name: %v, want EINVALID listing both unique_ids", err)
	}
	if got, err := two.Paths("model.b.orders", "report", 10); err != nil || len(got) != 1 {
		t.Errorf("unique_id and name: %v, %v", got, err)
	}
	// A test's name is not taken, and the message says so with its unique_id.
	jaffle := lineage.New(loadManifest(t, "jaffle-dap-v3").data)
	_, err = jaffle.Paths("raw_orders", "not_null_fct_orders_order_id", 10)
	if backend.ErrorCode(err) != backend.EINVALID || !strings.Contains(err.Error(), `names a test`) || !strings.Contains(err.Error(), `"test.jaffle_shop.not_null_fct_orders_order_id.4e687af8d0"`) {
		t.Errorf("a test's name: %v, want EINVALID naming its unique_id", err)
	}

	// Suggestions for a unique_id are of its resource type; for a name,
	// never tests (generated names, most of a big project's nodes).
	near := lineage.New(&backend.GraphData{Nodes: []backend.GraphNode{
		{UniqueID: "model.p.orders_daily", ResourceType: backend.TypeModel, Name: "orders_daily"},
		{UniqueID: "source.p.raw.orders_dayly", ResourceType: backend.TypeSource, Name: "orders_dayly"},
		{UniqueID: "test.p.unique_orders_dayly", ResourceType: backend.TypeTest, Name: "unique_orders_dayly"},
	}})
	for _, c := range []struct{ ref, want string }{
		{"model.p.orders_dayly", `did you mean "model.p.orders_daily"?`},
		{"source.p.raw.orders_daily", `did you mean "source.p.raw.orders_dayly"?`},
		{"orders_dail", `did you mean "model.p.orders_daily" or "source.p.raw.orders_dayly"?`},
	} {
		if _, err := near.Paths(c.ref, "model.p.orders_daily", 10); backend.ErrorCode(err) != backend.ENOTFOUND || !strings.HasSuffix(err.Error(), c.want) {
			t.Errorf("Paths(%q): %v, want ENOTFOUND ending %s", c.ref, err, c.want)
		}
	}
}

// A box holding tests without the node they test counts their outcomes
// (a schema's box of tests read "no test results"); one holding both
// counts each test once, a test attached to no single node once for each
// member it reads; a snapshot without outcomes counts none.
func TestGroupCountsTheTestsItHolds(t *testing.T) {
	build := func(outcomes bool) *lineage.Graph {
		status := func(s string) string {
			if outcomes {
				return s
			}
			return ""
		}
		a := backend.GraphNode{UniqueID: "model.p.a", ResourceType: backend.TypeModel, Name: "a", Package: "p", FQN: []string{"p", "a"}, Schema: "main"}
		b := backend.GraphNode{UniqueID: "model.p.b", ResourceType: backend.TypeModel, Name: "b", Package: "p", FQN: []string{"p", "b"}, Schema: "main"}
		if outcomes { // as the store counts them: t_across on both
			a.Tests = backend.TestSummary{Total: 4, Pass: 1, Fail: 2}
			b.Tests = backend.TestSummary{Total: 1, Fail: 1}
		}
		test := func(name, s string) backend.GraphNode {
			return backend.GraphNode{UniqueID: "test.p." + name, ResourceType: backend.TypeTest, Name: name, Package: "p", FQN: []string{"p", name},
				AttachedNode: "model.p.a", TestStatus: status(s), Schema: "main_audit"}
		}
		across := test("t_across", "fail") // a singular test over a and b, which do not read each other
		across.AttachedNode = ""
		return lineage.New(&backend.GraphData{
			Nodes: []backend.GraphNode{a, b, test("t_pass", "pass"), test("t_fail", "fail"), test("t_none", ""), across},
			Edges: []backend.Edge{{Parent: "model.p.a", Child: "test.p.t_pass"}, {Parent: "model.p.a", Child: "test.p.t_fail"}, {Parent: "model.p.a", Child: "test.p.t_none"},
				{Parent: "model.p.a", Child: "test.p.t_across"}, {Parent: "model.p.b", Child: "test.p.t_across"}},
		})
	}
	summaries := func(g *lineage.Graph, by string) map[string]backend.TestSummary {
		sel, err := g.Select("*", lineage.SelectOptions{IncludeTests: true})
		if err != nil {
			t.Fatal(err)
		}
		grp, err := g.Group(sel, by, lineage.SelectOptions{})
		if err != nil {
			t.Fatal(err)
		}
		out := map[string]backend.TestSummary{}
		for _, b := range grp.Boxes {
			out[b.Label] = b.Tests
		}
		return out
	}
	got := summaries(build(true), lineage.GroupBySchema)
	if want := (backend.TestSummary{Total: 4, Pass: 1, Fail: 2}); got["main_audit"] != want {
		t.Errorf("by schema: tests' box %+v; want %+v", got["main_audit"], want)
	}
	if want := (backend.TestSummary{Total: 5, Pass: 1, Fail: 3}); got["main"] != want {
		t.Errorf("by schema: models' box %+v; want %+v", got["main"], want)
	}
	if got := summaries(build(true), lineage.GroupByPackage); got["p"] != (backend.TestSummary{Total: 5, Pass: 1, Fail: 3}) {
		t.Errorf("the models and their tests in one box: %+v, want each test once, t_across once for each model", got["p"])
	}
	if got := summaries(build(false), lineage.GroupBySchema); got["main_audit"] != (backend.TestSummary{}) {
		t.Errorf("no outcomes in the snapshot: %+v, want none counted", got["main_audit"])
	}
}

func TestGroup(t *testing.T) {
	m := loadManifest(t, "bouncer-build-v12-dbt1.11-duckdb")
	g := lineage.New(m.data)
	// Tests shown: a unit test's schema box is its model's.
	sel, err := g.Select("* source:*", lineage.SelectOptions{IncludeTests: true, IndirectSelection: "eager"})
	if err != nil {
		t.Fatal(err)
	}
	schemaOf := func(o map[string]any) string {
		if str(o["schema"]) == "" {
			return ""
		}
		return strings.TrimPrefix(str(o["database"])+"."+str(o["schema"]), ".")
	}
	unitTests := 0
	keyFns := map[string]func(o map[string]any) string{
		lineage.GroupByPackage: func(o map[string]any) string { return str(o["package_name"]) },
		lineage.GroupByFolder: func(o map[string]any) string {
			if p := str(o["original_file_path"]); p != "" {
				return str(o["package_name"]) + "/" + path.Dir(p) // per package
			}
			return ""
		},
		lineage.GroupBySchema: func(o map[string]any) string {
			if str(o["resource_type"]) == "unit_test" {
				for _, p := range m.parents[str(o["unique_id"])] {
					if strings.HasPrefix(p, "model.") {
						unitTests++
						return schemaOf(m.raw[p])
					}
				}
			}
			return schemaOf(o)
		},
	}
	// Layers, as dbt's structure guide names them: a model by its name's
	// prefix, else the nearest layer folder; a test with what it tests.
	layers := map[string]int{}
	var layerOf func(o map[string]any) string
	layerOf = func(o map[string]any) string {
		name, typ := str(o["name"]), str(o["resource_type"])
		switch typ {
		case "model":
			for prefix, layer := range map[string]string{"stg_": "staging", "base_": "staging", "int_": "intermediate", "fct_": "marts", "dim_": "marts"} {
				if strings.HasPrefix(name, prefix) {
					return layer
				}
			}
			dir := path.Dir(str(o["original_file_path"]))
			for ; dir != "." && dir != "/"; dir = path.Dir(dir) {
				switch path.Base(dir) {
				case "staging", "base":
					return "staging"
				case "intermediate":
					return "intermediate"
				case "marts", "mart":
					return "marts"
				}
			}
			return "other models"
		case "test", "unit_test":
			tested := str(o["attached_node"])
			if ps := m.parents[str(o["unique_id"])]; tested == "" && len(ps) == 1 {
				tested = ps[0]
			}
			if typ == "unit_test" {
				tested = ""
				for _, p := range m.parents[str(o["unique_id"])] {
					if strings.HasPrefix(p, "model.") {
						tested = p
					}
				}
			}
			if t, ok := m.raw[tested]; ok {
				return layerOf(t)
			}
			return "tests"
		}
		return map[string]string{"source": "sources", "seed": "seeds", "snapshot": "snapshots", "exposure": "exposures",
			"metric": "semantic layer", "semantic_model": "semantic layer", "saved_query": "semantic layer", "analysis": "analyses"}[typ]
	}
	keyFns[lineage.GroupByLayer] = func(o map[string]any) string {
		layer := layerOf(o)
		layers[layer]++
		return layer
	}
	// check groups sel by by, with the box open (if any) left open, against
	// key, and returns the boxes' members it expected.
	check := func(by string, key func(o map[string]any) string, open string) map[string][]string {
		var grp *lineage.Grouping
		var err error
		if open == "" {
			grp, err = g.Group(sel, by, lineage.SelectOptions{})
		} else {
			grp, err = g.Group(sel, by, lineage.SelectOptions{}, open, "group:"+by+":no such box")
		}
		if err != nil {
			t.Fatal(err)
		}
		var opened []string
		boxOf := func(id string) string {
			if k := key(m.raw[id]); k != "" && "group:"+by+":"+k != open {
				return "group:" + by + ":" + k
			} else if k != "" && !slices.Contains(opened, id) {
				opened = append(opened, id)
			}
			return id
		}
		members := map[string][]string{}
		var loose []string
		for _, id := range sel.Nodes {
			if b := boxOf(id); b != id {
				members[b] = append(members[b], id)
			} else {
				loose = append(loose, id)
			}
		}
		edges := map[[2]string]int{}
		internal := map[string]int{}
		for _, id := range sel.Nodes {
			for _, p := range m.parents[id] {
				if !slices.Contains(sel.Nodes, p) {
					continue
				}
				if boxOf(p) == boxOf(id) {
					internal[boxOf(id)]++
				} else {
					edges[[2]string{boxOf(p), boxOf(id)}]++
				}
			}
		}
		if len(grp.Boxes) != len(members) || !slices.Equal(grp.Nodes, loose) {
			t.Errorf("by %s: %d boxes, loose %v; want %d, %v", by, len(grp.Boxes), grp.Nodes, len(members), loose)
		}
		for _, b := range grp.Boxes {
			n := 0
			for _, c := range b.Counts {
				n += c
			}
			if !slices.Equal(b.Members, members[b.ID]) || n != len(b.Members) || b.InternalEdges != internal[b.ID] {
				t.Errorf("by %s: box %s members %d counts %v internal %d; want %d members, %d internal", by, b.ID, len(b.Members), b.Counts, b.InternalEdges, len(members[b.ID]), internal[b.ID])
			}
		}
		if len(grp.Edges) != len(edges) {
			t.Errorf("by %s: %d group edges, want %d", by, len(grp.Edges), len(edges))
		}
		for _, e := range grp.Edges {
			if edges[[2]string{e.From, e.To}] != e.Count {
				t.Errorf("by %s: edge %s -> %s count %d, want %d", by, e.From, e.To, e.Count, edges[[2]string{e.From, e.To}])
			}
		}
		// The open box is listed with its members, the unknown one not.
		if open != "" {
			slices.Sort(opened)
			if len(grp.Open) != 1 || grp.Open[0].ID != open || !slices.Equal(grp.Open[0].Members, opened) || len(opened) == 0 {
				t.Errorf("by %s, %s open: open boxes %+v, want it with %d members", by, open, grp.Open, len(opened))
			}
		}
		return members
	}
	for by, key := range keyFns {
		members := check(by, key, "")
		// The biggest box left open: its members are drawn as themselves.
		biggest := ""
		for id, ms := range members {
			if len(ms) > len(members[biggest]) || len(ms) == len(members[biggest]) && id < biggest {
				biggest = id
			}
		}
		check(by, key, biggest)
	}
	if unitTests == 0 {
		t.Error("the selection has no unit test: the schema case no longer tests one")
	}
	for _, layer := range []string{"sources", "seeds", "staging", "intermediate", "marts", "other models", "exposures", "semantic layer"} {
		if layers[layer] == 0 {
			t.Errorf("no node of layer %q: the layer case no longer tests it (layers %v)", layer, layers)
		}
	}
	// A select: grouping matching none of the selection collapses nothing, and says so.
	upOrders, err := g.Select("+orders", lineage.SelectOptions{})
	if err != nil || slices.Contains(upOrders.Nodes, "model.dbt_bouncer_test_project.stg_customers") {
		t.Fatalf("+orders: %v (stg_customers upstream of orders: the case no longer tests nothing matched)", err)
	}
	if grp, err := g.Group(upOrders, "select:stg_customers", lineage.SelectOptions{}); err != nil || len(grp.Boxes) > 0 || len(grp.Warnings) != 1 {
		t.Errorf("a select: grouping of nothing: %v, %v", grp, err)
	}
	// bouncer has no dbt groups: grouping by them collapses nothing, and says so.
	if grp, err := g.Group(upOrders, lineage.GroupByDbtGroup, lineage.SelectOptions{}); err != nil || len(grp.Boxes) > 0 ||
		len(grp.Warnings) != 1 || !strings.Contains(grp.Warnings[0], "is in a group") {
		t.Errorf("grouped by dbt group, none held: %d boxes, warnings %q, %v", len(grp.Boxes), grp.Warnings, err)
	}
	// Its box left open collapses nothing either, but it matched: no warning.
	byStaging := "select:stg_orders"
	if grp, err := g.Group(upOrders, byStaging, lineage.SelectOptions{}, lineage.BoxID(byStaging, "stg_orders")); err != nil ||
		len(grp.Boxes) > 0 || len(grp.Open) != 1 || len(grp.Warnings) != 0 {
		t.Errorf("a select: grouping left open: %d boxes, %d open, warnings %q, %v", len(grp.Boxes), len(grp.Open), grp.Warnings, err)
	}
	grp, err := g.Group(sel, "select:package:tiktok_ads_source", lineage.SelectOptions{})
	if err != nil {
		t.Fatal(err)
	}
	want := m.where(func(id string, o map[string]any) bool {
		return str(o["package_name"]) == "tiktok_ads_source" && slices.Contains(sel.Nodes, id)
	})
	if len(grp.Boxes) != 1 || len(grp.Boxes[0].Members) != len(want) || len(grp.Nodes) != len(sel.Nodes)-len(want) {
		t.Errorf("select grouping: %d boxes, %d loose; want 1 box of %d", len(grp.Boxes), len(grp.Nodes), len(want))
	}
	if _, err := g.Group(sel, "colour", lineage.SelectOptions{}); backend.ErrorCode(err) != backend.EINVALID {
		t.Errorf("bad group kind: %v", err)
	}
}
