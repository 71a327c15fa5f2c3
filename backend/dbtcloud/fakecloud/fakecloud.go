// Package fakecloud is a fake dbt Cloud Administrative API for tests: an
// httptest server speaking the real wire format (envelopes, offset
// pagination, run status codes, include_related, artifact paths and the
// step parameter), declared with a small builder and able to misbehave on
// request: rate limits, server errors, resets and truncation mid-body,
// invalid JSON, slow or stalled bodies, auth failures and pagination quirks.
// Every request is logged so tests can assert what was called.
package fakecloud

import (
	"net/http"
	"net/http/httptest"
	"net/url"
	"slices"
	"sync"
	"testing"
	"time"
)

// DefaultToken is the token the server accepts unless WithToken says otherwise.
const DefaultToken = "fake-dbtc-token-7f3a9c"

// Account is a declared account.
type Account struct {
	ID   int64
	Name string
	Plan string
}

// Project is a declared project.
type Project struct {
	ID, AccountID             int64
	Name                      string
	DocsJobID, FreshnessJobID int64
}

// Environment is a declared environment. Type is "deployment" or
// "development"; DeploymentType "production", "staging" or "" (null).
type Environment struct {
	ID, ProjectID        int64
	Name                 string
	Type, DeploymentType string
}

// Job is a declared job. CI marks it as triggered by pull requests.
type Job struct {
	ID, ProjectID, EnvironmentID int64
	Name                         string
	GenerateDocs                 bool
	RunGenerateSources           bool
	JobType                      string // "scheduled" when empty
	CI                           bool
	ExecuteSteps                 []string
	// Deleted is a job deleted in dbt Cloud (state 2): the jobs list
	// leaves it out when asked for state=1 only, and holds it otherwise
	// (the API does not document its default).
	Deleted bool
}

// Step is a run step; its index is its 1-based position in Run.Steps.
type Step struct {
	Name   string
	Status int
}

// Run is a declared run. FinishedAt is ignored for unfinished statuses.
type Run struct {
	ID, JobID           int64
	Status              int
	CreatedAt           time.Time
	FinishedAt          time.Time
	HasDocsGenerated    bool
	HasSourcesGenerated bool
	Steps               []Step
}

// Route names one endpoint, for faults, paging quirks and the log.
type Route string

// Routes.
const (
	RouteAny          Route = "*"
	RouteAccount      Route = "account"
	RouteProjects     Route = "projects"
	RouteEnvironments Route = "environments"
	RouteJobs         Route = "jobs"
	RouteJob          Route = "job"
	RouteRuns         Route = "runs"
	RouteRun          Route = "run"
	RouteArtifacts    Route = "artifacts" // the list
	RouteArtifact     Route = "artifact"  // one file
)

// Request is one logged request.
type Request struct {
	Route  Route
	Method string
	Path   string
	Query  url.Values
	Header http.Header
	Status int // what the server answered (before any body fault)
}

// Paging makes a list route behave like the quirky real one.
type Paging struct {
	// MaxLimit caps the page size whatever limit the client asks for, so
	// pages are shorter than asked while total_count says there is more.
	MaxLimit int
	// RepeatPastEnd answers an offset past the end with the last page again.
	RepeatPastEnd bool
	// TotalCountDelta is added to total_count (a count that is too high).
	TotalCountDelta int
	// Overlap starts each page this many rows early, repeating rows (as
	// when rows shift between requests).
	Overlap int
}

// Server is the fake. Declare data with the Add methods, misbehaviour with
// Fail and SetPaging; read URL, Token and Requests.
type Server struct {
	URL   string
	Token string

	srv *httptest.Server

	mu           sync.Mutex
	accounts     []*Account
	projects     []*Project
	environments []*Environment
	jobs         []*Job
	runs         []*Run
	artifacts    []artifact
	rules        []*rule
	paging       map[Route]Paging
	log          []Request
}

// New starts a fake. With a non-nil tb it is closed when the test ends;
// otherwise call Close.
func New(tb testing.TB) *Server {
	s := &Server{Token: DefaultToken, paging: map[Route]Paging{}}
	s.srv = httptest.NewServer(s.routes())
	s.URL = s.srv.URL
	if tb != nil {
		tb.Cleanup(s.Close)
	}
	return s
}

// Close stops the server.
func (s *Server) Close() { s.srv.Close() }

// AddAccount declares an account.
func (s *Server) AddAccount(a Account) *Server {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.accounts = append(s.accounts, &a)
	return s
}

// AddProject declares a project.
func (s *Server) AddProject(p Project) *Server {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.projects = append(s.projects, &p)
	return s
}

// AddEnvironment declares an environment.
func (s *Server) AddEnvironment(e Environment) *Server {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.environments = append(s.environments, &e)
	return s
}

// AddJob declares a job.
func (s *Server) AddJob(j Job) *Server {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.jobs = append(s.jobs, &j)
	return s
}

// AddRun declares a run.
func (s *Server) AddRun(r Run) *Server {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.runs = append(s.runs, &r)
	return s
}

// SetPaging makes a list route quirky.
func (s *Server) SetPaging(route Route, p Paging) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.paging[route] = p
}

// Requests returns the requests so far, oldest first.
func (s *Server) Requests() []Request {
	s.mu.Lock()
	defer s.mu.Unlock()
	return slices.Clone(s.log)
}

// RequestsTo returns the logged requests of one route.
func (s *Server) RequestsTo(route Route) []Request {
	var out []Request
	for _, r := range s.Requests() {
		if r.Route == route {
			out = append(out, r)
		}
	}
	return out
}

// ResetLog forgets the logged requests.
func (s *Server) ResetLog() {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.log = nil
}

// StandardSteps returns the steps dbt Cloud runs for a job: clone, profile,
// deps, then `dbt source freshness` when freshness is on, the command (e.g.
// "dbt build"), then `dbt docs generate` when docs are on. All succeeded.
func StandardSteps(command string, freshness, docs bool) []Step {
	steps := []Step{
		{Name: "Clone git repository", Status: 10},
		{Name: "Create profile from connection Postgres", Status: 10},
		{Name: "Invoke dbt with `dbt deps`", Status: 10},
	}
	if freshness {
		steps = append(steps, Step{Name: "Invoke dbt with `dbt source freshness`", Status: 10})
	}
	steps = append(steps, Step{Name: "Invoke dbt with `" + command + "`", Status: 10})
	if docs {
		steps = append(steps, Step{Name: "Invoke dbt with `dbt docs generate`", Status: 10})
	}
	return steps
}
