//go:build linux

package app_test

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/lineagedesk/lineagedesk/app"
	"github.com/lineagedesk/lineagedesk/backend"
	"github.com/lineagedesk/lineagedesk/backend/synth"
)

// TestFolderWatchWakesOnAWrite: a watch polling once a minute imports a
// run written into its folder within seconds, woken by the write
// (inotify), as `dbt build && dbt docs generate` needs: the docs generate
// overwrites the build's results a few seconds after the build ends.
func TestFolderWatchWakesOnAWrite(t *testing.T) {
	project := filepath.Join(t.TempDir(), "project")
	if _, err := synth.Write(project, synth.Spec{Models: 20, Seed: 5}); err != nil {
		t.Fatal(err)
	}
	target := filepath.Join(t.TempDir(), "target")
	if err := os.MkdirAll(target, 0o755); err != nil {
		t.Fatal(err)
	}
	a, _, _ := openApp(t)
	reports := watchFolderEvery(t, a, target, time.Minute)
	// The watch says the folder is empty, then waits on it.
	nextReport(t, reports, "the empty folder", func(r app.ImportResult) bool { return r.Note != "" })
	for i, invocation := range []string{"b0000000-0000-4000-8000-00000000000a", "b0000000-0000-4000-8000-00000000000b"} {
		now := time.Now()
		for _, name := range []string{"manifest.json", "run_results.json"} {
			writeAsRun(t, filepath.Join(project, name), filepath.Join(target, name), invocation, now)
		}
		start := time.Now()
		got := nextReport(t, reports, "a build written into the folder", func(r app.ImportResult) bool { return r.SnapshotID != 0 })
		if waited := time.Since(start); waited > 15*time.Second || got.Completed != 0 {
			t.Errorf("build %d: imported after %v as %+v, want a new snapshot at once", i+1, waited, got)
		}
	}
}

// TestFolderWatchRefusesAFolderHoldingTheStore: dbt clean would delete the
// store with target/, and the imports after it would go to a deleted file.
func TestFolderWatchRefusesAFolderHoldingTheStore(t *testing.T) {
	a, dir, _ := openApp(t)
	err := app.NewFolderWatch(a, []string{dir}, "", time.Second).Run(t.Context(), func(app.ImportResult, error) {})
	if backend.ErrorCode(err) != backend.EINVALID || !strings.Contains(err.Error(), "dbt clean") {
		t.Errorf("watching the folder holding the store: %v, want it refused saying why", err)
	}
	// A project folder holding it beside target/ is watched: dbt clean
	// deletes target/ alone.
	if err := os.WriteFile(filepath.Join(dir, "dbt_project.yml"), []byte("name: p\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(t.Context(), 300*time.Millisecond)
	defer cancel()
	if err := app.NewFolderWatch(a, []string{dir}, "", time.Second).Run(ctx, func(app.ImportResult, error) {}); err != nil {
		t.Errorf("watching a project folder holding the store: %v, want it watched", err)
	}
}
