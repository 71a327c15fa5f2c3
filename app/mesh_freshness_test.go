package app_test

import (
	"encoding/json"
	"maps"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/lineagedesk/lineagedesk/app"
)

// withFreshness copies a bouncer fixture's artifacts into a folder with a
// sources.json of its run: each source loaded at loadedAt(i), the i-th by
// unique_id. It returns the folder and the sources, sorted.
func withFreshness(t *testing.T, dataset string, loadedAt func(i int) time.Time) (string, []string) {
	t.Helper()
	dir := filepath.Join(t.TempDir(), dataset)
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	for _, name := range []string{"manifest.json.gz", "catalog.json.gz", "run_results.json.gz"} {
		raw, err := os.ReadFile(filepath.Join(fixtures, dataset, name))
		if err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(dir, name), raw, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	m := manifestJSON(t, dataset)
	meta := m["metadata"].(map[string]any)
	sources := slices.Sorted(maps.Keys(m["sources"].(map[string]any)))
	var results []map[string]any
	for i, id := range sources {
		at := loadedAt(i)
		results = append(results, map[string]any{
			"unique_id": id, "status": "pass", "max_loaded_at": at.Format("2006-01-02T15:04:05.000000+00:00"),
			"snapshotted_at": at.Add(time.Hour).Format("2006-01-02T15:04:05.000000+00:00"), "max_loaded_at_time_ago_in_s": 3600.0,
			"criteria": map[string]any{"warn_after": map[string]any{"count": 12, "period": "hour"}}, "adapter_response": map[string]any{},
			"timing": []any{}, "thread_id": "Thread-1", "execution_time": 0.1,
		})
	}
	doc := map[string]any{"metadata": map[string]any{
		"dbt_schema_version": "https://schemas.getdbt.com/dbt/sources/v3.json", "dbt_version": meta["dbt_version"],
		"generated_at": meta["generated_at"], "invocation_id": meta["invocation_id"], "env": map[string]any{},
	}, "results": results, "elapsed_time": 1.0}
	raw, err := json.Marshal(doc)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "sources.json"), raw, 0o644); err != nil {
		t.Fatal(err)
	}
	return dir, sources
}

// source_status:fresher+ across projects: the sources a project's run
// found fresher than its run before did, and everything they feed in every
// project tied to it; a project whose runs cannot be compared is named.
func TestSourceStatusAcrossProjects(t *testing.T) {
	a, _, _ := openApp(t)
	before := time.Date(2026, 2, 20, 20, 0, 0, 0, time.UTC)
	older, _ := withFreshness(t, "bouncer-v12-dbt1.11-duckdb", func(int) time.Time { return before })
	newer, sources := withFreshness(t, "bouncer-v12-dbt1.12-duckdb", func(i int) time.Time {
		if i%2 == 0 {
			return before.Add(time.Hour) // new data since the run before
		}
		return before
	})
	importedRun(t, a, older)
	bouncer := importedRun(t, a, newer)
	finance := importedRun(t, a, filepath.Join(meshDir, "bouncer_finance"))
	importedRun(t, a, filepath.Join(meshDir, "bouncer_reporting"))

	types, _, children := meshManifests(t)
	want := map[string]bool{}
	for i, id := range sources {
		if i%2 == 0 {
			for _, n := range walk(id, func(id string) []string { return children[id] }, types) {
				want[n] = true
			}
		}
	}
	if len(sources) < 2 || !slices.ContainsFunc(slices.Collect(maps.Keys(want)), func(id string) bool { return strings.Contains(id, ".bouncer_") }) {
		t.Fatalf("the fresher sources (%d of %d) reach no other project: the case tests nothing across", len(sources)/2, len(sources))
	}
	for _, from := range []int64{bouncer, finance} {
		res, err := a.Lineage(app.LineageRequest{SnapshotID: from, Select: "source_status:fresher+", Format: "json", AcrossProjects: true})
		if err != nil {
			t.Fatalf("from #%d: %v", from, err)
		}
		got := map[string]bool{}
		for _, n := range res.Nodes {
			got[n.UniqueID] = true
		}
		if !maps.Equal(got, want) {
			t.Errorf("source_status:fresher+ across projects from #%d: %d nodes, want %d (missing %v, extra %v)", from, len(got), len(want),
				missing(slices.Collect(maps.Keys(want)), slices.Collect(maps.Keys(got))), missing(slices.Collect(maps.Keys(got)), slices.Collect(maps.Keys(want))))
		}
		for _, p := range []string{"bouncer_finance", "bouncer_reporting"} {
			if !slices.ContainsFunc(res.Warnings, func(w string) bool { return strings.Contains(w, "the sources of "+p+" are not compared") }) {
				t.Errorf("from #%d: warnings %q say nothing of %s", from, res.Warnings, p)
			}
		}
	}
	// finance alone has no run before: refused, as for one project.
	if _, err := a.Lineage(app.LineageRequest{SnapshotID: finance, Select: "source_status:fresher", Format: "json"}); err == nil {
		t.Error("source_status:fresher of finance alone, with no run before: no error")
	}
}
