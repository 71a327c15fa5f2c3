package syncer

import (
	"context"
	"fmt"
	"strings"

	"github.com/lineagedesk/lineagedesk/backend"
	"github.com/lineagedesk/lineagedesk/backend/dbtcloud"
)

// target is a run chosen for syncing and what to download from it.
type target struct {
	run       *dbtcloud.Run
	jobName   string
	reason    string
	notes     []string // warnings from choosing it, kept with its outcome
	downloads []download
}

// chooseRuns picks the runs to sync: exactly runID when given, otherwise
// for each selected job its newest successful run that generated docs.
func (s *Syncer) chooseRuns(ctx context.Context, conn backend.Connection, runID int64) ([]target, []string, error) {
	include := []string{dbtcloud.RelatedRunSteps, dbtcloud.RelatedJob, dbtcloud.RelatedTrigger}
	var hostWarnings []string
	if w := dbtcloud.LegacyHostWarning(s.client.AccessURL()); w != "" {
		hostWarnings = append(hostWarnings, w)
	}
	if runID != 0 {
		run, err := s.client.Run(ctx, conn.AccountID, runID, include...)
		if err != nil {
			return nil, nil, err // it names the run
		}
		choice, err := dbtcloud.ChooseAskedRun(run, narrowingOf(conn))
		if err != nil {
			return nil, nil, err
		}
		return []target{s.targetFor(choice)}, append(hostWarnings, choice.Warnings...), nil
	}

	projects, err := s.projects(ctx, conn)
	if err != nil {
		return nil, nil, err
	}
	var targets []target
	warnings := hostWarnings
	var idle []string // why projects have nothing to sync
	narrowing := narrowingOf(conn)
	for _, p := range projects {
		envs, err := s.client.Environments(ctx, conn.AccountID, p.ID)
		if err != nil {
			return nil, warnings, fmt.Errorf("environments of project %d: %w", p.ID, err)
		}
		jobs, err := s.client.Jobs(ctx, conn.AccountID, dbtcloud.JobListOptions{ProjectID: p.ID})
		if err != nil {
			return nil, warnings, fmt.Errorf("jobs of project %d: %w", p.ID, err)
		}
		choices, w, err := dbtcloud.ChooseJobs(p, envs, jobs, narrowing)
		warnings = append(warnings, w...)
		if err != nil {
			if len(projects) > 1 && backend.ErrorCode(err) == backend.ENOTFOUND {
				if !dbtcloud.IsPinNotInProject(err) { // the pin is in another project
					idle = append(idle, err.Error())
				}
				continue
			}
			return nil, warnings, err
		}
		for _, jc := range choices {
			choice, err := s.client.RunToSync(ctx, conn.AccountID, jc.Job, include...)
			if dbtcloud.IsNoSuccessfulRun(err) {
				warnings = append(warnings, err.Error()) // it names the job
				continue
			}
			if err != nil {
				return nil, warnings, err
			}
			warnings = append(warnings, choice.Warnings...)
			choice.Reason = fmt.Sprintf("%s (job chosen: %s)", choice.Reason, jc.Reason)
			targets = append(targets, s.targetFor(choice))
		}
	}
	warnings = append(warnings, dbtcloud.SumUpIdleProjects(idle)...)
	if len(targets) == 0 && len(warnings) == 0 && (narrowing.JobID != 0 || narrowing.EnvironmentID != 0) {
		return nil, warnings, dbtcloud.PinNotFound(narrowing)
	}
	if len(targets) == 0 {
		why := "no job to sync"
		if len(warnings) > 0 {
			why = strings.Join(warnings, "; ")
		}
		return nil, warnings, backend.Errorf(backend.ENOTFOUND, "no successful run to sync was found: %s", why)
	}
	return targets, warnings, nil
}

func narrowingOf(conn backend.Connection) dbtcloud.Narrowing {
	return dbtcloud.Narrowing{ProjectID: conn.ProjectID, EnvironmentID: conn.EnvironmentID, JobID: conn.JobID}
}

func (s *Syncer) projects(ctx context.Context, conn backend.Connection) ([]*dbtcloud.Project, error) {
	if conn.ProjectID != 0 {
		p, err := s.client.Project(ctx, conn.AccountID, conn.ProjectID)
		if err != nil {
			return nil, fmt.Errorf("project %d: %w", conn.ProjectID, err)
		}
		return []*dbtcloud.Project{p}, nil
	}
	ps, err := s.client.Projects(ctx, conn.AccountID)
	if err != nil {
		return nil, fmt.Errorf("projects: %w", err)
	}
	return ps, nil
}

// targetFor decides which step each artifact comes from: test outcomes
// from the step that ran build/test (not docs generate, whose run_results
// marks everything "success"), freshness from the freshness step.
func (s *Syncer) targetFor(c *dbtcloud.RunChoice) target {
	run, steps := c.Run, c.Steps
	t := target{run: run, jobName: c.JobName, reason: c.Reason}
	t.downloads = append(t.downloads, download{name: "manifest.json"})
	// The catalog from the docs step when it is known: another step may come
	// after it (a run-operation), and the API's default is the last step. A
	// run that generated no docs has none (ChooseRun has said so already).
	if run.HasDocsGenerated || steps.Docs != 0 {
		// dbt Cloud says the run generated docs, yet holds no catalog:
		// the docs step failed or saved none; turning docs on is no help.
		t.downloads = append(t.downloads, download{name: "catalog.json", step: steps.Docs, optional: true,
			missing: fmt.Sprintf("run %d generated docs, dbt Cloud says, but holds no catalog.json (its docs step may have failed to write one): column types are unknown; check the run's docs step in dbt Cloud, then delete this snapshot and sync the run again", run.ID)})
	}
	t.downloads = append(t.downloads, download{name: "run_results.json", step: steps.Results, optional: true,
		missing: fmt.Sprintf("run %d has no run_results.json: no run or test results", run.ID)})
	if steps.Freshness != 0 || run.HasSourcesGenerated {
		t.downloads = append(t.downloads, download{name: "sources.json", step: steps.Freshness, optional: true,
			missing: fmt.Sprintf("run %d has no sources.json: no source freshness results", run.ID)})
	}
	return t
}
