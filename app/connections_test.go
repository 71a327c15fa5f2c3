package app_test

import (
	"fmt"
	"path/filepath"
	"reflect"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/lineagedesk/lineagedesk/app"
	"github.com/lineagedesk/lineagedesk/backend"
	"github.com/lineagedesk/lineagedesk/backend/dbtcloud"
	"github.com/lineagedesk/lineagedesk/backend/dbtcloud/fakecloud"
)

// A saved token goes only to the access URL it was saved for: an edit (or
// a test) that names another host with the token left empty is refused
// before anything is sent there, and the saved connection is unchanged.
func TestSavedTokenStaysWithItsAccessURL(t *testing.T) {
	a, _, _ := openApp(t)
	home := cloudWithRuns(t)
	connect(t, a, home)
	elsewhere := fakecloud.New(t)
	elsewhere.AddAccount(fakecloud.Account{ID: accountID, Name: "Elsewhere"})

	moved := app.ConnectionInput{Name: "prod", AccessURL: elsewhere.URL, AccountID: accountID, Replace: true}
	if _, err := a.TestConnection(moved); backend.ErrorCode(err) != backend.EINVALID || !strings.Contains(err.Error(), "paste the token again") {
		t.Fatalf("testing a saved connection against another host: %v", err)
	}
	if _, err := a.SaveConnection(moved); backend.ErrorCode(err) != backend.EINVALID || !strings.Contains(err.Error(), "access URL changed") {
		t.Fatalf("saving a saved connection with another host and no token: %v", err)
	}
	if n := len(elsewhere.Requests()); n != 0 {
		t.Fatalf("the other host received %d requests", n)
	}
	cs, err := a.Connections()
	if err != nil || len(cs) != 1 || cs[0].AccessURL != strings.TrimRight(home.URL, "/") {
		t.Fatalf("the saved connection changed: %+v, %v", cs, err)
	}

	// With the token typed again the move is the user's own, and allowed.
	moved.Token = elsewhere.Token
	if _, err := a.TestConnection(moved); err != nil {
		t.Fatalf("test with the token typed again: %v", err)
	}
	if _, err := a.SaveConnection(moved); err != nil {
		t.Fatalf("save with the token typed again: %v", err)
	}
	// The same host with the token left empty still keeps the saved token.
	moved.Token = ""
	if _, err := a.TestConnection(moved); err != nil {
		t.Fatalf("test of the saved connection on its own host: %v", err)
	}
}

// Saving a new connection under a name in use is refused, and the saved
// connection stays as it was (QA: "New connection" named like another one
// replaced it, token, account and all); an edit replaces it, keeping its
// creation time.
func TestNewConnectionNeverReplacesAnother(t *testing.T) {
	a, _, _ := openApp(t)
	srv := cloudWithRuns(t)
	connect(t, a, srv)
	before, err := a.Connections()
	if err != nil || len(before) != 1 {
		t.Fatalf("connections: %+v, %v", before, err)
	}
	other := app.ConnectionInput{Name: " prod ", AccessURL: "https://cloud.getdbt.com", AccountID: 7002, Token: "dbtc_other"}
	_, err = a.SaveConnection(other)
	if backend.ErrorCode(err) != backend.ECONFLICT || !strings.Contains(err.Error(), fmt.Sprintf(`a connection named "prod" is already saved (account %d`, accountID)) {
		t.Fatalf("a new connection named like a saved one: %v, want ECONFLICT naming the saved one", err)
	}
	after, err := a.Connections()
	if err != nil || !reflect.DeepEqual(after, before) {
		t.Fatalf("the saved connection changed: %+v, was %+v (%v)", after, before, err)
	}
	if _, err := a.TestConnection(app.ConnectionInput{Name: "prod", AccessURL: srv.URL, AccountID: accountID}); err != nil {
		t.Fatalf("the saved token no longer works: %v", err)
	}

	edit := app.ConnectionInput{Name: "prod", AccessURL: srv.URL, AccountID: accountID, JobID: jobID, Replace: true}
	saved, err := a.SaveConnection(edit)
	if err != nil {
		t.Fatal(err)
	}
	if saved.JobID != jobID || !saved.CreatedAt.Equal(before[0].CreatedAt) {
		t.Errorf("the edit saved %+v, want job %d and the creation time %v", saved, jobID, before[0].CreatedAt)
	}
}

// The test names the run a sync takes, found as the sync finds it: the
// job's three latest runs failed, were cancelled or are running, and an
// older one succeeded (QA: the test said "nothing to sync yet" and the
// sync then took run 901).
func TestConnectionTestNamesTheRunASyncTakes(t *testing.T) {
	srv := cloudWithRuns(t)
	at := time.Date(2026, 11, 20, 6, 0, 0, 0, time.UTC)
	srv.AddRun(fakecloud.Run{ID: 904, JobID: jobID, Status: 20, CreatedAt: at, FinishedAt: at.Add(time.Minute), Steps: fakecloud.StandardSteps("dbt build", false, true)})
	a, _, _ := openApp(t)
	rep, err := a.TestConnection(app.ConnectionInput{Name: "prod", AccessURL: srv.URL, AccountID: accountID, Token: srv.Token})
	if err != nil {
		t.Fatal(err)
	}
	job := rep.Projects[0].Jobs[0]
	if len(job.LatestRuns) != 3 || slices.ContainsFunc(job.LatestRuns, func(r dbtcloud.RunSummary) bool { return r.StatusName == "Success" }) {
		t.Fatalf("latest runs: %+v, want three that did not succeed", job.LatestRuns)
	}
	if job.NextRun == nil || job.NextRun.ID != 901 || !strings.Contains(job.NextRunReason, "newest successful run with docs") {
		t.Errorf("next run: %+v (%q), want 901, the newest successful run with docs", job.NextRun, job.NextRunReason)
	}
	if slices.ContainsFunc(rep.Warnings, func(w string) bool { return strings.Contains(w, "nothing to sync") }) {
		t.Errorf("warnings: %q", rep.Warnings)
	}
	if _, err := a.SaveConnection(app.ConnectionInput{Name: "prod", AccessURL: srv.URL, AccountID: accountID, Token: srv.Token}); err != nil {
		t.Fatal(err)
	}
	if res, err := a.Sync("prod", 0); err != nil || res.RunID != job.NextRun.ID {
		t.Errorf("the sync took run %d (%v), the test said %d", res.RunID, err, job.NextRun.ID)
	}

	// A job with no successful run at all: the test says so.
	srv.AddJob(fakecloud.Job{ID: 37, ProjectID: projectID, EnvironmentID: envID, Name: "Always failing", GenerateDocs: true})
	srv.AddRun(fakecloud.Run{ID: 970, JobID: 37, Status: 20, CreatedAt: at, FinishedAt: at.Add(time.Minute)})
	rep, err = a.TestConnection(app.ConnectionInput{Name: "prod", AccessURL: srv.URL, AccountID: accountID, JobID: 37})
	if err != nil {
		t.Fatal(err)
	}
	if !slices.ContainsFunc(rep.Warnings, func(w string) bool {
		return strings.Contains(w, `job 37 "Always failing" has no successful run`) && strings.Contains(w, "nothing to sync yet")
	}) {
		t.Errorf("warnings of a job with no successful run: %q", rep.Warnings)
	}
}

// A connection test fails, naming the setting, when a pin leaves nothing to
// sync: saved as it is, the connection would fail at its first sync.
func TestConnectionTestChecksPins(t *testing.T) {
	a, _, _ := openApp(t)
	srv := cloudWithRuns(t)
	base := app.ConnectionInput{Name: "prod", AccessURL: srv.URL, AccountID: accountID, Token: srv.Token}
	cases := []struct {
		name   string
		edit   func(*app.ConnectionInput)
		code   string
		phrase string
	}{
		{"a job of no project", func(in *app.ConnectionInput) { in.JobID = 777 }, backend.ENOTFOUND, "check the job id setting"},
		{"an environment of no project", func(in *app.ConnectionInput) { in.EnvironmentID = 778 }, backend.ENOTFOUND, "check the environment id setting"},
		{"a run that does not exist", func(in *app.ConnectionInput) { in.RunID = 123456 }, backend.ENOTFOUND, "run 123456"},
		{"a cancelled run", func(in *app.ConnectionInput) { in.RunID = 902 }, backend.EINVALID, "not success"},
		{"a negative job id", func(in *app.ConnectionInput) { in.JobID = -1 }, backend.EINVALID, "job ID -1 is not an id"},
	}
	for _, c := range cases {
		in := base
		c.edit(&in)
		_, err := a.TestConnection(in)
		if backend.ErrorCode(err) != c.code || err == nil || !strings.Contains(err.Error(), c.phrase) {
			t.Errorf("%s: %v; want %s saying %q", c.name, err, c.code, c.phrase)
		}
	}
	good := base
	good.JobID, good.RunID = jobID, 901
	if _, err := a.TestConnection(good); err != nil {
		t.Errorf("the right job and a successful run of it: %v", err)
	}
}

// A run asked for by id is refused when it lies outside the connection's
// pins (another job's run would land in this connection's history).
func TestSyncRefusesARunOutsideThePins(t *testing.T) {
	srv := cloudWithRuns(t)
	srv.AddJob(fakecloud.Job{ID: 32, ProjectID: projectID, EnvironmentID: envID, Name: "Hourly", ExecuteSteps: []string{"dbt run"}})
	at := time.Date(2026, 11, 22, 3, 0, 0, 0, time.UTC)
	srv.AddRun(fakecloud.Run{ID: 960, JobID: 32, Status: 10, CreatedAt: at, FinishedAt: at.Add(time.Minute), Steps: fakecloud.StandardSteps("dbt run", false, false)})
	a, _, _ := openApp(t)
	in := app.ConnectionInput{Name: "prod", AccessURL: srv.URL, AccountID: accountID, Token: srv.Token, JobID: jobID}
	if _, err := a.SaveConnection(in); err != nil {
		t.Fatal(err)
	}
	_, err := a.Sync("prod", 960)
	if backend.ErrorCode(err) != backend.EINVALID || !strings.Contains(err.Error(), "not of the connection's job 31") {
		t.Fatalf("sync of another job's run: %v", err)
	}
	if n := len(srv.RequestsTo(fakecloud.RouteArtifact)); n != 0 {
		t.Errorf("%d artifacts downloaded", n)
	}
}

// A job pin that is right says nothing about the other projects, which do
// not hold the job: neither the test nor the sync warned "check the job id
// setting" once per other project.
func TestRightJobPinInOneOfSeveralProjects(t *testing.T) {
	srv := cloudWithRuns(t)
	srv.AddProject(fakecloud.Project{ID: 12, AccountID: accountID, Name: "marketing"}).
		AddEnvironment(fakecloud.Environment{ID: 22, ProjectID: 12, Name: "Production", Type: "deployment", DeploymentType: "production"}).
		AddJob(fakecloud.Job{ID: 41, ProjectID: 12, EnvironmentID: 22, Name: "Marketing nightly", GenerateDocs: true})
	a, _, _ := openApp(t)
	in := app.ConnectionInput{Name: "prod", AccessURL: srv.URL, AccountID: accountID, Token: srv.Token, JobID: jobID}
	rep, err := a.TestConnection(in)
	if err != nil {
		t.Fatal(err)
	}
	if slices.ContainsFunc(rep.Warnings, func(w string) bool { return strings.Contains(w, "job id setting") }) {
		t.Errorf("the test of a right job pin warns: %q", rep.Warnings)
	}
	if _, err := a.SaveConnection(in); err != nil {
		t.Fatal(err)
	}
	res, err := a.Sync("prod", 0)
	if err != nil || res.RunID != 901 {
		t.Fatalf("sync: run %d, %v", res.RunID, err)
	}
	if slices.ContainsFunc(res.Warnings, func(w string) bool { return strings.Contains(w, "job id setting") }) {
		t.Errorf("the sync of a right job pin warns: %q", res.Warnings)
	}
	// Pinned to a job no project holds, the sync says so once.
	in.JobID, in.Replace = 777, true
	if _, err := a.SaveConnection(in); err != nil {
		t.Fatal(err)
	}
	if _, err := a.Sync("prod", 0); backend.ErrorCode(err) != backend.ENOTFOUND || !strings.Contains(err.Error(), "job 777 is not an active job of any project") {
		t.Errorf("sync pinned to no project's job: %v", err)
	}
}

// Input the API would take without complaint, and then fail on or ignore,
// is refused at once with what is wrong (QA of serve's API).
func TestInputRefusedWithItsReason(t *testing.T) {
	a, _, _ := openApp(t)
	_, err := a.SaveConnection(app.ConnectionInput{Name: "prod", AccessURL: "https://cloud.getdbt.com", AccountID: 1, Token: "dbtc_abc def"})
	if backend.ErrorCode(err) != backend.EINVALID || !strings.Contains(err.Error(), "space") {
		t.Errorf("a token with a space: %v, want EINVALID saying so", err)
	}
	if _, err := a.ImportPaths([]string{""}, ""); backend.ErrorCode(err) != backend.EINVALID || !strings.Contains(err.Error(), "empty path") {
		t.Errorf("an empty path: %v, want EINVALID saying so", err)
	}
	if _, err := a.ImportPaths([]string{filepath.Join(fixtures, "jaffle-dap-v12-1.12")}, ""); err != nil {
		t.Fatal(err)
	}
	if _, err := a.Resources(0, backend.ResourceFilter{ResourceTypes: []string{"modle"}}); backend.ErrorCode(err) != backend.EINVALID || !strings.Contains(err.Error(), `"modle" is not a resource type`) {
		t.Errorf("an unknown resource type: %v, want EINVALID", err)
	}
	if _, err := a.Lineage(app.LineageRequest{Select: "orders", Format: "json", GroupBy: "select: "}); backend.ErrorCode(err) != backend.EINVALID || !strings.Contains(err.Error(), "after select:") {
		t.Errorf("group by select: of nothing: %v, want EINVALID asking for a selector", err)
	}
}
