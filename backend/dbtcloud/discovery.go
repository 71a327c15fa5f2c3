package dbtcloud

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"time"

	"github.com/lineagedesk/lineagedesk/backend"
)

// Narrowing is what a connection pins down; zero fields are discovered.
type Narrowing struct {
	ProjectID     int64 `json:"project_id,omitempty"`
	EnvironmentID int64 `json:"environment_id,omitempty"`
	JobID         int64 `json:"job_id,omitempty"`
}

// pinNotInProject is ChooseJobs' error when the pinned job or environment
// is not in the project: with several projects and no project pin, it is
// in another one, and only "in none of them" is worth saying (PinNotFound).
type pinNotInProject struct{ err *backend.Error }

func (p pinNotInProject) Error() string { return p.err.Error() }
func (p pinNotInProject) Unwrap() error { return p.err }

// IsPinNotInProject reports whether err says a pin is in another project.
func IsPinNotInProject(err error) bool {
	var p pinNotInProject
	return errors.As(err, &p)
}

// PinNotFound is the error when no project holds the pinned job, or none
// has a job to sync in the pinned environment.
func PinNotFound(n Narrowing) error {
	if n.JobID != 0 {
		return backend.Errorf(backend.ENOTFOUND, "job %d is not an active job of %s the token can see: check the job id setting (the number after /jobs/ in the job's URL)", n.JobID, projectsText(n))
	}
	return backend.Errorf(backend.ENOTFOUND, "environment %d has no job to sync in %s the token can see: check the environment id setting (the number after /environments/ in its URL)", n.EnvironmentID, projectsText(n))
}

// SumUpIdleProjects says why projects have nothing to sync: each reason
// when there are few, else how many with the first as an example (an
// account of 150 projects printed 150 lines).
func SumUpIdleProjects(why []string) []string {
	if len(why) <= 3 {
		return why
	}
	return []string{fmt.Sprintf("%d reasons why projects have nothing to sync, e.g. %s; set the project id to sync one of them", len(why), why[0])}
}

// JobChoice is a job selected for syncing and why.
type JobChoice struct {
	Job    *Job   `json:"job"`
	Reason string `json:"reason"`
}

// ChooseJobs selects the jobs of project whose runs to sync: the configured
// job; else the project's docs job (docs_job_id); else the non-CI jobs of
// the configured or the production environment that generate docs (falling
// back to any deployment environment, and to jobs without docs, each with a
// warning).
func ChooseJobs(project *Project, envs []*Environment, jobs []*Job, n Narrowing) ([]JobChoice, []string, error) {
	byID := func(id int64) *Job {
		i := slices.IndexFunc(jobs, func(j *Job) bool { return j.ID == id })
		if i < 0 {
			return nil
		}
		return jobs[i]
	}
	var warnings []string
	if n.JobID != 0 {
		j := byID(n.JobID)
		if j == nil {
			return nil, nil, pinNotInProject{backend.Errorf(backend.ENOTFOUND, "job %d is not an active job of project %d %q: check the job id setting", n.JobID, project.ID, project.Name)}
		}
		if !j.GenerateDocs {
			warnings = append(warnings, noDocsJobWarning(j))
		}
		if j.IsCI() {
			warnings = append(warnings, fmt.Sprintf("job %d %q is a CI job: its runs build pull requests' code in a temporary schema, not what production holds; set a deployment job to sync production", j.ID, j.Name))
		}
		return []JobChoice{{Job: j, Reason: "the job id set in the connection"}}, warnings, nil
	}
	if j := byID(project.DocsJobID); j != nil && (n.EnvironmentID == 0 || j.EnvironmentID == n.EnvironmentID) {
		return []JobChoice{{Job: j, Reason: "the project's documentation job (Project settings > Artifacts)"}}, warnings, nil
	}

	var chosen []*Environment
	switch {
	case n.EnvironmentID != 0:
		i := slices.IndexFunc(envs, func(e *Environment) bool { return e.ID == n.EnvironmentID })
		if i < 0 {
			return nil, nil, pinNotInProject{backend.Errorf(backend.ENOTFOUND, "environment %d is not in project %d %q: check the environment id setting", n.EnvironmentID, project.ID, project.Name)}
		}
		chosen = envs[i : i+1]
	default:
		for _, e := range envs {
			if e.IsProduction() {
				chosen = append(chosen, e)
			}
		}
		if len(chosen) == 0 {
			for _, e := range envs {
				if e.Type == EnvDeployment {
					chosen = append(chosen, e)
				}
			}
			if len(chosen) == 0 {
				return nil, warnings, backend.Errorf(backend.ENOTFOUND, "project %d %q has no deployment environment, so no job runs to read: create one in dbt Cloud, or set the environment id", project.ID, project.Name)
			}
			warnings = append(warnings, fmt.Sprintf("project %d %q has no environment marked production; using its deployment environments: mark one as production, or set the environment id", project.ID, project.Name))
		}
	}
	inChosen := func(j *Job) bool {
		return slices.ContainsFunc(chosen, func(e *Environment) bool { return e.ID == j.EnvironmentID })
	}
	var withDocs, withoutDocs []*Job
	for _, j := range jobs {
		if !inChosen(j) || j.IsCI() {
			continue
		}
		if j.GenerateDocs {
			withDocs = append(withDocs, j)
		} else {
			withoutDocs = append(withoutDocs, j)
		}
	}
	envName := chosen[0].Name
	if len(withDocs) > 0 {
		out := make([]JobChoice, len(withDocs))
		for i, j := range withDocs {
			out[i] = JobChoice{Job: j, Reason: fmt.Sprintf("generates docs in environment %q", envName)}
		}
		return out, warnings, nil
	}
	if len(withoutDocs) == 0 {
		return nil, warnings, backend.Errorf(backend.ENOTFOUND, "environment %q of project %d %q has no deployment job (CI jobs do not count): create a job there, or set the job id", envName, project.ID, project.Name)
	}
	out := make([]JobChoice, len(withoutDocs))
	for i, j := range withoutDocs {
		out[i] = JobChoice{Job: j, Reason: fmt.Sprintf("runs in environment %q (no job there generates docs)", envName)}
		warnings = append(warnings, noDocsJobWarning(j))
	}
	return out, warnings, nil
}

func noDocsJobWarning(j *Job) string {
	return fmt.Sprintf("job %d %q does not generate docs: its runs yield no catalog.json, so column types are unknown; turn on \"Generate docs on run\"", j.ID, j.Name)
}

// ConnectionReport is what TestConnection found, for the settings screen
// and the CLI.
type ConnectionReport struct {
	AccessURL   string          `json:"access_url"`
	AccountID   int64           `json:"account_id"`
	AccountName string          `json:"account_name"`
	Projects    []ProjectReport `json:"projects"`
	Warnings    []string        `json:"warnings"`
}

// ProjectReport describes one project.
type ProjectReport struct {
	ID           int64               `json:"id"`
	Name         string              `json:"name"`
	DocsJobID    int64               `json:"docs_job_id,omitempty"`
	Environments []EnvironmentReport `json:"environments"`
	Jobs         []JobReport         `json:"jobs"`
}

// EnvironmentReport describes one environment.
type EnvironmentReport struct {
	ID             int64  `json:"id"`
	Name           string `json:"name"`
	Type           string `json:"type"`
	DeploymentType string `json:"deployment_type,omitempty"`
	Production     bool   `json:"production"`
}

// JobReport describes one job and, for selected jobs, its latest runs.
type JobReport struct {
	ID                 int64        `json:"id"`
	Name               string       `json:"name"`
	EnvironmentID      int64        `json:"environment_id"`
	JobType            string       `json:"job_type,omitempty"`
	CI                 bool         `json:"ci"`
	GenerateDocs       bool         `json:"generate_docs"`
	RunGenerateSources bool         `json:"run_generate_sources"`
	Selected           bool         `json:"selected"`
	Reason             string       `json:"reason,omitempty"` // why it was selected
	LatestRuns         []RunSummary `json:"latest_runs,omitempty"`
	// NextRun is the run a sync takes now (RunToSync), and why.
	NextRun       *RunSummary `json:"next_run,omitempty"`
	NextRunReason string      `json:"next_run_reason,omitempty"`
}

// RunSummary is a run as the report lists it.
type RunSummary struct {
	ID                  int64     `json:"id"`
	Status              int       `json:"status"`
	StatusName          string    `json:"status_name"`
	FinishedAt          time.Time `json:"finished_at,omitzero"`
	HasDocsGenerated    bool      `json:"has_docs_generated"`
	HasSourcesGenerated bool      `json:"has_sources_generated"`
}

func runSummary(r *Run) RunSummary {
	return RunSummary{ID: r.ID, Status: r.Status, StatusName: StatusName(r.Status), FinishedAt: r.FinishedAt, HasDocsGenerated: r.HasDocsGenerated, HasSourcesGenerated: r.HasSourcesGenerated}
}

// reportRuns is how many recent runs the report shows per selected job.
const reportRuns = 3

// TestConnection checks the host, the token and the account, then lists
// the projects (only n.ProjectID when set), their environments, their jobs
// with whether they generate docs, and the latest runs of the jobs a sync
// would use. Failures reading one project are warnings, so one hidden
// project does not hide the rest; a failure on the account is the error
// (a *backend.Error that says what to fix), with the partial report.
func (c *Client) TestConnection(ctx context.Context, accountID int64, n Narrowing) (*ConnectionReport, error) {
	rep := &ConnectionReport{AccessURL: c.accessURL, AccountID: accountID, Projects: []ProjectReport{}, Warnings: []string{}}
	if accountID <= 0 {
		return rep, backend.Errorf(backend.EINVALID, "dbt Cloud account id is missing: copy it from the URL of your account (…/deploy/<account id>/…) or Account settings")
	}
	acct, err := c.Account(ctx, accountID)
	if err != nil {
		return rep, err
	}
	rep.AccountName = acct.Name
	if w := LegacyHostWarning(c.accessURL); w != "" {
		rep.Warnings = append(rep.Warnings, w)
	}
	projects, err := c.Projects(ctx, accountID)
	if err != nil {
		return rep, err
	}
	if n.ProjectID != 0 {
		projects = slices.DeleteFunc(projects, func(p *Project) bool { return p.ID != n.ProjectID })
		if len(projects) == 0 {
			return rep, backend.Errorf(backend.ENOTFOUND, "project %d is not in account %d %q (or the token cannot see it): check the project id setting", n.ProjectID, accountID, acct.Name)
		}
	}
	if len(projects) == 0 {
		rep.Warnings = append(rep.Warnings, fmt.Sprintf("account %d %q has no project the token can see", accountID, acct.Name))
	}
	var idle []string // why projects have nothing to sync
	for _, p := range projects {
		pr, warnings, err := c.reportProject(ctx, accountID, p, n)
		if err != nil && ctx.Err() != nil {
			return rep, err
		}
		rep.Projects = append(rep.Projects, pr)
		if len(projects) > 1 && !slices.ContainsFunc(pr.Jobs, func(j JobReport) bool { return j.Selected }) {
			idle = append(idle, warnings...)
			continue
		}
		rep.Warnings = append(rep.Warnings, warnings...)
	}
	rep.Warnings = append(rep.Warnings, SumUpIdleProjects(idle)...)
	return rep, pinnedJobFound(rep, n)
}

// pinnedJobFound fails a test whose job or environment pin leaves nothing
// to sync: saved as it is, the connection would fail at its first sync.
func pinnedJobFound(rep *ConnectionReport, n Narrowing) error {
	if n.JobID == 0 && n.EnvironmentID == 0 || len(rep.Projects) == 0 {
		return nil
	}
	for _, p := range rep.Projects {
		if slices.ContainsFunc(p.Jobs, func(j JobReport) bool { return j.Selected }) {
			return nil
		}
	}
	return PinNotFound(n)
}

func projectsText(n Narrowing) string {
	if n.ProjectID != 0 {
		return fmt.Sprintf("project %d", n.ProjectID)
	}
	return "any project"
}

// ChooseAskedRun checks a run asked for by id (the run id setting, or
// sync --run-id): it lies within the connection's other pins, finished and
// succeeded. Fetch it with RelatedJob (and RelatedRunSteps for its steps).
func ChooseAskedRun(r *Run, n Narrowing) (*RunChoice, error) {
	if err := runOutsidePins(r, n); err != nil {
		return nil, err
	}
	job := r.Job
	if job == nil {
		job = &Job{ID: r.JobDefinitionID, Name: fmt.Sprintf("job %d", r.JobDefinitionID)}
	}
	return ChooseRun(job, []*Run{r}, r.ID)
}

// runOutsidePins refuses a run that is not of the connection's pinned
// project, environment or job: the pins narrow what the connection syncs.
func runOutsidePins(r *Run, n Narrowing) error {
	for _, pin := range []struct {
		what       string
		pinned, of int64
	}{{"project", n.ProjectID, r.ProjectID}, {"environment", n.EnvironmentID, r.EnvironmentID}, {"job", n.JobID, r.JobDefinitionID}} {
		if pin.pinned != 0 && pin.of != 0 && pin.pinned != pin.of {
			return backend.Errorf(backend.EINVALID, "run %d is of %s %d, not of the connection's %s %d: check the run id, or sync it with a connection for that %s", r.ID, pin.what, pin.of, pin.what, pin.pinned, pin.what)
		}
	}
	return nil
}

func (c *Client) reportProject(ctx context.Context, accountID int64, p *Project, n Narrowing) (ProjectReport, []string, error) {
	pr := ProjectReport{ID: p.ID, Name: p.Name, DocsJobID: p.DocsJobID, Environments: []EnvironmentReport{}, Jobs: []JobReport{}}
	var warnings []string
	envs, err := c.Environments(ctx, accountID, p.ID)
	if err != nil {
		return pr, []string{fmt.Sprintf("project %d %q: %v", p.ID, p.Name, err)}, err
	}
	hasProd := false
	for _, e := range envs {
		pr.Environments = append(pr.Environments, EnvironmentReport{ID: e.ID, Name: e.Name, Type: e.Type, DeploymentType: e.DeploymentType, Production: e.IsProduction()})
		hasProd = hasProd || e.IsProduction()
	}
	if !hasProd && n.EnvironmentID == 0 && len(envs) > 0 { // with none, ChooseJobs says so
		warnings = append(warnings, fmt.Sprintf("project %d %q has no production environment: mark one as production in dbt Cloud, or set the environment id", p.ID, p.Name))
	}
	jobs, err := c.Jobs(ctx, accountID, JobListOptions{ProjectID: p.ID, EnvironmentID: n.EnvironmentID})
	if err != nil {
		return pr, append(warnings, fmt.Sprintf("project %d %q: %v", p.ID, p.Name, err)), err
	}
	choices, chooseWarnings, err := ChooseJobs(p, envs, jobs, n)
	if err != nil && !IsPinNotInProject(err) {
		warnings = append(warnings, err.Error())
	}
	warnings = append(warnings, chooseWarnings...)
	for _, j := range jobs {
		jr := JobReport{ID: j.ID, Name: j.Name, EnvironmentID: j.EnvironmentID, JobType: j.JobType, CI: j.IsCI(), GenerateDocs: j.GenerateDocs, RunGenerateSources: j.RunGenerateSources}
		if i := slices.IndexFunc(choices, func(c JobChoice) bool { return c.Job.ID == j.ID }); i >= 0 {
			jr.Selected, jr.Reason = true, choices[i].Reason
			runs, err := c.Runs(ctx, accountID, RunListOptions{JobID: j.ID, OrderBy: OrderNewestID, Limit: reportRuns})
			if err != nil {
				if ctx.Err() != nil {
					return pr, warnings, err
				}
				warnings = append(warnings, fmt.Sprintf("job %d %q: %v", j.ID, j.Name, err))
			}
			for _, r := range runs {
				jr.LatestRuns = append(jr.LatestRuns, runSummary(r))
			}
			// The run a sync takes, found as the sync finds it: the latest
			// runs may all have failed or be running while an older one
			// succeeded.
			next, err := c.RunToSync(ctx, accountID, j)
			switch {
			case err == nil:
				s := runSummary(next.Run)
				jr.NextRun, jr.NextRunReason = &s, next.Reason
			case ctx.Err() != nil:
				return pr, warnings, err
			case IsNoSuccessfulRun(err):
				warnings = append(warnings, err.Error()+": nothing to sync yet") // it names the job
			default:
				warnings = append(warnings, fmt.Sprintf("job %d %q: %v", j.ID, j.Name, err))
			}
		}
		pr.Jobs = append(pr.Jobs, jr)
	}
	return pr, warnings, nil
}
