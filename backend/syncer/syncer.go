// Package syncer harvests dbt Cloud job runs into snapshots: it picks the
// runs (the newest successful run that generated docs, per selected job, or
// exactly the run asked for), downloads their artifacts to a temporary
// folder, and imports them through the same pipeline as a local import, in
// one transaction per run. A run's failure leaves the store as it was
// before that run and records what failed in the sync history; the other
// jobs' runs are still synced (their outcomes say which failed). A cancel
// stops the sync there.
package syncer

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/lineagedesk/lineagedesk/backend"
	"github.com/lineagedesk/lineagedesk/backend/dbtcloud"
)

// Store is what a sync writes to.
type Store interface {
	backend.SnapshotStore
	backend.SyncHistoryStore
}

// Progress reports where a sync stands.
type Progress struct {
	Phase      string // discover, download, import, done
	Message    string
	Bytes      int64
	TotalBytes int64
	Items      int
	TotalItems int
}

// Phases.
const (
	PhaseDiscover = "discover"
	PhaseDownload = "download"
	PhaseImport   = "import"
	PhaseDone     = "done"
)

// Request says what to sync.
type Request struct {
	Connection backend.Connection
	// RunID, when not zero, syncs exactly that run (overrides the connection's).
	RunID int64
	// TempDir holds downloads while they are imported ("" = the OS temp dir).
	TempDir string
}

// RunOutcome is what became of one chosen run.
type RunOutcome struct {
	SnapshotID    int64          `json:"snapshot_id"`
	RunID         int64          `json:"run_id"`
	JobID         int64          `json:"job_id"`
	ProjectID     int64          `json:"project_id"`
	EnvironmentID int64          `json:"environment_id"`
	Counts        map[string]int `json:"counts"`
	Reason        string         `json:"reason"`
	Skipped       bool           `json:"skipped,omitempty"` // the run is already in a snapshot; nothing stored
	Warnings      []string       `json:"warnings"`
	// Error says why the run was not synced, when others of the same sync
	// were: one job's broken run does not stop the other jobs' runs.
	// ErrorCode is its code (backend.ErrorCode).
	Error     string `json:"error,omitempty"`
	ErrorCode string `json:"error_code,omitempty"`
}

// Syncer runs syncs against one dbt Cloud client and one store.
type Syncer struct {
	client   *dbtcloud.Client
	store    Store
	progress func(Progress)
	now      func() time.Time
}

// New returns a syncer. progress may be nil.
func New(client *dbtcloud.Client, store Store, progress func(Progress)) *Syncer {
	if progress == nil {
		progress = func(Progress) {}
	}
	return &Syncer{client: client, store: store, progress: progress, now: time.Now}
}

// Sync harvests the chosen runs, one snapshot per run. Each run gets a
// sync history entry; runs synced before are skipped without downloading.
// A run that fails is an outcome with its Error, and the sync goes on with
// the next; the error is returned when no run synced, or on a cancel (with
// what was done before it).
func (s *Syncer) Sync(ctx context.Context, req Request) ([]RunOutcome, error) {
	conn := req.Connection
	s.closeAbandoned(ctx, conn.Name, req.TempDir)
	s.progress(Progress{Phase: PhaseDiscover, Message: "finding the runs to sync"})
	targets, warnings, err := s.chooseRuns(ctx, conn, req.RunID)
	if err != nil {
		s.record(ctx, backend.SyncRecord{Connection: conn.Name, Status: statusFor(err), Reason: "choose runs: " + err.Error(), Warnings: warnings})
		return nil, err
	}
	if len(targets) > 0 {
		// What choosing the runs found goes with the first run: in its
		// outcome and in its history record.
		targets[0].notes = warnings
	}
	var outcomes []RunOutcome
	var firstFailure error
	failed := 0
	var stopped error // a failure the next runs would meet too
	recordNotTried := true
	for i, t := range targets {
		if stopped != nil {
			failed++
			notTried := "not tried: " + stopped.Error()
			outcomes = append(outcomes, RunOutcome{RunID: t.run.ID, JobID: t.run.JobDefinitionID, ProjectID: t.run.ProjectID, EnvironmentID: t.run.EnvironmentID,
				Reason: t.reason, Warnings: []string{}, Error: notTried, ErrorCode: backend.ErrorCode(stopped)})
			if recordNotTried {
				// The store may be what failed (another writer for too
				// long): a short try, and none after one fails.
				recordNotTried = s.recordWithin(ctx, notTriedRecordWait, backend.SyncRecord{Connection: conn.Name, Status: backend.SyncFailed,
					ProjectID: t.run.ProjectID, JobID: t.run.JobDefinitionID, RunID: t.run.ID, Reason: t.reason + "; " + notTried})
			}
			continue
		}
		out, err := s.syncRun(ctx, conn, t, req.TempDir, i, len(targets))
		if err != nil {
			if ctx.Err() != nil || backend.ErrorCode(err) == backend.ECANCELED {
				return outcomes, err
			}
			// The other jobs' runs are still synced, each in its own
			// transaction; the outcome says why this one was not.
			if failed++; failed == 1 {
				firstFailure = err
			}
			out.Error, out.ErrorCode = err.Error(), backend.ErrorCode(err)
			if !ofTheRun(err) {
				stopped = err
			}
		}
		outcomes = append(outcomes, out)
	}
	if failed == len(targets) {
		return nil, noneSynced(firstFailure, outcomes)
	}
	s.progress(Progress{Phase: PhaseDone, Items: len(targets) - failed, TotalItems: len(targets)})
	return outcomes, nil
}

// ofTheRun reports whether a run's failure is its own (its artifacts
// broken or missing), which the next jobs' runs need not meet; dbt Cloud
// or the store failing (unreachable, refusing the token, rate-limiting,
// the disk full, another process writing for too long) would fail them
// all, each after its own retries or wait.
func ofTheRun(err error) bool {
	if errors.As(err, new(storeFailure)) {
		return false
	}
	switch backend.ErrorCode(err) {
	case backend.EINVALID, backend.ENOTFOUND:
		return true
	}
	return false
}

// storeFailure is the store refusing a run's first write, its history
// record: read-only, say, which every next run would meet too whatever
// the error's code (a read-only file is the user's setting to mend).
type storeFailure struct{ error }

func (f storeFailure) Unwrap() error { return f.error }

// noneSynced is the error of a sync none of whose runs synced: the one
// run's error, or each run's outcome, coded as the first failure.
func noneSynced(first error, outcomes []RunOutcome) error {
	if len(outcomes) == 1 {
		return first
	}
	msgs := make([]string, len(outcomes))
	for i, out := range outcomes {
		msgs[i] = out.Error
	}
	return backend.Errorf(backend.ErrorCode(first), "none of the %d runs was synced: %s", len(outcomes), strings.Join(msgs, "; "))
}

// abandonedAfter is how long after its start a sync still "running" is
// taken for one whose process was killed: no sync runs for hours, and a
// younger one may be another process's, alive.
const abandonedAfter = 6 * time.Hour

// closeAbandoned marks the connection's syncs that a killed process left
// "running" as failed, and removes download folders left that long ago.
// Both are housekeeping: a failure here does not stop the sync.
func (s *Syncer) closeAbandoned(ctx context.Context, connection, tempDir string) {
	cutoff := s.now().Add(-abandonedAfter)
	if recs, err := s.store.SyncHistory(ctx, connection, 100); err == nil {
		for _, r := range recs {
			if r.Status != backend.SyncRunning || !r.StartedAt.Before(cutoff) {
				continue
			}
			r.Status, r.FinishedAt = backend.SyncFailed, s.now().UTC()
			r.Reason += "; interrupted: the process running it ended before it finished"
			_ = s.store.UpdateSyncRecord(ctx, r)
		}
	}
	if tempDir == "" {
		tempDir = os.TempDir()
	}
	left, _ := filepath.Glob(filepath.Join(tempDir, "lineagedesk-run-*"))
	for _, dir := range left {
		if info, err := os.Stat(dir); err == nil && info.IsDir() && info.ModTime().Before(cutoff) {
			_ = os.RemoveAll(dir)
		}
	}
}

// notTriedRecordWait is how long a not-tried run's history record may wait
// for the store, which the sync may have stopped on (its write lock held
// by another process waits ten minutes otherwise, per record).
const notTriedRecordWait = 10 * time.Second

// recordWithin stores a finished history entry, giving up after wait (or
// on a cancel); it reports whether the store took it.
func (s *Syncer) recordWithin(ctx context.Context, wait time.Duration, r backend.SyncRecord) bool {
	ctx, cancel := context.WithTimeout(ctx, wait)
	defer cancel()
	now := s.now().UTC()
	r.StartedAt, r.FinishedAt = now, now
	_, err := s.store.AddSyncRecord(ctx, r)
	return err == nil
}

// record stores a finished history entry; a failure to record must not
// hide the sync's own error, so it is dropped.
func (s *Syncer) record(ctx context.Context, r backend.SyncRecord) {
	now := s.now().UTC()
	r.StartedAt, r.FinishedAt = now, now
	_, _ = s.store.AddSyncRecord(context.WithoutCancel(ctx), r)
}

func statusFor(err error) string {
	if backend.ErrorCode(err) == backend.ECANCELED {
		return backend.SyncCanceled
	}
	return backend.SyncFailed
}

// syncRun downloads and imports one run, bracketed by a history entry.
func (s *Syncer) syncRun(ctx context.Context, conn backend.Connection, t target, tempDir string, index, total int) (RunOutcome, error) {
	out := RunOutcome{RunID: t.run.ID, JobID: t.run.JobDefinitionID, ProjectID: t.run.ProjectID, EnvironmentID: t.run.EnvironmentID, Reason: t.reason,
		Warnings: append([]string{}, t.notes...)} // [] in JSON, never null
	rec := backend.SyncRecord{
		Connection: conn.Name, StartedAt: s.now().UTC(), Status: backend.SyncRunning,
		ProjectID: out.ProjectID, JobID: out.JobID, RunID: out.RunID, Reason: t.reason,
	}
	if prev, err := s.store.SnapshotForRun(ctx, conn.AccountID, t.run.ID); err == nil {
		out.SnapshotID, out.Skipped, out.Counts = prev.ID, true, prev.Counts
		rec.Status, rec.SnapshotID, rec.FinishedAt = backend.SyncSkipped, prev.ID, s.now().UTC()
		rec.Reason = fmt.Sprintf("%s; synced before into snapshot %d, nothing downloaded", t.reason, prev.ID)
		_, _ = s.store.AddSyncRecord(ctx, rec)
		return out, nil
	} else if backend.ErrorCode(err) != backend.ENOTFOUND {
		return out, fmt.Errorf("sync run %d: look for an earlier snapshot: %w", t.run.ID, err)
	}
	id, err := s.store.AddSyncRecord(ctx, rec)
	if err != nil {
		return out, storeFailure{fmt.Errorf("sync run %d: record start: %w", t.run.ID, err)}
	}
	rec.ID = id
	snap, warnings, err := s.harvest(ctx, conn, t, tempDir, index, total)
	rec.FinishedAt = s.now().UTC()
	out.Warnings = append(out.Warnings, warnings...)
	rec.Warnings = out.Warnings
	if backend.ErrorCode(err) == backend.ECONFLICT {
		if prev, perr := s.store.SnapshotForRun(ctx, conn.AccountID, t.run.ID); perr == nil {
			out.SnapshotID, out.Skipped, out.Counts = prev.ID, true, prev.Counts
			rec.Status, rec.SnapshotID = backend.SyncSkipped, prev.ID
			rec.Reason = fmt.Sprintf("%s; another sync stored it meanwhile, into snapshot %d", t.reason, prev.ID)
			_ = s.store.UpdateSyncRecord(context.WithoutCancel(ctx), rec)
			return out, nil
		}
	}
	if err != nil {
		rec.Status = statusFor(err)
		rec.Reason = fmt.Sprintf("%s; failed: %v", t.reason, err)
		_ = s.store.UpdateSyncRecord(context.WithoutCancel(ctx), rec)
		return out, fmt.Errorf("sync run %d of job %d: %w", t.run.ID, t.run.JobDefinitionID, err)
	}
	rec.Status, rec.SnapshotID = backend.SyncSucceeded, snap.ID
	if err := s.store.UpdateSyncRecord(ctx, rec); err != nil {
		return out, fmt.Errorf("sync run %d: record success: %w", t.run.ID, err)
	}
	out.SnapshotID, out.Counts = snap.ID, snap.Counts
	return out, nil
}
