package app_test

import (
	"encoding/json"
	"fmt"
	"maps"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/lineagedesk/lineagedesk/app"
	"github.com/lineagedesk/lineagedesk/backend"
)

// meshProjects are the runs of three projects that ref each other's public
// models (testdata/mesh): bouncer, finance reading it, reporting reading
// finance and a project the store holds no run of.
const meshDir = "../testdata/mesh"

type meshStore struct {
	a                           *app.App
	bouncer, finance, reporting int64
}

func openMesh(t *testing.T) meshStore {
	t.Helper()
	a, _, _ := openApp(t)
	var m meshStore
	m.a = a
	m.bouncer = importedRun(t, a, filepath.Join(fixtures, "bouncer-v12-dbt1.12-duckdb"))
	m.finance = importedRun(t, a, filepath.Join(meshDir, "bouncer_finance"))
	m.reporting = importedRun(t, a, filepath.Join(meshDir, "bouncer_reporting"))
	return m
}

// importedRun imports a run's artifacts and returns its snapshot id.
func importedRun(t *testing.T, a *app.App, path string) int64 {
	t.Helper()
	res, err := a.ImportPaths([]string{path}, "")
	if err != nil {
		t.Fatal(err)
	}
	return res.SnapshotID
}

// meshManifests reads the three manifests generically and joins them as
// the lineage across projects should: every resource of each, except that
// a model with no file (another project's public model) gives way to the
// project that defines it. It returns each resource's type, parents and
// children.
func meshManifests(t *testing.T) (types map[string]string, parents, children map[string][]string) {
	t.Helper()
	var docs []map[string]any
	docs = append(docs, manifestJSON(t, "bouncer-v12-dbt1.12-duckdb"))
	for _, p := range []string{"bouncer_finance", "bouncer_reporting"} {
		b, err := os.ReadFile(filepath.Join(meshDir, p, "manifest.json"))
		if err != nil {
			t.Fatal(err)
		}
		var m map[string]any
		if err := json.Unmarshal(b, &m); err != nil {
			t.Fatal(err)
		}
		docs = append(docs, m)
	}
	types, parents = map[string]string{}, map[string][]string{}
	defined := map[string]bool{}
	for pass := range 2 { // defined resources first, then refs to what none defines
		for _, m := range docs {
			for _, section := range []string{"nodes", "sources", "exposures", "metrics", "semantic_models", "saved_queries", "unit_tests"} {
				entries, _ := m[section].(map[string]any)
				for id, v := range entries {
					n := v.(map[string]any)
					ref := n["resource_type"] == "model" && n["original_file_path"] == ""
					if ref != (pass == 1) || pass == 1 && defined[id] {
						continue
					}
					defined[id] = true
					types[id] = n["resource_type"].(string)
					if deps, ok := n["depends_on"].(map[string]any); ok {
						list, _ := deps["nodes"].([]any)
						for _, p := range list {
							parents[id] = append(parents[id], p.(string))
						}
					}
				}
			}
		}
	}
	children = map[string][]string{}
	for id, ps := range parents { // dependencies on what no run holds are no edges
		parents[id] = slices.DeleteFunc(ps, func(p string) bool { return types[p] == "" })
		for _, p := range parents[id] {
			children[p] = append(children[p], id)
		}
	}
	return types, parents, children
}

// walk is every resource reachable from start along next, start included,
// tests left out (the picture hides them).
func walk(start string, next func(string) []string, types map[string]string) []string {
	seen := map[string]bool{start: true}
	queue := []string{start}
	for len(queue) > 0 {
		id := queue[0]
		queue = queue[1:]
		for _, n := range next(id) {
			if !seen[n] && types[n] != "test" && types[n] != "unit_test" {
				seen[n] = true
				queue = append(queue, n)
			}
		}
	}
	var out []string
	for id := range seen {
		out = append(out, id)
	}
	slices.Sort(out)
	return out
}

func nodeIDs(res app.LineageResult) []string {
	var ids []string
	for _, n := range res.Nodes {
		ids = append(ids, n.UniqueID)
	}
	slices.Sort(ids)
	return ids
}

func TestLineageAcrossProjectsFollowsCrossProjectRefs(t *testing.T) {
	m := openMesh(t)
	types, parents, children := meshManifests(t)

	// Upstream from reporting: through finance into bouncer, to its seeds and sources.
	up, err := m.a.Lineage(app.LineageRequest{SnapshotID: m.reporting, Select: "+rpt_top_customers", Format: "json", AcrossProjects: true})
	if err != nil {
		t.Fatal(err)
	}
	want := walk("model.bouncer_reporting.rpt_top_customers", func(id string) []string { return parents[id] }, types)
	if got := nodeIDs(up); !slices.Equal(got, want) {
		t.Fatalf("+rpt_top_customers across projects:\n got %v\nwant %v", got, want)
	}
	for _, e := range up.Edges {
		if !slices.Contains(parents[e.Child], e.Parent) {
			t.Errorf("edge %s -> %s: no manifest lists it", e.Parent, e.Child)
		}
	}
	var edges int
	for _, id := range want {
		for _, p := range parents[id] {
			if slices.Contains(want, p) {
				edges++
			}
		}
	}
	if len(up.Edges) != edges {
		t.Errorf("%d edges, want %d", len(up.Edges), edges)
	}
	runs := map[string]backend.ProjectRun{}
	for _, r := range up.AcrossProjects {
		runs[r.Project] = r
	}
	if runs["bouncer_finance"].SnapshotID != m.finance || runs["dbt_bouncer_test_project"].SnapshotID != m.bouncer || len(runs) != 2 {
		t.Errorf("runs drawn from: %+v", up.AcrossProjects)
	}
	for _, n := range up.Nodes {
		wantRun := map[string]int64{"bouncer_finance": m.finance, "dbt_bouncer_test_project": m.bouncer}[n.Package]
		if n.SnapshotID != wantRun {
			t.Errorf("%s read from snapshot %d, want %d", n.UniqueID, n.SnapshotID, wantRun)
		}
		// bouncer's orders is drawn from bouncer's run, whose materialization it tells.
		if n.UniqueID == "model.dbt_bouncer_test_project.orders" && (n.CrossProject || n.Materialized != "table" || n.Path == "") {
			t.Errorf("orders across projects is finance's placeholder, not bouncer's model: %+v", n.GraphNode)
		}
		if n.UniqueID == "model.bouncer_marketing.campaign_touches" && !n.CrossProject {
			t.Errorf("campaign_touches, of a project no run holds, should stay the ref reporting's manifest holds")
		}
	}
	if !slices.ContainsFunc(up.Warnings, func(w string) bool {
		return strings.Contains(w, "1 public model of project bouncer_marketing") && strings.Contains(w, "import or sync it")
	}) {
		t.Errorf("warnings %q: none says bouncer_marketing is not held", up.Warnings)
	}
	if !strings.Contains(up.Content, `"across_projects": "bouncer_finance #`) {
		t.Errorf("the JSON export does not say which runs it drew from:\n%.400s", up.Content)
	}
	// The picture says which project each node of another one comes from.
	pic, err := m.a.Lineage(app.LineageRequest{SnapshotID: m.reporting, Select: "+rpt_top_customers", AcrossProjects: true})
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range []string{"bouncer_finance", "dbt_bouncer_test_project"} {
		if !strings.Contains(pic.Content, "in project "+p) {
			t.Errorf("the SVG does not say which nodes are %s's", p)
		}
	}
	if strings.Contains(pic.Content, "in project bouncer_reporting") {
		t.Error("the SVG names the picture's own project on its nodes")
	}

	// Downstream from bouncer: its public orders lead on to finance and reporting.
	down, err := m.a.Lineage(app.LineageRequest{SnapshotID: m.bouncer, Select: "orders+", Format: "json", AcrossProjects: true})
	if err != nil {
		t.Fatal(err)
	}
	want = walk("model.dbt_bouncer_test_project.orders", func(id string) []string { return children[id] }, types)
	if got := nodeIDs(down); !slices.Equal(got, want) || !slices.Contains(got, "exposure.bouncer_reporting.top_customers_deck") {
		t.Fatalf("orders+ across projects:\n got %v\nwant %v", got, want)
	}

	// Without it, each project draws its own manifest: the refs are
	// placeholders that say where they come from.
	own, err := m.a.Lineage(app.LineageRequest{SnapshotID: m.finance, Select: "+fct_revenue", Format: "svg"})
	if err != nil {
		t.Fatal(err)
	}
	if got := nodeIDs(own); !slices.Equal(got, []string{"model.bouncer_finance.fct_revenue", "model.bouncer_finance.stg_invoices",
		"model.dbt_bouncer_test_project.orders", "source.bouncer_finance.billing.invoices"}) {
		t.Errorf("+fct_revenue in finance alone: %v", got)
	}
	if !strings.Contains(own.Content, "model · from project dbt_bouncer_test_project") {
		t.Error("the picture does not say orders is dbt_bouncer_test_project's")
	}
}

// Grouped by project across projects, each node is in the box of the
// project whose run holds it, and a ref to a project no run holds in that
// project's (QA: "Projects as boxes" grouped by package, so each installed
// package was a box of its own).
func TestLineageAcrossProjectsGroupsByProject(t *testing.T) {
	m := openMesh(t)
	req := app.LineageRequest{SnapshotID: m.reporting, Select: "+rpt_top_customers", Format: "json", AcrossProjects: true}
	plain, err := m.a.Lineage(req)
	if err != nil {
		t.Fatal(err)
	}
	// A node of the picture's own run names no snapshot.
	projectOf := map[int64]string{m.bouncer: "dbt_bouncer_test_project", m.finance: "bouncer_finance", 0: "bouncer_reporting"}
	want := map[string]string{}
	for _, n := range plain.Nodes {
		want[n.UniqueID] = projectOf[n.SnapshotID]
		if n.CrossProject {
			want[n.UniqueID] = n.Package // bouncer_marketing: no run of it
		}
	}
	req.GroupBy = "project"
	grouped, err := m.a.Lineage(req)
	if err != nil {
		t.Fatal(err)
	}
	members := map[string]int{}
	for _, n := range grouped.Nodes {
		if n.Box != "group:project:"+want[n.UniqueID] {
			t.Errorf("%s is in box %q, want project %s's", n.UniqueID, n.Box, want[n.UniqueID])
		}
		members[n.Box]++
	}
	if len(grouped.Nodes) != len(plain.Nodes) || len(grouped.Groups) != 4 {
		t.Errorf("%d nodes in %d boxes, want the %d nodes in 4 (three runs and bouncer_marketing's ref)", len(grouped.Nodes), len(grouped.Groups), len(plain.Nodes))
	}
	for _, b := range grouped.Groups {
		if b.Members != members[b.Key] {
			t.Errorf("box %s counts %d members, the nodes %d", b.Key, b.Members, members[b.Key])
		}
	}
}

// TestCrossProjectRefsAreNoDanglingDependencies: a public model of
// another project lists that project's nodes, which the reading project's
// manifest does not hold; that is how dbt writes it, not a broken manifest.
func TestCrossProjectRefsAreNoDanglingDependencies(t *testing.T) {
	m := openMesh(t)
	snaps, err := m.a.Snapshots()
	if err != nil {
		t.Fatal(err)
	}
	for _, s := range snaps {
		if slices.ContainsFunc(s.Warnings, func(w string) bool { return strings.Contains(w, "does not hold") }) {
			t.Errorf("snapshot %d (%s): %q", s.ID, s.Project, s.Warnings)
		}
	}
}

func TestLineageAcrossProjectsReadsEachRunsConfigs(t *testing.T) {
	m := openMesh(t)
	// config.schema: is read from the configs: bouncer's marts models set
	// schema marts, and finance's refs to them set none.
	res, err := m.a.Lineage(app.LineageRequest{SnapshotID: m.finance, Select: "config.schema:marts", Format: "json", AcrossProjects: true})
	if err != nil {
		t.Fatal(err)
	}
	ids := nodeIDs(res)
	if !slices.Contains(ids, "model.dbt_bouncer_test_project.orders") || !slices.Contains(ids, "model.dbt_bouncer_test_project.customers.v3") {
		t.Errorf("config.schema:marts across projects: %v, want bouncer's marts models", ids)
	}
	for _, id := range ids {
		if !strings.HasPrefix(id, "model.dbt_bouncer_test_project.") {
			t.Errorf("config.schema:marts selected %s", id)
		}
	}
	alone, err := m.a.Lineage(app.LineageRequest{SnapshotID: m.finance, Select: "config.schema:marts", Format: "json"})
	if err == nil {
		t.Errorf("config.schema:marts in finance alone selected %v: its refs to bouncer set no schema", nodeIDs(alone))
	}
}

func TestLineageAcrossProjectsRefusesWhatReadsOneProjectsRuns(t *testing.T) {
	m := openMesh(t)
	for name, req := range map[string]app.LineageRequest{
		"diff":        {Select: "+fct_revenue", Diff: true},
		"run times":   {Select: "+fct_revenue", Runtime: true},
		"trend lens":  {Select: "+fct_revenue", Lens: "trend"},
		"health lens": {Select: "+fct_revenue", Lens: "health"},
	} {
		req.SnapshotID, req.AcrossProjects, req.Format = m.finance, true, "json"
		_, err := m.a.Lineage(req)
		if backend.ErrorCode(err) != backend.EINVALID || !strings.Contains(err.Error(), "without across projects") {
			t.Errorf("%s across projects: %v, want a refusal saying to draw it without", name, err)
		}
	}
}

// readersIn reads a mesh manifest: each public model of another project it
// holds, and the nodes of its own that list it in depends_on.
func readersIn(t *testing.T, project string) map[string][]string {
	t.Helper()
	b, err := os.ReadFile(filepath.Join(meshDir, project, "manifest.json"))
	if err != nil {
		t.Fatal(err)
	}
	var m struct {
		Nodes     map[string]map[string]any `json:"nodes"`
		Exposures map[string]map[string]any `json:"exposures"`
	}
	if err := json.Unmarshal(b, &m); err != nil {
		t.Fatal(err)
	}
	readers := map[string][]string{}
	for id, n := range m.Nodes {
		if n["original_file_path"] == "" {
			readers[id] = []string{}
		}
	}
	for id, n := range m.Nodes {
		for _, p := range n["depends_on"].(map[string]any)["nodes"].([]any) {
			if list, ok := readers[p.(string)]; ok && n["original_file_path"] != "" {
				readers[p.(string)] = append(list, id)
			}
		}
	}
	return readers
}

func TestMeshListsWhatEachProjectReadsAndWhoReadsIt(t *testing.T) {
	m := openMesh(t)
	flatten := func(projects []app.MeshProject, runs map[string]int64) map[string][]string {
		out := map[string][]string{}
		for _, p := range projects {
			if p.SnapshotID != runs[p.Project] {
				t.Errorf("%s read from snapshot %d, want %d", p.Project, p.SnapshotID, runs[p.Project])
			}
			for _, model := range p.Models {
				slices.Sort(model.Readers)
				out[model.UniqueID] = model.Readers
			}
		}
		return out
	}
	runs := map[string]int64{"dbt_bouncer_test_project": m.bouncer, "bouncer_finance": m.finance, "bouncer_reporting": m.reporting, "bouncer_marketing": 0}
	equal := func(a, b map[string][]string) bool {
		return len(a) == len(b) && !slices.ContainsFunc(slices.Collect(maps.Keys(a)), func(k string) bool { return !slices.Equal(a[k], b[k]) })
	}
	finance, reporting := readersIn(t, "bouncer_finance"), readersIn(t, "bouncer_reporting")
	for name, c := range map[string]struct {
		id            int64
		reads, readBy map[string][]string
	}{
		"bouncer":   {m.bouncer, map[string][]string{}, finance},
		"finance":   {m.finance, finance, map[string][]string{"model.bouncer_finance.dim_customer_value": reporting["model.bouncer_finance.dim_customer_value"]}},
		"reporting": {m.reporting, reporting, map[string][]string{}},
	} {
		res, err := m.a.Mesh(c.id)
		if err != nil {
			t.Fatal(err)
		}
		for _, list := range c.reads {
			slices.Sort(list)
		}
		if got := flatten(res.Reads, runs); !equal(got, c.reads) {
			t.Errorf("%s reads %v, want %v", name, got, c.reads)
		}
		if got := flatten(res.ReadBy, runs); !equal(got, c.readBy) {
			t.Errorf("%s is read by %v, want %v", name, got, c.readBy)
		}
	}
}

// TestCrossProjectRefsAreJudgedByTheirProject: finance's runs neither
// build nor test bouncer's orders, nor could they describe it: its health
// is not finance's to judge (else every ref would be in caution).
func TestCrossProjectRefsAreJudgedByTheirProject(t *testing.T) {
	m := openMesh(t)
	res, err := m.a.Health(m.finance, "model.dbt_bouncer_test_project.orders")
	if err != nil {
		t.Fatal(err)
	}
	if res.Health.State != "unknown" || !slices.Contains(res.Health.Reasons, "a public model of project dbt_bouncer_test_project: its own project's runs judge it") {
		t.Errorf("orders in finance: %+v", res.Health)
	}
}

// TestImpactReachesAcrossProjects: what a node reaches beyond its
// project, project by project, is what the joined manifests reach from it
// that its own manifest does not hold (a ref it holds counts in its own
// impact).
func TestImpactReachesAcrossProjects(t *testing.T) {
	m := openMesh(t)
	types, parents, children := meshManifests(t)
	// What each start's own impact counts: its project's nodes and the refs
	// its manifest holds.
	own := map[int64]map[string][]string{m.reporting: readersIn(t, "bouncer_reporting"), m.bouncer: {}}
	project := map[int64]string{m.reporting: "bouncer_reporting", m.bouncer: "dbt_bouncer_test_project"}
	for _, c := range []struct {
		name string
		run  int64
		id   string
		down bool
	}{
		{"rpt_top_customers upstream", m.reporting, "model.bouncer_reporting.rpt_top_customers", false},
		{"orders downstream", m.bouncer, "model.dbt_bouncer_test_project.orders", true},
	} {
		next := func(id string) []string { return parents[id] }
		if c.down {
			next = func(id string) []string { return children[id] }
		}
		want := map[string]map[string]int{}
		for _, id := range walk(c.id, next, types) {
			pkg := strings.Split(id, ".")[1]
			if _, ref := own[c.run][id]; ref || pkg == project[c.run] {
				continue
			}
			if want[pkg] == nil {
				want[pkg] = map[string]int{}
			}
			want[pkg][types[id]]++
		}
		imp, err := m.a.Impact(c.run, c.id)
		if err != nil {
			t.Fatal(err)
		}
		across := imp.UpstreamAcross
		if c.down {
			across = imp.DownstreamAcross
		}
		got := map[string]map[string]int{}
		for _, p := range across {
			got[p.Project] = p.ByType
		}
		if len(got) != len(want) {
			t.Errorf("%s: across projects %v, want %v", c.name, got, want)
		}
		for p, byType := range want {
			if !maps.Equal(got[p], byType) {
				t.Errorf("%s, in %s: %v, want %v", c.name, p, got[p], byType)
			}
		}
	}
}

// TestLineageAcrossProjectsOfOneProject: a project no other held project
// is tied to draws its own lineage across projects (read as a one-project
// picture is), and names the projects it refs that the store holds no run of.
func TestLineageAcrossProjectsOfOneProject(t *testing.T) {
	a, _, _ := openApp(t)
	reporting := importedRun(t, a, filepath.Join(meshDir, "bouncer_reporting"))
	alone, err := a.Lineage(app.LineageRequest{SnapshotID: reporting, Select: "+rpt_top_customers+", Format: "json"})
	if err != nil {
		t.Fatal(err)
	}
	across, err := a.Lineage(app.LineageRequest{SnapshotID: reporting, Select: "+rpt_top_customers+", Format: "json", AcrossProjects: true})
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(nodeIDs(across), nodeIDs(alone)) || len(across.AcrossProjects) != 0 || len(nodeIDs(alone)) != 4 {
		t.Errorf("across projects %v (from %v), alone %v", nodeIDs(across), across.AcrossProjects, nodeIDs(alone))
	}
	for _, p := range []string{"bouncer_finance", "bouncer_marketing"} {
		if !slices.ContainsFunc(across.Warnings, func(w string) bool { return strings.Contains(w, "1 public model of project "+p) }) {
			t.Errorf("warnings %q: none names %s", across.Warnings, p)
		}
	}
	if len(alone.Warnings) != 0 {
		t.Errorf("alone: %q", alone.Warnings)
	}
}

// TestColumnLineageStopsAtACrossProjectRef: a column traced up from
// finance reaches bouncer's orders, whose SQL is bouncer's: the trace says
// so rather than blaming the dbt command that wrote finance's manifest.
func TestColumnLineageStopsAtACrossProjectRef(t *testing.T) {
	m := openMesh(t)
	ref, err := m.a.ColumnLineage(m.finance, "model.dbt_bouncer_test_project.orders")
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(ref.Problem, "a public model of project dbt_bouncer_test_project") {
		t.Errorf("orders in finance: %q", ref.Problem)
	}
	cols, err := m.a.ColumnLineage(m.finance, "fct_revenue")
	if err != nil {
		t.Fatal(err)
	}
	from := map[string]string{}
	for _, c := range cols.Columns {
		for _, s := range c.Sources {
			from[c.Name] = s.Node + "." + s.Column
		}
	}
	// The compiled SQL reads orders by its relation, which the ref holds.
	if from["customer_id"] != "model.dbt_bouncer_test_project.orders.customer_id_fk" || from["order_id"] != "model.dbt_bouncer_test_project.orders.order_id_pk" {
		t.Errorf("fct_revenue's columns: %v", from)
	}
}

// TestColumnTraceFollowsCrossProjectRefs: reporting's first_name traced
// up is reporting's own trace, then finance's from the model reporting
// refs, then bouncer's from the model finance refs, joined: each ref gives
// way to the model its project defines. Traced down from bouncer, its
// orders.customer_id_fk goes on into finance.
func TestColumnTraceFollowsCrossProjectRefs(t *testing.T) {
	m := openMesh(t)
	alone := func(run int64, node, column, direction string) backend.ColumnTrace {
		t.Helper()
		// Each leg in a store holding its project alone: no other to go on into.
		a, _, _ := openApp(t)
		path := map[int64]string{m.bouncer: filepath.Join(fixtures, "bouncer-v12-dbt1.12-duckdb"),
			m.finance: filepath.Join(meshDir, "bouncer_finance"), m.reporting: filepath.Join(meshDir, "bouncer_reporting")}[run]
		tr, err := a.ColumnTrace(importedRun(t, a, path), node, column, direction, 0)
		if err != nil {
			t.Fatal(err)
		}
		if len(tr.AcrossProjects) != 0 {
			t.Fatalf("%s alone went across projects: %+v", node, tr.AcrossProjects)
		}
		return tr
	}
	joined := func(legs ...backend.ColumnTrace) (nodes []string, edges []string) {
		for _, l := range legs {
			for _, n := range l.Nodes {
				nodes = append(nodes, n.UniqueID+n.Relation)
			}
			for _, e := range l.Edges {
				edges = append(edges, fmt.Sprintf("%s.%s -> %s.%s %s", e.From.Node, e.From.Column, e.To.Node, e.To.Column, e.Kind))
			}
		}
		slices.Sort(nodes)
		slices.Sort(edges)
		return slices.Compact(nodes), slices.Compact(edges)
	}
	got := func(tr backend.ColumnTrace) ([]string, []string) { return joined(tr) }

	up, err := m.a.ColumnTrace(m.reporting, "rpt_top_customers", "first_name", "upstream", 0)
	if err != nil {
		t.Fatal(err)
	}
	wantNodes, wantEdges := joined(
		alone(m.reporting, "rpt_top_customers", "first_name", "upstream"),
		alone(m.finance, "model.bouncer_finance.dim_customer_value", "first_name", "upstream"),
		alone(m.bouncer, "model.dbt_bouncer_test_project.customers.v3", "first_name", "upstream"))
	if n, e := got(up); !slices.Equal(n, wantNodes) || !slices.Equal(e, wantEdges) {
		t.Errorf("first_name up across projects:\n got %v\n     %v\nwant %v\n     %v", n, e, wantNodes, wantEdges)
	}
	if !slices.ContainsFunc(up.Nodes, func(n backend.ColumnTraceNode) bool {
		return n.UniqueID == "seed.dbt_bouncer_test_project.raw_customers"
	}) {
		t.Errorf("first_name up does not reach bouncer's seed: %+v", up.Nodes)
	}
	for _, n := range up.Nodes {
		wantRun := map[string]int64{"bouncer_finance": m.finance, "dbt_bouncer_test_project": m.bouncer}[strings.Split(n.UniqueID, ".")[1]]
		if n.SnapshotID != wantRun {
			t.Errorf("%s read from snapshot %d, want %d", n.UniqueID, n.SnapshotID, wantRun)
		}
		if n.Problem != "" {
			t.Errorf("%s: %q (a ref with its project held gives way to its model)", n.UniqueID, n.Problem)
		}
	}

	down, err := m.a.ColumnTrace(m.bouncer, "model.dbt_bouncer_test_project.orders", "customer_id_fk", "downstream", 0)
	if err != nil {
		t.Fatal(err)
	}
	wantNodes, wantEdges = joined(
		alone(m.bouncer, "model.dbt_bouncer_test_project.orders", "customer_id_fk", "downstream"),
		// finance's leg, from the one column it makes of the ref's.
		alone(m.finance, "fct_revenue", "customer_id", ""))
	if n, e := got(down); !slices.Equal(n, wantNodes) || !slices.Equal(e, wantEdges) {
		t.Errorf("customer_id_fk down across projects:\n got %v\n     %v\nwant %v\n     %v", n, e, wantNodes, wantEdges)
	}
	if !slices.ContainsFunc(down.Edges, func(e backend.ColumnEdge) bool { return e.To.Node == "exposure.bouncer_finance.revenue_review" }) {
		t.Errorf("customer_id_fk down does not reach finance's exposure: %+v", down.Edges)
	}
}

// TestMeshReadsEachProjectAsOfTheRun: a project's latest run reads each
// other project's latest; an older run reads each one's run as of then
// (its oldest when all are later).
func TestMeshReadsEachProjectAsOfTheRun(t *testing.T) {
	a, dir, _ := openApp(t)
	bouncer111 := importedRun(t, a, filepath.Join(fixtures, "bouncer-v12-dbt1.11-duckdb")) // generated 2026-08-07
	bouncer112 := importedRun(t, a, filepath.Join(fixtures, "bouncer-v12-dbt1.12-duckdb")) // 2026-08-20 13:46
	latest := importedRun(t, a, filepath.Join(meshDir, "bouncer_finance"))                 // 2026-08-20 14:05
	// finance's manifest as an earlier run would have written it.
	olderFinance := func(generated string) int64 {
		t.Helper()
		b, err := os.ReadFile(filepath.Join(meshDir, "bouncer_finance", "manifest.json"))
		if err != nil {
			t.Fatal(err)
		}
		target := filepath.Join(dir, "finance-"+generated[:10])
		if err := os.MkdirAll(target, 0o755); err != nil {
			t.Fatal(err)
		}
		edited := strings.ReplaceAll(string(b), "2026-08-20T14:05:00.000000Z", generated)
		if edited == string(b) {
			t.Fatal("the fixture's generated_at moved: update this test")
		}
		if err := os.WriteFile(filepath.Join(target, "manifest.json"), []byte(edited), 0o644); err != nil {
			t.Fatal(err)
		}
		return importedRun(t, a, target)
	}
	between := olderFinance("2026-08-10T09:00:00.000000Z")
	before := olderFinance("2026-08-01T09:00:00.000000Z")
	for _, c := range []struct {
		name    string
		finance int64
		bouncer int64
	}{{"latest", latest, bouncer112}, {"between", between, bouncer111}, {"before all", before, bouncer111}} {
		res, err := a.Mesh(c.finance)
		if err != nil {
			t.Fatal(err)
		}
		if len(res.Reads) != 1 || res.Reads[0].SnapshotID != c.bouncer {
			t.Errorf("%s finance run reads bouncer %+v, want snapshot %d", c.name, res.Reads, c.bouncer)
		}
	}
}

// TestImpactListGoesAcrossProjects: the list of what bouncer's orders
// reaches goes on into finance and reporting, each row as many hops away as
// the joined manifests say, read from its own run, its exposures' owners
// as their manifests name them.
func TestImpactListGoesAcrossProjects(t *testing.T) {
	m := openMesh(t)
	types, _, children := meshManifests(t)
	list, err := m.a.ImpactList(m.bouncer, "model.dbt_bouncer_test_project.orders", "downstream")
	if err != nil {
		t.Fatal(err)
	}
	// Hops from orders in the joined manifests, tests too.
	hops := map[string]int{"model.dbt_bouncer_test_project.orders": 0}
	frontier := []string{"model.dbt_bouncer_test_project.orders"}
	for d := 1; len(frontier) > 0; d++ {
		var next []string
		for _, id := range frontier {
			for _, c := range children[id] {
				if _, seen := hops[c]; !seen && types[c] != "" {
					hops[c] = d
					next = append(next, c)
				}
			}
		}
		frontier = next
	}
	delete(hops, "model.dbt_bouncer_test_project.orders")
	got := map[string]int{}
	for _, r := range list.Rows {
		got[r.UniqueID] = r.Distance
		wantRun := map[string]int64{"bouncer_finance": m.finance, "bouncer_reporting": m.reporting}[r.Package]
		if r.SnapshotID != wantRun {
			t.Errorf("%s read from snapshot %d, want %d", r.UniqueID, r.SnapshotID, wantRun)
		}
	}
	if !maps.Equal(got, hops) {
		t.Errorf("rows %v, want %v", got, hops)
	}
	owners := map[string]string{}
	for _, r := range list.Rows {
		owners[r.UniqueID] = r.Owner
	}
	if owners["exposure.bouncer_finance.revenue_review"] != "Finance <finance@example.com>" ||
		owners["exposure.bouncer_reporting.top_customers_deck"] != "Sales ops <sales-ops@example.com>" {
		t.Errorf("exposures' owners: %q, %q", owners["exposure.bouncer_finance.revenue_review"], owners["exposure.bouncer_reporting.top_customers_deck"])
	}
}

// TestStateAcrossProjects: with bouncer's dbt 1.11 run held before its
// 1.12 one, state:modified+ across projects is what changed in bouncer
// since, and all it reaches in finance and reporting: drawn from
// bouncer's run or finance's, the same picture; finance and reporting,
// with no run before, are said to be uncompared.
func TestStateAcrossProjects(t *testing.T) {
	a, _, _ := openApp(t)
	importedRun(t, a, filepath.Join(fixtures, "bouncer-v12-dbt1.11-duckdb"))
	bouncer := importedRun(t, a, filepath.Join(fixtures, "bouncer-v12-dbt1.12-duckdb"))
	finance := importedRun(t, a, filepath.Join(meshDir, "bouncer_finance"))
	importedRun(t, a, filepath.Join(meshDir, "bouncer_reporting"))

	own, err := a.Lineage(app.LineageRequest{SnapshotID: bouncer, Select: "state:modified", Format: "json"})
	if err != nil {
		t.Fatal(err)
	}
	types, _, children := meshManifests(t)
	want := map[string]bool{}
	for _, n := range own.Nodes {
		for _, id := range walk(n.UniqueID, func(id string) []string { return children[id] }, types) {
			want[id] = true
		}
	}
	for _, from := range []int64{bouncer, finance} {
		res, err := a.Lineage(app.LineageRequest{SnapshotID: from, Select: "state:modified+", Format: "json", AcrossProjects: true})
		if err != nil {
			t.Fatal(err)
		}
		got := map[string]bool{}
		for _, n := range res.Nodes {
			got[n.UniqueID] = true
			if strings.HasPrefix(n.UniqueID, "model.bouncer_") && len(n.StateChange) > 0 {
				t.Errorf("from #%d: %s, of a project with no run before, %v", from, n.UniqueID, n.StateChange)
			}
		}
		if !maps.Equal(got, want) || !got["exposure.bouncer_reporting.top_customers_deck"] {
			t.Errorf("state:modified+ across projects from #%d: %d nodes, want %d (%v)", from, len(got), len(want), missing(slices.Collect(maps.Keys(want)), slices.Collect(maps.Keys(got))))
		}
		for _, p := range []string{"bouncer_finance", "bouncer_reporting"} {
			if !slices.ContainsFunc(res.Warnings, func(w string) bool { return strings.Contains(w, "is "+p+"'s first: its nodes are not compared") }) {
				t.Errorf("from #%d: warnings %q say nothing of %s", from, res.Warnings, p)
			}
		}
	}
}

// missing is what of a is not in b.
func missing(a, b []string) []string {
	var out []string
	for _, x := range a {
		if !slices.Contains(b, x) {
			out = append(out, x)
		}
	}
	return out
}

// TestSelectionOfAnotherProjectsNodeSaysToDrawAcross: finance's own
// lineage holds no stg_orders; bouncer's does, and finance reads it, so
// the message says what drawing across projects would select.
func TestSelectionOfAnotherProjectsNodeSaysToDrawAcross(t *testing.T) {
	m := openMesh(t)
	_, err := m.a.Lineage(app.LineageRequest{SnapshotID: m.finance, Select: "+stg_orders", Format: "json"})
	if backend.ErrorCode(err) != backend.ENOTFOUND || !strings.Contains(err.Error(), "across the projects tied to bouncer_finance it selects 2 nodes") {
		t.Errorf("+stg_orders in finance alone: %v", err)
	}
	_, err = m.a.Lineage(app.LineageRequest{SnapshotID: m.finance, Select: "+stg_orderz", Format: "json"})
	if backend.ErrorCode(err) != backend.ENOTFOUND || strings.Contains(err.Error(), "across") {
		t.Errorf("+stg_orderz, a typo: %v", err)
	}
}

// TestProjectsThatRefEachOther: p_a's a1 feeds p_b's b1, which feeds p_a's
// a2 (testdata/mesh/bidirectional): across projects the lineage, @ and a
// column trace go from one project to the other and back, without going
// round.
func TestProjectsThatRefEachOther(t *testing.T) {
	a, _, _ := openApp(t)
	runs := []int64{importedRun(t, a, filepath.Join(meshDir, "bidirectional", "p_a")), importedRun(t, a, filepath.Join(meshDir, "bidirectional", "p_b"))}
	all := []string{"model.p_a.a1", "model.p_a.a2", "model.p_b.b1", "source.p_a.raw.events"}
	for _, c := range []struct {
		run  int64
		expr string
	}{{runs[0], "+a2"}, {runs[1], "@a1"}, {runs[1], "b1+ +b1"}, {runs[0], "source:raw+"}} {
		res, err := a.Lineage(app.LineageRequest{SnapshotID: c.run, Select: c.expr, Format: "json", AcrossProjects: true})
		if err != nil {
			t.Fatal(err)
		}
		if got := nodeIDs(res); !slices.Equal(got, all) || len(res.Edges) != 3 {
			t.Errorf("%s from #%d: %v, %d edges", c.expr, c.run, got, len(res.Edges))
		}
		for _, n := range res.Nodes {
			if want := map[string]int64{"p_a": runs[0], "p_b": runs[1]}[n.Package]; (n.SnapshotID == 0 && want != c.run) || (n.SnapshotID != 0 && n.SnapshotID != want) {
				t.Errorf("%s from #%d: %s read from run %d", c.expr, c.run, n.UniqueID, n.SnapshotID)
			}
		}
	}
	trace, err := a.ColumnTrace(runs[0], "a2", "kind_count", "upstream", 0)
	if err != nil {
		t.Fatal(err)
	}
	var chain []string
	for _, e := range trace.Edges {
		chain = append(chain, e.From.Node+"."+e.From.Column+" -> "+e.To.Node+"."+e.To.Column)
	}
	slices.Sort(chain)
	want := []string{
		"model.p_a.a1.kind -> model.p_b.b1.kind_count",
		"model.p_b.b1.kind_count -> model.p_a.a2.kind_count",
		"source.p_a.raw.events.kind -> model.p_a.a1.kind",
	}
	if !slices.Equal(chain, want) {
		t.Errorf("a2.kind_count traced up: %v, want %v", chain, want)
	}
}

// TestRefToAModelItsProjectNoLongerHolds: with bouncer's dbt 1.8 run (no
// customers v3 yet) the one held, finance's ref to customers.v3 stays the
// ref finance's manifest holds, while its ref to orders still leads into
// bouncer's run, to orders' staging models.
func TestRefToAModelItsProjectNoLongerHolds(t *testing.T) {
	a, _, _ := openApp(t)
	importedRun(t, a, filepath.Join(fixtures, "bouncer-v12-dbt1.8-duckdb"))
	finance := importedRun(t, a, filepath.Join(meshDir, "bouncer_finance"))
	res, err := a.Lineage(app.LineageRequest{SnapshotID: finance, Select: "+dim_customer_value", Format: "json", AcrossProjects: true})
	if err != nil {
		t.Fatal(err)
	}
	nodes := map[string]app.LineageNode{}
	for _, n := range res.Nodes {
		nodes[n.UniqueID] = n
	}
	if n, ok := nodes["model.dbt_bouncer_test_project.customers.v3"]; !ok || !n.CrossProject || n.SnapshotID != 0 {
		t.Errorf("customers.v3: %+v (held %v), want finance's ref", n, ok)
	}
	for _, id := range []string{"model.dbt_bouncer_test_project.orders", "model.dbt_bouncer_test_project.stg_orders", "model.dbt_bouncer_test_project.stg_payments"} {
		if n, ok := nodes[id]; !ok || n.CrossProject || n.SnapshotID == 0 {
			t.Errorf("%s: %+v (held %v), want bouncer's", id, n, ok)
		}
	}
	// A column traced up into it stops at finance's ref, named as it is.
	trace, err := a.ColumnTrace(finance, "dim_customer_value", "customer_id", "upstream", 0)
	if err != nil {
		t.Fatal(err)
	}
	i := slices.IndexFunc(trace.Nodes, func(n backend.ColumnTraceNode) bool {
		return n.UniqueID == "model.dbt_bouncer_test_project.customers.v3"
	})
	if i < 0 || trace.Nodes[i].Name != "customers v3" || trace.Nodes[i].SnapshotID != 0 || len(trace.AcrossProjects) != 0 {
		t.Errorf("dim_customer_value.customer_id traced up: %+v, across %+v", trace.Nodes, trace.AcrossProjects)
	}
}

// TestStateAcrossTakesARefsChangesFromItsProject: finance's earlier run
// wrote its ref to orders in another schema, so finance alone finds the
// ref modified (relation); across projects, from either project, orders
// is bouncer's model, and how it changed is what bouncer's runs say.
func TestStateAcrossTakesARefsChangesFromItsProject(t *testing.T) {
	a, dir, _ := openApp(t)
	importedRun(t, a, filepath.Join(fixtures, "bouncer-v12-dbt1.11-duckdb"))
	bouncer := importedRun(t, a, filepath.Join(fixtures, "bouncer-v12-dbt1.12-duckdb"))
	b, err := os.ReadFile(filepath.Join(meshDir, "bouncer_finance", "manifest.json"))
	if err != nil {
		t.Fatal(err)
	}
	older := strings.ReplaceAll(string(b), `"main_marts"`, `"main_marts_before"`) // the refs' schema
	older = strings.ReplaceAll(older, "2026-08-20T14:05:00.000000Z", "2026-08-10T09:00:00.000000Z")
	if older == string(b) || !strings.Contains(older, "2026-08-10T09:00:00") {
		t.Fatal("the fixture's refs' schema or generated_at moved: update this test")
	}
	target := filepath.Join(dir, "finance-older")
	if err := os.MkdirAll(target, 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(target, "manifest.json"), []byte(older), 0o644); err != nil {
		t.Fatal(err)
	}
	importedRun(t, a, target)
	finance := importedRun(t, a, filepath.Join(meshDir, "bouncer_finance"))

	changeOf := func(res app.LineageResult, id string) []string {
		for _, n := range res.Nodes {
			if n.UniqueID == id {
				return n.StateChange
			}
		}
		return nil
	}
	alone, err := a.Lineage(app.LineageRequest{SnapshotID: finance, Select: "state:modified", Format: "json"})
	if err != nil {
		t.Fatal(err)
	}
	if got := changeOf(alone, "model.dbt_bouncer_test_project.orders"); !slices.Equal(got, []string{"relation"}) {
		t.Fatalf("finance alone: the ref's change %v, want [relation] (the test's premise)", got)
	}
	own, err := a.Lineage(app.LineageRequest{SnapshotID: bouncer, Select: "state:modified", Format: "json"})
	if err != nil {
		t.Fatal(err)
	}
	want := changeOf(own, "model.dbt_bouncer_test_project.orders")
	for _, from := range []int64{finance, bouncer} {
		across, err := a.Lineage(app.LineageRequest{SnapshotID: from, Select: "state:modified", Format: "json", AcrossProjects: true})
		if err != nil {
			t.Fatal(err)
		}
		if got := changeOf(across, "model.dbt_bouncer_test_project.orders"); len(want) == 0 || !slices.Equal(got, want) {
			t.Errorf("orders across projects from #%d: %v, want bouncer's %v", from, got, want)
		}
	}
}
