package app_test

import (
	"cmp"
	"math"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/lineagedesk/lineagedesk/backend/synth"
)

// TestRunTimes: three builds of a generated project, the last with every
// 13th model three times slower and 2 s more, then a docs generate. As of
// the docs generate, the report reads the three builds (not the docs
// generate, nor the copy of a build imported twice): the slowest of the
// last build and the models that got slower, each as computed here from
// the run_results.json files.
func TestRunTimes(t *testing.T) {
	base := filepath.Join(t.TempDir(), "base")
	if _, err := synth.Write(base, synth.Spec{Models: 200, Seed: 9}); err != nil {
		t.Fatal(err)
	}
	times := make([]map[string]float64, 3) // the builds' times of models, seeds and snapshots
	run := func(name, invocation, at, which string, scale func(i int, id string, s float64) float64) string {
		dir := filepath.Join(t.TempDir(), name)
		for _, f := range []string{"manifest.json", "catalog.json"} {
			copyInto(t, filepath.Join(base, f), dir)
		}
		var results map[string]any
		readJSONFile(t, filepath.Join(base, "run_results.json"), &results)
		results["args"].(map[string]any)["which"] = which
		for i, r := range results["results"].([]any) {
			r := r.(map[string]any)
			r["execution_time"] = scale(i, r["unique_id"].(string), r["execution_time"].(float64))
		}
		writeJSONFile(t, filepath.Join(dir, "run_results.json"), results)
		asNewRun(t, dir, invocation, at)
		return dir
	}
	record := func(k int) func(int, string, float64) float64 {
		return func(i int, id string, s float64) float64 {
			if k == 1 {
				s *= 1.1 // a little slower everywhere: not "slower"
			}
			if k == 2 && strings.HasPrefix(id, "model.") && i%13 == 0 {
				s = s*3 + 2
			}
			if times[k] == nil {
				times[k] = map[string]float64{}
			}
			if kind := strings.SplitN(id, ".", 2)[0]; kind == "model" || kind == "seed" || kind == "snapshot" {
				times[k][id] = s
			}
			return s
		}
	}
	dirs := []string{
		run("b0", "0d0d0d0d-0000-4000-8000-000000000001", "2031-03-01T00:00:00.000000Z", "build", record(0)),
		run("b1", "0d0d0d0d-0000-4000-8000-000000000002", "2031-03-02T00:00:00.000000Z", "build", record(1)),
		run("b2", "0d0d0d0d-0000-4000-8000-000000000003", "2031-03-03T00:00:00.000000Z", "build", record(2)),
		run("docs", "0d0d0d0d-0000-4000-8000-000000000004", "2031-03-04T00:00:00.000000Z", "generate", func(_ int, _ string, s float64) float64 { return s }),
	}
	a, _, _ := openApp(t)
	for _, d := range append(dirs, dirs[1]) { // the second build imported twice counts once
		if _, err := a.ImportPaths([]string{d}, ""); err != nil {
			t.Fatal(err)
		}
	}
	rep, err := a.RunTimes(0)
	if err != nil {
		t.Fatal(err)
	}
	if len(rep.Runs) != 3 || rep.Runs[2].RunCommand != "build" || rep.Timed != len(times[2]) {
		t.Fatalf("runs %+v, %d timed; want the 3 builds, %d timed", rep.Runs, rep.Timed, len(times[2]))
	}
	// A history says which of its runs built (the docs generate did not).
	hist, err := a.History(0, rep.Slowest[0].UniqueID)
	if err != nil {
		t.Fatal(err)
	}
	var builds []bool
	for _, s := range hist.Snapshots {
		builds = append(builds, s.Builds)
	}
	if !slices.Equal(builds, []bool{true, true, true, false}) || !rep.Runs[0].Builds {
		t.Errorf("the history's runs build %v, want the 3 builds then the docs generate; the report's first run %+v", builds, rep.Runs[0])
	}
	for k := range 3 {
		total := 0.0
		for _, s := range times[k] {
			total += s
		}
		if math.Abs(rep.Totals[k]-total) > 1e-6 {
			t.Errorf("run %d took %.3f s in all, the file says %.3f", k, rep.Totals[k], total)
		}
	}
	// The slowest of the last build, as its file ranks them.
	ids := slices.Collect(func(yield func(string) bool) {
		for id := range times[2] {
			if !yield(id) {
				return
			}
		}
	})
	slices.SortFunc(ids, func(x, y string) int { return cmp.Or(cmp.Compare(times[2][y], times[2][x]), strings.Compare(x, y)) })
	var got []string
	for _, r := range rep.Slowest {
		got = append(got, r.UniqueID)
		if r.Latest != times[2][r.UniqueID] || *r.Seconds[0] != times[0][r.UniqueID] || *r.Seconds[1] != times[1][r.UniqueID] || r.Earlier != 2 {
			t.Errorf("%s: %+v, the files say %v, %v, %v", r.UniqueID, r, times[0][r.UniqueID], times[1][r.UniqueID], times[2][r.UniqueID])
		}
	}
	if want := ids[:20]; !slices.Equal(got, want) {
		t.Errorf("slowest %v, want %v", got, want)
	}
	// Slower: at least 1.5 times the median of the two earlier builds and
	// a second more, the most time added first.
	var slower []string
	for _, id := range ids {
		before := (times[0][id] + times[1][id]) / 2
		if times[2][id] >= 1.5*before && times[2][id]-before >= 1 {
			slower = append(slower, id)
		}
	}
	slices.SortStableFunc(slower, func(x, y string) int {
		return cmp.Compare(times[2][y]-(times[0][y]+times[1][y])/2, times[2][x]-(times[0][x]+times[1][x])/2)
	})
	got = nil
	for _, r := range rep.Slower {
		got = append(got, r.UniqueID)
	}
	if len(slower) < 5 || !slices.Equal(got, slower[:min(20, len(slower))]) {
		t.Errorf("slower %v, want %v", got, slower)
	}
	if n := rep.Slower[0].Name; n == "" || strings.Contains(n, ".") {
		t.Errorf("name %q", n)
	}

	// As of the first build alone: one run, nothing to be slower than.
	first, err := a.RunTimes(rep.Runs[0].ID)
	if err != nil || len(first.Runs) != 1 || len(first.Slower) != 0 || len(first.Slowest) != 20 {
		t.Errorf("as of the first build: %d runs, %d slower, %d slowest, %v", len(first.Runs), len(first.Slower), len(first.Slowest), err)
	}
	// A project whose runs built nothing has no run times.
	docsOnly, _, _ := openApp(t)
	if _, err := docsOnly.ImportPaths([]string{dirs[3]}, ""); err != nil {
		t.Fatal(err)
	}
	if none, err := docsOnly.RunTimes(0); err != nil || len(none.Runs) != 0 || len(none.Slowest) != 0 || none.Slowest == nil {
		t.Errorf("docs generate only: %+v, %v", none, err)
	}
}
