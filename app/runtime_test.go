package app_test

import (
	"encoding/json"
	"math"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/lineagedesk/lineagedesk/app"
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
	for _, kind := range []string{"nodes", "exposures"} {
		for id, n := range manifestJSON(t, dataset)[kind].(map[string]any) {
			deps, _ := n.(map[string]any)["depends_on"].(map[string]any)["nodes"].([]any)
			for _, p := range deps {
				parents[id] = append(parents[id], p.(string))
			}
		}
	}

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

		// The slowest of all paths among the selected nodes.
		slowest := 0.0
		var walkUp func(id string, sum float64)
		walkUp = func(id string, sum float64) {
			sum += ran[id]
			slowest = max(slowest, sum)
			for _, p := range parents[id] {
				if selected[p] {
					walkUp(p, sum)
				}
			}
		}
		for id := range selected {
			walkUp(id, 0)
		}
		p := res.CriticalPath
		if p == nil || p.Command != "build" || math.Abs(p.Seconds-slowest) > 1e-9 || len(p.Nodes) < 2 {
			t.Fatalf("%s: critical path %+v, the slowest path takes %v s", sel, p, slowest)
		}
		sum := 0.0
		for i, id := range p.Nodes {
			sum += ran[id]
			if i > 0 && !slices.Contains(parents[id], p.Nodes[i-1]) {
				t.Errorf("%s: %s does not depend on %s", sel, id, p.Nodes[i-1])
			}
		}
		if math.Abs(sum-p.Seconds) > 1e-9 {
			t.Errorf("%s: the path's nodes took %v s, it says %v", sel, sum, p.Seconds)
		}

		// The picture: one highlighted edge per step, the path in the legend.
		highlighted := regexp.MustCompile(`<path fill="none" stroke="#d84315"`).FindAllString(strings.ToLower(res.Content), -1)
		if len(highlighted) != len(p.Nodes)-1 {
			t.Errorf("%s: %d edges drawn in the path's colour, the path has %d steps", sel, len(highlighted), len(p.Nodes)-1)
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
