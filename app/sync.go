package app

import (
	"fmt"

	"github.com/lineagedesk/lineagedesk/backend"
	"github.com/lineagedesk/lineagedesk/backend/syncer"
)

// SyncResult is what a sync produced. Its top-level fields describe the
// first run synced (the contract of `lineagedesk sync --json`); Runs lists
// every run chosen, one snapshot each, when the connection selects several
// jobs: a run that failed while others synced has its Error, and Failed
// counts those.
type SyncResult struct {
	syncer.RunOutcome
	Connection string              `json:"connection"`
	Runs       []syncer.RunOutcome `json:"runs"`
	Failed     int                 `json:"failed,omitempty"`
}

// ConnectionInputFor returns a saved connection as a form, without its token.
func (a *App) ConnectionInputFor(name string) (ConnectionInput, error) {
	c, _, err := a.store.Connection(a.ctx, name)
	if err != nil {
		return ConnectionInput{}, fmt.Errorf("connection %q: %w", name, err)
	}
	return ConnectionInput{
		Name: c.Name, AccessURL: c.AccessURL, AccountID: c.AccountID,
		ProjectID: c.ProjectID, EnvironmentID: c.EnvironmentID, JobID: c.JobID, RunID: c.RunID,
	}, nil
}

// Sync harvests a connection's job runs into new snapshots and blocks until
// done; progress arrives as EventSyncProgress events. name may be empty
// when exactly one connection exists. runID 0 lets the connection decide.
// One sync per connection runs at a time; CancelSync stops it, the run
// under way left out of the store (runs synced before it stay). A run
// that fails while others sync is an outcome with its error.
func (a *App) Sync(name string, runID int64) (SyncResult, error) {
	if runID < 0 {
		return SyncResult{}, backend.Errorf(backend.EINVALID, "run ID %d is not an id: give the number from the run's dbt Cloud URL (…/runs/N), or none for the newest successful run with docs", runID)
	}
	conn, err := a.connectionToSync(name)
	if err != nil {
		return SyncResult{}, err
	}
	ctx, done, err := a.syncs.start(a.ctx, conn.Name)
	if err != nil {
		return SyncResult{}, err
	}
	defer done()
	emit := func(p SyncProgress) {
		p.Connection = conn.Name
		a.emit(EventSyncProgress, p)
	}
	in, _ := a.ConnectionInputFor(conn.Name)
	tok, err := a.token(in)
	if err != nil {
		emit(SyncProgress{Phase: "failed", Error: err.Error(), Done: true})
		return SyncResult{}, err
	}
	client, err := a.client(conn.AccessURL, tok)
	if err != nil {
		return SyncResult{}, err
	}
	s := syncer.New(client, a.store, func(p syncer.Progress) {
		emit(SyncProgress{Phase: p.Phase, Message: p.Message, Bytes: p.Bytes, TotalBytes: p.TotalBytes, Items: p.Items, TotalItems: p.TotalItems})
	})
	if runID == 0 {
		runID = conn.RunID
	}
	outcomes, err := s.Sync(ctx, syncer.Request{Connection: conn, RunID: runID})
	for i := len(outcomes) - 1; i >= 0; i-- {
		if outcomes[i].SnapshotID != 0 { // the last run stored
			a.emit(EventSnapshotsChanged, outcomes[i].SnapshotID)
			break
		}
	}
	if err != nil {
		phase := "failed"
		if backend.ErrorCode(err) == backend.ECANCELED {
			phase = "canceled"
		}
		emit(SyncProgress{Phase: phase, Error: err.Error(), Done: true})
		return SyncResult{}, fmt.Errorf("sync %q: %w", conn.Name, err)
	}
	res := SyncResult{Connection: conn.Name, Runs: outcomes}
	for _, out := range outcomes {
		switch {
		case out.Error != "":
			res.Failed++
		case res.RunID == 0:
			res.RunOutcome = out
		}
	}
	last := SyncProgress{Phase: "done", Items: len(outcomes) - res.Failed, TotalItems: len(outcomes), Done: true}
	if res.Failed > 0 {
		last.Message = fmt.Sprintf("%d of %d runs failed", res.Failed, len(outcomes))
	}
	emit(last)
	return res, nil
}

// CancelSync stops a running sync of the connection.
func (a *App) CancelSync(name string) error {
	if !a.syncs.cancel(name) {
		return backend.Errorf(backend.ENOTFOUND, "no sync of connection %q is running", name)
	}
	return nil
}

// RunningSyncs lists the connections whose syncs this process is running,
// for a page opened (or reloaded) while one runs: it shows them running
// and can cancel them.
func (a *App) RunningSyncs() []string {
	return a.syncs.names()
}

func (a *App) connectionToSync(name string) (backend.Connection, error) {
	if name != "" {
		c, _, err := a.store.Connection(a.ctx, name)
		if err != nil {
			return backend.Connection{}, fmt.Errorf("sync %q: %w", name, err)
		}
		return c, nil
	}
	cs, err := a.store.Connections(a.ctx)
	if err != nil {
		return backend.Connection{}, fmt.Errorf("read the saved connections: %w", err)
	}
	switch len(cs) {
	case 0:
		return backend.Connection{}, backend.Errorf(backend.ENOTFOUND, "no dbt Cloud connection saved: add one with 'lineagedesk connect' or in the Connections screen")
	case 1:
		return cs[0], nil
	}
	names := make([]string, len(cs))
	for i, c := range cs {
		names[i] = c.Name
	}
	return backend.Connection{}, backend.Errorf(backend.EINVALID, "several connections are saved (%v): name the one to sync", names)
}
