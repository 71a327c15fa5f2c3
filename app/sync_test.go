package app_test

import (
	"bytes"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/lineagedesk/lineagedesk/app"
	"github.com/lineagedesk/lineagedesk/backend"
	"github.com/lineagedesk/lineagedesk/backend/dbtcloud/fakecloud"
	"github.com/lineagedesk/lineagedesk/backend/syncer"
)

const (
	accountID = 7001
	projectID = 11
	envID     = 21
	jobID     = 31
)

// cloudWithRuns serves one account whose production job has, newest
// first: a running run, a cancelled one, a successful run with docs (the
// one to harvest) built from the real `dbt build` fixture, and an older
// successful run. The build step's run_results hold the real test
// outcomes; the docs step's run_results (every status "success") must not
// be used as test outcomes.
func cloudWithRuns(t *testing.T) *fakecloud.Server {
	t.Helper()
	srv := cloudWithJob(t)
	base := time.Date(2026, 11, 20, 3, 0, 0, 0, time.UTC)
	steps := fakecloud.StandardSteps("dbt build", false, true) // clone, profile, deps, build (4), docs (5)
	srv.AddRun(fakecloud.Run{ID: 900, JobID: jobID, Status: 10, CreatedAt: base.Add(-48 * time.Hour), FinishedAt: base.Add(-47 * time.Hour), HasDocsGenerated: true, Steps: steps})
	srv.AddRun(fakecloud.Run{ID: 901, JobID: jobID, Status: 10, CreatedAt: base, FinishedAt: base.Add(20 * time.Minute), HasDocsGenerated: true, Steps: steps})
	srv.AddRun(fakecloud.Run{ID: 902, JobID: jobID, Status: 30, CreatedAt: base.Add(time.Hour), FinishedAt: base.Add(61 * time.Minute), Steps: steps})
	srv.AddRun(fakecloud.Run{ID: 903, JobID: jobID, Status: 3, CreatedAt: base.Add(2 * time.Hour), Steps: steps})
	build := filepath.Join(fixtures, "bouncer-build-v12-dbt1.11-duckdb")
	for _, run := range []int64{900, 901} {
		srv.AddArtifact(run, 4, "run_results.json", fakecloud.FromFile(filepath.Join(build, "run_results.json.gz")))
		srv.AddArtifact(run, 5, "manifest.json", fakecloud.FromFile(filepath.Join(build, "manifest.json.gz")))
		srv.AddArtifact(run, 5, "catalog.json", fakecloud.FromFile(filepath.Join(build, "catalog.json.gz")))
		// The docs step's own run_results: a `docs generate` one.
		srv.AddArtifact(run, 5, "run_results.json", fakecloud.FromFile(filepath.Join(fixtures, "jaffle-dap-v12-1.12", "run_results.json.gz")))
	}
	return srv
}

// cloudWithJob serves one account with one project, its production
// environment and its nightly job, which has no runs yet.
func cloudWithJob(t *testing.T) *fakecloud.Server {
	t.Helper()
	srv := fakecloud.New(t)
	srv.AddAccount(fakecloud.Account{ID: accountID, Name: "Analytics"}).
		AddProject(fakecloud.Project{ID: projectID, AccountID: accountID, Name: "bouncer"}).
		AddEnvironment(fakecloud.Environment{ID: envID, ProjectID: projectID, Name: "Production", Type: "deployment", DeploymentType: "production"}).
		AddJob(fakecloud.Job{ID: jobID, ProjectID: projectID, EnvironmentID: envID, Name: "Nightly build", GenerateDocs: true, ExecuteSteps: []string{"dbt build"}})
	return srv
}

func connect(t testing.TB, a *app.App, srv *fakecloud.Server) {
	t.Helper()
	in := app.ConnectionInput{Name: "prod", AccessURL: srv.URL, AccountID: accountID, Token: srv.Token}
	rep, err := a.TestConnection(in)
	if err != nil {
		t.Fatalf("test connection: %v", err)
	}
	if rep.AccountName != "Analytics" || len(rep.Projects) != 1 || len(rep.Projects[0].Jobs) != 1 || !rep.Projects[0].Jobs[0].GenerateDocs {
		t.Fatalf("report: %+v", rep)
	}
	if _, err := a.SaveConnection(in); err != nil {
		t.Fatal(err)
	}
}

func TestSyncHarvestsNewestSuccessfulRunWithDocs(t *testing.T) {
	srv := cloudWithRuns(t)
	a, dir, rec := openApp(t)
	connect(t, a, srv)

	res, err := a.Sync("prod", 0)
	if err != nil {
		t.Fatalf("sync: %v", err)
	}
	if res.RunID != 901 || res.JobID != jobID || res.ProjectID != projectID || res.EnvironmentID != envID || res.Skipped {
		t.Fatalf("sync result %+v: want run 901 (newest successful with docs; 903 runs, 902 was cancelled)", res.RunOutcome)
	}
	if !strings.Contains(res.Reason, "901") {
		t.Errorf("reason %q does not say which run was used", res.Reason)
	}
	// Test outcomes come from the build step: the fixture's 36 passing data
	// tests and 3 unit tests, not docs-generate "success" rows.
	snap, err := a.Snapshots()
	if err != nil {
		t.Fatal(err)
	}
	if snap[0].Origin.RunID != 901 || snap[0].Origin.Kind != backend.OriginDbtCloud || snap[0].RunCommand != "build" {
		t.Fatalf("snapshot origin %+v command %q", snap[0].Origin, snap[0].RunCommand)
	}
	m := manifestJSON(t, "bouncer-build-v12-dbt1.11-duckdb")
	models := 0
	for _, n := range m["nodes"].(map[string]any) {
		if n.(map[string]any)["resource_type"] == "model" {
			models++
		}
	}
	if res.Counts["model"] != models {
		t.Errorf("synced %d models, manifest has %d", res.Counts["model"], models)
	}
	passed := 0
	rs, err := a.Resources(0, backend.ResourceFilter{ResourceTypes: []string{"model"}})
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range rs {
		passed += r.Tests.Pass
	}
	if passed == 0 {
		t.Errorf("no passing test outcomes after syncing a `dbt build` run")
	}

	// The picture's footer names the snapshot and the run it came from.
	dot, err := a.Lineage(app.LineageRequest{Select: "orders", Format: "dot"})
	if err != nil {
		t.Fatal(err)
	}
	footer := fmt.Sprintf("project dbt_bouncer_test_project  ·  snapshot #%d %s, generated ", res.SnapshotID, snap[0].Name)
	if run := "  ·  dbt Cloud run 901 (job " + strconv.Itoa(jobID) + ")  ·  Lineage Desk"; !strings.Contains(dot.Content, footer) || !strings.Contains(dot.Content, run) {
		t.Errorf("footer of a synced snapshot: want %q and %q in\n%s", footer, run, dot.Content[:min(len(dot.Content), 800)])
	}

	// Progress was reported, and the token is nowhere on disk in clear.
	if !slices.ContainsFunc(rec.snapshot(), func(e string) bool { return strings.Contains(e, `"phase":"download"`) }) {
		t.Errorf("no download progress events: %v", rec.snapshot())
	}
	assertTokenNowhere(t, dir, srv.Token)

	// A second sync finds the same run and downloads nothing.
	srv.ResetLog()
	again, err := a.Sync("prod", 0)
	if err != nil {
		t.Fatal(err)
	}
	if !again.Skipped || again.SnapshotID != res.SnapshotID {
		t.Fatalf("second sync %+v: want skipped, snapshot %d", again.RunOutcome, res.SnapshotID)
	}
	if again.Warnings == nil {
		t.Error("a skipped sync's warnings are null in JSON, not []")
	}
	if n := len(srv.RequestsTo(fakecloud.RouteArtifact)); n != 0 {
		t.Errorf("second sync downloaded %d artifacts", n)
	}
	hist, err := a.SyncHistory("prod")
	if err != nil {
		t.Fatal(err)
	}
	if len(hist) != 2 || hist[0].Status != backend.SyncSkipped || hist[1].Status != backend.SyncSucceeded || hist[1].RunID != 901 {
		t.Fatalf("history %+v", hist)
	}
}

// An orchestrator's runs without docs between the nightly docs runs: past
// the 20 newest successful runs, the newest with docs is still the one.
func TestSyncFindsDocsPastManyRunsWithout(t *testing.T) {
	srv := cloudWithRuns(t)
	base := time.Date(2026, 11, 21, 3, 0, 0, 0, time.UTC)
	steps := fakecloud.StandardSteps("dbt build", false, false)
	for i := range int64(25) {
		srv.AddRun(fakecloud.Run{ID: 1000 + i, JobID: jobID, Status: 10, CreatedAt: base.Add(time.Duration(i) * time.Hour), FinishedAt: base.Add(time.Duration(i)*time.Hour + time.Minute), Steps: steps})
	}
	a, _, _ := openApp(t)
	connect(t, a, srv)
	res, err := a.Sync("prod", 0)
	if err != nil {
		t.Fatalf("sync: %v", err)
	}
	if res.RunID != 901 || !strings.Contains(res.Reason, "newer successful runs did not generate docs") {
		t.Fatalf("synced run %d (%s); want 901, the newest with docs", res.RunID, res.Reason)
	}
}

// The catalog is asked of the docs step, also when a step follows it: the
// API's default is the last step, and which files a later step still holds
// is not documented.
func TestSyncCatalogFromTheDocsStep(t *testing.T) {
	srv := cloudWithRuns(t)
	build := filepath.Join(fixtures, "bouncer-build-v12-dbt1.11-duckdb")
	steps := append(fakecloud.StandardSteps("dbt build", false, true), fakecloud.Step{Name: "Invoke dbt with `dbt run-operation grant_select`", Status: 10})
	at := time.Date(2026, 11, 22, 3, 0, 0, 0, time.UTC)
	srv.AddRun(fakecloud.Run{ID: 950, JobID: jobID, Status: 10, CreatedAt: at, FinishedAt: at.Add(time.Minute), HasDocsGenerated: true, Steps: steps})
	srv.AddArtifact(950, 4, "run_results.json", fakecloud.FromFile(filepath.Join(build, "run_results.json.gz")))
	srv.AddArtifact(950, 5, "manifest.json", fakecloud.FromFile(filepath.Join(build, "manifest.json.gz")))
	srv.AddArtifact(950, 5, "catalog.json", fakecloud.FromFile(filepath.Join(build, "catalog.json.gz")))
	srv.AddArtifact(950, 6, "manifest.json", fakecloud.FromFile(filepath.Join(build, "manifest.json.gz")))
	a, _, _ := openApp(t)
	connect(t, a, srv)
	res, err := a.Sync("prod", 0)
	if err != nil || res.RunID != 950 {
		t.Fatalf("sync: run %d, %v; want 950", res.RunID, err)
	}
	if slices.ContainsFunc(res.Warnings, func(w string) bool { return strings.Contains(w, "has no catalog.json") }) {
		t.Errorf("the catalog was not found: %q", res.Warnings)
	}
	// The fixture's catalog is of another invocation than its manifest: the
	// warning names the files, not the download folder that is gone.
	want := "catalog.json comes from another dbt invocation than manifest.json"
	if !slices.ContainsFunc(res.Warnings, func(w string) bool { return strings.HasPrefix(w, want) }) {
		t.Errorf("warnings %q; want one starting %q", res.Warnings, want)
	}
	snaps, err := a.Snapshots()
	if err != nil || !slices.ContainsFunc(snaps[0].Warnings, func(w string) bool { return strings.HasPrefix(w, want) }) {
		t.Errorf("the snapshot keeps warnings %q (%v); want one starting %q", snaps[0].Warnings, err, want)
	}
	for _, r := range srv.RequestsTo(fakecloud.RouteArtifact) {
		if strings.HasSuffix(r.Path, "/catalog.json") && r.Query.Get("step") != "5" {
			t.Errorf("catalog.json asked of step %q, want the docs step 5", r.Query.Get("step"))
		}
	}
	orders, err := a.Resource(res.SnapshotID, "model.dbt_bouncer_test_project.orders")
	if err != nil || len(orders.Columns) == 0 || orders.Columns[0].CatalogType == "" {
		t.Errorf("orders has no column types from the docs step's catalog: %+v, %v", orders.Columns, err)
	}
}

// Two syncs of one run at once (the window and a cron job, each its own
// process on one store) store it once: both find no snapshot of it before
// downloading, and the second's save finds the first's.
func TestConcurrentSyncsStoreARunOnce(t *testing.T) {
	srv := cloudWithRuns(t)
	first, _, dir, _ := openAppStore(t)
	connect(t, first, srv)
	second, _, _ := openAppIn(t, dir)
	// Slow downloads keep both syncs past their first look for the run.
	srv.FailPath(fakecloud.RouteArtifact, "manifest.json", 2, fakecloud.Slow(256<<10, 300*time.Millisecond))

	results := make(chan app.SyncResult, 2)
	errs := make(chan error, 2)
	for _, a := range []*app.App{first, second} {
		go func() {
			res, err := a.Sync("prod", 0)
			results <- res
			errs <- err
		}()
	}
	skipped := 0
	for range 2 {
		if err := <-errs; err != nil {
			t.Fatalf("sync: %v", err)
		}
		if res := <-results; res.Skipped {
			skipped++
		}
	}
	snaps, err := first.Snapshots()
	if err != nil {
		t.Fatal(err)
	}
	if len(snaps) != 1 || skipped != 1 {
		t.Fatalf("%d snapshots, %d syncs skipped; want the run stored once and the other sync skipped", len(snaps), skipped)
	}
}

// When no run qualifies, the error says why, per job: the reasons were
// kept only in the sync history, and the CLI said "see the warnings".
func TestSyncWithNothingToTakeSaysWhy(t *testing.T) {
	srv := cloudWithJob(t)
	at := time.Date(2026, 11, 20, 3, 0, 0, 0, time.UTC)
	srv.AddRun(fakecloud.Run{ID: 990, JobID: jobID, Status: 20, CreatedAt: at, FinishedAt: at.Add(time.Minute)})
	a, _, _ := openApp(t)
	if _, err := a.SaveConnection(app.ConnectionInput{Name: "prod", AccessURL: srv.URL, AccountID: accountID, Token: srv.Token}); err != nil {
		t.Fatal(err)
	}
	_, err := a.Sync("prod", 0)
	if backend.ErrorCode(err) != backend.ENOTFOUND || !strings.Contains(err.Error(), `job 31 "Nightly build"`) || !strings.Contains(err.Error(), "has no successful run") {
		t.Fatalf("sync with only a failed run: %v", err)
	}
}

// A sync whose process was killed leaves its record "running" and its
// download folder behind; the next sync of the connection closes records
// and removes folders older than any sync runs, and leaves younger ones,
// which may be another process's, alive.
func TestSyncClosesWhatAKilledSyncLeft(t *testing.T) {
	tmp := t.TempDir()
	t.Setenv("TMPDIR", tmp)
	srv := cloudWithRuns(t)
	a, store, _, _ := openAppStore(t)
	connect(t, a, srv)
	now := time.Now().UTC()
	var ids []int64
	for _, age := range []time.Duration{7 * time.Hour, time.Hour} {
		id, err := store.AddSyncRecord(t.Context(), backend.SyncRecord{Connection: "prod", StartedAt: now.Add(-age), Status: backend.SyncRunning, RunID: 901, Reason: "run 901"})
		if err != nil {
			t.Fatal(err)
		}
		ids = append(ids, id)
		dir := filepath.Join(tmp, fmt.Sprintf("lineagedesk-run-901-%d", id))
		if err := os.Mkdir(dir, 0o700); err != nil {
			t.Fatal(err)
		}
		if err := os.Chtimes(dir, now.Add(-age), now.Add(-age)); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := a.Sync("prod", 0); err != nil {
		t.Fatal(err)
	}
	hist, err := a.SyncHistory("prod")
	if err != nil {
		t.Fatal(err)
	}
	status := map[int64]backend.SyncRecord{}
	for _, r := range hist {
		status[r.ID] = r
	}
	if old := status[ids[0]]; old.Status != backend.SyncFailed || !strings.Contains(old.Reason, "interrupted") || old.FinishedAt.IsZero() {
		t.Errorf("the 7-hour-old running sync: %+v", old)
	}
	if young := status[ids[1]]; young.Status != backend.SyncRunning {
		t.Errorf("the hour-old running sync was closed: %+v", young)
	}
	if _, err := os.Stat(filepath.Join(tmp, fmt.Sprintf("lineagedesk-run-901-%d", ids[0]))); !os.IsNotExist(err) {
		t.Errorf("the old download folder is still there: %v", err)
	}
	if _, err := os.Stat(filepath.Join(tmp, fmt.Sprintf("lineagedesk-run-901-%d", ids[1]))); err != nil {
		t.Errorf("the young download folder was removed: %v", err)
	}
}

// An account of many projects with nothing to sync (no deployment
// environment) says so in one line, not one per project.
func TestSyncSumsUpIdleProjects(t *testing.T) {
	srv := cloudWithRuns(t)
	for id := int64(100); id < 105; id++ {
		srv.AddProject(fakecloud.Project{ID: id, AccountID: accountID, Name: fmt.Sprintf("sandbox %d", id)})
	}
	a, _, _ := openApp(t)
	in := app.ConnectionInput{Name: "prod", AccessURL: srv.URL, AccountID: accountID, Token: srv.Token}
	rep, err := a.TestConnection(in)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := a.SaveConnection(in); err != nil {
		t.Fatal(err)
	}
	res, err := a.Sync("prod", 0)
	if err != nil || res.RunID != 901 {
		t.Fatalf("sync: run %d, %v", res.RunID, err)
	}
	for what, warnings := range map[string][]string{"test": rep.Warnings, "sync": res.Warnings} {
		summed := slices.ContainsFunc(warnings, func(w string) bool { return strings.HasPrefix(w, "5 reasons why projects have nothing to sync") })
		if !summed || slices.ContainsFunc(warnings, func(w string) bool { return strings.Contains(w, "sandbox 101") }) {
			t.Errorf("%s warnings %q: want one line for the five idle projects", what, warnings)
		}
	}
}

func TestSyncExplicitRun(t *testing.T) {
	srv := cloudWithRuns(t)
	a, _, _ := openApp(t)
	connect(t, a, srv)
	if _, err := a.Sync("prod", -3); backend.ErrorCode(err) != backend.EINVALID || len(srv.RequestsTo(fakecloud.RouteRun)) != 0 {
		t.Errorf("run -3: %v, asked dbt Cloud %d times", err, len(srv.RequestsTo(fakecloud.RouteRun)))
	}
	res, err := a.Sync("prod", 900)
	if err != nil || res.RunID != 900 {
		t.Fatalf("sync run 900: %+v, %v", res.RunOutcome, err)
	}
	for _, run := range []int64{902, 903} {
		_, err := a.Sync("prod", run)
		if err == nil {
			t.Fatalf("sync of run %d (cancelled/running) succeeded", run)
		}
	}
	// A run that generated no docs: said once, and no catalog is asked for.
	at := time.Date(2026, 11, 22, 3, 0, 0, 0, time.UTC)
	srv.AddRun(fakecloud.Run{ID: 904, JobID: jobID, Status: 10, CreatedAt: at, FinishedAt: at.Add(time.Minute), Steps: fakecloud.StandardSteps("dbt build", false, false)})
	srv.AddArtifact(904, 4, "manifest.json", fakecloud.FromFile(filepath.Join(fixtures, "bouncer-build-v12-dbt1.11-duckdb", "manifest.json.gz")))
	srv.ResetLog()
	res, err = a.Sync("prod", 904)
	if err != nil {
		t.Fatal(err)
	}
	said := 0
	for _, w := range res.Warnings {
		if strings.Contains(w, "catalog") {
			said++
		}
	}
	if said != 1 {
		t.Errorf("the missing docs are said %d times: %q", said, res.Warnings)
	}
	// The sync history keeps it too: the UI's history showed a clean sync.
	if hist, err := a.SyncHistory("prod"); err != nil || len(hist) == 0 || !slices.ContainsFunc(hist[0].Warnings, func(w string) bool { return strings.Contains(w, "did not generate docs") }) {
		t.Errorf("history of the sync of a run without docs: %+v, %v", hist, err)
	}
	for _, r := range srv.RequestsTo(fakecloud.RouteArtifact) {
		if strings.HasSuffix(r.Path, "catalog.json") {
			t.Errorf("a run without docs was asked for its catalog: %s", r.Path)
		}
	}
}

// Every fault the network can throw ends in a retry that succeeds or a clear
// error, and never in a partial snapshot.
func TestSyncFaults(t *testing.T) {
	cases := []struct {
		name    string
		fault   func(*fakecloud.Server)
		wantErr bool
	}{
		{"503 twice then fine", func(s *fakecloud.Server) {
			s.FailPath(fakecloud.RouteArtifact, "manifest.json", 2, fakecloud.Status(503))
		}, false},
		{"429 with Retry-After", func(s *fakecloud.Server) { s.Fail(fakecloud.RouteRuns, 1, fakecloud.RateLimited("0")) }, false},
		{"reset mid-body once", func(s *fakecloud.Server) {
			s.FailPath(fakecloud.RouteArtifact, "manifest.json", 1, fakecloud.ResetAfter(5000))
		}, false},
		{"truncated manifest always", func(s *fakecloud.Server) {
			s.FailPath(fakecloud.RouteArtifact, "manifest.json", -1, fakecloud.TruncateAfter(5000))
		}, true},
		{"invalid JSON manifest", func(s *fakecloud.Server) {
			s.FailPath(fakecloud.RouteArtifact, "manifest.json", -1, fakecloud.InvalidJSON())
		}, true},
		{"500 storm", func(s *fakecloud.Server) {
			s.FailPath(fakecloud.RouteArtifact, "catalog.json", -1, fakecloud.Status(500))
		}, true},
		{"403 on runs", func(s *fakecloud.Server) { s.Fail(fakecloud.RouteRuns, -1, fakecloud.Status(403)) }, true},
		{"404 catalog is a warning", func(s *fakecloud.Server) {
			s.FailPath(fakecloud.RouteArtifact, "catalog.json", -1, fakecloud.Status(404))
		}, false},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			srv := cloudWithRuns(t)
			a, _, _ := openApp(t)
			connect(t, a, srv)
			c.fault(srv)
			res, err := a.Sync("prod", 0)
			snaps, serr := a.Snapshots()
			if serr != nil {
				t.Fatal(serr)
			}
			if c.wantErr {
				if err == nil {
					t.Fatalf("sync succeeded: %+v", res.RunOutcome)
				}
				if len(snaps) != 0 {
					t.Fatalf("a failed sync left %d snapshots", len(snaps))
				}
				if msg := backend.NewErrorPayload(err).Message; strings.Contains(msg, "lineagedesk-run-") {
					t.Errorf("the message names the download folder, gone by now: %s", msg)
				}
				hist, _ := a.SyncHistory("prod")
				if len(hist) == 0 || hist[0].Status != backend.SyncFailed || hist[0].Reason == "" {
					t.Fatalf("history after failure: %+v", hist)
				}
				return
			}
			if err != nil {
				t.Fatalf("sync: %v", err)
			}
			if len(snaps) != 1 || snaps[0].Origin.RunID != 901 {
				t.Fatalf("snapshots %+v", snaps)
			}
			// The run generated docs: the warning says the catalog is
			// missing from it, not to turn docs on (QA).
			if c.name == "404 catalog is a warning" && !slices.ContainsFunc(res.Warnings, func(w string) bool {
				return strings.Contains(w, "run 901 generated docs, dbt Cloud says, but holds no catalog.json") && !strings.Contains(w, "turn on")
			}) {
				t.Errorf("warnings: %q", res.Warnings)
			}
		})
	}
}

// assertTokenNowhere greps every file the app wrote for the token.
func assertTokenNowhere(t *testing.T, dir, token string) {
	t.Helper()
	err := filepath.WalkDir(dir, func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		b, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		if bytes.Contains(b, []byte(token)) {
			t.Errorf("the token appears in clear in %s", path)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}

// A connection that selects several jobs syncs each one's run: a broken
// run of one job is an outcome with its error, the other jobs' runs (also
// those after it) are still synced, and only a sync none of whose runs
// synced is an error (QA: the first broken job's run stopped the sync, its
// error alone reported, the runs synced before it unsaid).
func TestSyncGoesOnPastABrokenJobRun(t *testing.T) {
	srv := cloudWithRuns(t)
	at := time.Date(2026, 11, 21, 3, 0, 0, 0, time.UTC)
	srv.AddJob(fakecloud.Job{ID: 30, ProjectID: projectID, EnvironmentID: envID, Name: "Broken docs", GenerateDocs: true, ExecuteSteps: []string{"dbt build"}})
	srv.AddRun(fakecloud.Run{ID: 980, JobID: 30, Status: 10, CreatedAt: at, FinishedAt: at.Add(time.Minute), HasDocsGenerated: true, Steps: fakecloud.StandardSteps("dbt build", false, true)})
	srv.AddArtifact(980, 5, "manifest.json", fakecloud.FromBytes([]byte(`{"metadata": {"dbt_schema_version": "https://schemas.getdbt.com/dbt/manifest/v12.json"}, "nodes": [`)))
	a, _, _ := openApp(t)
	if _, err := a.SaveConnection(app.ConnectionInput{Name: "prod", AccessURL: srv.URL, AccountID: accountID, Token: srv.Token}); err != nil {
		t.Fatal(err)
	}
	res, err := a.Sync("prod", 0)
	if err != nil {
		t.Fatalf("sync: %v", err)
	}
	if len(res.Runs) != 2 || res.Failed != 1 || res.RunID != 901 || res.SnapshotID == 0 {
		t.Fatalf("sync: %+v, want run 980 failed and 901 synced, on top", res)
	}
	broken := res.Runs[slices.IndexFunc(res.Runs, func(o syncer.RunOutcome) bool { return o.RunID == 980 })]
	if broken.SnapshotID != 0 || !strings.Contains(broken.Error, "manifest.json") || broken.ErrorCode != backend.EINVALID {
		t.Errorf("the broken run's outcome: %+v, want its error naming the manifest", broken)
	}
	snaps, err := a.Snapshots()
	if err != nil || len(snaps) != 1 || snaps[0].ID != res.SnapshotID {
		t.Fatalf("snapshots: %+v, %v; want run 901's alone", snaps, err)
	}
	hist, err := a.SyncHistory("prod")
	if err != nil {
		t.Fatal(err)
	}
	statuses := map[int64]string{}
	for _, h := range hist {
		statuses[h.RunID] = h.Status
	}
	if statuses[980] != backend.SyncFailed || statuses[901] != backend.SyncSucceeded {
		t.Errorf("history by run: %v", statuses)
	}

	// Only the broken job left: the sync is its error.
	in := app.ConnectionInput{Name: "prod", AccessURL: srv.URL, AccountID: accountID, JobID: 30, Replace: true}
	if _, err := a.SaveConnection(in); err != nil {
		t.Fatal(err)
	}
	if _, err := a.Sync("prod", 0); err == nil || !strings.Contains(err.Error(), "manifest.json") {
		t.Errorf("sync of the broken job alone: %v, want its error", err)
	}
}

// A failure that is not the run's own (dbt Cloud refusing the token's
// access, here) stops the sync of several jobs: the next runs would each
// meet it after their own retries or waits. They are outcomes, not tried.
func TestSyncStopsOnAFailureAllRunsWouldMeet(t *testing.T) {
	srv := cloudWithRuns(t)
	at := time.Date(2026, 11, 21, 3, 0, 0, 0, time.UTC)
	srv.AddJob(fakecloud.Job{ID: 30, ProjectID: projectID, EnvironmentID: envID, Name: "Locked docs", GenerateDocs: true, ExecuteSteps: []string{"dbt build"}})
	srv.AddRun(fakecloud.Run{ID: 980, JobID: 30, Status: 10, CreatedAt: at, FinishedAt: at.Add(time.Minute), HasDocsGenerated: true, Steps: fakecloud.StandardSteps("dbt build", false, true)})
	srv.FailPath(fakecloud.RouteArtifact, "/runs/901/", -1, fakecloud.Status(403)) // the first job's run
	a, _, _ := openApp(t)
	if _, err := a.SaveConnection(app.ConnectionInput{Name: "prod", AccessURL: srv.URL, AccountID: accountID, Token: srv.Token}); err != nil {
		t.Fatal(err)
	}
	_, err := a.Sync("prod", 0)
	if backend.ErrorCode(err) != backend.EFORBIDDEN || !strings.Contains(err.Error(), "none of the 2 runs was synced") || !strings.Contains(err.Error(), "not tried: ") {
		t.Fatalf("sync: %v, want EFORBIDDEN with run 980 not tried", err)
	}
	if n := len(srv.RequestsTo(fakecloud.RouteArtifact)); n != 1 {
		t.Errorf("%d artifact requests, want the one refused", n)
	}
	if snaps, err := a.Snapshots(); err != nil || len(snaps) != 0 {
		t.Errorf("snapshots: %+v, %v", snaps, err)
	}
	// Each run has its history record, the one not tried too, saying why.
	hist, err := a.SyncHistory("prod")
	if err != nil {
		t.Fatal(err)
	}
	reasons := map[int64]string{}
	for _, h := range hist {
		if h.Status != backend.SyncFailed {
			t.Errorf("history: run %d %s, want failed", h.RunID, h.Status)
		}
		reasons[h.RunID] = h.Reason
	}
	if len(hist) != 2 || !strings.Contains(reasons[980], "not tried: ") || !strings.Contains(reasons[901], "failed: ") {
		t.Errorf("history reasons by run: %v, want run 901 failed and 980 not tried", reasons)
	}
}

// A sync cancelled mid-download stops promptly, leaves no snapshot, and
// says so in the history; a second sync of the same connection while one
// runs is refused, and RunningSyncs lists it (for a page reloaded meanwhile).
func TestSyncCancel(t *testing.T) {
	srv := cloudWithRuns(t)
	a, _, rec := openApp(t)
	connect(t, a, srv)
	// The manifest trickles in: 2 KB, then a pause per chunk.
	srv.FailPath(fakecloud.RouteArtifact, "manifest.json", -1, fakecloud.Slow(2048, 200*time.Millisecond))
	type result struct {
		res app.SyncResult
		err error
	}
	done := make(chan result, 1)
	go func() {
		res, err := a.Sync("prod", 0)
		done <- result{res, err}
	}()
	deadline := time.Now().Add(20 * time.Second)
	for !slices.ContainsFunc(rec.snapshot(), func(e string) bool { return strings.Contains(e, "manifest.json") }) {
		if time.Now().After(deadline) {
			t.Fatal("the download never started")
		}
		time.Sleep(20 * time.Millisecond)
	}
	if _, err := a.Sync("prod", 0); backend.ErrorCode(err) != backend.ECONFLICT {
		t.Errorf("a second sync while one runs: %v, want ECONFLICT", err)
	}
	if got := a.RunningSyncs(); !slices.Equal(got, []string{"prod"}) {
		t.Errorf("running syncs: %q, want prod", got)
	}
	if err := a.CancelSync("prod"); err != nil {
		t.Fatal(err)
	}
	select {
	case r := <-done:
		if backend.ErrorCode(r.err) != backend.ECANCELED {
			t.Fatalf("cancelled sync returned %v, want ECANCELED", r.err)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("sync did not stop after cancel")
	}
	if got := a.RunningSyncs(); len(got) != 0 {
		t.Errorf("running syncs after cancel: %q", got)
	}
	snaps, err := a.Snapshots()
	if err != nil || len(snaps) != 0 {
		t.Fatalf("after cancel: %d snapshots, %v", len(snaps), err)
	}
	hist, err := a.SyncHistory("prod")
	if err != nil || len(hist) != 1 || hist[0].Status != backend.SyncCanceled {
		t.Fatalf("history after cancel: %+v, %v", hist, err)
	}
}
