package dbtcloud

import (
	"bytes"
	"encoding/json"
	"fmt"
	"strconv"
	"strings"
	"time"
)

// Run status codes.
const (
	StatusQueued    = 1
	StatusStarting  = 2
	StatusRunning   = 3
	StatusSuccess   = 10
	StatusError     = 20
	StatusCancelled = 30
)

// StatusName is the API's word for a run status code.
func StatusName(code int) string {
	switch code {
	case StatusQueued:
		return "queued"
	case StatusStarting:
		return "starting"
	case StatusRunning:
		return "running"
	case StatusSuccess:
		return "success"
	case StatusError:
		return "error"
	case StatusCancelled:
		return "cancelled"
	}
	return "status " + strconv.Itoa(code)
}

// Account is GET /api/v2/accounts/{id}/.
type Account struct {
	ID              int64  `json:"id"`
	Name            string `json:"name"`
	State           int    `json:"state"`
	Plan            string `json:"plan,omitempty"`
	Identifier      string `json:"identifier,omitempty"`
	StaticSubdomain string `json:"static_subdomain,omitempty"`
	VanitySubdomain string `json:"vanity_subdomain,omitempty"`
	DocsJobID       int64  `json:"docs_job_id,omitempty"`
	FreshnessJobID  int64  `json:"freshness_job_id,omitempty"`
	Locked          bool   `json:"locked"`
}

// Project is one entry of GET /api/v3/accounts/{a}/projects/.
type Project struct {
	ID                     int64     `json:"id"`
	AccountID              int64     `json:"account_id"`
	Name                   string    `json:"name"`
	Description            string    `json:"description,omitempty"`
	State                  int       `json:"state"`
	DbtProjectSubdirectory string    `json:"dbt_project_subdirectory,omitempty"`
	DocsJobID              int64     `json:"docs_job_id,omitempty"`      // the job chosen as the project's docs source; 0 if none
	FreshnessJobID         int64     `json:"freshness_job_id,omitempty"` // likewise for source freshness
	Type                   int       `json:"type"`
	CreatedAt              time.Time `json:"created_at,omitzero"`
	UpdatedAt              time.Time `json:"updated_at,omitzero"`
}

// Environment types and deployment types.
const (
	EnvDevelopment = "development"
	EnvDeployment  = "deployment"
	DeployProd     = "production"
	DeployStaging  = "staging"
)

// Environment is one entry of GET /api/v3/accounts/{a}/projects/{p}/environments/.
type Environment struct {
	ID             int64  `json:"id"`
	AccountID      int64  `json:"account_id"`
	ProjectID      int64  `json:"project_id"`
	Name           string `json:"name"`
	Type           string `json:"type"`                      // development or deployment
	DeploymentType string `json:"deployment_type,omitempty"` // production, staging or "" (null)
	DbtVersion     string `json:"dbt_version,omitempty"`
	SupportsDocs   bool   `json:"supports_docs"`
	State          int    `json:"state"`
}

// IsProduction reports whether the environment is marked production.
func (e *Environment) IsProduction() bool { return e.DeploymentType == DeployProd }

// JobTriggers are the job's trigger switches.
type JobTriggers struct {
	Schedule           bool `json:"schedule"`
	GithubWebhook      bool `json:"github_webhook"`
	GitProviderWebhook bool `json:"git_provider_webhook"`
	OnMerge            bool `json:"on_merge"`
}

// Job is one entry of GET /api/v2/accounts/{a}/jobs/.
type Job struct {
	ID                 int64       `json:"id"`
	AccountID          int64       `json:"account_id"`
	ProjectID          int64       `json:"project_id"`
	EnvironmentID      int64       `json:"environment_id"`
	Name               string      `json:"name"`
	Description        string      `json:"description,omitempty"`
	DbtVersion         string      `json:"dbt_version,omitempty"`
	ExecuteSteps       []string    `json:"execute_steps"`
	GenerateDocs       bool        `json:"generate_docs"`
	RunGenerateSources bool        `json:"run_generate_sources"`
	JobType            string      `json:"job_type,omitempty"` // ci, scheduled, other, merge, ...
	State              int         `json:"state"`
	Triggers           JobTriggers `json:"triggers"`
}

// IsCI reports whether the job runs on pull requests or merges; its runs
// build a throw-away schema and say nothing about production.
func (j *Job) IsCI() bool {
	switch j.JobType {
	case "ci", "merge":
		return true
	}
	return j.Triggers.GithubWebhook || j.Triggers.GitProviderWebhook || j.Triggers.OnMerge
}

// Trigger is why a run started, with its per-run overrides.
type Trigger struct {
	ID                   int64    `json:"id"`
	Cause                string   `json:"cause,omitempty"`
	GenerateDocsOverride *bool    `json:"generate_docs_override,omitempty"`
	StepsOverride        []string `json:"steps_override,omitempty"`
	GitBranch            string   `json:"git_branch,omitempty"`
}

// RunStep is one step of a run (include_related=["run_steps"]).
type RunStep struct {
	ID              int64     `json:"id"`
	RunID           int64     `json:"run_id"`
	Index           int       `json:"index"` // 1-based; what the artifact `step` parameter takes
	Name            string    `json:"name"`
	Status          int       `json:"status"`
	StatusHumanized string    `json:"status_humanized,omitempty"`
	StartedAt       time.Time `json:"started_at,omitzero"`
	FinishedAt      time.Time `json:"finished_at,omitzero"`
}

// Run is GET /api/v2/accounts/{a}/runs/{id}/ or an entry of the runs list.
type Run struct {
	ID                  int64     `json:"id"`
	TriggerID           int64     `json:"trigger_id"`
	AccountID           int64     `json:"account_id"`
	ProjectID           int64     `json:"project_id"`
	EnvironmentID       int64     `json:"environment_id"`
	JobDefinitionID     int64     `json:"job_definition_id"`
	Status              int       `json:"status"`
	StatusHumanized     string    `json:"status_humanized,omitempty"`
	StatusMessage       string    `json:"status_message,omitempty"`
	DbtVersion          string    `json:"dbt_version,omitempty"`
	GitBranch           string    `json:"git_branch,omitempty"`
	GitSHA              string    `json:"git_sha,omitempty"`
	CreatedAt           time.Time `json:"created_at,omitzero"`
	StartedAt           time.Time `json:"started_at,omitzero"`
	FinishedAt          time.Time `json:"finished_at,omitzero"` // zero while the run is not complete
	InProgress          bool      `json:"in_progress"`
	IsComplete          bool      `json:"is_complete"`
	IsSuccess           bool      `json:"is_success"`
	IsError             bool      `json:"is_error"`
	IsCancelled         bool      `json:"is_cancelled"`
	ArtifactsSaved      bool      `json:"artifacts_saved"`
	HasDocsGenerated    bool      `json:"has_docs_generated"`
	HasSourcesGenerated bool      `json:"has_sources_generated"`
	Href                string    `json:"href,omitempty"`
	Trigger             *Trigger  `json:"trigger,omitempty"`
	Job                 *Job      `json:"job,omitempty"`
	RunSteps            []RunStep `json:"run_steps,omitempty"`
}

// Complete reports whether the run reached a terminal status. It trusts
// the status code over is_complete, which older payloads lack.
func (r *Run) Complete() bool {
	switch r.Status {
	case StatusSuccess, StatusError, StatusCancelled:
		return true
	}
	return false
}

// Tolerant decoding. The API's payloads drift: ids have grown, durations
// and timestamps changed format, and some numbers arrive as strings. Each
// type decodes through a shadow struct whose flexible fields take
// precedence over the embedded plain ones (encoding/json prefers the
// shallower field with the same name).

func (a *Account) UnmarshalJSON(b []byte) error {
	type plain Account
	aux := struct {
		*plain
		ID             flexInt `json:"id"`
		State          flexInt `json:"state"`
		DocsJobID      flexInt `json:"docs_job_id"`
		FreshnessJobID flexInt `json:"freshness_job_id"`
		Plan           flexStr `json:"plan"`
	}{plain: (*plain)(a)}
	if err := json.Unmarshal(b, &aux); err != nil {
		return fmt.Errorf("account: %w", err)
	}
	a.ID, a.State, a.DocsJobID, a.FreshnessJobID, a.Plan = int64(aux.ID), int(aux.State), int64(aux.DocsJobID), int64(aux.FreshnessJobID), string(aux.Plan)
	return nil
}

func (p *Project) UnmarshalJSON(b []byte) error {
	type plain Project
	aux := struct {
		*plain
		ID                     flexInt  `json:"id"`
		AccountID              flexInt  `json:"account_id"`
		State                  flexInt  `json:"state"`
		DocsJobID              flexInt  `json:"docs_job_id"`
		FreshnessJobID         flexInt  `json:"freshness_job_id"`
		Type                   flexInt  `json:"type"`
		Description            flexStr  `json:"description"`
		DbtProjectSubdirectory flexStr  `json:"dbt_project_subdirectory"`
		CreatedAt              flexTime `json:"created_at"`
		UpdatedAt              flexTime `json:"updated_at"`
	}{plain: (*plain)(p)}
	if err := json.Unmarshal(b, &aux); err != nil {
		return fmt.Errorf("project: %w", err)
	}
	p.ID, p.AccountID, p.State = int64(aux.ID), int64(aux.AccountID), int(aux.State)
	p.DocsJobID, p.FreshnessJobID, p.Type = int64(aux.DocsJobID), int64(aux.FreshnessJobID), int(aux.Type)
	p.Description, p.DbtProjectSubdirectory = string(aux.Description), string(aux.DbtProjectSubdirectory)
	p.CreatedAt, p.UpdatedAt = time.Time(aux.CreatedAt), time.Time(aux.UpdatedAt)
	return nil
}

func (e *Environment) UnmarshalJSON(b []byte) error {
	type plain Environment
	aux := struct {
		*plain
		ID             flexInt `json:"id"`
		AccountID      flexInt `json:"account_id"`
		ProjectID      flexInt `json:"project_id"`
		State          flexInt `json:"state"`
		Type           flexStr `json:"type"`
		DeploymentType flexStr `json:"deployment_type"`
		DbtVersion     flexStr `json:"dbt_version"`
	}{plain: (*plain)(e)}
	if err := json.Unmarshal(b, &aux); err != nil {
		return fmt.Errorf("environment: %w", err)
	}
	e.ID, e.AccountID, e.ProjectID, e.State = int64(aux.ID), int64(aux.AccountID), int64(aux.ProjectID), int(aux.State)
	e.Type, e.DeploymentType, e.DbtVersion = string(aux.Type), string(aux.DeploymentType), string(aux.DbtVersion)
	return nil
}

func (j *Job) UnmarshalJSON(b []byte) error {
	type plain Job
	aux := struct {
		*plain
		ID            flexInt `json:"id"`
		AccountID     flexInt `json:"account_id"`
		ProjectID     flexInt `json:"project_id"`
		EnvironmentID flexInt `json:"environment_id"`
		State         flexInt `json:"state"`
		Description   flexStr `json:"description"`
		DbtVersion    flexStr `json:"dbt_version"`
		JobType       flexStr `json:"job_type"`
	}{plain: (*plain)(j)}
	if err := json.Unmarshal(b, &aux); err != nil {
		return fmt.Errorf("job: %w", err)
	}
	j.ID, j.AccountID, j.ProjectID, j.EnvironmentID = int64(aux.ID), int64(aux.AccountID), int64(aux.ProjectID), int64(aux.EnvironmentID)
	j.State, j.Description, j.DbtVersion, j.JobType = int(aux.State), string(aux.Description), string(aux.DbtVersion), string(aux.JobType)
	return nil
}

func (s *RunStep) UnmarshalJSON(b []byte) error {
	type plain RunStep
	aux := struct {
		*plain
		ID         flexInt  `json:"id"`
		RunID      flexInt  `json:"run_id"`
		Index      flexInt  `json:"index"`
		Status     flexInt  `json:"status"`
		StartedAt  flexTime `json:"started_at"`
		FinishedAt flexTime `json:"finished_at"`
	}{plain: (*plain)(s)}
	if err := json.Unmarshal(b, &aux); err != nil {
		return fmt.Errorf("run step: %w", err)
	}
	s.ID, s.RunID, s.Index, s.Status = int64(aux.ID), int64(aux.RunID), int(aux.Index), int(aux.Status)
	s.StartedAt, s.FinishedAt = time.Time(aux.StartedAt), time.Time(aux.FinishedAt)
	return nil
}

func (r *Run) UnmarshalJSON(b []byte) error {
	type plain Run
	aux := struct {
		*plain
		ID              flexInt  `json:"id"`
		TriggerID       flexInt  `json:"trigger_id"`
		AccountID       flexInt  `json:"account_id"`
		ProjectID       flexInt  `json:"project_id"`
		EnvironmentID   flexInt  `json:"environment_id"`
		JobDefinitionID flexInt  `json:"job_definition_id"`
		JobID           flexInt  `json:"job_id"`
		Status          flexInt  `json:"status"`
		StatusMessage   flexStr  `json:"status_message"`
		DbtVersion      flexStr  `json:"dbt_version"`
		GitBranch       flexStr  `json:"git_branch"`
		GitSHA          flexStr  `json:"git_sha"`
		CreatedAt       flexTime `json:"created_at"`
		StartedAt       flexTime `json:"started_at"`
		FinishedAt      flexTime `json:"finished_at"`
	}{plain: (*plain)(r)}
	if err := json.Unmarshal(b, &aux); err != nil {
		return fmt.Errorf("run: %w", err)
	}
	r.ID, r.TriggerID, r.AccountID = int64(aux.ID), int64(aux.TriggerID), int64(aux.AccountID)
	r.ProjectID, r.EnvironmentID, r.JobDefinitionID = int64(aux.ProjectID), int64(aux.EnvironmentID), int64(aux.JobDefinitionID)
	if r.JobDefinitionID == 0 {
		r.JobDefinitionID = int64(aux.JobID)
	}
	r.Status, r.StatusMessage, r.DbtVersion = int(aux.Status), string(aux.StatusMessage), string(aux.DbtVersion)
	r.GitBranch, r.GitSHA = string(aux.GitBranch), string(aux.GitSHA)
	r.CreatedAt, r.StartedAt, r.FinishedAt = time.Time(aux.CreatedAt), time.Time(aux.StartedAt), time.Time(aux.FinishedAt)
	return nil
}

func (s *Status) UnmarshalJSON(b []byte) error {
	var aux struct {
		Code             flexInt `json:"code"`
		IsSuccess        bool    `json:"is_success"`
		UserMessage      flexStr `json:"user_message"`
		DeveloperMessage flexStr `json:"developer_message"`
	}
	if err := json.Unmarshal(b, &aux); err != nil {
		return fmt.Errorf("status: %w", err)
	}
	*s = Status{Code: int(aux.Code), IsSuccess: aux.IsSuccess, UserMessage: string(aux.UserMessage), DeveloperMessage: string(aux.DeveloperMessage)}
	return nil
}

// flexInt takes a JSON number, a numeric string, "" or null (0).
type flexInt int64

func (f *flexInt) UnmarshalJSON(b []byte) error {
	s := strings.TrimSpace(string(b))
	if s == "null" || s == `""` {
		*f = 0
		return nil
	}
	s = strings.Trim(s, `"`)
	if n, err := strconv.ParseInt(s, 10, 64); err == nil {
		*f = flexInt(n)
		return nil
	}
	// 1.0 or 1e3 from a loose serializer.
	x, err := strconv.ParseFloat(s, 64)
	if err != nil || x != float64(int64(x)) {
		return fmt.Errorf("want an integer, got %s", b)
	}
	*f = flexInt(int64(x))
	return nil
}

// flexStr takes a string or null (""); other JSON (an object where a
// message was expected) is kept as its text.
type flexStr string

func (f *flexStr) UnmarshalJSON(b []byte) error {
	b = bytes.TrimSpace(b)
	switch {
	case string(b) == "null":
		*f = ""
	case len(b) > 0 && b[0] == '"':
		var s string
		if err := json.Unmarshal(b, &s); err != nil {
			return err
		}
		*f = flexStr(s)
	default:
		*f = flexStr(b)
	}
	return nil
}

// flexTime takes RFC 3339 ("2021-12-07T10:34:14.435474Z"), the space form
// the API also emits ("2021-12-07 10:34:14.435474+00:00"), a date without
// zone (read as UTC), "" or null (zero time). Anything else reads as the
// zero time.
type flexTime time.Time

var timeLayouts = []string{
	time.RFC3339Nano,
	"2006-01-02 15:04:05.999999999Z07:00",
	"2006-01-02 15:04:05.999999999Z0700",
	"2006-01-02T15:04:05.999999999",
	"2006-01-02 15:04:05.999999999",
}

func (f *flexTime) UnmarshalJSON(b []byte) error {
	var s *string
	if err := json.Unmarshal(b, &s); err != nil {
		return fmt.Errorf("want a timestamp, got %s", b)
	}
	if s == nil || *s == "" {
		*f = flexTime{}
		return nil
	}
	for _, layout := range timeLayouts {
		if t, err := time.Parse(layout, *s); err == nil {
			*f = flexTime(t.UTC())
			return nil
		}
	}
	// A format we do not know must not cost the whole run: the time is
	// informational, so it reads as unknown.
	*f = flexTime{}
	return nil
}
