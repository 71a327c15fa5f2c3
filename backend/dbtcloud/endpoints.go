package dbtcloud

import (
	"context"
	"fmt"
	"net/url"
	"slices"
	"strconv"
	"strings"
)

// Account returns the account; it is also how a connection is validated.
//
// API: GET /api/v2/accounts/{account_id}/
func (c *Client) Account(ctx context.Context, accountID int64) (*Account, error) {
	r := resource{what: fmt.Sprintf("account %d", accountID), setting: "account id"}
	a, _, err := getJSON[*Account](ctx, c, fmt.Sprintf("api/v2/accounts/%d/", accountID), nil)
	if err == nil && a == nil {
		err = &DecodeError{URL: c.accessURL, Err: fmt.Errorf("no data for account %d", accountID)}
	}
	return a, c.userError(r, err)
}

// Projects lists the account's active projects, all pages.
//
// API: GET /api/v3/accounts/{account_id}/projects/
func (c *Client) Projects(ctx context.Context, accountID int64) ([]*Project, error) {
	r := resource{what: fmt.Sprintf("the projects of account %d", accountID), setting: "account id"}
	ps, err := listAll(ctx, c, fmt.Sprintf("api/v3/accounts/%d/projects/", accountID), activeOnly(), func(p *Project) int64 { return p.ID }, 0)
	return slices.DeleteFunc(ps, func(p *Project) bool { return p.State == stateDeleted }), c.userError(r, err)
}

// Project returns one project.
//
// API: GET /api/v3/accounts/{account_id}/projects/{id}/
func (c *Client) Project(ctx context.Context, accountID, projectID int64) (*Project, error) {
	r := resource{what: fmt.Sprintf("project %d", projectID), setting: "project id"}
	p, _, err := getJSON[*Project](ctx, c, fmt.Sprintf("api/v3/accounts/%d/projects/%d/", accountID, projectID), nil)
	if err == nil && p == nil {
		err = &DecodeError{URL: c.accessURL, Err: fmt.Errorf("no data for project %d", projectID)}
	}
	return p, c.userError(r, err)
}

// Environments lists a project's active environments, all pages.
//
// API: GET /api/v3/accounts/{account_id}/projects/{project_id}/environments/
func (c *Client) Environments(ctx context.Context, accountID, projectID int64) ([]*Environment, error) {
	r := resource{what: fmt.Sprintf("the environments of project %d", projectID), setting: "project id"}
	es, err := listAll(ctx, c, fmt.Sprintf("api/v3/accounts/%d/projects/%d/environments/", accountID, projectID), activeOnly(), func(e *Environment) int64 { return e.ID }, 0)
	return slices.DeleteFunc(es, func(e *Environment) bool { return e.State == stateDeleted }), c.userError(r, err)
}

// JobListOptions narrows Jobs. Zero fields do not filter.
type JobListOptions struct {
	ProjectID     int64
	EnvironmentID int64
}

// Jobs lists the account's active jobs, all pages.
//
// API: GET /api/v2/accounts/{account_id}/jobs/?project_id=&environment_id=
func (c *Client) Jobs(ctx context.Context, accountID int64, opts JobListOptions) ([]*Job, error) {
	q := activeOnly()
	what := fmt.Sprintf("the jobs of account %d", accountID)
	setting := "account id"
	if opts.ProjectID != 0 {
		q.Set("project_id", strconv.FormatInt(opts.ProjectID, 10))
		what, setting = fmt.Sprintf("the jobs of project %d", opts.ProjectID), "project id"
	}
	if opts.EnvironmentID != 0 {
		q.Set("environment_id", strconv.FormatInt(opts.EnvironmentID, 10))
		what, setting = fmt.Sprintf("the jobs of environment %d", opts.EnvironmentID), "environment id"
	}
	js, err := listAll(ctx, c, fmt.Sprintf("api/v2/accounts/%d/jobs/", accountID), q, func(j *Job) int64 { return j.ID }, 0)
	return slices.DeleteFunc(js, func(j *Job) bool { return j.State == stateDeleted }), c.userError(resource{what: what, setting: setting}, err)
}

// stateDeleted is the state of a project, environment or job deleted in
// dbt Cloud (1 is active).
const stateDeleted = 2

// activeOnly asks a list for active objects alone (state=1): dbt Cloud's
// API documents state as a filter without saying its default, and a
// deleted docs job must not be synced as the current one. What comes back
// deleted all the same is left out.
func activeOnly() url.Values {
	return url.Values{"state": {"1"}}
}

// Job returns one job.
//
// API: GET /api/v2/accounts/{account_id}/jobs/{id}/
func (c *Client) Job(ctx context.Context, accountID, jobID int64) (*Job, error) {
	r := resource{what: fmt.Sprintf("job %d", jobID), setting: "job id"}
	j, _, err := getJSON[*Job](ctx, c, fmt.Sprintf("api/v2/accounts/%d/jobs/%d/", accountID, jobID), nil)
	if err == nil && j == nil {
		err = &DecodeError{URL: c.accessURL, Err: fmt.Errorf("no data for job %d", jobID)}
	}
	return j, c.userError(r, err)
}

// Orders accepted by the runs list (the API allows only these since 2023).
const (
	OrderNewestFinished = "-finished_at"
	OrderNewestID       = "-id"
	OrderNewestCreated  = "-created_at"
)

// Related objects a run can embed.
const (
	RelatedRunSteps = "run_steps"
	RelatedJob      = "job"
	RelatedTrigger  = "trigger"
)

// RunListOptions narrows and orders Runs.
type RunListOptions struct {
	JobID         int64 // job_definition_id
	ProjectID     int64
	EnvironmentID int64
	Statuses      []int // status__in, e.g. {StatusSuccess, StatusError}
	// HasDocsGenerated, when non-nil, filters on has_docs_generated.
	HasDocsGenerated *bool
	AfterID          int64  // id__gt: only runs newer than one already synced
	OrderBy          string // default OrderNewestFinished
	Include          []string
	Limit            int // how many runs at most; default 10
}

// Runs lists runs, newest first by default, stopping after opts.Limit.
//
// API: GET /api/v2/accounts/{account_id}/runs/
func (c *Client) Runs(ctx context.Context, accountID int64, opts RunListOptions) ([]*Run, error) {
	q := url.Values{}
	what, setting := fmt.Sprintf("the runs of account %d", accountID), "account id"
	if opts.JobID != 0 {
		q.Set("job_definition_id", strconv.FormatInt(opts.JobID, 10))
		what, setting = fmt.Sprintf("the runs of job %d", opts.JobID), "job id"
	}
	if opts.ProjectID != 0 {
		q.Set("project_id", strconv.FormatInt(opts.ProjectID, 10))
	}
	if opts.EnvironmentID != 0 {
		q.Set("environment_id", strconv.FormatInt(opts.EnvironmentID, 10))
	}
	if len(opts.Statuses) > 0 {
		q.Set("status__in", intList(opts.Statuses))
	}
	if opts.HasDocsGenerated != nil {
		q.Set("has_docs_generated", strconv.FormatBool(*opts.HasDocsGenerated))
	}
	if opts.AfterID != 0 {
		q.Set("id__gt", strconv.FormatInt(opts.AfterID, 10))
	}
	order := opts.OrderBy
	if order == "" {
		order = OrderNewestFinished
	}
	q.Set("order_by", order)
	if len(opts.Include) > 0 {
		q.Set("include_related", stringList(opts.Include))
	}
	limit := opts.Limit
	if limit <= 0 {
		limit = 10
	}
	rs, err := listAll(ctx, c, fmt.Sprintf("api/v2/accounts/%d/runs/", accountID), q, func(r *Run) int64 { return r.ID }, limit)
	return rs, c.userError(resource{what: what, setting: setting}, err)
}

// Run returns one run with the related objects asked for (RelatedRunSteps,
// RelatedJob, RelatedTrigger).
//
// API: GET /api/v2/accounts/{account_id}/runs/{id}/?include_related=[...]
func (c *Client) Run(ctx context.Context, accountID, runID int64, include ...string) (*Run, error) {
	r := resource{what: fmt.Sprintf("run %d", runID), setting: "run id"}
	q := url.Values{}
	if len(include) > 0 {
		q.Set("include_related", stringList(include))
	}
	run, _, err := getJSON[*Run](ctx, c, fmt.Sprintf("api/v2/accounts/%d/runs/%d/", accountID, runID), q)
	if err == nil && run == nil {
		err = &DecodeError{URL: c.accessURL, Err: fmt.Errorf("no data for run %d", runID)}
	}
	return run, c.userError(r, err)
}

// RunArtifacts lists the artifact paths a run saved (relative to target/).
// A run that saved nothing gives an empty list (the API sends null).
//
// API: GET /api/v2/accounts/{account_id}/runs/{id}/artifacts/
func (c *Client) RunArtifacts(ctx context.Context, accountID, runID int64) ([]string, error) {
	r := resource{what: fmt.Sprintf("the artifact list of run %d", runID), setting: "run id"}
	paths, _, err := getJSON[[]string](ctx, c, fmt.Sprintf("api/v2/accounts/%d/runs/%d/artifacts/", accountID, runID), nil)
	return paths, c.userError(r, err)
}

// intList and stringList write list parameters as the list literals the
// API parses: status__in=[10,20], include_related=["run_steps","job"].
func intList(xs []int) string {
	parts := make([]string, len(xs))
	for i, x := range xs {
		parts[i] = strconv.Itoa(x)
	}
	return "[" + strings.Join(parts, ",") + "]"
}

func stringList(xs []string) string {
	parts := make([]string, len(xs))
	for i, x := range xs {
		parts[i] = strconv.Quote(x)
	}
	return "[" + strings.Join(parts, ",") + "]"
}
