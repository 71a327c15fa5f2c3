package app_test

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/lineagedesk/lineagedesk/app"
	"github.com/lineagedesk/lineagedesk/backend"
	"github.com/lineagedesk/lineagedesk/backend/synth"
	"github.com/lineagedesk/lineagedesk/storage"
)

// TestStateAgainstAnotherProject: comparing with a snapshot of another
// project works, as dbt would, and says that every node is then new.
func TestStateAgainstAnotherProject(t *testing.T) {
	a, _, _ := openApp(t)
	bouncer, err := a.ImportPaths([]string{filepath.Join(fixtures, "bouncer-build-v12-dbt1.11-duckdb")}, "")
	if err != nil {
		t.Fatal(err)
	}
	jaffle, err := a.ImportPaths([]string{filepath.Join(fixtures, "jaffle-dap-v12-1.11", "manifest.json.gz")}, "")
	if err != nil {
		t.Fatal(err)
	}
	changes, err := a.Changes(jaffle.SnapshotID, bouncer.SnapshotID)
	if err != nil || len(changes.Warnings) != 2 || !strings.Contains(changes.Warnings[0], "of project dbt_bouncer_test_project, not jaffle_shop") ||
		changes.Counts["modified"] != 0 || changes.Counts["new"] == 0 || changes.Counts["removed"] == 0 {
		t.Errorf("Changes against another project: %+v, %v", changes, err)
	}
	// The jaffle_shop snapshot is a manifest alone: no statuses to compare,
	// said (QA: "no status changed" read as "no test started failing").
	if want := fmt.Sprintf("snapshot #%d holds no run_results.json", jaffle.SnapshotID); len(changes.Warnings) < 2 || !strings.Contains(changes.Warnings[1], want) {
		t.Errorf("warnings %q, want one saying %q", changes.Warnings, want)
	}
	res, err := a.Lineage(app.LineageRequest{Select: "state:new", StateSnapshotID: bouncer.SnapshotID, Format: "json"})
	if err != nil || len(res.Warnings) != 1 || !strings.Contains(res.Warnings[0], "every node counts as new") {
		t.Errorf("state:new against another project: %v, %v", res.Warnings, err)
	}
	if same, err := a.Changes(0, jaffle.SnapshotID); err == nil {
		t.Errorf("a snapshot compared with itself: %+v", same)
	}
}

// TestChangesRunResults: Changes lists the nodes whose run result changed
// status, computed here from the two run_results.json: the second run's
// is the first's with every seventh status changed.
func TestChangesRunResults(t *testing.T) {
	dir, second, want := flippedRuns(t)
	a, _, _ := openApp(t)
	for _, d := range []string{dir, second} {
		if _, err := a.ImportPaths([]string{d}, ""); err != nil {
			t.Fatal(err)
		}
	}
	res, err := a.Changes(0, 0)
	if err != nil {
		t.Fatal(err)
	}
	if len(want) < 10 || !slices.Equal(res.Results, want) {
		t.Errorf("run results that changed: %d %v\nwant %d", len(res.Results), res.Results, len(want))
	}
	if len(res.Changed) != 0 || !strings.HasSuffix(res.Summary(), fmt.Sprintf("no changes, %d run results changed status", len(want))) {
		t.Errorf("summary %q, %d changed", res.Summary(), len(res.Changed))
	}

	// dbt docs generate reports every node a "success": none of it is an
	// outcome to compare, against it or from it.
	raw, err := os.ReadFile(filepath.Join(second, "run_results.json"))
	if err != nil {
		t.Fatal(err)
	}
	var doc map[string]any
	if err := json.Unmarshal(raw, &doc); err != nil {
		t.Fatal(err)
	}
	docs := filepath.Join(t.TempDir(), "docs")
	for _, name := range []string{"manifest.json", "catalog.json"} {
		copyInto(t, filepath.Join(dir, name), docs)
	}
	doc["args"].(map[string]any)["which"] = "generate"
	for _, r := range doc["results"].([]any) {
		r.(map[string]any)["status"] = "success"
	}
	generated, err := json.Marshal(doc)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(docs, "run_results.json"), generated, 0o644); err != nil {
		t.Fatal(err)
	}
	docsSnap, err := a.ImportPaths([]string{docs}, "")
	if err != nil {
		t.Fatal(err)
	}
	for _, pair := range [][2]int64{{docsSnap.SnapshotID, res.SnapshotID}, {res.SnapshotID, docsSnap.SnapshotID}} {
		got, err := a.Changes(pair[0], pair[1])
		if err != nil {
			t.Fatal(err)
		}
		if len(got.Results) != 0 || !slices.ContainsFunc(got.Warnings, func(w string) bool {
			return strings.Contains(w, fmt.Sprintf("snapshot #%d's are from dbt docs generate", docsSnap.SnapshotID))
		}) {
			t.Errorf("#%d against #%d: %d status changes, warnings %q; want none, and why", pair[0], pair[1], len(got.Results), got.Warnings)
		}
	}
}

// TestAnotherProcessDeleteAndImport: when another process (here another
// App on the same store file) deletes a snapshot this one holds the graph
// of and imports another project, this one says the deleted snapshot is
// gone rather than drawing it from memory, and the new snapshot, under an
// id never given before, is drawn from the store.
func TestAnotherProcessDeleteAndImport(t *testing.T) {
	a, _, dir, _ := openAppStore(t)
	other, err := storage.Open(t.Context(), filepath.Join(dir, "store.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer other.Close()
	b := app.New(t.Context(), other, app.Config{Version: "test", DBPath: filepath.Join(dir, "store.db")})
	first, err := a.ImportPaths([]string{filepath.Join(fixtures, "bouncer-build-v12-dbt1.11-duckdb")}, "")
	if err != nil {
		t.Fatal(err)
	}
	// Paths loads the whole graph, which a then keeps.
	if _, err := a.Paths(first.SnapshotID, "model.dbt_bouncer_test_project.stg_orders", "model.dbt_bouncer_test_project.orders", 0); err != nil {
		t.Fatal(err)
	}
	if err := b.DeleteSnapshot(first.SnapshotID); err != nil {
		t.Fatal(err)
	}
	second, err := b.ImportPaths([]string{filepath.Join(fixtures, "jaffle-dap-v12-1.11", "manifest.json.gz")}, "")
	if err != nil {
		t.Fatal(err)
	}
	if second.SnapshotID == first.SnapshotID {
		t.Fatalf("the new snapshot was given the deleted one's id %d", first.SnapshotID)
	}
	if _, err := a.Paths(first.SnapshotID, "model.dbt_bouncer_test_project.stg_orders", "model.dbt_bouncer_test_project.orders", 0); backend.ErrorCode(err) != backend.ENOTFOUND {
		t.Errorf("paths in the deleted snapshot #%d, whose graph was in memory: %v, want ENOTFOUND", first.SnapshotID, err)
	}
	res, err := a.Paths(second.SnapshotID, "model.jaffle_shop.stg_orders", "model.jaffle_shop.orders", 0)
	if err != nil || len(res.Paths) == 0 {
		t.Errorf("paths in the new snapshot: %+v, %v", res, err)
	}
}

// flippedRuns writes a generated project's dbt build (dir) and a later
// run of it (second) whose run_results.json is the first's with every
// seventh status changed, which want lists, sorted.
func flippedRuns(t *testing.T) (dir, second string, want []backend.StatusChange) {
	t.Helper()
	dir = filepath.Join(t.TempDir(), "first")
	if _, err := synth.Write(dir, synth.Spec{Models: 200, Seed: 1}); err != nil {
		t.Fatal(err)
	}
	second = filepath.Join(t.TempDir(), "second")
	for _, name := range []string{"manifest.json", "catalog.json"} {
		copyInto(t, filepath.Join(dir, name), second)
	}
	raw, err := os.ReadFile(filepath.Join(dir, "run_results.json"))
	if err != nil {
		t.Fatal(err)
	}
	var doc map[string]any
	if err := json.Unmarshal(raw, &doc); err != nil {
		t.Fatal(err)
	}
	for i, r := range doc["results"].([]any) {
		r := r.(map[string]any)
		if i%7 != 0 {
			continue
		}
		before := r["status"].(string)
		after := map[string]string{"pass": "fail", "fail": "pass", "success": "error", "error": "success", "warn": "pass", "skipped": "success"}[before]
		if after == "" {
			t.Fatalf("status %q", before)
		}
		r["status"] = after
		want = append(want, backend.StatusChange{UniqueID: r["unique_id"].(string), Before: before, After: after})
	}
	changed, err := json.Marshal(doc)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(second, "run_results.json"), changed, 0o644); err != nil {
		t.Fatal(err)
	}
	asNewRun(t, second, "0b0b0b0b-0000-4000-8000-000000000002", "2031-01-01T00:00:00.000000Z")
	slices.SortFunc(want, func(a, b backend.StatusChange) int { return strings.Compare(a.UniqueID, b.UniqueID) })
	return dir, second, want
}
