package dbtcloud_test

import (
	"encoding/json"
	"strings"
	"testing"
	"time"

	"github.com/lineagedesk/lineagedesk/backend"
	"github.com/lineagedesk/lineagedesk/backend/dbtcloud"
	"github.com/lineagedesk/lineagedesk/backend/dbtcloud/fakecloud"
)

func steps(names ...string) []dbtcloud.RunStep {
	out := make([]dbtcloud.RunStep, len(names))
	for i, n := range names {
		out[i] = dbtcloud.RunStep{Index: i + 1, Name: n, Status: 10}
	}
	return out
}

var buildSteps = steps("Clone git repository", "Create profile from connection Snowflake", "Invoke dbt with `dbt deps`",
	"Invoke dbt with `dbt source freshness`", "Invoke dbt with `dbt build --select tag:daily`", "Invoke dbt with `dbt docs generate`")

func run(id int64, status int, finished time.Time, docs bool) *dbtcloud.Run {
	return &dbtcloud.Run{ID: id, JobDefinitionID: 45, Status: status, FinishedAt: finished, HasDocsGenerated: docs, RunSteps: buildSteps}
}

func TestChooseRun(t *testing.T) {
	job := &dbtcloud.Job{ID: 45, Name: "Nightly", GenerateDocs: true}
	t0 := time.Date(2026, 11, 20, 3, 12, 0, 0, time.UTC)
	h := time.Hour
	tests := []struct {
		name     string
		runs     []*dbtcloud.Run
		runID    int64
		want     int64
		code     string
		reason   string
		warnings int
	}{
		{"newest successful with docs", []*dbtcloud.Run{run(1, 10, t0.Add(-h), true), run(2, 10, t0, true)}, 0, 2, "", "run 2 of job 45 \"Nightly\": newest successful run with docs, finished 2026-11-20 03:12 UTC", 0},
		{"skips running, queued, failed, cancelled", []*dbtcloud.Run{
			run(2, 10, t0, true), run(3, 20, t0.Add(h), true), run(4, 30, t0.Add(2*h), false),
			run(5, 3, time.Time{}, false), run(6, 1, time.Time{}, false)}, 0, 2, "", "skipped 4 newer", 0},
		{"order by finish time, not input order or id", []*dbtcloud.Run{run(9, 10, t0.Add(-h), true), run(8, 10, t0, true)}, 0, 8, "", "run 8", 0},
		{"ignores other jobs' runs", []*dbtcloud.Run{{ID: 77, JobDefinitionID: 46, Status: 10, FinishedAt: t0.Add(h), HasDocsGenerated: true}, run(2, 10, t0, true)}, 0, 2, "", "run 2", 0},
		{"no docs anywhere falls back with a warning", []*dbtcloud.Run{run(2, 10, t0, false), run(1, 10, t0.Add(-h), false)}, 0, 2, "", "none of the recent successful runs generated docs", 1},
		{"docs run older than a no-docs run", []*dbtcloud.Run{run(2, 10, t0, false), run(1, 10, t0.Add(-h), true)}, 0, 1, "", "run 1", 0},
		{"nothing successful", []*dbtcloud.Run{run(3, 20, t0, true), run(4, 30, t0, true), run(5, 3, time.Time{}, false)}, 0, 0, backend.ENOTFOUND, "no successful run among its 3 most recent (1 running, 1 cancelled, 1 error)", 0},
		{"no runs", nil, 0, 0, backend.ENOTFOUND, "has no successful run:", 0},
		{"explicit run", []*dbtcloud.Run{run(1, 10, t0.Add(-h), true), run(2, 10, t0, true)}, 1, 1, "", "the run id asked for", 0},
		{"explicit run without docs warns", []*dbtcloud.Run{run(1, 10, t0, false)}, 1, 1, "", "run 1", 1},
		{"explicit run still running", []*dbtcloud.Run{run(5, 3, time.Time{}, false)}, 5, 0, backend.ECONFLICT, "is running, not finished", 0},
		{"explicit run failed", []*dbtcloud.Run{run(3, 20, t0, true)}, 3, 0, backend.EINVALID, "ended with status error", 0},
		{"explicit run cancelled", []*dbtcloud.Run{run(4, 30, t0, false)}, 4, 0, backend.EINVALID, "status cancelled", 0},
		{"explicit run missing", []*dbtcloud.Run{run(1, 10, t0, true)}, 99, 0, backend.ENOTFOUND, "run 99 is not a run of job 45", 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := dbtcloud.ChooseRun(job, tt.runs, tt.runID)
			if tt.code != "" {
				wantCode(t, err, tt.code)
				if !strings.Contains(err.Error(), tt.reason) {
					t.Errorf("error %q lacks %q", err, tt.reason)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if got.Run.ID != tt.want || !strings.Contains(got.Reason, tt.reason) || len(got.Warnings) != tt.warnings {
				t.Errorf("chose %d (%q, warnings %v), want %d with %q", got.Run.ID, got.Reason, got.Warnings, tt.want, tt.reason)
			}
			if got.Steps.Results != 5 || got.Steps.ResultsCommand != "build" || got.Steps.Freshness != 4 || got.Steps.Docs != 6 {
				t.Errorf("steps = %+v", got.Steps)
			}
		})
	}
}

func TestStepCommand(t *testing.T) {
	for name, want := range map[string]string{
		"Invoke dbt with `dbt build`":                      "build",
		"Invoke dbt with `dbt build --select tag:daily+`":  "build",
		"Invoke dbt with `dbt source freshness`":           "source freshness",
		"Invoke dbt with `dbt docs generate --no-compile`": "docs generate",
		"Invoke dbt with `dbt test -s state:modified`":     "test",
		"Invoke dbt with dbt run --full-refresh":           "run",
		"Clone git repository":                             "",
		"Create profile from connection Postgres":          "",
		"Invoke dbt with `dbt deps`":                       "deps",
		"Invoke dbt with `dbt source snapshot-freshness`":  "source snapshot-freshness",
		"Invoke dbt with `git clone`":                      "",
		// Global flags before the command, with and without values.
		"Invoke dbt with `dbt --debug build`":                                            "build",
		"Invoke dbt with `dbt -x build`":                                                 "build",
		"Invoke dbt with `dbt --warn-error-options '{\"include\": \"all\"}' build -s x`": "build",
		"Invoke dbt with `dbt --log-format json --debug docs generate`":                  "docs generate",
		"Invoke dbt with `dbt --target prod source freshness`":                           "source freshness",
		"Invoke dbt with `dbt retry`":                                                    "retry",
		"Invoke dbt with `dbt --debug`":                                                  "",
		"Invoke dbt with `dbt --log-level debug build`":                                  "build",
		"Invoke dbt with `dbt --log-level debug --log-format json test`":                 "test",
		"Invoke dbt with `dbt --target run build`":                                       "build",
		"Invoke dbt with `dbt --log-file-max-bytes 10000000 build`":                      "build",
		"Invoke dbt with `dbt --partial-parse-file-path ./pp.msgpack build`":             "build",
		// The boxes' steps named in words, as code written against real
		// runs reads them.
		"Generate docs":                      "docs generate",
		"Generation of docs":                 "docs generate",
		"Invoke dbt with Generation of docs": "docs generate",
		"Source freshness":                   "source freshness",
		"Invoke dbt with `dbt deps` (docs)":  "deps",
	} {
		if got := dbtcloud.StepCommand(name); got != want {
			t.Errorf("StepCommand(%q) = %q, want %q", name, got, want)
		}
	}
}

func TestChooseSteps(t *testing.T) {
	tests := []struct {
		name     string
		steps    []dbtcloud.RunStep
		want     dbtcloud.Steps
		warnings int
	}{
		{"build then docs", buildSteps, dbtcloud.Steps{Results: 5, ResultsCommand: "build", Freshness: 4, Docs: 6}, 0},
		{"run then test: the test step", steps("Clone git repository", "Invoke dbt with `dbt run`", "Invoke dbt with `dbt test`", "Invoke dbt with `dbt docs generate`"),
			dbtcloud.Steps{Results: 3, ResultsCommand: "test", Docs: 4}, 0},
		{"test then seed: still the test step", steps("Invoke dbt with `dbt test`", "Invoke dbt with `dbt seed`"), dbtcloud.Steps{Results: 1, ResultsCommand: "test"}, 0},
		{"docs only", steps("Clone git repository", "Invoke dbt with `dbt docs generate`"), dbtcloud.Steps{Docs: 2}, 1},
		{"no steps included", nil, dbtcloud.Steps{}, 1},
		{"the boxes' steps named in words", steps("Clone git repository", "Create profile from connection Snowflake", "Invoke dbt with `dbt deps`",
			"Source freshness", "Invoke dbt with `dbt build`", "Generate docs"), dbtcloud.Steps{Results: 5, ResultsCommand: "build", Freshness: 4, Docs: 6}, 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, warnings := dbtcloud.ChooseSteps(&dbtcloud.Run{ID: 1, RunSteps: tt.steps})
			if got != tt.want || len(warnings) != tt.warnings {
				t.Errorf("got %+v %v, want %+v and %d warnings", got, warnings, tt.want, tt.warnings)
			}
		})
	}
}

func TestChooseJobs(t *testing.T) {
	prod := &dbtcloud.Environment{ID: 20, Name: "Production", Type: "deployment", DeploymentType: "production"}
	staging := &dbtcloud.Environment{ID: 22, Name: "Staging", Type: "deployment", DeploymentType: "staging"}
	dev := &dbtcloud.Environment{ID: 21, Name: "Dev", Type: "development"}
	nightly := &dbtcloud.Job{ID: 100, EnvironmentID: 20, Name: "Nightly", GenerateDocs: true}
	ci := &dbtcloud.Job{ID: 101, EnvironmentID: 20, Name: "CI", GenerateDocs: true, JobType: "ci"}
	hourly := &dbtcloud.Job{ID: 102, EnvironmentID: 20, Name: "Hourly"}
	stagingDocs := &dbtcloud.Job{ID: 103, EnvironmentID: 22, Name: "Staging docs", GenerateDocs: true}
	jobs := []*dbtcloud.Job{nightly, ci, hourly, stagingDocs}
	tests := []struct {
		name     string
		project  dbtcloud.Project
		envs     []*dbtcloud.Environment
		jobs     []*dbtcloud.Job
		n        dbtcloud.Narrowing
		want     []int64
		code     string
		warnings int
	}{
		{"production jobs with docs, not CI", dbtcloud.Project{ID: 1}, []*dbtcloud.Environment{prod, staging, dev}, jobs, dbtcloud.Narrowing{}, []int64{100}, "", 0},
		{"docs job wins", dbtcloud.Project{ID: 1, DocsJobID: 103}, []*dbtcloud.Environment{prod, staging}, jobs, dbtcloud.Narrowing{}, []int64{103}, "", 0},
		{"configured job", dbtcloud.Project{ID: 1, DocsJobID: 103}, nil, jobs, dbtcloud.Narrowing{JobID: 102}, []int64{102}, "", 1},
		{"configured job missing", dbtcloud.Project{ID: 1}, nil, jobs, dbtcloud.Narrowing{JobID: 999}, nil, backend.ENOTFOUND, 0},
		{"configured CI job: synced, with a warning", dbtcloud.Project{ID: 1}, nil, jobs, dbtcloud.Narrowing{JobID: 101}, []int64{101}, "", 1},
		{"configured environment", dbtcloud.Project{ID: 1}, []*dbtcloud.Environment{prod, staging}, jobs, dbtcloud.Narrowing{EnvironmentID: 22}, []int64{103}, "", 0},
		{"no production environment", dbtcloud.Project{ID: 1}, []*dbtcloud.Environment{staging, dev}, jobs, dbtcloud.Narrowing{}, []int64{103}, "", 1},
		{"no docs jobs: fall back with warnings", dbtcloud.Project{ID: 1}, []*dbtcloud.Environment{prod}, []*dbtcloud.Job{ci, hourly}, dbtcloud.Narrowing{}, []int64{102}, "", 1},
		{"only CI jobs", dbtcloud.Project{ID: 1}, []*dbtcloud.Environment{prod}, []*dbtcloud.Job{ci}, dbtcloud.Narrowing{}, nil, backend.ENOTFOUND, 0},
		{"only development", dbtcloud.Project{ID: 1}, []*dbtcloud.Environment{dev}, jobs, dbtcloud.Narrowing{}, nil, backend.ENOTFOUND, 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, warnings, err := dbtcloud.ChooseJobs(&tt.project, tt.envs, tt.jobs, tt.n)
			if tt.code != "" {
				wantCode(t, err, tt.code)
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			var ids []int64
			for _, c := range got {
				ids = append(ids, c.Job.ID)
				if c.Reason == "" {
					t.Error("no reason")
				}
			}
			if len(ids) != len(tt.want) || (len(ids) > 0 && ids[0] != tt.want[0]) || len(warnings) != tt.warnings {
				t.Errorf("chose %v %v, want %v and %d warnings", ids, warnings, tt.want, tt.warnings)
			}
		})
	}
}

func TestConnectionReport(t *testing.T) {
	fc := newFake(t)
	// A second project the token may not read the environments of.
	fc.AddProject(fakecloud.Project{ID: 11, AccountID: acct, Name: "hidden"})
	fc.FailPath(fakecloud.RouteEnvironments, "/projects/11/", -1, fakecloud.Status(403))
	c := newClient(t, fc, nil)
	rep, err := c.TestConnection(t.Context(), acct, dbtcloud.Narrowing{})
	if err != nil {
		t.Fatal(err)
	}
	if rep.AccountName != "Acme" || len(rep.Projects) != 2 {
		t.Fatalf("report = %+v", rep)
	}
	p := rep.Projects[0]
	if len(p.Environments) != 2 || !p.Environments[0].Production || len(p.Jobs) != 3 {
		t.Fatalf("project = %+v", p)
	}
	for _, j := range p.Jobs {
		switch j.ID {
		case nightly:
			if !j.Selected || !j.GenerateDocs || len(j.LatestRuns) != 3 || j.LatestRuns[0].ID != 1004 || j.LatestRuns[0].StatusName != "running" {
				t.Errorf("nightly = %+v", j)
			}
		case ciJob:
			if j.Selected || !j.CI {
				t.Errorf("CI job = %+v", j)
			}
		case hourly:
			if j.Selected || j.GenerateDocs {
				t.Errorf("hourly = %+v", j)
			}
		}
	}
	if !strings.Contains(strings.Join(rep.Warnings, "\n"), "project 11 \"hidden\"") {
		t.Errorf("warnings = %v", rep.Warnings)
	}
	b, err := json.Marshal(rep)
	if err != nil || strings.Contains(string(b), fc.Token) {
		t.Fatalf("json: %v", err)
	}

	if _, err := c.TestConnection(t.Context(), acct, dbtcloud.Narrowing{ProjectID: 999}); backend.ErrorCode(err) != backend.ENOTFOUND {
		t.Errorf("missing project: %v", err)
	}
	if _, err := c.TestConnection(t.Context(), 42, dbtcloud.Narrowing{}); backend.ErrorCode(err) != backend.ENOTFOUND || !strings.Contains(err.Error(), "account id") {
		t.Errorf("wrong account: %v", err)
	}
}
