package fakecloud

import (
	"cmp"
	"compress/gzip"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"os"
	"slices"
	"strconv"
	"strings"
	"time"
)

func (s *Server) routes() http.Handler {
	mux := http.NewServeMux()
	handle := func(pattern string, route Route, h func(r *http.Request) *reply) {
		mux.HandleFunc(pattern, func(w http.ResponseWriter, r *http.Request) { s.serve(w, r, route, h) })
	}
	handle("GET /api/v2/accounts/{a}/{$}", RouteAccount, s.account)
	handle("GET /api/v3/accounts/{a}/projects/{$}", RouteProjects, s.listProjects)
	handle("GET /api/v3/accounts/{a}/projects/{p}/environments/{$}", RouteEnvironments, s.listEnvironments)
	handle("GET /api/v2/accounts/{a}/jobs/{$}", RouteJobs, s.listJobs)
	handle("GET /api/v2/accounts/{a}/jobs/{j}/{$}", RouteJob, s.job)
	handle("GET /api/v2/accounts/{a}/runs/{$}", RouteRuns, s.listRuns)
	handle("GET /api/v2/accounts/{a}/runs/{r}/{$}", RouteRun, s.run)
	handle("GET /api/v2/accounts/{a}/runs/{r}/artifacts/{$}", RouteArtifacts, s.listArtifacts)
	handle("GET /api/v2/accounts/{a}/runs/{r}/artifacts/{path...}", RouteArtifact, s.artifact)
	mux.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) {
		s.serve(w, r, "unknown", func(*http.Request) *reply {
			return jsonReply(http.StatusNotFound, errorBody(http.StatusNotFound, "Not found."))
		})
	})
	return mux
}

// serve logs the request, applies a fault, checks the token, runs h.
func (s *Server) serve(w http.ResponseWriter, r *http.Request, route Route, h func(r *http.Request) *reply) {
	fault := s.takeFault(route, r.URL.Path)
	var rep *reply
	switch {
	case fault != nil && fault.kind == faultStatus:
		rep = statusReply(fault)
		fault = nil
	case !s.authorized(r):
		rep = jsonReply(http.StatusUnauthorized, errorBody(http.StatusUnauthorized, "Invalid token."))
	default:
		if _, ok := s.findAccount(r); !ok {
			rep = jsonReply(http.StatusNotFound, errorBody(http.StatusNotFound, "Account not found."))
		} else {
			rep = h(r)
		}
	}
	s.mu.Lock()
	s.log = append(s.log, Request{Route: route, Method: r.Method, Path: r.URL.Path, Query: r.URL.Query(), Header: r.Header.Clone(), Status: rep.status})
	s.mu.Unlock()
	write(w, r, rep, fault)
}

func (s *Server) authorized(r *http.Request) bool {
	h := r.Header.Get("Authorization")
	return h == "Token "+s.Token || h == "Bearer "+s.Token
}

func (s *Server) findAccount(r *http.Request) (*Account, bool) {
	id := pathID(r, "a")
	s.mu.Lock()
	defer s.mu.Unlock()
	i := slices.IndexFunc(s.accounts, func(a *Account) bool { return a.ID == id })
	if i < 0 {
		return nil, false
	}
	return s.accounts[i], true
}

func pathID(r *http.Request, name string) int64 {
	n, _ := strconv.ParseInt(r.PathValue(name), 10, 64)
	return n
}

func queryID(r *http.Request, name string) int64 {
	n, _ := strconv.ParseInt(r.URL.Query().Get(name), 10, 64)
	return n
}

func ok(data any, extra map[string]any) *reply {
	env := map[string]any{
		"status": map[string]any{"code": 200, "is_success": true, "user_message": "Success!", "developer_message": ""},
		"data":   data,
	}
	if extra != nil {
		env["extra"] = extra
	}
	b, err := json.Marshal(env)
	if err != nil {
		return jsonReply(http.StatusInternalServerError, errorBody(500, err.Error()))
	}
	return jsonReply(http.StatusOK, b)
}

func notFound(what string) *reply {
	return jsonReply(http.StatusNotFound, errorBody(http.StatusNotFound, what+" not found."))
}

// maxLimit is the page size cap of the real API's list endpoints.
const maxLimit = 100

// page applies limit/offset and the route's paging quirks to items.
func (s *Server) page(r *http.Request, route Route, items []map[string]any) *reply {
	s.mu.Lock()
	quirk := s.paging[route]
	s.mu.Unlock()
	q := r.URL.Query()
	limit, err := strconv.Atoi(cmp.Or(q.Get("limit"), "100"))
	if err != nil || limit < 1 {
		return jsonReply(http.StatusBadRequest, errorBody(400, "limit must be a positive integer"))
	}
	limit = min(limit, maxLimit)
	if quirk.MaxLimit > 0 {
		limit = min(limit, quirk.MaxLimit)
	}
	offset, _ := strconv.Atoi(q.Get("offset"))
	start := max(offset-quirk.Overlap, 0)
	if start >= len(items) && quirk.RepeatPastEnd && len(items) > 0 {
		start = max(len(items)-limit, 0)
	}
	start = min(start, len(items))
	end := min(start+limit, len(items))
	data := items[start:end]
	if data == nil {
		data = []map[string]any{}
	}
	return ok(data, map[string]any{
		"filters":    map[string]any{"limit": limit, "offset": offset},
		"order_by":   q.Get("order_by"),
		"pagination": map[string]any{"count": len(data), "total_count": len(items) + quirk.TotalCountDelta},
	})
}

func (s *Server) account(r *http.Request) *reply {
	a, _ := s.findAccount(r)
	return ok(map[string]any{"id": a.ID, "name": a.Name, "state": 1, "plan": cmp.Or(a.Plan, "enterprise"), "locked": false, "docs_job_id": nil, "freshness_job_id": nil, "identifier": fmt.Sprintf("act%d", a.ID)}, nil)
}

func (s *Server) listProjects(r *http.Request) *reply {
	acct := pathID(r, "a")
	s.mu.Lock()
	var items []map[string]any
	for _, p := range s.projects {
		if p.AccountID == acct || p.AccountID == 0 {
			items = append(items, projectJSON(acct, p))
		}
	}
	s.mu.Unlock()
	return s.page(r, RouteProjects, items)
}

func projectJSON(acct int64, p *Project) map[string]any {
	return map[string]any{"id": p.ID, "account_id": acct, "name": p.Name, "description": nil, "state": 1, "type": 0,
		"dbt_project_subdirectory": nil, "docs_job_id": nullID(p.DocsJobID), "freshness_job_id": nullID(p.FreshnessJobID),
		"created_at": "2024-03-01 09:00:00.000000+00:00", "updated_at": "2024-03-02T09:00:00Z"}
}

func nullID(id int64) any {
	if id == 0 {
		return nil
	}
	return id
}

func (s *Server) listEnvironments(r *http.Request) *reply {
	acct, proj := pathID(r, "a"), pathID(r, "p")
	s.mu.Lock()
	var items []map[string]any
	known := slices.ContainsFunc(s.projects, func(p *Project) bool { return p.ID == proj })
	for _, e := range s.environments {
		if e.ProjectID == proj {
			items = append(items, map[string]any{"id": e.ID, "account_id": acct, "project_id": e.ProjectID, "name": e.Name,
				"type": cmp.Or(e.Type, "deployment"), "deployment_type": nullString(e.DeploymentType), "dbt_version": "versionless",
				"supports_docs": true, "state": 1})
		}
	}
	s.mu.Unlock()
	if !known {
		return notFound("Project")
	}
	return s.page(r, RouteEnvironments, items)
}

func nullString(v string) any {
	if v == "" {
		return nil
	}
	return v
}

func (s *Server) listJobs(r *http.Request) *reply {
	acct := pathID(r, "a")
	proj, env := queryID(r, "project_id"), queryID(r, "environment_id")
	s.mu.Lock()
	var items []map[string]any
	activeOnly := r.URL.Query().Get("state") == "1"
	for _, j := range s.jobs {
		if (proj == 0 || j.ProjectID == proj) && (env == 0 || j.EnvironmentID == env) && !(activeOnly && j.Deleted) {
			items = append(items, jobJSON(acct, j))
		}
	}
	s.mu.Unlock()
	return s.page(r, RouteJobs, items)
}

func jobJSON(acct int64, j *Job) map[string]any {
	jobType := cmp.Or(j.JobType, "scheduled")
	if j.CI && j.JobType == "" {
		jobType = "ci"
	}
	steps := j.ExecuteSteps
	if steps == nil {
		steps = []string{"dbt build"}
	}
	return map[string]any{"id": j.ID, "account_id": acct, "project_id": j.ProjectID, "environment_id": j.EnvironmentID,
		"name": j.Name, "description": "", "dbt_version": nil, "execute_steps": steps, "generate_docs": j.GenerateDocs,
		"run_generate_sources": j.RunGenerateSources, "job_type": jobType, "state": map[bool]int{false: 1, true: 2}[j.Deleted],
		"triggers": map[string]any{"schedule": !j.CI, "github_webhook": j.CI, "git_provider_webhook": false, "on_merge": false},
		"settings": map[string]any{"threads": 4, "target_name": "default"}}
}

func (s *Server) job(r *http.Request) *reply {
	s.mu.Lock()
	defer s.mu.Unlock()
	id := pathID(r, "j")
	i := slices.IndexFunc(s.jobs, func(j *Job) bool { return j.ID == id })
	if i < 0 {
		return notFound("Job")
	}
	return ok(jobJSON(pathID(r, "a"), s.jobs[i]), nil)
}

func (s *Server) listRuns(r *http.Request) *reply {
	acct := pathID(r, "a")
	q := r.URL.Query()
	jobID, projID, envID, afterID := queryID(r, "job_definition_id"), queryID(r, "project_id"), queryID(r, "environment_id"), queryID(r, "id__gt")
	statuses := parseIntList(q.Get("status__in"))
	if st := q.Get("status"); st != "" {
		statuses = append(statuses, parseIntList(st)...)
	}
	include := q.Get("include_related")
	s.mu.Lock()
	var runs []*Run
	for _, run := range s.runs {
		job := s.jobOf(run)
		switch {
		case jobID != 0 && run.JobID != jobID,
			projID != 0 && (job == nil || job.ProjectID != projID),
			envID != 0 && (job == nil || job.EnvironmentID != envID),
			afterID != 0 && run.ID <= afterID,
			len(statuses) > 0 && !slices.Contains(statuses, run.Status),
			q.Get("has_docs_generated") != "" && strconv.FormatBool(run.HasDocsGenerated) != strings.ToLower(q.Get("has_docs_generated")):
			continue
		}
		runs = append(runs, run)
	}
	sortRuns(runs, q.Get("order_by"))
	// List Runs documents trigger, job and debug_logs as related data;
	// run_steps only Retrieve Run, so the list leaves them out.
	include = strings.ReplaceAll(include, "run_steps", "")
	items := make([]map[string]any, len(runs))
	for i, run := range runs {
		items[i] = s.runJSON(acct, run, include)
	}
	s.mu.Unlock()
	return s.page(r, RouteRuns, items)
}

func sortRuns(runs []*Run, order string) {
	desc := strings.HasPrefix(order, "-")
	key := strings.TrimPrefix(order, "-")
	slices.SortStableFunc(runs, func(a, b *Run) int {
		var c int
		switch key {
		case "finished_at":
			// Unfinished runs have a null finished_at; Postgres sorts nulls
			// first in descending order.
			c = cmp.Compare(finishedUnix(a), finishedUnix(b))
		case "created_at":
			c = a.CreatedAt.Compare(b.CreatedAt)
		default:
			c = cmp.Compare(a.ID, b.ID)
		}
		if desc {
			c = -c
		}
		return c
	})
}

func finishedUnix(r *Run) int64 {
	if !complete(r.Status) || r.FinishedAt.IsZero() {
		return 1 << 62
	}
	return r.FinishedAt.Unix()
}

func complete(status int) bool { return status == 10 || status == 20 || status == 30 }

func parseIntList(v string) []int {
	var out []int
	for _, part := range strings.Split(strings.Trim(v, "[]() "), ",") {
		if n, err := strconv.Atoi(strings.Trim(strings.TrimSpace(part), `"'`)); err == nil {
			out = append(out, n)
		}
	}
	return out
}

// jobOf needs s.mu held.
func (s *Server) jobOf(r *Run) *Job {
	i := slices.IndexFunc(s.jobs, func(j *Job) bool { return j.ID == r.JobID })
	if i < 0 {
		return nil
	}
	return s.jobs[i]
}

// runJSON renders a run as the API does, timestamps in its space-separated
// form. It needs s.mu held.
func (s *Server) runJSON(acct int64, r *Run, include string) map[string]any {
	job := s.jobOf(r)
	var projID, envID int64
	if job != nil {
		projID, envID = job.ProjectID, job.EnvironmentID
	}
	created := r.CreatedAt
	if created.IsZero() {
		created = r.FinishedAt.Add(-10 * time.Minute)
	}
	done := complete(r.Status)
	var finished any
	duration := "00:00:00"
	if done && !r.FinishedAt.IsZero() {
		finished = apiTime(r.FinishedAt)
		duration = fmt.Sprintf("%.1f", r.FinishedAt.Sub(created).Seconds())
	}
	out := map[string]any{
		"id": r.ID, "trigger_id": r.ID + 5000000, "account_id": acct, "project_id": projID, "environment_id": envID,
		"job_definition_id": r.JobID, "status": r.Status, "status_humanized": humanStatus(r.Status), "status_message": nil,
		"dbt_version": "versionless", "git_branch": "main", "git_sha": "0123abc",
		"created_at": apiTime(created), "updated_at": apiTime(created), "dequeued_at": apiTime(created),
		"started_at": apiTime(created.Add(time.Second)), "finished_at": finished,
		"in_progress": !done, "is_running": r.Status == 3, "is_complete": done, "is_success": r.Status == 10,
		"is_error": r.Status == 20, "is_cancelled": r.Status == 30, "artifacts_saved": done,
		"has_docs_generated": r.HasDocsGenerated, "has_sources_generated": r.HasSourcesGenerated,
		"duration": duration, "run_duration": duration,
		"href": fmt.Sprintf("https://cloud.getdbt.com/deploy/%d/projects/%d/runs/%d/", acct, projID, r.ID),
	}
	if strings.Contains(include, "trigger") {
		out["trigger"] = map[string]any{"id": r.ID + 5000000, "cause": "Kicked off from the schedule", "generate_docs_override": nil, "steps_override": nil, "git_branch": nil}
	}
	if strings.Contains(include, "job") && job != nil {
		out["job"] = jobJSON(acct, job)
	}
	if strings.Contains(include, "run_steps") {
		steps := make([]map[string]any, len(r.Steps))
		for i, st := range r.Steps {
			steps[i] = map[string]any{"id": r.ID*100 + int64(i+1), "run_id": r.ID, "account_id": acct, "index": i + 1, "name": st.Name,
				"status": st.Status, "status_humanized": humanStatus(st.Status), "logs": "...", "started_at": apiTime(created), "finished_at": finished}
		}
		out["run_steps"] = steps
	}
	return out
}

func apiTime(t time.Time) string { return t.UTC().Format("2006-01-02 15:04:05.000000+00:00") }

func humanStatus(code int) string {
	switch code {
	case 1:
		return "Queued"
	case 2:
		return "Starting"
	case 3:
		return "Running"
	case 10:
		return "Success"
	case 20:
		return "Error"
	case 30:
		return "Cancelled"
	}
	return "Unknown"
}

func (s *Server) findRun(id int64) *Run {
	i := slices.IndexFunc(s.runs, func(r *Run) bool { return r.ID == id })
	if i < 0 {
		return nil
	}
	return s.runs[i]
}

func (s *Server) run(r *http.Request) *reply {
	s.mu.Lock()
	defer s.mu.Unlock()
	run := s.findRun(pathID(r, "r"))
	if run == nil {
		return notFound("Run")
	}
	return ok(s.runJSON(pathID(r, "a"), run, r.URL.Query().Get("include_related")), nil)
}

// artifact is a file a run saved at a step.
type artifact struct {
	runID   int64
	step    int
	path    string
	content Content
}

// Content is an artifact's bytes, opened on each request.
type Content func() (io.ReadCloser, error)

// FromBytes serves b.
func FromBytes(b []byte) Content {
	return func() (io.ReadCloser, error) { return io.NopCloser(strings.NewReader(string(b))), nil }
}

// FromFile serves a file; a .gz file is decompressed on the fly, so the
// real fixtures (testdata/fixtures/<dataset>/*.json.gz) can be served as is.
func FromFile(path string) Content {
	return func() (io.ReadCloser, error) {
		f, err := os.Open(path)
		if err != nil {
			return nil, err
		}
		if !strings.HasSuffix(path, ".gz") {
			return f, nil
		}
		zr, err := gzip.NewReader(f)
		if err != nil {
			f.Close()
			return nil, err
		}
		return gzipFile{zr, f}, nil
	}
}

type gzipFile struct {
	*gzip.Reader
	f *os.File
}

func (g gzipFile) Close() error { g.Reader.Close(); return g.f.Close() }

// AddArtifact declares a file a run's step wrote. Files accumulate in
// target/ across steps: asking for step k (or the last step when no step
// is given) serves the version written by the latest step <= k.
func (s *Server) AddArtifact(runID int64, step int, path string, c Content) *Server {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.artifacts = append(s.artifacts, artifact{runID: runID, step: step, path: path, content: c})
	return s
}

// AddFixtureArtifacts declares the files of a fixture directory (e.g.
// testdata/fixtures/jaffle-dap-v12-1.12), each *.json.gz as *.json, at step.
func (s *Server) AddFixtureArtifacts(runID int64, step int, dir string) error {
	entries, err := os.ReadDir(dir)
	if err != nil {
		return err
	}
	for _, e := range entries {
		if name, ok := strings.CutSuffix(e.Name(), ".gz"); ok {
			s.AddArtifact(runID, step, name, FromFile(dir+"/"+e.Name()))
		}
	}
	return nil
}

func (s *Server) listArtifacts(r *http.Request) *reply {
	s.mu.Lock()
	defer s.mu.Unlock()
	runID := pathID(r, "r")
	if s.findRun(runID) == nil {
		return notFound("Run")
	}
	var paths []string
	for _, a := range s.artifacts {
		if a.runID == runID && !slices.Contains(paths, a.path) {
			paths = append(paths, a.path)
		}
	}
	slices.Sort(paths)
	if paths == nil {
		return ok(nil, nil) // the API sends null when nothing was saved
	}
	return ok(paths, nil)
}

func (s *Server) artifact(r *http.Request) *reply {
	s.mu.Lock()
	runID := pathID(r, "r")
	run := s.findRun(runID)
	path := r.PathValue("path")
	var content Content
	if run != nil {
		last := len(run.Steps)
		step := last
		if last == 0 {
			step = 1 << 30 // no steps declared: any step's file
		}
		if v := r.URL.Query().Get("step"); v != "" {
			step, _ = strconv.Atoi(v)
		}
		best := -1
		if step >= 1 && (last == 0 || step <= last) {
			for _, a := range s.artifacts {
				if a.runID == runID && a.path == path && (last == 0 || a.step <= step) && a.step > best {
					best, content = a.step, a.content
				}
			}
		}
	}
	s.mu.Unlock()
	if run == nil {
		return notFound("Run")
	}
	if content == nil {
		return notFound("Artifact")
	}
	rc, err := content()
	if err != nil {
		return jsonReply(http.StatusInternalServerError, errorBody(500, err.Error()))
	}
	return &reply{status: http.StatusOK, header: http.Header{"Content-Type": {"application/json"}}, body: rc, length: -1, closer: rc}
}
