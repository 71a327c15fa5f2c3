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
	"github.com/lineagedesk/lineagedesk/backend/artifact/artifacttest"
	"github.com/lineagedesk/lineagedesk/backend/synth"
)

// healthRuns writes a generated build with source freshness (every fifth
// model's description blanked, every 40th model's build failed and one
// skipped, every fourth source's check dropped), a docs generate 10 days later and another
// 40 days later (no tests, no freshness: their health comes from the
// build).
func healthRuns(t *testing.T) (build, docs10, docs40 string) {
	t.Helper()
	build = filepath.Join(t.TempDir(), "build")
	if _, err := synth.Write(build, synth.Spec{Models: 200, Seed: 3, WithSources: true}); err != nil {
		t.Fatal(err)
	}
	var manifest map[string]any
	readJSONFile(t, filepath.Join(build, "manifest.json"), &manifest)
	i := 0
	for _, id := range slices.Sorted(maps.Keys(manifest["nodes"].(map[string]any))) {
		if n := manifest["nodes"].(map[string]any)[id].(map[string]any); n["resource_type"] == "model" {
			if i%5 == 0 {
				n["description"] = ""
			}
			i++
		}
	}
	writeJSONFile(t, filepath.Join(build, "manifest.json"), manifest)
	// Every 40th model's build failed (with a message of two lines, one of
	// them over 100 characters), every 40th from the 20th skipped.
	var results map[string]any
	readJSONFile(t, filepath.Join(build, "run_results.json"), &results)
	built := 0
	for _, r := range results["results"].([]any) {
		r := r.(map[string]any)
		if !strings.HasPrefix(r["unique_id"].(string), "model.") {
			continue
		}
		switch built % 40 {
		case 0:
			r["status"] = "error"
			r["message"] = "Database Error in model " + r["unique_id"].(string) + " (models/x.sql)\n  " + strings.Repeat("relation does not exist; ", 6)
			if built%80 == 0 {
				r["message"] = strings.Repeat("Compilation Error ", 8) + "\nsecond line"
			}
		case 20:
			r["status"] = "skipped"
		}
		built++
	}
	writeJSONFile(t, filepath.Join(build, "run_results.json"), results)
	// Every fourth source's freshness left unchecked.
	var sources map[string]any
	readJSONFile(t, filepath.Join(build, "sources.json"), &sources)
	var checked []any
	for i, r := range sources["results"].([]any) {
		if i%4 != 0 {
			checked = append(checked, r)
		}
	}
	sources["results"] = checked
	writeJSONFile(t, filepath.Join(build, "sources.json"), sources)
	asNewRun(t, build, "0c0c0c0c-0000-4000-8000-000000000001", "2031-01-01T00:00:00.000000Z")
	docsRun := func(name, invocation, at string) string {
		dir := filepath.Join(t.TempDir(), name)
		for _, f := range []string{"manifest.json", "catalog.json"} {
			copyInto(t, filepath.Join(build, f), dir)
		}
		var results map[string]any
		readJSONFile(t, filepath.Join(build, "run_results.json"), &results)
		results["args"].(map[string]any)["which"] = "generate"
		for _, r := range results["results"].([]any) {
			r.(map[string]any)["status"] = "success"
		}
		writeJSONFile(t, filepath.Join(dir, "run_results.json"), results)
		asNewRun(t, dir, invocation, at)
		return dir
	}
	return build, docsRun("docs10", "0c0c0c0c-0000-4000-8000-000000000002", "2031-01-11T00:00:00.000000Z"),
		docsRun("docs40", "0c0c0c0c-0000-4000-8000-000000000003", "2031-02-10T00:00:00.000000Z")
}

// expectedHealth judges every model, seed, snapshot, source and exposure
// of a build straight from its artifact files, by the criteria
// backend/health documents: the build's statuses, each test's (attached
// to its node, or to none: counted on each node it reads), the sources
// upstream by a walk over depends_on, their freshness in sources.json
// (left out when the run judged is over 30 days later: freshOK false),
// the descriptions; built over 30 days before (stale) is caution.
func expectedHealth(t *testing.T, build string, freshOK, stale bool) map[string]string {
	t.Helper()
	var manifest struct {
		manifestNodes
		Sources   map[string]struct{ Description string } `json:"sources"`
		Exposures map[string]struct {
			DependsOn struct {
				Nodes []string `json:"nodes"`
			} `json:"depends_on"`
		} `json:"exposures"`
	}
	readJSONFile(t, filepath.Join(build, "manifest.json"), &manifest)
	var results struct {
		Results []outcomeRow `json:"results"`
	}
	readJSONFile(t, filepath.Join(build, "run_results.json"), &results)
	status := map[string]string{}
	for _, r := range results.Results {
		status[r.UniqueID] = r.Status
	}
	freshness := map[string]string{}
	if freshOK {
		var sources struct {
			Results []outcomeRow `json:"results"`
		}
		readJSONFile(t, filepath.Join(build, "sources.json"), &sources)
		for _, r := range sources.Results {
			freshness[r.UniqueID] = r.Status
		}
	}
	tests := map[string][]string{} // node -> its tests' statuses
	for id, n := range manifest.Nodes {
		if n.ResourceType != "test" {
			continue
		}
		on := []string{n.AttachedNode}
		if n.AttachedNode == "" {
			on = n.DependsOn.Nodes
		}
		for _, node := range on {
			tests[node] = append(tests[node], status[id])
		}
	}
	failing := func(s string) bool { return s == "error" || s == "runtime error" || s == "fail" }
	judge := func(id string, source bool, materialized, description string, parents []string) string {
		var degraded, caution bool
		build, built := status[id], status[id] != ""
		ran := materialized == "ephemeral"
		if !source && materialized != "ephemeral" {
			switch {
			case !built:
				caution = true
			case failing(build):
				ran, degraded = true, true
			case build == "skipped":
				ran, caution = true, true
			default:
				ran, caution = true, caution || stale
			}
		}
		if f := freshness[id]; f != "" {
			ran = true
			degraded = degraded || failing(f)
			caution = caution || f == "warn"
		}
		outcomes := 0
		for _, s := range tests[id] {
			if s != "" {
				outcomes++
			}
			degraded = degraded || failing(s)
			caution = caution || s == "warn"
		}
		ran = ran || outcomes > 0
		caution = caution || len(tests[id]) == 0 && !source || len(tests[id]) > 0 && outcomes == 0 || strings.TrimSpace(description) == ""
		// The sources upstream, at any distance.
		staleUp, erredUp := false, false
		seen := map[string]bool{}
		for queue := slices.Clone(parents); len(queue) > 0; queue = queue[1:] {
			p := queue[0]
			if seen[p] {
				continue
			}
			seen[p] = true
			queue = append(queue, manifest.Nodes[p].DependsOn.Nodes...)
			switch f := freshness[p]; {
			case failing(f):
				erredUp = true
			case f == "warn":
				staleUp = true
			}
		}
		switch {
		case degraded || erredUp:
			return "degraded"
		case !ran && !staleUp:
			return "unknown"
		case caution || staleUp:
			return "caution"
		}
		return "healthy"
	}
	want := map[string]string{}
	for id, n := range manifest.Nodes {
		if n.ResourceType == "model" || n.ResourceType == "seed" || n.ResourceType == "snapshot" {
			want[id] = judge(id, false, n.Config.Materialized, n.Description, n.DependsOn.Nodes)
		}
	}
	for id, s := range manifest.Sources {
		want[id] = judge(id, true, "", s.Description, nil)
	}
	rank := map[string]int{"healthy": 1, "unknown": 2, "caution": 3, "degraded": 4}
	for id, e := range manifest.Exposures {
		worst := ""
		for _, p := range e.DependsOn.Nodes {
			if w, ok := want[p]; ok && rank[w] > rank[worst] {
				worst = w
			}
		}
		if worst == "" || worst == "healthy" && slices.ContainsFunc(e.DependsOn.Nodes, func(p string) bool { return want[p] == "unknown" }) {
			worst = "unknown"
		}
		want[id] = worst
	}
	return want
}

// TestHealthLens checks every judged node's health against expectedHealth
// as of the build, of a docs generate 10 days later (the build's outcomes
// and freshness still count) and of one 40 days later (the freshness
// checks no longer count, and every build is stale); then Health, from a
// second process reading the reach tables, against the lens.
func TestHealthLens(t *testing.T) {
	build, docs10, docs40 := healthRuns(t)
	a, dir, _ := openApp(t)
	var ids []int64
	for _, d := range []string{build, docs10, docs40} {
		res, err := a.ImportPaths([]string{d}, "")
		if err != nil {
			t.Fatal(err)
		}
		ids = append(ids, res.SnapshotID)
	}
	type judged struct {
		State   string   `json:"state"`
		Reasons []string `json:"reasons"`
	}
	lens := map[int64]map[string]judged{}
	for i, c := range []struct{ freshOK, stale bool }{{true, false}, {true, false}, {false, true}} {
		want := expectedHealth(t, build, c.freshOK, c.stale)
		res, err := a.Lineage(app.LineageRequest{SnapshotID: ids[i], Select: "* source:*", Lens: "health", Format: "json"})
		if err != nil {
			t.Fatal(err)
		}
		var doc struct {
			Nodes []struct {
				UniqueID string  `json:"unique_id"`
				Health   *judged `json:"health"`
			} `json:"nodes"`
		}
		if err := json.Unmarshal([]byte(res.Content), &doc); err != nil {
			t.Fatal(err)
		}
		got, states := map[string]judged{}, map[string]int{}
		for _, n := range doc.Nodes {
			if n.Health != nil {
				got[n.UniqueID] = *n.Health
				states[n.Health.State]++
			}
		}
		lens[ids[i]] = got
		if len(got) != len(want) {
			t.Errorf("snapshot %d: %d nodes judged, want %d", ids[i], len(got), len(want))
		}
		for id, w := range want {
			if got[id].State != w {
				t.Errorf("snapshot %d: %s is %+v, want %s", ids[i], id, got[id], w)
			}
		}
		t.Logf("snapshot %d: %v", ids[i], states)
		if i < 2 && (states["degraded"] == 0 || states["caution"] == 0 || states["healthy"] == 0 || states["unknown"] == 0) {
			t.Errorf("snapshot %d: every state should occur: %v", ids[i], states)
		}
		for _, n := range res.Nodes { // the panel's copy
			if n.Health != nil && n.Health.State != got[n.UniqueID].State {
				t.Errorf("snapshot %d: the result's node %s is %s, the export's %s", ids[i], n.UniqueID, n.Health.State, got[n.UniqueID].State)
			}
		}
	}
	// A failed build's reason quotes dbt's message, and the docs generate
	// 10 days later says how long ago it failed; failing tests are named.
	failed, failing := buildFailuresAndFailingTests(t, build)
	if len(failed) == 0 || len(failing) == 0 {
		t.Fatalf("the generated build has %d failed builds and %d nodes with failing tests: the reasons go unchecked", len(failed), len(failing))
	}
	for id, message := range failed {
		for i, when := range []string{"", ", 10 days before this run"} {
			if want := "its last build failed" + when + message; !slices.Contains(lens[ids[i]][id].Reasons, want) {
				t.Errorf("%s as of snapshot %d: %+v, want the reason %q", id, ids[i], lens[ids[i]][id], want)
			}
		}
	}
	for id, names := range failing {
		if !slices.ContainsFunc(lens[ids[0]][id].Reasons, func(r string) bool { return strings.HasSuffix(r, " tests failing: "+names) }) {
			t.Errorf("%s: %+v, want its failing tests named: %s", id, lens[ids[0]][id], names)
		}
	}
	// The project's report judges every resource the lens does, alike,
	// the degraded first.
	rep, err := a.ProjectHealth(ids[0])
	if err != nil {
		t.Fatal(err)
	}
	if len(rep.Resources) != len(lens[ids[0]]) {
		t.Errorf("the report judges %d resources, the lens %d", len(rep.Resources), len(lens[ids[0]]))
	}
	order := map[string]int{"degraded": 0, "caution": 1, "unknown": 2, "healthy": 3}
	counted := map[string]int{}
	for i, r := range rep.Resources {
		counted[r.Health.State]++
		if l := lens[ids[0]][r.UniqueID]; l.State != r.Health.State || !slices.Equal(l.Reasons, r.Health.Reasons) {
			t.Errorf("report %s: %+v, the lens %+v", r.UniqueID, r.Health, l)
		}
		if i > 0 && order[rep.Resources[i-1].Health.State] > order[r.Health.State] {
			t.Errorf("report out of order: %s (%s) before %s (%s)", rep.Resources[i-1].UniqueID, rep.Resources[i-1].Health.State, r.UniqueID, r.Health.State)
		}
	}
	if !maps.Equal(counted, rep.Counts) {
		t.Errorf("counts %v, the list has %v", rep.Counts, counted)
	}
	// A second process: no whole graph loaded, the reach tables answer.
	other, _, _ := openAppIn(t, dir)
	n := 0
	for id, h := range lens[ids[1]] {
		if n++; n%7 != 0 && !strings.HasPrefix(id, "exposure.") {
			continue
		}
		res, err := other.Health(ids[1], id)
		if err != nil {
			t.Fatal(err)
		}
		if !res.Judged || res.Health.State != h.State || !slices.Equal(res.Health.Reasons, h.Reasons) {
			t.Errorf("Health(%s) = %+v, the lens %+v", id, res, h)
		}
	}
	if res, err := other.Health(ids[1], "customers"); err == nil {
		t.Errorf("Health of a name no node carries: %+v", res)
	}
	for _, kind := range []string{"test", "macro", "doc"} { // a macro and a doc block are not in the lineage
		list, err := a.Resources(ids[0], backend.ResourceFilter{ResourceTypes: []string{kind}, Limit: 1})
		if err != nil || len(list) == 0 {
			t.Fatal(kind, list, err)
		}
		if res, err := other.Health(ids[0], list[0].UniqueID); err != nil || res.Judged || res.UniqueID != list[0].UniqueID {
			t.Errorf("a %s's health: %+v, %v; want not judged", kind, res, err)
		}
	}
}

// buildFailuresAndFailingTests reads a build's artifact files for the
// resources whose build failed, with the end of the reason quoting dbt's
// message (": " and its first line, at most 100 characters), and for the
// nodes with failing tests, their names as a reason lists them (the first
// three by name, "and N more").
func buildFailuresAndFailingTests(t *testing.T, build string) (failed, failing map[string]string) {
	t.Helper()
	var results struct {
		Results []struct {
			UniqueID string `json:"unique_id"`
			Status   string `json:"status"`
			Message  string `json:"message"`
		} `json:"results"`
	}
	readJSONFile(t, filepath.Join(build, "run_results.json"), &results)
	var manifest manifestNodes
	readJSONFile(t, filepath.Join(build, "manifest.json"), &manifest)
	failed = map[string]string{}
	names := map[string][]string{}
	for _, r := range results.Results {
		n := manifest.Nodes[r.UniqueID]
		switch {
		case n.ResourceType == "test" && (r.Status == "fail" || r.Status == "error"):
			on := []string{n.AttachedNode}
			if n.AttachedNode == "" {
				on = n.DependsOn.Nodes
			}
			for _, node := range on {
				names[node] = append(names[node], n.Name)
			}
		case n.ResourceType != "test" && r.Status == "error":
			line, _, _ := strings.Cut(strings.TrimSpace(r.Message), "\n")
			if line = strings.TrimSpace(line); line != "" {
				if rs := []rune(line); len(rs) > 100 {
					line = string(rs[:99]) + "…"
				}
				line = ": " + line
			}
			failed[r.UniqueID] = line
		}
	}
	failing = map[string]string{}
	for node, list := range names {
		slices.Sort(list)
		failing[node] = strings.Join(list[:min(3, len(list))], ", ")
		if len(list) > 3 {
			failing[node] += fmt.Sprintf(" and %d more", len(list)-3)
		}
	}
	return failed, failing
}

// manifestNodes is what the tests read of a manifest's nodes to compute
// their expectations from the files: each node's type, name, description,
// materialization, the node a test is attached to and what it depends on.
type manifestNodes struct {
	Nodes map[string]struct {
		Name         string `json:"name"`
		ResourceType string `json:"resource_type"`
		Description  string `json:"description"`
		AttachedNode string `json:"attached_node"`
		Config       struct {
			Materialized string `json:"materialized"`
		} `json:"config"`
		DependsOn struct {
			Nodes []string `json:"nodes"`
		} `json:"depends_on"`
	} `json:"nodes"`
}

// outcomeRow is a result of run_results.json or sources.json.
type outcomeRow struct {
	UniqueID string `json:"unique_id"`
	Status   string `json:"status"`
}

func writeJSONFile(t *testing.T, path string, v any) {
	t.Helper()
	raw, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, raw, 0o644); err != nil {
		t.Fatal(err)
	}
}

// TestHealthOfAnExposureReadingTwoVersions: bouncer's exposure customers
// made to read both versions of the customers model, v1 without its
// description: the exposure names each version, and is caution for v1
// though v2 is healthy.
func TestHealthOfAnExposureReadingTwoVersions(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "bouncer")
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	for _, f := range []string{"manifest.json", "catalog.json", "run_results.json"} {
		raw := artifacttest.Gunzip(t, filepath.Join(fixtures, "bouncer-build-v12-dbt1.11-duckdb", f+".gz"))
		if err := os.WriteFile(filepath.Join(dir, f), raw, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	var manifest map[string]any
	readJSONFile(t, filepath.Join(dir, "manifest.json"), &manifest)
	const v1, v2 = "model.dbt_bouncer_test_project.customers.v1", "model.dbt_bouncer_test_project.customers.v2"
	manifest["nodes"].(map[string]any)[v1].(map[string]any)["description"] = ""
	exposure := manifest["exposures"].(map[string]any)["exposure.dbt_bouncer_test_project.customers"].(map[string]any)
	exposure["depends_on"].(map[string]any)["nodes"] = []any{v1, v2}
	writeJSONFile(t, filepath.Join(dir, "manifest.json"), manifest)
	a, _, _ := openApp(t)
	if _, err := a.ImportPaths([]string{dir}, ""); err != nil {
		t.Fatal(err)
	}
	for id, want := range map[string]string{v1: "caution", v2: "healthy"} {
		if res, err := a.Health(0, id); err != nil || res.Health.State != want {
			t.Fatalf("%s: %+v, %v; want %s", id, res, err, want)
		}
	}
	res, err := a.Health(0, "exposure.dbt_bouncer_test_project.customers")
	if err != nil {
		t.Fatal(err)
	}
	if res.Health.State != "caution" || !slices.Equal(res.Health.Reasons, []string{"customers v1 is caution"}) {
		t.Errorf("the exposure: %+v, want caution for customers v1", res.Health)
	}
}
