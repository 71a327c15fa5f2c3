package storage_test

import (
	"encoding/json"
	"errors"
	"fmt"
	"maps"
	"path"
	"reflect"
	"slices"
	"strings"
	"testing"

	"github.com/lineagedesk/lineagedesk/backend"
	"github.com/lineagedesk/lineagedesk/backend/lineage"
	"github.com/lineagedesk/lineagedesk/storage"
)

// TestReachSelectsAsTheWholeGraph checks, on real projects, that selecting
// on the part Reach loads gives exactly what selecting on the whole graph
// gives (nodes, edges, focus, and every selected node's fields including
// its test summary) for every non-test node named in every operator form,
// by name and by unique_id, and for tests named, with tests shown and not;
// and that when Reach declines, the name really is a package, folder or
// version qualifier.
func TestReachSelectsAsTheWholeGraph(t *testing.T) {
	for _, dataset := range []string{"bouncer-build-v12-dbt1.11-duckdb", "jaffle-dap-v12-1.11", "jaffle-dap-v9",
		"hubspot-v12-dbt1.11-postgres", "tuva-v7-dbt1.3"} {
		t.Run(dataset, func(t *testing.T) {
			s, snap, whole, g := reachFixture(t, dataset)
			qualifiers := lineage.Qualifiers(whole.Nodes)
			answered, declined := 0, 0
			for _, n := range whole.Nodes {
				if n.ResourceType == backend.TypeTest || n.ResourceType == backend.TypeUnitTest {
					continue
				}
				for _, form := range []string{"+%s+", "%s", "1+%s", "%s+2", "2+%s+1", "%s+", "@%s"} {
					for _, value := range []string{n.Name, n.UniqueID} {
						expr := fmt.Sprintf(form, value)
						if value == n.UniqueID && slices.Contains([]rune(value), ' ') {
							continue // PlanReach leaves ids with spaces to the whole graph
						}
						ok := checkReach(t, s, snap.ID, g, expr, qualifiers, lineage.SelectOptions{})
						checkReach(t, s, snap.ID, g, expr, qualifiers, lineage.SelectOptions{IncludeTests: true})
						if ok {
							answered++
						} else {
							declined++
						}
					}
				}
			}
			// Tests named: Reach keeps them though nothing depends on them,
			// since they bring their parents in.
			tests := 0
			for _, n := range whole.Nodes {
				if (n.ResourceType == backend.TypeTest || n.ResourceType == backend.TypeUnitTest) && tests < 20 {
					tests++
					for _, form := range []string{"+%s+", "%s", "1+%s", "@%s"} {
						if checkReach(t, s, snap.ID, g, fmt.Sprintf(form, n.Name), qualifiers, lineage.SelectOptions{}) {
							answered++
						}
					}
				}
			}
			// Two names at once, the first and last models.
			var models []string
			for _, n := range whole.Nodes {
				if n.ResourceType == backend.TypeModel && !slices.Contains(qualifiers, n.Name) {
					models = append(models, n.Name)
				}
			}
			if len(models) > 1 {
				checkReach(t, s, snap.ID, g, "+"+models[0]+" "+models[len(models)-1]+"+", qualifiers, lineage.SelectOptions{})
			}
			t.Logf("%d selections answered from the part, %d declined", answered, declined)
			if answered == 0 || declined > answered {
				t.Errorf("Reach answered %d and declined %d selections: it should answer most", answered, declined)
			}
		})
	}
}

// TestReachSelectsMethodsAsTheWholeGraph does the same for the methods
// Reach evaluates itself: those that only match one resource type
// (exposure:, source:, metric:, semantic_model:, saved_query:,
// resource_type:), whose nodes it finds in their unique_id range, and
// those that read one node field (tag:, path:, file:, package:, group:,
// access:, config.materialized: ...), evaluated on the field's distinct
// values: every value a node of the fixtures offers (every tag, every
// folder of every path, a sample of files), wildcards, in every operator
// form, alone, intersected with plain criteria and with excludes.
func TestReachSelectsMethodsAsTheWholeGraph(t *testing.T) {
	answered := map[string]int{}
	for _, dataset := range []string{"jaffle-dap-v12-1.11", "bouncer-build-v12-dbt1.11-duckdb",
		"hubspot-v12-dbt1.11-postgres", "tuva-v7-dbt1.3"} {
		t.Run(dataset, func(t *testing.T) {
			s, snap, whole, g := reachFixture(t, dataset)
			selectors := map[string]bool{}
			for i, n := range whole.Nodes {
				switch n.ResourceType {
				case backend.TypeTest: // their other fields are the yml's and the models'
					selectors["test_type:"+n.TestType] = true
					selectors["test_type:data"] = true
					selectors["resource_type:test"] = true
					continue
				case backend.TypeUnitTest:
					selectors["unit_test:"+n.Name] = true
					selectors["test_type:unit"] = true
					selectors["resource_type:unit_test"] = true
					continue
				case backend.TypeSource:
					selectors["source:"+n.SourceName] = true
					selectors["source:"+n.SourceName+"."+n.Name] = true
					selectors["source:*"] = true
				case backend.TypeExposure, backend.TypeMetric, backend.TypeSemanticModel, backend.TypeSavedQuery:
					selectors[n.ResourceType+":"+n.Name] = true
					selectors[n.ResourceType+":"+n.Package+"."+n.Name] = true
					selectors[n.ResourceType+":*"] = true
				}
				selectors["resource_type:"+n.ResourceType] = true
				for _, tag := range n.Tags {
					selectors["tag:"+tag] = true
					selectors["config.tags:"+tag] = true
				}
				selectors["tag:*"] = true
				if n.Path != "" {
					if i%4 == 0 { // a sample of files; every folder below
						selectors["path:"+n.Path] = true
						selectors["file:"+path.Base(n.Path)] = true
					}
					for dir := path.Dir(n.Path); dir != "."; dir = path.Dir(dir) {
						selectors["path:"+dir] = true
						selectors["path:"+dir+"/*"] = true
					}
				}
				if n.PatchPath != "" { // every YAML file documenting nodes
					selectors["path:"+n.PatchPath] = true
					selectors["path:"+path.Dir(n.PatchPath)+"/*.yml"] = true
				}
				selectors["package:"+n.Package] = true
				selectors["package:*"] = true
				if n.Group != "" {
					selectors["group:"+n.Group] = true
					selectors["config.group:"+n.Group] = true
				}
				if n.Access != "" {
					selectors["access:"+n.Access] = true
					selectors["config.access:"+n.Access] = true
				}
				if n.Materialized != "" {
					selectors["config.materialized:"+n.Materialized] = true
				}
			}
			for sel := range selectors {
				if slices.Contains([]rune(sel), ' ') {
					continue // needs quotes, which PlanReach leaves to the whole graph
				}
				for _, form := range []string{"+%s+", "%s", "1+%s", "%s+2", "%s+", "@%s"} {
					expr := fmt.Sprintf(form, sel)
					if q, ok := lineage.PlanReach(expr, lineage.SelectOptions{}); !ok || q.Terms[0].Method == "" {
						t.Fatalf("PlanReach(%q) = %+v, %v: want a method term", expr, q, ok)
					}
					if checkReach(t, s, snap.ID, g, expr, nil, lineage.SelectOptions{}) {
						answered[strings.SplitN(sel, ":", 2)[0]]++
					}
					if form == "+%s+" && checkReach(t, s, snap.ID, g, expr, nil, lineage.SelectOptions{IncludeTests: true}) {
						answered["with tests"]++
					}
				}
				// Intersections with one expanded atom and plain criteria, and
				// excludes (not for file:, the same field as path:, to keep
				// the test short).
				if strings.HasPrefix(sel, "file:") {
					continue
				}
				for _, form := range []string{"%s,resource_type:model", "+%s,config.materialized:view",
					"resource_type:model,%s+1", "%s,tag:*,package:*", "+%s+ --exclude resource_type:model",
					"%s+ --exclude %s", "+%s --exclude 1+%s", "resource_type:model+ --exclude +%s+",
					"%s+ test_type:data"} { // the union asks for tests: those below %s show
					expr := fmt.Sprintf(form, sel)
					if strings.Count(form, "%s") == 2 {
						expr = fmt.Sprintf(form, sel, sel)
					}
					if checkReach(t, s, snap.ID, g, expr, nil, lineage.SelectOptions{}) {
						answered["intersection or exclude"]++
					}
					// Tests shown: an exclude or an intersected criterion
					// decides on a test by all its parents; dbt keeps a test
					// of a kept and an excluded node.
					switch form {
					case "+%s+ --exclude resource_type:model", "%s+ --exclude %s", "+%s,config.materialized:view":
						if checkReach(t, s, snap.ID, g, expr, nil, lineage.SelectOptions{IncludeTests: true}) {
							answered["exclude or intersection with tests"]++
						}
					}
				}
			}
		})
	}
	t.Logf("answered from the part: %v", answered)
	for _, method := range []string{"source", "exposure", "metric", "semantic_model", "saved_query", "resource_type",
		"test_type", "unit_test",
		"tag", "config.tags", "path", "file", "package", "access", "config.materialized", "intersection or exclude", "with tests",
		"exclude or intersection with tests"} { // no fixture has groups
		if answered[method] == 0 {
			t.Errorf("no %s: selection checked: %v", method, answered)
		}
	}
	// Typed terms and a name at once.
	s, snap, whole, g := reachFixture(t, "bouncer-build-v12-dbt1.11-duckdb")
	var source, model string
	for _, n := range whole.Nodes {
		if n.ResourceType == backend.TypeSource && source == "" {
			source = n.SourceName
		}
		if n.ResourceType == backend.TypeModel {
			model = n.Name
		}
	}
	checkReach(t, s, snap.ID, g, "+exposure:* source:"+source+"+1 +"+model, nil, lineage.SelectOptions{})
}

// reachFixture stores a fixture and returns the store, the snapshot, its
// whole graph and the lineage engine on it.
func reachFixture(t *testing.T, dataset string) (*storage.Store, backend.Snapshot, *backend.GraphData, *lineage.Graph) {
	t.Helper()
	s, _, snap, _ := saveFixture(t, dataset)
	whole, err := s.Graph(t.Context(), snap.ID)
	if err != nil {
		t.Fatal(err)
	}
	return s, snap, whole, lineage.New(whole)
}

// checkReach compares expr selected on Reach's part with g, and reports
// whether Reach answered.
func checkReach(t *testing.T, s *storage.Store, snapshotID int64, g *lineage.Graph, expr string, qualifiers []string, opts lineage.SelectOptions) bool {
	t.Helper()
	q, ok := lineage.PlanReach(expr, opts)
	if !ok {
		t.Fatalf("PlanReach(%q) declined a plain name selection", expr)
	}
	reached := -1
	q.Reached = func(n int) { reached = n }
	part, err := s.Reach(t.Context(), snapshotID, q)
	if err == nil && reached != len(part.Nodes) {
		t.Errorf("Reach(%q) told of %d nodes before reading them, then read %d", expr, reached, len(part.Nodes))
	}
	if errors.Is(err, backend.ErrReachUnknown) {
		for _, term := range q.Terms {
			if term.Bare && slices.Contains(qualifiers, term.Value) {
				return false
			}
		}
		// A criterion that matches nothing: the whole graph says so (an
		// error, or a warning for an exclude), with near names.
		if sel, wholeErr := g.Select(expr, opts); wholeErr != nil || len(sel.Warnings) > 0 {
			return false
		}
		t.Fatalf("Reach(%q) declined though no name is a qualifier: %v", expr, err)
	}
	if err != nil {
		t.Fatalf("Reach(%q): %v", expr, err)
	}
	want, wantErr := g.Select(expr, opts)
	pg := lineage.New(part)
	got, gotErr := pg.Select(expr, opts)
	if wantErr != nil || gotErr != nil {
		if (wantErr == nil) != (gotErr == nil) {
			t.Fatalf("%q: whole graph error %v, part error %v", expr, wantErr, gotErr)
		}
		return true
	}
	if !reflect.DeepEqual(got, want) {
		t.Fatalf("%q on the part:\n%+v\nwant\n%+v", expr, got, want)
	}
	for _, id := range want.Nodes {
		w, _ := g.Node(id)
		p, _ := pg.Node(id)
		if !reflect.DeepEqual(p, w) {
			t.Fatalf("%q: node %s from the part\n%+v\nwant\n%+v", expr, id, p, w)
		}
	}
	return true
}

// TestReachDeclines checks the cases Reach must leave to the whole graph,
// and that a snapshot without the reach tables gets them back the first
// time its whole graph is loaded.
func TestReachDeclines(t *testing.T) {
	s, path, snap, _ := saveFixture(t, "hubspot-v12-dbt1.11-postgres")
	whole, err := s.Graph(t.Context(), snap.ID)
	if err != nil {
		t.Fatal(err)
	}
	pkg := whole.Nodes[0].Package
	for _, term := range []backend.ReachTerm{
		{Value: pkg, Bare: true, Children: -1},                  // a package name selects the package
		{Value: "models/staging", Children: -1},                 // a path
		{Value: "model." + pkg + ".no_such_model", Parents: -1}, // dotted, but no node's id
	} {
		_, err := s.Reach(t.Context(), snap.ID, backend.ReachQuery{Terms: []backend.ReachTerm{term}})
		if !errors.Is(err, backend.ErrReachUnknown) {
			t.Errorf("Reach(%+v) = %v, want ErrReachUnknown", term, err)
		}
	}
	if _, err := s.Reach(t.Context(), snap.ID+1, backend.ReachQuery{}); backend.ErrorCode(err) != backend.ENOTFOUND {
		t.Errorf("Reach of a missing snapshot: %v, want ENOTFOUND", err)
	}

	// A store written before the reach tables existed.
	db := rawDB(t, path)
	for _, table := range []string{"snapshot_topology", "lineage_id_chunks", "lineage_nodes"} {
		if _, err := db.Exec(`DELETE FROM ` + table); err != nil {
			t.Fatal(err)
		}
	}
	var model string
	for _, n := range whole.Nodes {
		if n.ResourceType == backend.TypeModel {
			model = n.Name
			break
		}
	}
	q, _ := lineage.PlanReach("+"+model+"+", lineage.SelectOptions{})
	if _, err := s.Reach(t.Context(), snap.ID, q); !errors.Is(err, backend.ErrReachUnknown) {
		t.Fatalf("Reach without its tables: %v, want ErrReachUnknown", err)
	}
	if _, err := s.Graph(t.Context(), snap.ID); err != nil {
		t.Fatal(err)
	}
	part, err := s.Reach(t.Context(), snap.ID, q)
	if err != nil || len(part.Nodes) == 0 {
		t.Fatalf("Reach after the whole graph was loaded: %v, %d nodes", err, len(part.Nodes))
	}

	// A store written before lineage_attributes (reach format 1): the
	// attribute methods wait for the whole graph, which writes them.
	if _, err := db.Exec(`DELETE FROM lineage_attributes`); err != nil {
		t.Fatal(err)
	}
	if _, err := db.Exec(`UPDATE snapshot_topology SET format = 1`); err != nil {
		t.Fatal(err)
	}
	byPackage, _ := lineage.PlanReach("package:"+pkg+"+", lineage.SelectOptions{})
	if _, err := s.Reach(t.Context(), snap.ID, byPackage); !errors.Is(err, backend.ErrReachUnknown) {
		t.Fatalf("Reach by package before lineage_attributes: %v, want ErrReachUnknown", err)
	}
	if _, err := s.Graph(t.Context(), snap.ID); err != nil {
		t.Fatal(err)
	}
	if part, err := s.Reach(t.Context(), snap.ID, byPackage); err != nil || len(part.Nodes) == 0 {
		t.Fatalf("Reach by package after the whole graph was loaded: %v", err)
	}
	integrityCheck(t, db)
}

// BenchmarkReachLarge measures the CLI's lineage of a hub on a big store
// (LINEAGEDESK_SEARCH_DB, as for BenchmarkSearchLarge): +int_customers__unified+
// read from the reach tables.
func BenchmarkReachLarge(b *testing.B) {
	s, latest := openLargeStore(b) // search_test.go
	q := backend.ReachQuery{Terms: []backend.ReachTerm{{Value: "int_customers__unified", Bare: true, Parents: -1, Children: -1}}}
	var nodes int
	for b.Loop() {
		g, err := s.Reach(b.Context(), latest.ID, q)
		if err != nil {
			b.Fatal(err)
		}
		nodes = len(g.Nodes)
	}
	b.ReportMetric(float64(nodes), "nodes")
}

// TestReachSelectsConfigAsTheWholeGraph: config.<key>: on keys the graph
// does not hold is answered from the config index, and selects on the
// part what it selects on the whole graph: every string, boolean and list
// item that an enabled node's config (or its meta) holds, a test severity
// in another case, in several operator forms, intersected and excluded.
func TestReachSelectsConfigAsTheWholeGraph(t *testing.T) {
	answered := 0
	for _, dataset := range []string{"bouncer-build-v12-dbt1.11-duckdb", "tuva-v7-dbt1.3", "hubspot-v12-dbt1.11-postgres"} {
		t.Run(dataset, func(t *testing.T) {
			s, _, snap, b := saveFixture(t, dataset)
			whole, err := s.Graph(t.Context(), snap.ID)
			if err != nil {
				t.Fatal(err)
			}
			g := lineage.New(whole)
			opts := lineage.SelectOptions{ConfigValues: func(path, ids []string) ([]any, error) {
				return s.ConfigValues(t.Context(), snap.ID, path, ids)
			}}
			selectors := map[string]bool{"config.severity:wArN": true, "config.enabled:TRUE": true}
			add := func(key string, v any) {
				switch v := v.(type) {
				case string:
					selectors["config."+key+":"+v] = true
				case bool:
					selectors[fmt.Sprintf("config.%s:%v", key, v)] = true
				case []any:
					for _, item := range v {
						if s, ok := item.(string); ok {
							selectors["config."+key+":"+s] = true
						}
					}
				}
			}
			for _, r := range b.Resources {
				var cfg map[string]any
				if !r.Enabled || json.Unmarshal(r.Config, &cfg) != nil {
					continue
				}
				for k, v := range cfg {
					switch k {
					case "materialized", "tags", "group", "access": // node fields, TestReachSelectsMethodsAsTheWholeGraph
						continue
					}
					add(k, v)
				}
				meta, _ := cfg["meta"].(map[string]any)
				for k, v := range meta {
					add("meta."+k, v)
				}
			}
			// tuva's many values, sampled, keep the test short.
			sorted := slices.Sorted(maps.Keys(selectors))
			stride := max(1, len(sorted)/80)
			for i, sel := range sorted {
				if strings.ContainsAny(sel, " '\",+@") || strings.Count(sel, ":") > 1 || strings.HasSuffix(sel, ":") {
					continue // needs quotes (left to the whole graph), or the grammar cannot say it
				}
				if i%stride != 0 && !strings.HasPrefix(sel, "config.severity:") {
					continue
				}
				for _, form := range []string{"+%s+", "%s", "%s+1", "%s,resource_type:model", "+%s --exclude resource_type:seed",
					"resource_type:model+ --exclude %s"} {
					expr := fmt.Sprintf(form, sel)
					if q, ok := lineage.PlanReach(expr, opts); !ok || q.Terms[len(q.Terms)-1].Attribute == "" && q.Terms[0].Attribute == "" {
						t.Fatalf("PlanReach(%q) = %+v, %v: want a config term", expr, q, ok)
					}
					if checkReach(t, s, snap.ID, g, expr, nil, opts) {
						answered++
					}
				}
			}
		})
	}
	t.Logf("%d config selections answered from the part", answered)
	if answered < 100 {
		t.Errorf("only %d config selections answered from the part", answered)
	}
}
