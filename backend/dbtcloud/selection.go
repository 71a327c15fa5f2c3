package dbtcloud

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"

	"github.com/lineagedesk/lineagedesk/backend"
)

// Steps says which run step's artifacts to read; 0 means "not there".
type Steps struct {
	// Results is the step whose run_results.json holds build/test outcomes
	// (0: unknown, read the API's default, the last step).
	Results int `json:"results"`
	// ResultsCommand is that step's dbt command: build, test, run, ...
	ResultsCommand string `json:"results_command,omitempty"`
	// Freshness is the `dbt source freshness` step (sources.json).
	Freshness int `json:"freshness,omitempty"`
	// Docs is the `dbt docs generate` step (catalog.json).
	Docs int `json:"docs,omitempty"`
}

// RunChoice is the run a sync reads and why.
type RunChoice struct {
	Run      *Run     `json:"run"`
	JobID    int64    `json:"job_id"`
	JobName  string   `json:"job_name"`
	Steps    Steps    `json:"steps"`
	Reason   string   `json:"reason"`
	Warnings []string `json:"warnings,omitempty"`
	// stepWarnings are the Warnings ChooseSteps gave, replaced when the
	// run's steps are read (withSteps).
	stepWarnings []string
}

// ChooseRun picks the run of job to sync from runs (any order; runs of
// other jobs are ignored). Without runID it is the newest successful run
// that generated docs, else the newest successful run (with a warning: no
// catalog); queued, running, failed and cancelled runs are skipped. With a
// runID it is exactly that run, which must be complete and successful.
// Steps are chosen from the run's run_steps (see ChooseSteps): a run read
// alone with RelatedRunSteps has them; the runs list has none (RunToSync
// reads the chosen run again).
func ChooseRun(job *Job, runs []*Run, runID int64) (*RunChoice, error) {
	label := fmt.Sprintf("job %d %q", job.ID, job.Name)
	var mine []*Run
	for _, r := range runs {
		if r != nil && (r.JobDefinitionID == 0 || r.JobDefinitionID == job.ID) {
			mine = append(mine, r)
		}
	}
	slices.SortStableFunc(mine, newestFirst)

	if runID != 0 {
		i := slices.IndexFunc(mine, func(r *Run) bool { return r.ID == runID })
		if i < 0 {
			return nil, backend.Errorf(backend.ENOTFOUND, "run %d is not a run of %s: check the run id (the connection's setting, or the one given to the sync), or give none for the newest successful run", runID, label)
		}
		r := mine[i]
		if !r.Complete() {
			return nil, backend.Errorf(backend.ECONFLICT, "run %d of %s is %s, not finished: wait for it to finish, or give no run id (the connection's setting, or the one given to the sync) for the newest successful run", r.ID, label, StatusName(r.Status))
		}
		if r.Status != StatusSuccess {
			return nil, backend.Errorf(backend.EINVALID, "run %d of %s ended with status %s, not success: pick a successful run, or give no run id (the connection's setting, or the one given to the sync) for the newest successful run", r.ID, label, StatusName(r.Status))
		}
		c := newChoice(job, r, "the run id asked for")
		if !r.HasDocsGenerated {
			c.Warnings = append(c.Warnings, noDocsWarning(r, job))
		}
		return c, nil
	}

	var skipped []string
	var fallback *Run
	for _, r := range mine {
		switch {
		case r.Status != StatusSuccess:
			skipped = append(skipped, StatusName(r.Status))
		case r.HasDocsGenerated:
			return newChoice(job, r, "newest successful run with docs"+skippedNote(skipped)), nil
		case fallback == nil:
			fallback = r
		}
	}
	if fallback != nil {
		c := newChoice(job, fallback, "newest successful run; none of the recent successful runs generated docs")
		c.Warnings = append(c.Warnings, noDocsWarning(fallback, job))
		return c, nil
	}
	what := "no successful run"
	if len(mine) > 0 {
		what = fmt.Sprintf("no successful run among its %d most recent (%s)", len(mine), countWords(skipped))
	}
	return nil, noSuccessfulRun{backend.Errorf(backend.ENOTFOUND, "%s has %s: run the job in dbt Cloud, or choose another job", label, what)}
}

// noSuccessfulRun is ChooseRun's error for a job with nothing to sync
// yet: a warning to the sync of several jobs, where a failure to list the
// runs (a 404 too) is an error (IsNoSuccessfulRun).
type noSuccessfulRun struct{ err *backend.Error }

func (n noSuccessfulRun) Error() string { return n.err.Error() }
func (n noSuccessfulRun) Unwrap() error { return n.err }

// IsNoSuccessfulRun reports whether err says a job has no run to sync.
func IsNoSuccessfulRun(err error) bool {
	var n noSuccessfulRun
	return errors.As(err, &n)
}

// RunToSync picks the job's run a sync takes: its newest successful run
// that generated docs among the recent ones (ChooseRun), else the newest
// older one with docs, else the newest successful run, with a warning.
// IsNoSuccessfulRun (ENOTFOUND, naming the job) when it has no successful run. include asks
// for related data with the runs; with RelatedRunSteps the run chosen is
// read again with its steps, which dbt Cloud documents on Retrieve Run
// only (the runs list takes trigger, job and debug_logs; QA: steps missing
// from the list would read run_results.json from the docs step, with no
// test outcomes, and twenty runs' step logs make a heavy page).
func (c *Client) RunToSync(ctx context.Context, accountID int64, job *Job, include ...string) (*RunChoice, error) {
	choice, err := c.runToSync(ctx, accountID, job, slices.DeleteFunc(slices.Clone(include), func(r string) bool { return r == RelatedRunSteps }))
	if err != nil || !slices.Contains(include, RelatedRunSteps) {
		return choice, err
	}
	full, err := c.Run(ctx, accountID, choice.Run.ID, include...)
	if err != nil {
		return nil, fmt.Errorf("run %d of job %d with its steps: %w", choice.Run.ID, job.ID, err)
	}
	choice.withSteps(full)
	return choice, nil
}

// withSteps takes the run read again with its steps, and its steps.
func (c *RunChoice) withSteps(full *Run) {
	c.Warnings = slices.DeleteFunc(c.Warnings, func(w string) bool { return slices.Contains(c.stepWarnings, w) })
	c.Run = full
	c.Steps, c.stepWarnings = ChooseSteps(full)
	c.Warnings = append(c.Warnings, c.stepWarnings...)
}

func (c *Client) runToSync(ctx context.Context, accountID int64, job *Job, include []string) (*RunChoice, error) {
	runs, err := c.Runs(ctx, accountID, RunListOptions{JobID: job.ID, Statuses: []int{StatusSuccess}, Include: include, Limit: 20})
	if err != nil {
		return nil, fmt.Errorf("runs of job %d: %w", job.ID, err)
	}
	choice, err := ChooseRun(job, runs, 0)
	if err != nil || choice.Run.HasDocsGenerated {
		return choice, err
	}
	// The recent runs lack docs (an orchestrator's runs between nightly
	// docs runs): an older one with docs is still wanted.
	docs := true
	older, err := c.Runs(ctx, accountID, RunListOptions{JobID: job.ID, Statuses: []int{StatusSuccess}, HasDocsGenerated: &docs, Include: include, Limit: 1})
	if err != nil {
		return nil, fmt.Errorf("runs of job %d with docs: %w", job.ID, err)
	}
	if len(older) == 0 {
		return choice, nil
	}
	if withDocs, err := ChooseRun(job, older, 0); err == nil && withDocs.Run.HasDocsGenerated {
		withDocs.Reason += fmt.Sprintf(" (its %d or more newer successful runs did not generate docs)", len(runs))
		return withDocs, nil
	}
	return choice, nil
}

func newChoice(job *Job, r *Run, why string) *RunChoice {
	steps, warnings := ChooseSteps(r)
	when := "finish time unknown"
	if !r.FinishedAt.IsZero() {
		when = "finished " + r.FinishedAt.UTC().Format("2006-01-02 15:04 UTC")
	}
	return &RunChoice{
		Run:          r,
		JobID:        job.ID,
		JobName:      job.Name,
		Steps:        steps,
		Reason:       fmt.Sprintf("run %d of job %d %q: %s, %s", r.ID, job.ID, job.Name, why, when),
		Warnings:     warnings,
		stepWarnings: slices.Clone(warnings),
	}
}

func noDocsWarning(r *Run, job *Job) string {
	return fmt.Sprintf("run %d did not generate docs, so there is no catalog.json and column types are unknown: turn on \"Generate docs on run\" for job %d %q", r.ID, job.ID, job.Name)
}

// newestFirst orders unfinished runs (no finish time) first, then by finish
// time and id, newest first.
func newestFirst(a, b *Run) int {
	if a.FinishedAt.IsZero() != b.FinishedAt.IsZero() {
		if a.FinishedAt.IsZero() {
			return -1
		}
		return 1
	}
	if c := b.FinishedAt.Compare(a.FinishedAt); c != 0 {
		return c
	}
	return cmp.Compare(b.ID, a.ID)
}

func skippedNote(skipped []string) string {
	if len(skipped) == 0 {
		return ""
	}
	return fmt.Sprintf(" (skipped %d newer: %s)", len(skipped), countWords(skipped))
}

// countWords turns ["error", "running", "error"] into "2 error, 1 running".
func countWords(words []string) string {
	counts := map[string]int{}
	var order []string
	for _, w := range words {
		if counts[w] == 0 {
			order = append(order, w)
		}
		counts[w]++
	}
	parts := make([]string, len(order))
	for i, w := range order {
		parts[i] = fmt.Sprintf("%d %s", counts[w], w)
	}
	return strings.Join(parts, ", ")
}

// StepCommand extracts the dbt command a run step ran from its name, e.g.
// "Invoke dbt with `dbt build --select tag:daily`" -> "build",
// "Invoke dbt with `dbt source freshness`" -> "source freshness". The
// steps a job's "Generate docs on run" and "Run source freshness" boxes
// add may be named in words ("Generate docs", "Generation of docs",
// "Source freshness", as code written against real runs reads them): they
// are "docs generate" and "source freshness" too. It returns "" for setup
// steps (clone, profile).
func StepCommand(name string) string {
	if command := commandOfStep(name); command != "" {
		return command
	}
	lower := strings.ToLower(name)
	switch {
	case strings.Contains(lower, "generat") && strings.Contains(lower, "docs"):
		return "docs generate"
	case strings.Contains(lower, "source freshness") || strings.Contains(lower, "sources freshness"):
		return "source freshness"
	}
	return ""
}

// commandOfStep is the dbt command a step's name quotes ("Invoke dbt with
// `dbt build`"), "" when it quotes none.
func commandOfStep(name string) string {
	s := name
	if i := strings.Index(s, "`"); i >= 0 {
		s = s[i+1:]
		if j := strings.Index(s, "`"); j >= 0 {
			s = s[:j]
		}
	} else if i := strings.Index(strings.ToLower(s), "invoke dbt with "); i >= 0 {
		s = s[i+len("invoke dbt with "):]
	} else {
		return ""
	}
	fields := shellWords(strings.ToLower(s))
	if len(fields) < 2 || (fields[0] != "dbt" && fields[0] != "dbtf") {
		return ""
	}
	// Global flags and their values may come first (dbt --debug build, dbt
	// --log-level debug build, dbt --log-file-max-bytes 10000000 build): the
	// values of the flags known to take one are skipped (a value may be a
	// command's name), then the command is the first word that names one.
	for i := 1; i < len(fields); i++ {
		command := fields[i]
		if strings.HasPrefix(command, "-") {
			if globalFlagsWithValue[command] {
				i++
			}
			continue
		}
		if !dbtCommands[command] {
			continue
		}
		if command == "source" || command == "docs" {
			for _, sub := range fields[i+1:] {
				if !strings.HasPrefix(sub, "-") {
					return command + " " + sub
				}
			}
		}
		return command
	}
	return ""
}

// globalFlagsWithValue are dbt's global flags that take the next word as
// their value (dbt --help, 1.5 to 1.10).
var globalFlagsWithValue = map[string]bool{
	"--log-format": true, "--log-format-file": true, "--log-level": true, "--log-level-file": true,
	"--log-path": true, "--log-file-max-bytes": true, "--printer-width": true, "--profiles-dir": true,
	"--project-dir": true, "--target-path": true, "--warn-error-options": true, "--record-timing-info": true,
	"-r": true, "--profile": true, "--target": true, "-t": true, "--vars": true, "--threads": true,
	"--state": true, "--defer-state": true, "--partial-parse-file-path": true,
}

// dbtCommands are dbt's commands (dbt --help).
var dbtCommands = map[string]bool{
	"build": true, "clean": true, "clone": true, "compile": true, "debug": true, "deps": true, "docs": true,
	"init": true, "list": true, "ls": true, "parse": true, "retry": true, "run": true, "run-operation": true,
	"seed": true, "show": true, "snapshot": true, "source": true, "test": true,
}

// shellWords splits a command line as a shell would, keeping quoted text
// ('{"include": "all"}') in one word.
func shellWords(s string) []string {
	var words []string
	var cur strings.Builder
	inWord := false
	var quote rune
	for _, r := range s {
		switch {
		case quote != 0:
			if r == quote {
				quote = 0
			} else {
				cur.WriteRune(r)
			}
		case r == '\'' || r == '"':
			quote, inWord = r, true
		case r == ' ' || r == '\t' || r == '\n':
			if inWord {
				words = append(words, cur.String())
				cur.Reset()
				inWord = false
			}
		default:
			cur.WriteRune(r)
			inWord = true
		}
	}
	if inWord {
		words = append(words, cur.String())
	}
	return words
}

// resultCommands rank the commands whose run_results.json is worth reading:
// build, test and retry (of a build) carry test outcomes; run, seed and
// snapshot only node results.
var resultCommands = map[string]int{"build": 3, "test": 3, "retry": 3, "run": 2, "seed": 1, "snapshot": 1}

// ChooseSteps finds, from the run's run_steps, the step that ran dbt
// build/test (its run_results.json, not the docs-generate one the API
// returns by default), the source freshness step and the docs step.
func ChooseSteps(r *Run) (Steps, []string) {
	var s Steps
	best := 0
	for _, step := range r.RunSteps {
		command := StepCommand(step.Name)
		switch {
		case command == "docs generate":
			s.Docs = step.Index
		case command == "source freshness" || command == "source snapshot-freshness":
			s.Freshness = step.Index
		case resultCommands[command] > 0 && resultCommands[command] >= best:
			best = resultCommands[command]
			s.Results, s.ResultsCommand = step.Index, command
		}
	}
	var warnings []string
	switch {
	case len(r.RunSteps) == 0:
		warnings = append(warnings, fmt.Sprintf("run %d came without its steps: run_results.json is read from the last step, which may be `dbt docs generate` and then holds no test outcomes", r.ID))
	case s.Results == 0:
		warnings = append(warnings, fmt.Sprintf("run %d has no dbt build, test or run step: there are no test outcomes to read", r.ID))
	}
	return s, warnings
}
