package app_test

import (
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/lineagedesk/lineagedesk/app"
	"github.com/lineagedesk/lineagedesk/backend"
	"github.com/lineagedesk/lineagedesk/backend/synth"
)

// TestFolderWatchFollowsDbtCommands writes a target/ folder as dbt's
// commands write it, file by file (dbt-core's tasks: a build writes its
// manifest as it starts and its results as it ends; a docs generate its
// manifest, its results, its catalog, then its manifest again; a source
// freshness its manifest and sources.json, no results), and checks that
// each run ends in the store once, whole (QA: the first build into an
// empty target/ lost its results, a docs generate was never imported, a
// source freshness neither, nor a run copied with its files' old times).
func TestFolderWatchFollowsDbtCommands(t *testing.T) {
	project := filepath.Join(t.TempDir(), "project")
	if _, err := synth.Write(project, synth.Spec{Models: 40, Seed: 3, WithSources: true}); err != nil {
		t.Fatal(err)
	}
	target := filepath.Join(t.TempDir(), "target")
	if err := os.MkdirAll(target, 0o755); err != nil {
		t.Fatal(err)
	}
	// write puts one artifact of the run into target/, as that run's.
	write := func(name, invocation string, mtime time.Time) {
		t.Helper()
		writeAsRun(t, filepath.Join(project, name), filepath.Join(target, name), invocation, mtime)
	}
	a, _, _ := openApp(t)
	reports := watchFolder(t, a, target)
	next := func(what string) app.ImportResult {
		t.Helper()
		return nextReport(t, reports, what, func(r app.ImportResult) bool {
			// Not the empty folder, at the start, nor a run's files written
			// again after its import (a docs generate's last manifest, when
			// the watch looked between it and the catalog).
			return !(r.Note != "" && strings.Contains(r.Note, "holds no dbt artifacts yet") || r.SameRunAs != 0)
		})
	}
	snapshotOf := func(id int64) backend.Snapshot {
		t.Helper()
		snaps, err := a.Snapshots()
		if err != nil {
			t.Fatal(err)
		}
		for _, s := range snaps {
			if s.ID == id {
				return s
			}
		}
		t.Fatalf("no snapshot %d among %+v", id, snaps)
		return backend.Snapshot{}
	}
	now := time.Now()

	// dbt build into an empty target/.
	write("manifest.json", "b0000000-0000-4000-8000-000000000001", now)
	begun := next("a build's manifest")
	write("run_results.json", "b0000000-0000-4000-8000-000000000001", now.Add(time.Second))
	build := next("the build's results")
	if build.Completed != begun.SnapshotID || snapshotOf(build.SnapshotID).SchemaVersions["run_results"] == 0 {
		t.Fatalf("the build's results: %+v, want them to complete snapshot %d", build, begun.SnapshotID)
	}

	// dbt docs generate.
	write("manifest.json", "d0000000-0000-4000-8000-000000000002", now.Add(2*time.Second))
	if r := next("a docs generate's manifest beside the build's results"); !strings.Contains(r.Note, "waiting for that run's run_results.json") {
		t.Fatalf("a manifest beside another run's results: %+v, want a note that the watch waits", r)
	}
	write("run_results.json", "d0000000-0000-4000-8000-000000000002", now.Add(3*time.Second))
	compiled := next("the docs generate's compile results")
	write("catalog.json", "d0000000-0000-4000-8000-000000000002", now.Add(4*time.Second))
	write("manifest.json", "d0000000-0000-4000-8000-000000000002", now.Add(5*time.Second))
	docs := next("the docs generate's catalog")
	if docs.Completed != compiled.SnapshotID || snapshotOf(docs.SnapshotID).SchemaVersions["catalog"] == 0 {
		t.Fatalf("the catalog: %+v, want it to complete snapshot %d", docs, compiled.SnapshotID)
	}

	// dbt source freshness: no results of its own.
	write("manifest.json", "f0000000-0000-4000-8000-000000000003", now.Add(6*time.Second))
	write("sources.json", "f0000000-0000-4000-8000-000000000003", now.Add(7*time.Second))
	fresh := next("a source freshness")
	if fresh.SnapshotID == 0 || fresh.Completed != 0 || snapshotOf(fresh.SnapshotID).SchemaVersions["sources"] == 0 {
		t.Fatalf("the source freshness: %+v", fresh)
	}
	// Without the docs generate's results it found beside it: history would
	// count that run twice.
	if s := snapshotOf(fresh.SnapshotID); s.SchemaVersions["run_results"] != 0 || s.SchemaVersions["catalog"] == 0 {
		t.Errorf("the source freshness's snapshot holds %v, want its sources.json and the catalog, no earlier run's results", s.SchemaVersions)
	}

	// Another run's files copied in with their old times (cp -p, a CI
	// artifact unpacked): older than every import of the folder.
	// Seen half copied (its manifest beside the results before), the run
	// may be imported at once, then completed: what counts is the end.
	old := now.Add(-time.Hour)
	for _, name := range []string{"manifest.json", "run_results.json", "catalog.json", "sources.json"} {
		write(name, "c0000000-0000-4000-8000-000000000004", old)
	}
	if copied := next("a run copied with its times"); copied.SnapshotID == 0 {
		t.Fatalf("the copied run: %+v", copied)
	}
	whole := func() bool {
		snaps, _ := a.Snapshots()
		for _, s := range snaps {
			if s.InvocationID == "c0000000-0000-4000-8000-000000000004" && len(s.SchemaVersions) == 4 {
				return true
			}
		}
		return false
	}
	for deadline := time.Now().Add(15 * time.Second); !whole(); time.Sleep(20 * time.Millisecond) {
		if time.Now().After(deadline) {
			snaps, _ := a.Snapshots()
			t.Fatalf("the copied run is not stored whole: %+v", snaps)
		}
	}

	// dbt clean: said, and waited for.
	if err := os.RemoveAll(target); err != nil {
		t.Fatal(err)
	}
	for r := next("the folder removed"); !strings.Contains(r.Note, "holds no dbt artifacts now (dbt clean?): waiting for dbt to write them again"); r = next("the folder removed") {
		if r.SnapshotID == 0 { // the copied run's last import may come first
			t.Fatalf("the folder removed: %+v", r)
		}
	}
	snaps, err := a.Snapshots()
	if err != nil || len(snaps) != 4 {
		t.Fatalf("%d snapshots, want one per run (build, docs generate, freshness, copied): %v", len(snaps), err)
	}
}

// TestFolderWatchBeforeDbt15: a manifest that names no project (dbt
// 1.0-1.4) is told by its invocation id alone: a build's results complete
// the snapshot of its manifest, imported as the build began.
func TestFolderWatchBeforeDbt15(t *testing.T) {
	project := filepath.Join(t.TempDir(), "project")
	if _, err := synth.Write(project, synth.Spec{Models: 20, Seed: 4}); err != nil {
		t.Fatal(err)
	}
	target := filepath.Join(t.TempDir(), "target")
	if err := os.MkdirAll(target, 0o755); err != nil {
		t.Fatal(err)
	}
	a, _, _ := openApp(t)
	reports := watchFolder(t, a, target)
	next := func(what string) app.ImportResult {
		t.Helper()
		return nextReport(t, reports, what, func(r app.ImportResult) bool { return r.SnapshotID != 0 })
	}
	now := time.Now()
	writeAsRun(t, filepath.Join(project, "manifest.json"), filepath.Join(target, "manifest.json"), "b0000000-0000-4000-8000-000000000015", now, "project_name")
	begun := next("the build's manifest")
	writeAsRun(t, filepath.Join(project, "run_results.json"), filepath.Join(target, "run_results.json"), "b0000000-0000-4000-8000-000000000015", now.Add(time.Second))
	if whole := next("the build's results"); whole.Completed != begun.SnapshotID {
		t.Fatalf("the build's results: %+v, want them to complete snapshot %d", whole, begun.SnapshotID)
	}
	if snaps, err := a.Snapshots(); err != nil || len(snaps) != 1 {
		t.Errorf("%d snapshots, want the build's one: %v", len(snaps), err)
	}
}

// watchFolder watches target with a's store, polling every 20 ms, until
// the test ends; its reports come on the channel, a failed import failing
// the test.
func watchFolder(t *testing.T, a *app.App, target string) <-chan app.ImportResult {
	t.Helper()
	return watchFolderEvery(t, a, target, 20*time.Millisecond)
}

// watchFolderEvery is watchFolder polling every interval.
func watchFolderEvery(t *testing.T, a *app.App, target string, every time.Duration) <-chan app.ImportResult {
	t.Helper()
	reports := make(chan app.ImportResult, 20)
	ctx, cancel := context.WithCancel(t.Context())
	done := make(chan error, 1)
	go func() {
		done <- app.NewFolderWatch(a, []string{target}, "", every).Run(ctx, func(res app.ImportResult, err error) {
			if err != nil {
				t.Errorf("watched import: %v", err)
			}
			select { // a report nobody reads any more does not hold the watch up
			case reports <- res:
			case <-ctx.Done():
			}
		})
	}()
	t.Cleanup(func() {
		cancel()
		if err := <-done; err != nil {
			t.Errorf("the watch ended with %v", err)
		}
	})
	return reports
}

// nextReport is the next report wanted keeps, within 15 s.
func nextReport(t *testing.T, reports <-chan app.ImportResult, what string, wanted func(app.ImportResult) bool) app.ImportResult {
	t.Helper()
	for {
		select {
		case r := <-reports:
			if wanted(r) {
				return r
			}
		case <-time.After(15 * time.Second):
			t.Fatalf("%s: nothing reported", what)
		}
	}
}

// writeAsRun copies an artifact as a run's: its invocation id set, its
// metadata first (as dbt writes it, and as the watch reads it), written at
// mtime; without the metadata's keys named in drop.
func writeAsRun(t *testing.T, from, to, invocation string, mtime time.Time, drop ...string) {
	t.Helper()
	raw, err := os.ReadFile(from)
	if err != nil {
		t.Fatal(err)
	}
	var doc map[string]json.RawMessage
	if err := json.Unmarshal(raw, &doc); err != nil {
		t.Fatal(err)
	}
	var meta map[string]any
	if err := json.Unmarshal(doc["metadata"], &meta); err != nil {
		t.Fatal(err)
	}
	meta["invocation_id"] = invocation
	for _, k := range drop {
		delete(meta, k)
	}
	delete(doc, "metadata")
	head, _ := json.Marshal(meta)
	rest, _ := json.Marshal(doc)
	out := append([]byte(`{"metadata": `), head...)
	out = append(append(out, ','), rest[1:]...)
	tmp := to + ".tmp"
	if err := os.WriteFile(tmp, out, 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.Chtimes(tmp, mtime, mtime); err != nil {
		t.Fatal(err)
	}
	if err := os.Rename(tmp, to); err != nil { // whole at once, as far as the watch sees
		t.Fatal(err)
	}
}
