package app_test

import (
	"encoding/json"
	"math"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/lineagedesk/lineagedesk/app"
	"github.com/lineagedesk/lineagedesk/backend"
	"github.com/lineagedesk/lineagedesk/backend/artifact/artifacttest"
)

// TestLineageRunTimes draws bouncer's dbt build with run times and checks
// each node's time against run_results.json and the critical path against
// every path through the selection, enumerated here from the raw manifest.
func TestLineageRunTimes(t *testing.T) {
	const dataset = "bouncer-build-v12-dbt1.11-duckdb"
	a, _, _ := openApp(t)
	if _, err := a.ImportPaths([]string{filepath.Join(fixtures, dataset)}, ""); err != nil {
		t.Fatal(err)
	}
	var rr struct {
		Args    struct{ Which string } `json:"args"`
		Results []struct {
			UniqueID      string  `json:"unique_id"`
			ExecutionTime float64 `json:"execution_time"`
		} `json:"results"`
	}
	if err := json.Unmarshal(artifacttest.Gunzip(t, filepath.Join(fixtures, dataset, "run_results.json.gz")), &rr); err != nil {
		t.Fatal(err)
	}
	if rr.Args.Which != "build" {
		t.Fatalf("the fixture is a dbt %s, not a build", rr.Args.Which)
	}
	ran := map[string]float64{}
	for _, r := range rr.Results {
		ran[r.UniqueID] = r.ExecutionTime
	}
	parents := map[string][]string{}
	kinds := map[string]string{}
	unitTestOf := map[string]string{} // unit test -> the model it tests
	manifest := manifestJSON(t, dataset)
	for _, kind := range []string{"nodes", "sources", "exposures", "unit_tests"} {
		for id, n := range manifest[kind].(map[string]any) {
			node := n.(map[string]any)
			kinds[id], _ = node["resource_type"].(string)
			dependsOn, _ := node["depends_on"].(map[string]any) // sources have none
			deps, _ := dependsOn["nodes"].([]any)
			for _, p := range deps {
				parents[id] = append(parents[id], p.(string))
			}
			if kind == "unit_tests" {
				for _, p := range deps {
					if strings.HasSuffix(p.(string), "."+node["model"].(string)) {
						unitTestOf[id] = p.(string)
					}
				}
			}
		}
	}
	isTest := func(id string) bool { return kinds[id] == "test" || kinds[id] == "unit_test" }

	for _, sel := range []string{"+exposure:*", "*", "stg_payments+"} {
		res, err := a.Lineage(app.LineageRequest{Select: sel, Format: "svg", Runtime: true})
		if err != nil {
			t.Fatalf("%s: %v", sel, err)
		}
		selected := map[string]bool{}
		for _, n := range res.Nodes {
			selected[n.UniqueID] = true
			want, ok := ran[n.UniqueID]
			switch {
			case ok != (n.ExecutionTime != nil):
				t.Errorf("%s: %s in the run: %v, has a time: %v", sel, n.UniqueID, ok, n.ExecutionTime != nil)
			case ok && *n.ExecutionTime != want:
				t.Errorf("%s: %s took %v s, run_results.json says %v", sel, n.UniqueID, *n.ExecutionTime, want)
			}
		}

		// What ran before what in the build, as dbt orders it: a model's
		// unit tests (one after another) before it; a data test after the
		// nodes it tests and before every node all of them are upstream of
		// (dbt's add_test_edges), when that node is one dbt builds (a model,
		// seed or snapshot: not an exposure); tests count when each of their
		// parents is selected or a source (whose tests hold back what reads it).
		testable := func(p string) bool { return selected[p] || kinds[p] == "source" }
		builds := func(id string) bool { return kinds[id] == "model" || kinds[id] == "seed" || kinds[id] == "snapshot" }
		ancestors := map[string]map[string]bool{}
		var upOf func(id string) map[string]bool
		upOf = func(id string) map[string]bool {
			if up, ok := ancestors[id]; ok {
				return up
			}
			up := map[string]bool{}
			for _, p := range parents[id] {
				if testable(p) {
					up[p] = true
					for q := range upOf(p) {
						up[q] = true
					}
				}
			}
			ancestors[id] = up
			return up
		}
		before := map[string][]string{}
		dataTests := map[string][]string{} // test -> the nodes it tests
		unitsOf := map[string][]string{}   // model -> its unit tests, by id
		for id, tested := range parents {
			if !isTest(id) || slices.ContainsFunc(tested, func(p string) bool { return !testable(p) }) {
				continue
			}
			if model, ok := unitTestOf[id]; ok {
				unitsOf[model] = append(unitsOf[model], id)
			} else {
				dataTests[id] = tested
				before[id] = tested
			}
		}
		for id := range selected {
			var ps []string
			for _, p := range parents[id] {
				if selected[p] {
					ps = append(ps, p)
				}
			}
			for test, tested := range dataTests {
				if builds(id) && !slices.ContainsFunc(tested, func(p string) bool { return !upOf(id)[p] }) {
					ps = append(ps, test)
				}
			}
			// The unit tests run in the model's turn, once all that came first.
			if us := unitsOf[id]; len(us) > 0 {
				slices.Sort(us)
				before[us[0]] = ps
				for i := 1; i < len(us); i++ {
					before[us[i]] = []string{us[i-1]}
				}
				ps = []string{us[len(us)-1]}
			}
			before[id] = ps
		}
		// The slowest chain: each node's longest finish, memoised.
		finish := map[string]float64{}
		var finishOf func(id string) float64
		finishOf = func(id string) float64 {
			if f, ok := finish[id]; ok {
				return f
			}
			longest := 0.0
			for _, p := range before[id] {
				longest = max(longest, finishOf(p))
			}
			finish[id] = longest + ran[id]
			return finish[id]
		}
		slowest := 0.0
		for id := range before {
			slowest = max(slowest, finishOf(id))
		}
		p := res.CriticalPath
		if p == nil || p.Command != "build" || math.Abs(p.Seconds-slowest) > 1e-9 || len(p.Nodes) < 2 {
			t.Fatalf("%s: critical path %+v, the slowest path takes %v s", sel, p, slowest)
		}
		sum := 0.0
		for i, id := range p.Nodes {
			sum += ran[id]
			if p.Times[i] != ran[id] {
				t.Errorf("%s: %s on the path took %v s, run_results.json says %v", sel, id, p.Times[i], ran[id])
			}
			if i > 0 && !slices.Contains(before[id], p.Nodes[i-1]) {
				t.Errorf("%s: the build did not run %s after %s", sel, id, p.Nodes[i-1])
			}
		}
		if math.Abs(sum-p.Seconds) > 1e-9 {
			t.Errorf("%s: the path's nodes took %v s, it says %v", sel, sum, p.Seconds)
		}
		if sel == "+exposure:*" && !slices.Contains(p.Nodes, "unit_test.dbt_bouncer_test_project.orders.test_amount_logic") {
			t.Errorf("%s: the build's slowest chain goes through orders' unit test, which ran before it: %v", sel, p.Nodes)
		}

		// The picture: one highlighted edge per step, the path in the legend.
		// Tests are hidden: a step joins the drawn nodes either side of them.
		steps, last := 0, ""
		for _, id := range p.Nodes {
			if !selected[id] {
				continue
			}
			if last != "" && slices.Contains(res.Edges, backend.Edge{Parent: last, Child: id}) {
				steps++
			}
			last = id
		}
		highlighted := regexp.MustCompile(`<path fill="none" stroke="#d84315"`).FindAllString(strings.ToLower(res.Content), -1)
		if len(highlighted) != steps || steps == 0 {
			t.Errorf("%s: %d edges drawn in the path's colour, the path has %d steps between drawn nodes", sel, len(highlighted), steps)
		}
		if !strings.Contains(res.Content, "critical path: ") {
			t.Errorf("%s: the legend does not name the critical path", sel)
		}
	}

	// The JSON export carries the same times and path.
	res, err := a.Lineage(app.LineageRequest{Select: "+exposure:*", Format: "json", Runtime: true})
	if err != nil {
		t.Fatal(err)
	}
	var doc struct {
		CriticalPath app.CriticalPath `json:"critical_path"`
		Nodes        []struct {
			UniqueID      string   `json:"unique_id"`
			ExecutionTime *float64 `json:"execution_time"`
		} `json:"nodes"`
	}
	if err := json.Unmarshal([]byte(res.Content), &doc); err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(doc.CriticalPath.Nodes, res.CriticalPath.Nodes) || doc.CriticalPath.Seconds != res.CriticalPath.Seconds {
		t.Errorf("JSON critical path %+v, the answer's %+v", doc.CriticalPath, *res.CriticalPath)
	}
	for _, n := range doc.Nodes {
		if want, ok := ran[n.UniqueID]; ok != (n.ExecutionTime != nil) || ok && *n.ExecutionTime != want {
			t.Errorf("JSON: %s execution_time %v, run_results.json %v (%v)", n.UniqueID, n.ExecutionTime, want, ok)
		}
	}

	// Without run times, nothing of it.
	plain, err := a.Lineage(app.LineageRequest{Select: "+exposure:*", Format: "json"})
	if err != nil {
		t.Fatal(err)
	}
	if plain.CriticalPath != nil || strings.Contains(plain.Content, "execution_time") {
		t.Errorf("run times drawn without being asked for")
	}
}

// TestLineageRunTimesOfDocsGenerate: a docs generate run times compiling,
// not running, so it gets a warning naming where run times come from.
func TestLineageRunTimesOfDocsGenerate(t *testing.T) {
	a, _, _ := openApp(t)
	if _, err := a.ImportPaths([]string{filepath.Join(fixtures, "bouncer-v12-dbt1.11-duckdb")}, ""); err != nil {
		t.Fatal(err)
	}
	res, err := a.Lineage(app.LineageRequest{Select: "+exposure:*", Format: "svg", Runtime: true})
	if err != nil {
		t.Fatal(err)
	}
	if res.CriticalPath != nil || strings.Contains(res.Content, "critical path") {
		t.Errorf("a docs generate run drew a critical path: %+v", res.CriticalPath)
	}
	for _, n := range res.Nodes {
		if n.ExecutionTime != nil {
			t.Errorf("%s has a run time from docs generate", n.UniqueID)
		}
	}
	if len(res.Warnings) != 1 || !strings.Contains(res.Warnings[0], "is from dbt docs generate, which compiles the models without running them; import the target/ folder of a dbt build") {
		t.Errorf("warnings %q", res.Warnings)
	}
}

// TestLineageRunTimesOfDbtTest: a dbt test run timed its tests only; with
// tests hidden the picture has nothing timed, and says to show them.
func TestLineageRunTimesOfDbtTest(t *testing.T) {
	const dataset = "bouncer-build-v12-dbt1.11-duckdb"
	a, dir, _ := openApp(t)
	var rr map[string]any
	if err := json.Unmarshal(artifacttest.Gunzip(t, filepath.Join(fixtures, dataset, "run_results.json.gz")), &rr); err != nil {
		t.Fatal(err)
	}
	rr["args"].(map[string]any)["which"] = "test"
	var tests []any
	for _, r := range rr["results"].([]any) {
		if id := r.(map[string]any)["unique_id"].(string); strings.HasPrefix(id, "test.") || strings.HasPrefix(id, "unit_test.") {
			tests = append(tests, r)
		}
	}
	rr["results"] = tests
	target := filepath.Join(dir, "tested")
	if err := os.MkdirAll(target, 0o755); err != nil {
		t.Fatal(err)
	}
	raw, _ := json.Marshal(rr)
	if err := os.WriteFile(filepath.Join(target, "run_results.json"), raw, 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(target, "manifest.json"), artifacttest.Gunzip(t, filepath.Join(fixtures, dataset, "manifest.json.gz")), 0o644); err != nil {
		t.Fatal(err)
	}
	if _, err := a.ImportPaths([]string{target}, ""); err != nil {
		t.Fatal(err)
	}
	hint := func(res app.LineageResult) bool {
		return slices.ContainsFunc(res.Warnings, func(w string) bool { return strings.Contains(w, "is a dbt test, which timed its tests only") })
	}
	hidden, err := a.Lineage(app.LineageRequest{Select: "+exposure:*", Format: "json", Runtime: true})
	if err != nil {
		t.Fatal(err)
	}
	if !hint(hidden) || len(hidden.CriticalPath.Nodes) != 0 {
		t.Errorf("tests hidden: path %v, warnings %q", hidden.CriticalPath.Nodes, hidden.Warnings)
	}
	shown, err := a.Lineage(app.LineageRequest{Select: "+exposure:*", Format: "json", Runtime: true, IncludeTests: true})
	if err != nil {
		t.Fatal(err)
	}
	if hint(shown) || len(shown.CriticalPath.Nodes) == 0 {
		t.Errorf("tests shown: path %v, warnings %q", shown.CriticalPath.Nodes, shown.Warnings)
	}
}
