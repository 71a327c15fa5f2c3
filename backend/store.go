package backend

import (
	"context"
	"encoding/json"
	"fmt"
	"time"
)

// SnapshotStore keeps snapshots. Implemented by storage.Store.
type SnapshotStore interface {
	// SaveSnapshot stores a bundle as a new snapshot in one transaction: it
	// either completes or leaves the store exactly as it was.
	SaveSnapshot(ctx context.Context, s NewSnapshot) (Snapshot, error)
	// Snapshots lists snapshots, newest first.
	Snapshots(ctx context.Context) ([]Snapshot, error)
	// Snapshot returns one snapshot; ENOTFOUND when there is none with that id.
	Snapshot(ctx context.Context, id int64) (Snapshot, error)
	// LatestSnapshot returns the latest snapshot: of the project imported or
	// synced last, the most recent run (by generation time); ENOTFOUND on an
	// empty store.
	LatestSnapshot(ctx context.Context) (Snapshot, error)
	// SnapshotOfInvocation returns the newest snapshot of project ("" for
	// any: a manifest before dbt 1.5 names none) made from that dbt
	// invocation, generated at that time; ENOTFOUND when none is.
	SnapshotOfInvocation(ctx context.Context, project, invocationID string, generatedAt time.Time) (Snapshot, error)
	// DeleteSnapshot removes a snapshot and everything in it.
	DeleteSnapshot(ctx context.Context, id int64) error
	// Compact gives the space deleted snapshots left back to the file
	// system (the store file keeps its size otherwise).
	Compact(ctx context.Context) error
	// DiskUsage returns the store's size on disk and its free space.
	DiskUsage(ctx context.Context) (DiskUsage, error)
}

// DiskUsage is the store's size on disk.
type DiskUsage struct {
	// Bytes counts the store file and its write-ahead log.
	Bytes int64 `json:"bytes"`
	// FreeBytes is the part deleted snapshots left, reused by later
	// imports, which Compact gives back to the file system.
	FreeBytes int64 `json:"free_bytes"`
}

// ResourceStore reads the resources of a snapshot. Implemented by storage.Store.
type ResourceStore interface {
	// Resource returns one resource with its columns, tests, results and
	// neighbours; ENOTFOUND names the id and the snapshot.
	Resource(ctx context.Context, snapshotID int64, uniqueID string) (ResourceDetail, error)
	// Resources lists resource summaries matching the filter, sorted by unique_id.
	Resources(ctx context.Context, snapshotID int64, f ResourceFilter) ([]ResourceSummary, error)
	// Search runs a full-text query over names, descriptions, columns, tags and SQL.
	Search(ctx context.Context, snapshotID int64, q SearchQuery) (SearchResult, error)
	// PrepareSearch loads what Search keeps in memory for a snapshot, ahead
	// of the first keystroke.
	PrepareSearch(ctx context.Context, snapshotID int64) error
	// Graph loads the snapshot's whole lineage for the lineage engine.
	Graph(ctx context.Context, snapshotID int64) (*GraphData, error)
	// Reach loads only the part of the lineage a ReachQuery asks for, or
	// fails with ErrReachUnknown when it cannot answer it exactly.
	Reach(ctx context.Context, snapshotID int64, q ReachQuery) (*GraphData, error)
	// ConfigValues returns, for each of ids (a snapshot's lineage nodes,
	// ascending), the value its config holds at the key path (["meta",
	// "owner"] for config.meta.owner) as encoding/json decodes it, nil for
	// none, null or an object (config.<key>: selection; only nodes' and
	// sources' configs count).
	ConfigValues(ctx context.Context, snapshotID int64, path []string, ids []string) ([]any, error)
	// TestsOf returns the enabled tests that count on the nodes ids, each
	// with the ones among ids it counts on: the node it is attached to,
	// or, attached to none, each node it reads (as test summaries count).
	TestsOf(ctx context.Context, snapshotID int64, ids []string) (map[string][]string, error)
	// NodeColors returns dbt's docs.node_color of those of ids whose config
	// sets one, as the manifest spells it (a hex code or a colour name).
	NodeColors(ctx context.Context, snapshotID int64, ids []string) (map[string]string, error)
	// StateChanges compares a snapshot's lineage nodes with another
	// snapshot's (state:): the nodes that are new or changed, by unique_id.
	StateChanges(ctx context.Context, snapshotID, baseID int64) (map[string]StateChange, error)
	// NodeStateSteps compares one node along snapshots, as StateChanges
	// compares whole ones: step i is the node in snapshotIDs[i+1] against
	// the node in snapshotIDs[i].
	NodeStateSteps(ctx context.Context, uniqueID string, snapshotIDs []int64) ([]NodeStep, error)
	// StatusChanges returns the nodes whose latest run result status
	// differs between a snapshot and another, by unique_id; nodes with a
	// result in only one of them are left out.
	StatusChanges(ctx context.Context, snapshotID, baseID int64) ([]StatusChange, error)
	// LatestResults returns the latest run result (run_results.json) of
	// each of ids in the snapshot, without timing and adapter response;
	// ids the run did not include are absent.
	LatestResults(ctx context.Context, snapshotID int64, ids []string) (map[string]RunResult, error)
	// SaveWatchedFolder keeps a folder the app watches, replacing one of
	// that folder; DeleteWatchedFolder forgets it; WatchedFolders lists
	// them, by folder.
	SaveWatchedFolder(ctx context.Context, w WatchedFolder) error
	DeleteWatchedFolder(ctx context.Context, folder string) error
	WatchedFolders(ctx context.Context) ([]WatchedFolder, error)
	// ClaimWatchedRun claims a run (its files' sizes and times) of a
	// watched folder for import: true for the first caller only.
	ClaimWatchedRun(ctx context.Context, folder, run string) (bool, error)
	// BuildTimes returns the latest status and execution time of each
	// model, seed and snapshot in the snapshot's run.
	BuildTimes(ctx context.Context, snapshotID int64) (map[string]BuildTime, error)
	// LatestFreshness returns each source's last freshness result of a
	// snapshot (sources.json), with its status and max_loaded_at only; of
	// the sources ids only, unless ids is nil.
	LatestFreshness(ctx context.Context, snapshotID int64, ids []string) ([]FreshnessResult, error)
	// Selectors returns a snapshot's YAML selectors (selectors.yml), sorted by name.
	Selectors(ctx context.Context, snapshotID int64) ([]NamedSelector, error)
	// CodeNodes returns what column lineage reads of the resources ids
	// (those the snapshot holds, in the order of ids): relation, compiled
	// SQL, columns in warehouse order and node dependencies.
	CodeNodes(ctx context.Context, snapshotID int64, ids []string) ([]CodeNode, error)
	// WarehouseColumns returns the columns the catalog found for each node
	// and source of a snapshot, with their types.
	WarehouseColumns(ctx context.Context, snapshotID int64) (map[string][]CodeColumn, error)
	// NodeWarehouseColumns returns one node's catalog columns in each of
	// the snapshots whose catalog holds it.
	NodeWarehouseColumns(ctx context.Context, uniqueID string, snapshotIDs []int64) (map[int64][]CodeColumn, error)
	// ColumnTests sums up, for the nodes ids, the enabled tests of each of
	// their columns with each one's latest outcome: node, then column
	// lower-cased.
	ColumnTests(ctx context.Context, snapshotID int64, ids []string) (map[string]map[string]TestSummary, error)
	// Tree returns the project structure: packages, folders and counts.
	Tree(ctx context.Context, snapshotID int64) ([]TreeEntry, error)
	// CrossProjectRefs returns the other projects' public models the
	// snapshot's manifest holds because the project refs them (dbt Mesh).
	CrossProjectRefs(ctx context.Context, snapshotID int64) ([]CrossProjectRef, error)
	// CrossProjectReaders returns, for each of ids, the enabled nodes of
	// the snapshot that read it, without loading the whole lineage.
	CrossProjectReaders(ctx context.Context, snapshotID int64, ids []string) (map[string][]string, error)
	// DisabledNamed returns the unique_ids of the snapshot's disabled
	// resources (config enabled: false) named one of names, sorted.
	DisabledNamed(ctx context.Context, snapshotID int64, names []string) ([]string, error)
	// NamedIn returns, for each of the snapshots that holds an enabled
	// resource other than a test or a cross-project ref whose unique_id or
	// name is ref, its unique_id (the first by unique_id where several
	// have the name).
	NamedIn(ctx context.Context, snapshotIDs []int64, ref string) (map[int64]string, error)
}

// ResourceFilter narrows Resources. Empty fields do not filter.
type ResourceFilter struct {
	ResourceTypes []string `json:"resource_types,omitempty"`
	Package       string   `json:"package,omitempty"`
	FolderPrefix  string   `json:"folder_prefix,omitempty"`
	Tag           string   `json:"tag,omitempty"`
	Materialized  string   `json:"materialized,omitempty"`
	Limit         int      `json:"limit,omitempty"`
	Offset        int      `json:"offset,omitempty"`
}

// ResourceSummary is a resource as it appears in lists and search results.
type ResourceSummary struct {
	UniqueID     string      `json:"unique_id"`
	ResourceType string      `json:"resource_type"`
	Name         string      `json:"name"`
	Package      string      `json:"package"`
	Path         string      `json:"path,omitempty"`
	RelationName string      `json:"relation_name,omitempty"`
	Materialized string      `json:"materialized,omitempty"`
	Version      string      `json:"version,omitempty"`     // a model version's, "2" of customers.v2
	Description  string      `json:"description,omitempty"` // may be shortened
	Tags         []string    `json:"tags,omitempty"`
	Tests        TestSummary `json:"test_summary"`
	// Disabled: dbt leaves it out (an enabled test may still name it).
	Disabled bool `json:"disabled,omitempty"`
	// RunStatus is its own status in the snapshot's run when that run
	// built nodes (a docs generate's "success" is no run); FreshnessStatus
	// a source's latest freshness check. Lists fill them (Browse, a node's
	// upstream and downstream), so a failure shows there too.
	RunStatus       string `json:"run_status,omitempty"`
	FreshnessStatus string `json:"freshness_status,omitempty"`
}

// TestWithResult is a test of a resource (attached to it, or attached to
// no single node and reading it) and its latest outcome.
type TestWithResult struct {
	UniqueID   string     `json:"unique_id"`
	Name       string     `json:"name"`
	TestName   string     `json:"test_name,omitempty"`
	TestType   string     `json:"test_type"`
	ColumnName string     `json:"column_name,omitempty"`
	Severity   string     `json:"severity,omitempty"`
	Result     *RunResult `json:"result,omitempty"` // nil without a real test outcome
}

// ResourceDetail is everything the node page shows.
type ResourceDetail struct {
	Resource
	Raw         json.RawMessage  `json:"raw,omitempty"`
	Catalog     *CatalogTable    `json:"catalog,omitempty"`
	Tests       []TestWithResult `json:"tests"`
	TestSummary TestSummary      `json:"test_summary"`
	RunResult   *RunResult       `json:"run_result,omitempty"` // this resource's own latest result
	// RunCommand is the dbt command whose run results RunResult comes from
	// (run_results' args.which: build, generate...), with RunResult.
	RunCommand string            `json:"run_command,omitempty"`
	Freshness  *FreshnessResult  `json:"freshness,omitempty"`
	Parents    []ResourceSummary `json:"parents"`
	Children   []ResourceSummary `json:"children"`
}

// SearchQuery is a full-text query with optional facets.
type SearchQuery struct {
	Text          string   `json:"text"`
	ResourceTypes []string `json:"resource_types,omitempty"`
	Package       string   `json:"package,omitempty"`
	Tag           string   `json:"tag,omitempty"`
	Limit         int      `json:"limit,omitempty"` // default DefaultSearchLimit
	// WithoutRefsOf leaves out the cross-project refs to these projects'
	// models (Resource.CrossProject): a search of every project finds
	// those models in their own project's run.
	WithoutRefsOf []string `json:"-"`
}

// DefaultSearchLimit is how many hits a search returns when its query
// sets no limit; MaxSearchLimit the most it returns, whatever it sets.
const (
	DefaultSearchLimit = 50
	MaxSearchLimit     = 500
)

// SearchHit is one resource that matched, with where it matched.
type SearchHit struct {
	ResourceSummary
	// MatchedIn says which field matched best: name, description, column,
	// tag or sql; a semantic model matched in one of its entities,
	// dimensions or measures says entity, dimension or measure.
	MatchedIn string `json:"matched_in"`
	// Snippet shows the match in context; matched terms are wrapped in \x02...\x03
	// so the UI can highlight them without trusting markup from artifacts.
	Snippet string `json:"snippet,omitempty"`
	// Column is, for a hit that matched in its columns, the column whose
	// name (else description) holds the match: a semantic model's entity,
	// dimension or measure.
	Column string `json:"column,omitempty"`
	// Project is, in a search of every project (App.SearchProjects), the
	// hit's project; SnapshotID the run it was found in, when that is
	// another project's.
	Project    string `json:"project,omitempty"`
	SnapshotID int64  `json:"snapshot_id,omitempty"`
	// Tier is how the search ranked the hit, for merging the searches of
	// several snapshots (App.SearchProjects) as one search orders its hits.
	Tier SearchTier `json:"-"`
}

// SearchTier is a kind of search hit, in the order a search ranks them.
type SearchTier int

const (
	TierExactName  SearchTier = iota // its name is the text (case aside)
	TierNamePrefix                   // its name starts with the text
	TierName                         // the text matched in its name
	TierOther                        // the text matched elsewhere
	TierTestName                     // a test, the text in its name
	TierTestOther                    // a test, the text elsewhere
)

// SearchResult holds hits and facet counts over all matches (not just the page).
type SearchResult struct {
	Hits   []SearchHit    `json:"hits"`
	Total  int            `json:"total"`
	ByType map[string]int `json:"by_type"`
	// ByProject counts, in a search of every project, each project's
	// matches (the ones the type filter keeps), those a project filter
	// leaves out too.
	ByProject map[string]int `json:"by_project,omitempty"`
}

// TreeEntry is one package or folder of the project with resource counts.
type TreeEntry struct {
	Package string         `json:"package"`
	Folder  string         `json:"folder"` // "" for the package itself
	Counts  map[string]int `json:"counts"` // by resource_type, this folder and below
}

// NewSnapshot is what SaveSnapshot stores.
type NewSnapshot struct {
	Name   string
	Origin Origin
	Bundle *Bundle
	// Stream, when Bundle is nil, reads the project while it is stored: it
	// hands each resource to emit as soon as it is read (emit copies what
	// it keeps), then returns the rest of the bundle without Resources, so
	// the whole project is never in memory at once. An error of Stream
	// ends the save, which then leaves the store as it was.
	Stream func(ctx context.Context, emit func(*Resource) error) (*Bundle, error)
	// Artifacts are the raw artifact files, gzip-compressed, kept so a
	// snapshot can be re-imported by a newer version of the app. Optional.
	Artifacts []StoredArtifact
	// SkipSameRun refuses a dbt run another snapshot of the project holds
	// (the same invocation, generation time and command): the save then
	// fails with a *SameRunError and the store is as it was. A folder watch
	// sets it, for files touched or copied again hold a run it imported;
	// an import asked for stores it again, with a warning.
	SkipSameRun bool
	// Supersedes is a snapshot of the same dbt run holding fewer of its
	// artifacts (a watch imported a run's manifest, written as the run
	// began, before its results): the save deletes it in its transaction,
	// so the run is in the store once, whole. It must be of the same
	// project and invocation, or the save fails and the store is as it was.
	Supersedes int64
}

// SameRunError is the error of a save that SkipSameRun refused.
type SameRunError struct {
	SnapshotID   int64 // the snapshot holding the run
	InvocationID string
}

func (e *SameRunError) Error() string {
	return fmt.Sprintf("snapshot #%d holds this dbt run (invocation %s) already", e.SnapshotID, e.InvocationID)
}

// StoredArtifact is one raw artifact file kept with a snapshot: either its
// bytes already gzip-compressed, or the path of the file for the store to
// compress itself once the bundle's rows are written (so the parsed bundle
// and the compressed copies are never in memory together).
type StoredArtifact struct {
	Name string // manifest.json, catalog.json, run_results.json, sources.json
	Gzip []byte // the file's bytes, gzip-compressed; nil to read Path
	Path string // the uncompressed file, when Gzip is nil
}

// Connection is a saved dbt Cloud connection. The token is never part of it:
// it is sealed separately and only the sealed form reaches the store.
type Connection struct {
	Name          string `json:"name"`
	AccessURL     string `json:"access_url"`
	AccountID     int64  `json:"account_id"`
	ProjectID     int64  `json:"project_id,omitempty"`
	EnvironmentID int64  `json:"environment_id,omitempty"`
	JobID         int64  `json:"job_id,omitempty"`
	RunID         int64  `json:"run_id,omitempty"`
	// TokenStorage says where the token is kept: "keyring" or "encrypted-file".
	TokenStorage string    `json:"token_storage"`
	CreatedAt    time.Time `json:"created_at"`
	UpdatedAt    time.Time `json:"updated_at"`
}

// ConnectionStore keeps dbt Cloud connections. Implemented by storage.Store.
type ConnectionStore interface {
	// SaveConnection inserts or replaces the connection with c.Name.
	// sealedToken is the token in its sealed form (ciphertext or a keyring
	// reference), never the token itself.
	SaveConnection(ctx context.Context, c Connection, sealedToken []byte) error
	Connections(ctx context.Context) ([]Connection, error)
	// Connection returns one connection and its sealed token; ENOTFOUND names it.
	Connection(ctx context.Context, name string) (Connection, []byte, error)
	DeleteConnection(ctx context.Context, name string) error
}

// Sync statuses.
const (
	SyncRunning   = "running"
	SyncSucceeded = "succeeded"
	SyncSkipped   = "skipped" // the run was synced before
	SyncFailed    = "failed"
	SyncCanceled  = "canceled"
)

// SyncRecord is one entry of a connection's sync history.
type SyncRecord struct {
	ID         int64     `json:"id"`
	Connection string    `json:"connection"`
	StartedAt  time.Time `json:"started_at"`
	FinishedAt time.Time `json:"finished_at,omitzero"`
	Status     string    `json:"status"`
	ProjectID  int64     `json:"project_id,omitempty"`
	JobID      int64     `json:"job_id,omitempty"`
	RunID      int64     `json:"run_id,omitempty"`
	SnapshotID int64     `json:"snapshot_id,omitempty"`
	// Reason says which run was used and why, or what failed.
	Reason   string   `json:"reason,omitempty"`
	Warnings []string `json:"warnings,omitempty"`
}

// SyncHistoryStore records syncs. Implemented by storage.Store.
type SyncHistoryStore interface {
	// AddSyncRecord stores a new record and returns its id.
	AddSyncRecord(ctx context.Context, r SyncRecord) (int64, error)
	// UpdateSyncRecord overwrites the record with r.ID.
	UpdateSyncRecord(ctx context.Context, r SyncRecord) error
	// SyncHistory lists a connection's records, newest first ("" for all).
	SyncHistory(ctx context.Context, connection string, limit int) ([]SyncRecord, error)
	// SnapshotForRun returns the snapshot already made from a dbt Cloud run of
	// that account, or ENOTFOUND.
	SnapshotForRun(ctx context.Context, accountID, runID int64) (Snapshot, error)
}
