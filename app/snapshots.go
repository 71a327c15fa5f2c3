package app

import (
	"context"
	"fmt"
	"slices"
	"strings"

	"github.com/lineagedesk/lineagedesk/backend"
)

// StorePath is the store file's path.
func (a *App) StorePath() string { return a.cfg.DBPath }

// Status reports the store and the latest snapshot.
func (a *App) Status() (Status, error) {
	snaps, err := a.store.Snapshots(a.ctx)
	if err != nil {
		return Status{}, fmt.Errorf("status: %w", err)
	}
	st := Status{
		Version:       a.cfg.Version,
		DBPath:        a.cfg.DBPath,
		Snapshots:     len(snaps),
		DemoAvailable: a.cfg.Demo != nil,
	}
	if a.cfg.Sealer != nil {
		st.TokenStorage = a.cfg.Sealer.Storage()
	}
	if len(snaps) > 0 {
		st.Latest = &snaps[0]
	}
	return st, nil
}

// Snapshots lists stored snapshots, newest first.
func (a *App) Snapshots() ([]backend.Snapshot, error) {
	snaps, err := a.store.Snapshots(a.ctx)
	if err != nil {
		return nil, fmt.Errorf("list snapshots: %w", err)
	}
	return snaps, nil
}

// DeleteSnapshot removes a snapshot and everything in it.
func (a *App) DeleteSnapshot(id int64) error {
	if err := a.store.DeleteSnapshot(a.ctx, id); err != nil {
		return fmt.Errorf("delete snapshot %d: %w", id, err)
	}
	a.graphs.forget(id)
	a.emit(EventSnapshotsChanged, nil)
	return nil
}

// snapshot returns snapshot id, or the latest for 0 (resolveSnapshot).
func (a *App) snapshot(ctx context.Context, id int64) (backend.Snapshot, error) {
	if id == 0 {
		return a.latestSnapshot(ctx)
	}
	return a.store.Snapshot(ctx, id)
}

// latestSnapshot is the newest snapshot, or an error saying how to get one.
func (a *App) latestSnapshot(ctx context.Context) (backend.Snapshot, error) {
	s, err := a.store.LatestSnapshot(ctx)
	if err != nil {
		if backend.ErrorCode(err) == backend.ENOTFOUND {
			return s, backend.Errorf(backend.ENOTFOUND,
				"the store has no snapshot yet: import a dbt target folder, sync a dbt Cloud connection or open the demo project")
		}
		return s, fmt.Errorf("find latest snapshot: %w", err)
	}
	return s, nil
}

// resolveSnapshot turns 0 into the latest snapshot's id.
func (a *App) resolveSnapshot(id int64) (int64, error) {
	if id != 0 {
		return id, nil
	}
	s, err := a.latestSnapshot(a.ctx)
	return s.ID, err
}

// Tree returns the packages and folders of a snapshot with counts.
func (a *App) Tree(snapshotID int64) ([]backend.TreeEntry, error) {
	id, err := a.resolveSnapshot(snapshotID)
	if err != nil {
		return nil, err
	}
	t, err := a.store.Tree(a.ctx, id)
	if err != nil {
		return nil, fmt.Errorf("project tree of snapshot %d: %w", id, err)
	}
	return t, nil
}

// Selectors lists a snapshot's YAML selectors (selectors.yml), which
// selector:NAME selects with.
func (a *App) Selectors(snapshotID int64) ([]backend.NamedSelector, error) {
	snap, err := a.snapshot(a.ctx, snapshotID) // one that exists: none has no selectors
	if err != nil {
		return nil, err
	}
	return a.store.Selectors(a.ctx, snap.ID)
}

// Resources lists resource summaries of a snapshot.
func (a *App) Resources(snapshotID int64, f backend.ResourceFilter) ([]backend.ResourceSummary, error) {
	if err := knownResourceTypes(f.ResourceTypes); err != nil {
		return nil, err
	}
	id, err := a.resolveSnapshot(snapshotID)
	if err != nil {
		return nil, err
	}
	rs, err := a.store.Resources(a.ctx, id, f)
	if err != nil {
		return nil, fmt.Errorf("list resources of snapshot %d: %w", id, err)
	}
	return rs, nil
}

// Resource returns everything known about one resource.
func (a *App) Resource(snapshotID int64, uniqueID string) (backend.ResourceDetail, error) {
	id, err := a.resolveSnapshot(snapshotID)
	if err != nil {
		return backend.ResourceDetail{}, err
	}
	r, err := a.resource(id, uniqueID)
	if err != nil {
		return backend.ResourceDetail{}, fmt.Errorf("show %s: %w", uniqueID, err)
	}
	return r, nil
}

// resource reads one resource by unique_id, or else by name.
func (a *App) resource(snapshotID int64, ref string) (backend.ResourceDetail, error) {
	r, err := a.store.Resource(a.ctx, snapshotID, ref)
	if backend.ErrorCode(err) == backend.ENOTFOUND {
		// Not a unique_id: a name, as paths takes, or a slip, answered
		// with the unique_ids near it (from the whole graph, loaded only
		// for a slip).
		r, err = a.resourceNamed(snapshotID, ref)
	}
	return r, err
}

func (a *App) resourceNamed(snapshotID int64, ref string) (backend.ResourceDetail, error) {
	snap, err := a.snapshot(a.ctx, snapshotID)
	if err != nil {
		return backend.ResourceDetail{}, err
	}
	g, err := a.graphHolding(a.ctx, snap, 0, 0, ref)
	if err != nil {
		return backend.ResourceDetail{}, err
	}
	uniqueID, err := g.Resolve(ref)
	if err != nil {
		return backend.ResourceDetail{}, err
	}
	return a.store.Resource(a.ctx, snapshotID, uniqueID)
}

// knownResourceTypes refuses a filter naming a type dbt has not (a typo
// would list nothing, as if the snapshot had none).
func knownResourceTypes(types []string) error {
	for _, t := range types {
		if !slices.Contains(backend.ResourceTypes(), t) {
			return backend.Errorf(backend.EINVALID, "%q is not a resource type: use one of %s", t, strings.Join(backend.ResourceTypes(), ", "))
		}
	}
	return nil
}

// Search runs a full-text search in a snapshot.
func (a *App) Search(snapshotID int64, q backend.SearchQuery) (backend.SearchResult, error) {
	if err := knownResourceTypes(q.ResourceTypes); err != nil {
		return backend.SearchResult{}, err
	}
	id, err := a.resolveSnapshot(snapshotID)
	if err != nil {
		return backend.SearchResult{}, err
	}
	res, err := a.store.Search(a.ctx, id, q)
	if err != nil {
		return backend.SearchResult{}, fmt.Errorf("search %q: %w", q.Text, err)
	}
	return res, nil
}

// CancelRequest cancels a running lineage render started with that RequestID.
// Cancelling a request that already finished is not an error.
func (a *App) CancelRequest(requestID string) error {
	a.requests.cancel(requestID)
	return nil
}
