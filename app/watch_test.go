package app_test

import (
	"bytes"
	"compress/gzip"
	"context"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/lineagedesk/lineagedesk/app"
	"github.com/lineagedesk/lineagedesk/backend"
)

// TestFolderWatch: a watched target/ folder is imported once dbt is done
// writing it, again after each run (not while a run has written its
// manifest but not yet its results), not again when the watch restarts on
// a folder already imported, and not again when its files are touched or
// copied again without a new run (QA: each touch stored the run again).
func TestFolderWatch(t *testing.T) {
	target := filepath.Join(t.TempDir(), "target")
	files := []string{"manifest.json.gz", "run_results.json.gz", "catalog.json.gz"}
	for _, f := range files {
		copyInto(t, filepath.Join(fixtures, "bouncer-build-v12-dbt1.11-duckdb", f), target)
	}
	at := func(name string, ago time.Duration) {
		t.Helper()
		when := time.Now().Add(-ago)
		if err := os.Chtimes(filepath.Join(target, name), when, when); err != nil {
			t.Fatal(err)
		}
	}
	for _, f := range files {
		at(f, time.Minute)
	}
	a, _, _ := openApp(t)
	type report struct {
		id, sameRunAs, completed int64
		note                     string
	}
	watch := func() (reports chan report, stop func()) {
		reports = make(chan report, 10)
		ctx, cancel := context.WithCancel(t.Context())
		done := make(chan error, 1)
		go func() {
			done <- app.NewFolderWatch(a, []string{target}, "", 20*time.Millisecond).Run(ctx, func(res app.ImportResult, err error) {
				if err != nil {
					t.Errorf("watched import: %v", err)
				}
				reports <- report{res.SnapshotID, res.SameRunAs, res.Completed, res.Note}
			})
		}()
		return reports, func() {
			cancel()
			if err := <-done; err != nil {
				t.Errorf("the watch ended with %v", err)
			}
		}
	}
	expect := func(reports chan report, want, what string) report {
		t.Helper()
		wait := map[bool]time.Duration{true: 15 * time.Second, false: 400 * time.Millisecond}[want != "nothing"]
		select {
		case r := <-reports:
			got := map[bool]string{true: "an import", false: "the same run"}[r.sameRunAs == 0]
			if r.note != "" {
				got = "a note"
			}
			if got != want {
				t.Fatalf("%s: %s (%+v), want %s", what, got, r, want)
			}
			return r
		case <-time.After(wait):
			if want != "nothing" {
				t.Fatalf("%s: nothing reported, want %s", what, want)
			}
		}
		return report{}
	}

	reports, stop := watch()
	first := expect(reports, "an import", "the folder as the watch starts")
	// The same files touched: the same dbt run, not stored again.
	for _, f := range files {
		at(f, 0)
	}
	if r := expect(reports, "the same run", "the files touched"); r.sameRunAs != first.id {
		t.Errorf("the touched files' run is held by snapshot %d, want %d", r.sameRunAs, first.id)
	}
	// The next run, as dbt writes it: its manifest as it starts (the last
	// run's results still there), its results as it ends.
	nextInvocation(t, filepath.Join(target, "manifest.json.gz"), time.Now())
	// A while unchanged, the manifest without its results is said once.
	if r := expect(reports, "a note", "a run under way"); !strings.Contains(r.note, "waiting for that run's run_results.json") {
		t.Errorf("the note: %q", r.note)
	}
	expect(reports, "nothing", "a run still under way")
	nextInvocation(t, filepath.Join(target, "run_results.json.gz"), time.Now())
	expect(reports, "an import", "the run's results written")
	stop()

	reports, stop = watch()
	expect(reports, "nothing", "a restart on a folder already imported")
	stop()
	snaps, err := a.Snapshots()
	if err != nil || len(snaps) != 2 || !slices.ContainsFunc(snaps, func(s backend.Snapshot) bool { return s.Project == "dbt_bouncer_test_project" }) {
		t.Fatalf("%d snapshots after the watch, %v", len(snaps), err)
	}
	if err := app.NewFolderWatch(a, []string{filepath.Join(t.TempDir(), "nothing")}, "", 0).Run(t.Context(), nil); err == nil {
		t.Error("watching a path that is not there started")
	}
	// A file that is no artifact can never become one: refused, not waited on.
	readme := filepath.Join(t.TempDir(), "README.md")
	if err := os.WriteFile(readme, []byte("# project"), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := app.NewFolderWatch(a, []string{readme}, "", 0).Run(t.Context(), nil); err == nil || !strings.Contains(err.Error(), "is not a dbt artifact name") {
		t.Errorf("watching a file that is no artifact: %v", err)
	}

	// A folder without artifacts yet (a fresh clone, dbt clean) is waited
	// for, saying so, and imported once dbt writes them.
	empty := filepath.Join(t.TempDir(), "fresh")
	if err := os.MkdirAll(empty, 0o755); err != nil {
		t.Fatal(err)
	}
	target = empty
	reports, stop = watch()
	if r := expect(reports, "a note", "an empty folder"); !strings.Contains(r.note, "holds no dbt artifacts yet") {
		t.Errorf("the note: %q", r.note)
	}
	copyInto(t, filepath.Join(fixtures, "jaffle-dap-v12-1.12", "manifest.json.gz"), filepath.Join(empty, "target"))
	manifestOnly := expect(reports, "an import", "the artifacts written")
	// That was a dbt build's manifest, written as it began; its results
	// come as it ends and complete the run's snapshot, which the import
	// replaces (QA: they were "the same run", never stored).
	copyInto(t, filepath.Join(fixtures, "jaffle-dap-v12-1.12", "run_results.json.gz"), filepath.Join(empty, "target"))
	whole := expect(reports, "an import", "the run's results written after its manifest")
	if whole.completed != manifestOnly.id {
		t.Errorf("the import completed snapshot %d, want %d", whole.completed, manifestOnly.id)
	}
	stop()
	jaffle := 0
	snaps, _ = a.Snapshots()
	for _, s := range snaps {
		if s.Project == "jaffle_shop" {
			jaffle++
			if s.ID != whole.id || s.SchemaVersions["run_results"] == 0 {
				t.Errorf("the run's snapshot: %+v, want #%d with its run results", s, whole.id)
			}
		}
	}
	if jaffle != 1 {
		t.Errorf("%d snapshots of the run, want 1", jaffle)
	}
}

// nextInvocation rewrites a gzipped artifact as the next dbt run's: its
// invocation_id changed, written at when.
func nextInvocation(t *testing.T, path string, when time.Time) {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	zr, err := gzip.NewReader(f)
	if err != nil {
		t.Fatal(err)
	}
	data, err := io.ReadAll(zr)
	f.Close()
	if err != nil {
		t.Fatal(err)
	}
	const was = `"invocation_id": "`
	i := bytes.Index(data, []byte(was))
	if i < 0 {
		t.Fatalf("%s has no invocation_id", path)
	}
	copy(data[i+len(was):], "11111111")
	var buf bytes.Buffer
	zw := gzip.NewWriter(&buf)
	zw.Write(data)
	zw.Close()
	if err := os.WriteFile(path, buf.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.Chtimes(path, when, when); err != nil {
		t.Fatal(err)
	}
}

// TestSnapshotsFromAnotherProcess: a session (WarmUp) hears of the
// snapshots another process adds or deletes in its store, as a scheduled
// sync or an import --watch makes them, and tells the UI, once: WarmUp
// called again (it is an API call) starts no other poller.
func TestSnapshotsFromAnotherProcess(t *testing.T) {
	dir := t.TempDir()
	a, _, rec := openAppIn(t, dir, func(c *app.Config) { c.SnapshotPoll = 20 * time.Millisecond })
	for range 3 {
		a.WarmUp()
	}
	other, _, _ := openAppIn(t, dir)
	// heard waits for the session to announce a change after its n-th event.
	heard := func(n int, what string) {
		t.Helper()
		for deadline := time.Now().Add(10 * time.Second); time.Now().Before(deadline); time.Sleep(10 * time.Millisecond) {
			if events := rec.snapshot(); slices.Contains(events[n:], app.EventSnapshotsChanged+" null") {
				return
			}
		}
		t.Fatalf("%s: the session did not hear of it (%v)", what, rec.snapshot())
	}
	n := len(rec.snapshot())
	res, err := other.ImportPaths([]string{filepath.Join(fixtures, "bouncer-build-v12-dbt1.11-duckdb")}, "")
	if err != nil {
		t.Fatal(err)
	}
	heard(n, "an import by another process")
	time.Sleep(200 * time.Millisecond) // ten polls
	told := 0
	for _, e := range rec.snapshot()[n:] {
		if e == app.EventSnapshotsChanged+" null" {
			told++
		}
	}
	if told != 1 {
		t.Errorf("the import was told %d times, want once", told)
	}
	n = len(rec.snapshot())
	if err := other.DeleteSnapshot(res.SnapshotID); err != nil {
		t.Fatal(err)
	}
	heard(n, "a deletion by another process")
}

// TestWatchFolder: the window's "keep watching" imports each new run of a
// folder imported just before, lists the watch with what it imported, is
// resumed by another window on the store (each run still imported once),
// and stops on request, forgotten; a folder without artifacts is refused,
// and a second watch of one folder is the first.
func TestWatchFolder(t *testing.T) {
	target := filepath.Join(t.TempDir(), "target")
	for _, f := range []string{"manifest.json.gz", "run_results.json.gz"} {
		copyInto(t, filepath.Join(fixtures, "bouncer-build-v12-dbt1.11-duckdb", f), target)
		past := time.Now().Add(-time.Minute)
		if err := os.Chtimes(filepath.Join(target, f), past, past); err != nil {
			t.Fatal(err)
		}
	}
	dir := t.TempDir()
	fast := func(c *app.Config) { c.SnapshotPoll = 20 * time.Millisecond }
	a, _, _ := openAppIn(t, dir, fast)
	if _, err := a.ImportPaths([]string{target}, ""); err != nil {
		t.Fatal(err)
	}
	st, err := a.WatchFolder([]string{target}, "")
	if err != nil || st.Folder != target || st.Imports != 0 {
		t.Fatalf("WatchFolder = %+v, %v", st, err)
	}
	// A second window on the store resumes the watch it keeps: both watch
	// the folder, and each run is imported once.
	b, _, _ := openAppIn(t, dir, fast)
	b.WarmUp()
	if resumed, err := b.Watches(); err != nil || len(resumed) != 1 || resumed[0].Folder != target || !resumed[0].Since.Equal(st.Since.Truncate(time.Microsecond)) {
		t.Fatalf("the second window's watches: %+v, %v", resumed, err)
	}
	if again, err := a.WatchFolder([]string{target}, ""); err != nil || !again.Since.Equal(st.Since) {
		t.Errorf("a second watch of the folder: %+v, %v", again, err)
	}
	time.Sleep(200 * time.Millisecond) // the folder, imported already, is not imported again
	if snaps, _ := a.Snapshots(); len(snaps) != 1 {
		t.Fatalf("%d snapshots before the next run", len(snaps))
	}
	now := time.Now()
	nextInvocation(t, filepath.Join(target, "manifest.json.gz"), now.Add(-time.Millisecond)) // the next run
	nextInvocation(t, filepath.Join(target, "run_results.json.gz"), now)
	var watches []app.FolderWatchStatus
	for deadline := time.Now().Add(15 * time.Second); time.Now().Before(deadline); time.Sleep(20 * time.Millisecond) {
		if snaps, _ := a.Snapshots(); len(snaps) == 2 {
			break
		}
	}
	watches, _ = a.Watches()
	time.Sleep(300 * time.Millisecond) // the second window's watch has looked too
	snaps, _ := a.Snapshots()
	if len(snaps) != 2 {
		t.Fatalf("after the next run: %d snapshots, want 2", len(snaps))
	}
	bw, _ := b.Watches()
	if len(watches) != 1 || len(bw) != 1 || watches[0].Imports+bw[0].Imports != 1 || max(watches[0].LastSnapshotID, bw[0].LastSnapshotID) != snaps[0].ID {
		t.Fatalf("after the next run: watches %+v and %+v, the newest snapshot %d", watches, bw, snaps[0].ID)
	}
	if err := a.StopWatching(target); err != nil {
		t.Fatal(err)
	}
	if watches, _ := a.Watches(); len(watches) != 0 {
		t.Errorf("watches after stopping: %+v", watches)
	}
	// Stopped, it is forgotten: the next launch resumes nothing.
	c, _, _ := openAppIn(t, dir, fast)
	c.WarmUp()
	if resumed, _ := c.Watches(); len(resumed) != 0 {
		t.Errorf("a launch after stopping resumed %+v", resumed)
	}
	if err := a.StopWatching(target); backend.ErrorCode(err) != backend.ENOTFOUND {
		t.Errorf("stopping twice: %v", err)
	}
	if _, err := a.WatchFolder([]string{t.TempDir()}, ""); backend.ErrorCode(err) != backend.EINVALID {
		t.Errorf("a folder without artifacts: %v, want EINVALID", err)
	}
}
