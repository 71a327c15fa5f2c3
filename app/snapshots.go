package app

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"maps"
	"slices"
	"strings"
	"time"

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
	if st.Disk, err = a.store.DiskUsage(a.ctx); err != nil {
		return Status{}, fmt.Errorf("status: %w", err)
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
	a.columns.forget(id)
	a.emit(EventSnapshotsChanged, nil)
	return nil
}

// SnapshotsToPrune lists the snapshots that keeping only the keep most
// recent runs of each project (of project alone, when it is not empty)
// leaves over, oldest first. A project's runs are ordered as its latest
// snapshot is chosen, by generation time and then by id, so the latest
// is always kept; snapshots of the same dbt run (invocation and
// generation time) count as one run.
func (a *App) SnapshotsToPrune(keep int, project string) ([]backend.Snapshot, error) {
	if keep < 1 {
		return nil, backend.Errorf(backend.EINVALID, "keep %d: keep at least the latest snapshot of each project (delete-snapshot ID deletes one by its id)", keep)
	}
	snaps, err := a.Snapshots()
	if err != nil {
		return nil, err
	}
	byProject := map[string][]backend.Snapshot{}
	for _, s := range snaps {
		if project == "" || s.Project == project {
			byProject[s.Project] = append(byProject[s.Project], s)
		}
	}
	if project != "" && len(byProject) == 0 {
		return nil, backend.Errorf(backend.ENOTFOUND, "the store holds no snapshot of project %q; its projects: %s", project, projectNames(snaps))
	}
	var over []backend.Snapshot
	for _, snaps := range byProject {
		slices.SortFunc(snaps, newerRunFirst)
		// Snapshots of one dbt run (imported twice) count as one run: they
		// are kept with it, or go with it.
		kept := map[string]bool{}
		for _, s := range snaps {
			run := fmt.Sprintf("%s@%d", s.InvocationID, s.GeneratedAt.UnixMicro())
			if s.InvocationID == "" {
				run = fmt.Sprint("snapshot ", s.ID)
			}
			switch {
			case kept[run]:
			case len(kept) < keep:
				kept[run] = true
			default:
				over = append(over, s)
			}
		}
	}
	slices.SortFunc(over, func(x, y backend.Snapshot) int { return newerRunFirst(y, x) })
	return over, nil
}

// newerRunFirst orders a project's snapshots as LatestSnapshot picks one:
// the most recently generated run first, one of no known time last.
func newerRunFirst(x, y backend.Snapshot) int {
	if xz, yz := x.GeneratedAt.IsZero(), y.GeneratedAt.IsZero(); xz != yz {
		if xz {
			return 1
		}
		return -1
	}
	if c := y.GeneratedAt.Compare(x.GeneratedAt); c != 0 {
		return c
	}
	return cmp.Compare(y.ID, x.ID)
}

func projectNames(snaps []backend.Snapshot) string {
	var names []string
	for _, s := range snaps {
		names = append(names, s.Project)
	}
	slices.Sort(names)
	names = slices.Compact(names)
	if len(names) == 0 {
		return "none yet"
	}
	return strings.Join(names, ", ")
}

// CompactStore gives the space deleted snapshots left in the store file
// back to the file system (the file keeps its size otherwise, its free
// pages reused by later imports). It rewrites the whole store.
func (a *App) CompactStore() (Compaction, error) {
	start := time.Now()
	before, err := a.store.DiskUsage(a.ctx)
	if err == nil {
		err = a.store.Compact(a.ctx)
	}
	var after backend.DiskUsage
	if err == nil {
		after, err = a.store.DiskUsage(a.ctx)
	}
	if err != nil {
		return Compaction{}, fmt.Errorf("compact the store: %w", err)
	}
	return Compaction{Before: before, After: after, Seconds: time.Since(start).Seconds()}, nil
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
	// The error names what was looked for, and where.
	return a.resource(id, uniqueID)
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
	if backend.ErrorCode(err) == backend.ENOTFOUND {
		err = a.sayWhereItIs(snapshotID, ref, err)
	}
	return r, err
}

// sayWhereItIs adds to an error saying the snapshot holds no resource ref
// names which snapshot that is, and the other projects' runs that hold one
// (heldElsewhere): with several projects in a store, the latest snapshot
// may well be another project's.
func (a *App) sayWhereItIs(snapshotID int64, ref string, err error) error {
	var e *backend.Error
	if !errors.As(err, &e) {
		return err
	}
	snap, snapErr := a.store.Snapshot(a.ctx, snapshotID)
	if snapErr != nil {
		return err
	}
	said := e.Message
	if said == "" {
		said = e.Err.Error()
	}
	msg := fmt.Sprintf("snapshot #%d (project %s): %s", snap.ID, snap.Project, said)
	if where := a.heldElsewhere(a.ctx, snap, []string{ref}); len(where) > 0 {
		msg += "; " + strings.Join(where, ", ")
	}
	return &backend.Error{Code: e.Code, Err: e.Err, Message: msg}
}

// heldElsewhere says which other projects' runs (their latest, or as of
// snap: runsAsOf) hold a resource each of refs names: "project jaffle_shop
// holds model.jaffle_shop.orders in snapshot #5", a phrase the node page
// turns into links (frontend pages/Node.tsx). It says nothing when
// the store cannot tell.
func (a *App) heldElsewhere(ctx context.Context, snap backend.Snapshot, refs []string) []string {
	all, err := a.store.Snapshots(ctx)
	if err != nil {
		return nil
	}
	var others []int64
	project := map[int64]string{}
	for p, run := range runsAsOf(all, snap) {
		if p != snap.Project {
			others = append(others, run.ID)
			project[run.ID] = p
		}
	}
	var where []string
	for _, ref := range refs {
		held, err := a.store.NamedIn(ctx, others, ref)
		if err != nil {
			return nil
		}
		for _, id := range slices.Sorted(maps.Keys(held)) {
			where = append(where, fmt.Sprintf("project %s holds %s in snapshot #%d", project[id], held[id], id))
		}
	}
	return where
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
