package app_test

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/lineagedesk/lineagedesk/app"
)

// TestTrendLens: with the trend lens, each resource carries the worst
// trend of its tests over the project's runs, and each test its own,
// checked against each resource's History (which reads its tests from its
// page, not from the graph). Four builds: every seventh status flipped in
// the second, back in the third, flipped again in the fourth: as of the
// second those tests are newly failing, as of the third fixed, as of the
// fourth flaky.
func TestTrendLens(t *testing.T) {
	dir, second, _ := flippedRuns(t)
	third := filepath.Join(t.TempDir(), "third")
	for _, name := range []string{"manifest.json", "catalog.json", "run_results.json"} {
		copyInto(t, filepath.Join(dir, name), third)
	}
	asNewRun(t, third, "0b0b0b0b-0000-4000-8000-000000000003", "2032-01-01T00:00:00.000000Z")
	fourth := filepath.Join(t.TempDir(), "fourth")
	for _, name := range []string{"manifest.json", "catalog.json", "run_results.json"} {
		copyInto(t, filepath.Join(second, name), fourth)
	}
	asNewRun(t, fourth, "0b0b0b0b-0000-4000-8000-000000000004", "2033-01-01T00:00:00.000000Z")
	// A docs generate between the second and third: its "success" of
	// every test is no outcome, so as of it the flipped tests are still
	// newly failing.
	docs := filepath.Join(t.TempDir(), "docs")
	for _, name := range []string{"manifest.json", "catalog.json"} {
		copyInto(t, filepath.Join(dir, name), docs)
	}
	var results map[string]any
	readJSONFile(t, filepath.Join(dir, "run_results.json"), &results)
	results["args"].(map[string]any)["which"] = "generate"
	for _, r := range results["results"].([]any) {
		r.(map[string]any)["status"] = "success"
	}
	raw, err := json.Marshal(results)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(docs, "run_results.json"), raw, 0o644); err != nil {
		t.Fatal(err)
	}
	asNewRun(t, docs, "0b0b0b0b-0000-4000-8000-000000000005", "2031-06-01T00:00:00.000000Z")
	a, _, _ := openApp(t)
	var ids []int64
	for _, d := range []string{dir, second, third, fourth, docs} {
		res, err := a.ImportPaths([]string{d}, "")
		if err != nil {
			t.Fatal(err)
		}
		ids = append(ids, res.SnapshotID)
	}
	for _, c := range []struct {
		snapshot int64
		want     []string // trends the picture must hold
	}{{ids[3], []string{"flaky"}}, {ids[2], []string{"fixed"}}, {ids[1], []string{"newly failing"}}, {ids[4], []string{"newly failing"}}} {
		res, err := a.Lineage(app.LineageRequest{SnapshotID: c.snapshot, Select: "resource_type:model resource_type:test", IncludeTests: true, Lens: "trend", Format: "json"})
		if err != nil {
			t.Fatal(err)
		}
		var doc struct {
			Nodes []struct {
				UniqueID     string `json:"unique_id"`
				ResourceType string `json:"resource_type"`
				TestTrend    string `json:"test_trend"`
			} `json:"nodes"`
		}
		if err := json.Unmarshal([]byte(res.Content), &doc); err != nil {
			t.Fatal(err)
		}
		seen := map[string]int{}
		for _, n := range doc.Nodes {
			seen[n.TestTrend]++
			h, err := a.History(c.snapshot, n.UniqueID)
			if err != nil {
				t.Fatal(err)
			}
			want := ""
			for k, row := range h.Rows {
				if k == 0 && !row.Test {
					continue // a model's own runs are not its tests
				}
				want = worse(want, row.Trend)
			}
			if n.TestTrend != want {
				t.Errorf("snapshot #%d, %s: test_trend %q, its history says %q", c.snapshot, n.UniqueID, n.TestTrend, want)
			}
		}
		for _, w := range c.want {
			if seen[w] == 0 {
				t.Errorf("snapshot #%d: no node is %s (%v): the check checks little", c.snapshot, w, seen)
			}
		}
		svg, err := a.Lineage(app.LineageRequest{SnapshotID: c.snapshot, Select: "resource_type:model", Lens: "trend", GroupBy: "folder"})
		if err != nil {
			t.Fatal(err)
		}
		if !strings.Contains(svg.Content, "tests over recent runs (border):") || !strings.Contains(svg.Content, "tests: "+c.want[0]) {
			t.Errorf("snapshot #%d: the grouped picture lacks the trend legend or a box's trend %q", c.snapshot, c.want[0])
		}
	}
}

// worse is the worse of two History trends, as the lens ranks them.
func worse(a, b string) string {
	rank := map[string]int{"": 0, "fixed": 1, "flaky": 2, "newly failing": 3}
	if rank[b] > rank[a] {
		return b
	}
	return a
}
