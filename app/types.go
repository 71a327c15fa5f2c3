package app

import (
	"github.com/lineagedesk/lineagedesk/backend"
)

// Status is what the UI needs at start-up.
type Status struct {
	Version       string            `json:"version"`
	DBPath        string            `json:"db_path"`
	Snapshots     int               `json:"snapshots"`
	Latest        *backend.Snapshot `json:"latest,omitempty"`
	TokenStorage  string            `json:"token_storage"` // where new tokens are kept: keyring or encrypted-file
	DemoAvailable bool              `json:"demo_available"`
	Disk          backend.DiskUsage `json:"disk"`
}

// Compaction is what CompactStore did: the store's size on disk before
// and after, and how long it took.
type Compaction struct {
	Before  backend.DiskUsage `json:"before"`
	After   backend.DiskUsage `json:"after"`
	Seconds float64           `json:"seconds"`
}

// ImportResult is what an import (or sync) produced. Its JSON is the
// contract of `lineagedesk import --json`.
type ImportResult struct {
	SnapshotID     int64          `json:"snapshot_id"`
	Project        string         `json:"project"`
	DbtVersion     string         `json:"dbt_version"`
	SchemaVersions map[string]int `json:"schema_versions"`
	Counts         map[string]int `json:"counts"`
	Warnings       []string       `json:"warnings"`
	// SameRunAs is, for a folder watch, the snapshot that holds the dbt
	// run the files hold (touched or copied again): nothing was imported.
	SameRunAs int64 `json:"same_run_as,omitempty"`
	// Completed is, for a folder watch, the snapshot of the same dbt run
	// this import replaced: it held fewer of the run's files (its
	// manifest, imported before the run's results were written).
	Completed int64 `json:"completed,omitempty"`
	// Note is, for a folder watch, what it waits for and why (no artifacts
	// yet, or a manifest newer than its run's results): nothing was
	// imported.
	Note string `json:"note,omitempty"`
}

// LineageRequest asks for a picture (or data) of part of a snapshot's lineage.
type LineageRequest struct {
	SnapshotID int64 `json:"snapshot_id"` // 0 = latest
	// Select and Exclude use dbt's node selection syntax.
	Select       string `json:"select"`
	Exclude      string `json:"exclude,omitempty"`
	IncludeTests bool   `json:"include_tests,omitempty"`
	// IndirectSelection is dbt's --indirect-selection (eager, cautious,
	// buildable, empty): which tests of the selected nodes are shown with
	// them; "" = cautious. Giving one shows tests.
	IndirectSelection string `json:"indirect_selection,omitempty"`
	// GroupBy collapses nodes into boxes: none, package, folder, schema, layer, group (dbt's groups), project or select:EXPR.
	GroupBy string `json:"group_by,omitempty"`
	// Open lists boxes of the grouping to leave open, by GroupBox.Key
	// (group:schema:analytics.staging) or by label (analytics.staging):
	// their nodes are drawn as themselves, the other boxes stay shut.
	Open []string `json:"open,omitempty"`
	// Lens is what the nodes' borders show: tests (the worst test
	// result, the default), runs (each node's status in the run), docs
	// (whether each has a description), trend (its tests over recent
	// runs), health (its data health) or none.
	Lens string `json:"lens,omitempty"`
	// Format: svg (default), png, pdf, dot, mermaid, json or csv (an edge list).
	Format string `json:"format,omitempty"`
	// Scale applies to png (1 = 96 dpi).
	Scale float64 `json:"scale,omitempty"`
	// StateSnapshotID is the snapshot state: compares with; 0 = the
	// project's snapshot before this one.
	StateSnapshotID int64 `json:"state_snapshot_id,omitempty"`
	// Runtime draws each node's execution time in the snapshot's run and
	// the critical path (the slowest chain of dependencies).
	Runtime bool `json:"runtime,omitempty"`
	// Diff draws the picture as a diff against the snapshot state:
	// compares with (StateSnapshotID, or the project's one before): each
	// node new or modified since says so, the nodes removed since that
	// touched the picture are drawn dashed, and the dependencies added or
	// removed among the nodes drawn are drawn green or dashed red.
	Diff bool `json:"diff,omitempty"`
	// AcrossProjects draws the lineage across the dbt projects the store
	// holds (dbt Mesh): another project's public model that this one refs
	// is drawn from that project's run, with its whole lineage, and this
	// project's public models lead on to the projects that ref them.
	AcrossProjects bool `json:"across_projects,omitempty"`
	// RequestID lets the caller cancel a long render with CancelRequest.
	RequestID string `json:"request_id,omitempty"`
	// ContentOnly leaves the nodes, edges and boxes out of the answer:
	// an export needs its content only, and a whole project's DOT came
	// with 76 MB of them besides (131 MB for a 55 MB file).
	ContentOnly bool `json:"content_only,omitempty"`
}

// DiffSummary counts what a diff drew against the snapshot compared with.
type DiffSummary struct {
	RemovedNodes int `json:"removed_nodes"`
	AddedEdges   int `json:"added_edges"`
	RemovedEdges int `json:"removed_edges"`
}

// LineageNode is a node of a lineage answer.
type LineageNode struct {
	backend.GraphNode
	Focus bool `json:"focus,omitempty"`
	// StateChange is how the node differs from the snapshot state:
	// compared with (backend.StateChange.Parts), when the selector compared.
	StateChange []string `json:"state_change,omitempty"`
	// ExecutionTime is how long the node took in the snapshot's run (with
	// Runtime, for the nodes the run included).
	ExecutionTime *float64 `json:"execution_time,omitempty"`
	// TestsBefore is, in a diff of two runs that both ran tests, the
	// node's test summary in the run compared with.
	TestsBefore *backend.TestSummary `json:"tests_before,omitempty"`
	// Health is, with the health lens, the node's data health and why
	// (the resource types health judges).
	Health *backend.Health `json:"health,omitempty"`
	// CrossProject marks another project's public model that this
	// project refs (dbt Mesh), as this project's manifest holds it.
	CrossProject bool `json:"cross_project,omitempty"`
	// SnapshotID is, in a picture across projects, the run of another
	// project the node was read from (0 for the picture's own snapshot).
	SnapshotID int64 `json:"snapshot_id,omitempty"`
	// Box is, in a grouped picture, the key of the (closed) box the node
	// is drawn in: a find in the picture outlines the box.
	Box string `json:"box,omitempty"`
}

// LineageResult is a rendered selection. Content holds the picture in the
// requested format (base64 for png); Nodes and Edges are exactly what it
// shows (a node inside a closed box said briefly: boxedNode).
type LineageResult struct {
	SnapshotID int64          `json:"snapshot_id"`
	Select     string         `json:"select"`
	Exclude    string         `json:"exclude,omitempty"`
	Format     string         `json:"format"`
	MimeType   string         `json:"mime_type"`
	Filename   string         `json:"filename"` // suggested file name for an export
	Content    string         `json:"content"`
	Base64     bool           `json:"base64,omitempty"`
	Nodes      []LineageNode  `json:"nodes"`
	Edges      []backend.Edge `json:"edges"`
	Groups     []GroupBox     `json:"groups,omitempty"`
	// OpenGroups are the boxes of Open that hold selected nodes, drawn
	// as those nodes.
	OpenGroups []GroupBox `json:"open_groups,omitempty"`
	RenderMS   int64      `json:"render_ms"`
	Warnings   []string   `json:"warnings,omitempty"`
	// StateSnapshotID is the snapshot state: compared with, when used.
	StateSnapshotID int64 `json:"state_snapshot_id,omitempty"`
	// CriticalPath is the slowest chain of the selection (with Runtime,
	// when the snapshot's run executed nodes).
	CriticalPath *CriticalPath `json:"critical_path,omitempty"`
	// Diff sums up a diff (LineageRequest.Diff): what it drew removed and
	// the dependencies it drew added or removed.
	Diff *DiffSummary `json:"diff,omitempty"`
	// AcrossProjects lists, in a picture across projects, the other
	// projects' runs it drew nodes from.
	AcrossProjects []backend.ProjectRun `json:"across_projects,omitempty"`
}

// CriticalPath is the slowest chain of dependencies in a selection, timed
// by the dbt command whose run results the snapshot holds.
type CriticalPath struct {
	Command string    `json:"command"`
	Seconds float64   `json:"seconds"`
	Nodes   []string  `json:"nodes"` // unique_ids, upstream first; in a dbt build, tests too
	Times   []float64 `json:"times"` // each node's seconds, as Nodes
}

// GroupBox is a collapsed group of nodes in a grouped picture.
type GroupBox struct {
	Key     string         `json:"key"`
	Label   string         `json:"label"`
	Members int            `json:"members"`
	Counts  map[string]int `json:"counts"`
}

// PathsResult lists the dependency paths between two nodes.
type PathsResult struct {
	// From and To are the paths' ends as unique_ids, upstream first,
	// whichever order the two nodes were given in; as given when no path
	// joins them.
	From      string     `json:"from"`
	To        string     `json:"to"`
	Paths     [][]string `json:"paths"`
	Truncated bool       `json:"truncated"`
	// Total counts every path, listed or not (saturating at the largest
	// uint64, with TotalSaturated set).
	Total          uint64 `json:"total"`
	TotalSaturated bool   `json:"total_saturated,omitempty"`
	// Reversed: the paths run from the second node given to the first
	// (paths orders raw_orders lists raw_orders -> ... -> orders).
	Reversed bool `json:"reversed,omitempty"`
}

// ConnectionInput is what the connection form sends. Token is write-only:
// empty on an edit means "keep the saved token".
type ConnectionInput struct {
	Name          string `json:"name"`
	AccessURL     string `json:"access_url"`
	AccountID     int64  `json:"account_id"`
	Token         string `json:"token,omitempty"`
	ProjectID     int64  `json:"project_id,omitempty"`
	EnvironmentID int64  `json:"environment_id,omitempty"`
	JobID         int64  `json:"job_id,omitempty"`
	RunID         int64  `json:"run_id,omitempty"`
	// Replace lets SaveConnection replace the saved connection of this
	// name (an edit); without it a name in use is refused, so a new
	// connection never overwrites another one by accident.
	Replace bool `json:"replace,omitempty"`
}

// SyncProgress is emitted as the event EventSyncProgress while a sync runs.
type SyncProgress struct {
	Connection string `json:"connection"`
	Phase      string `json:"phase"` // discover, download, import, done, failed, canceled
	Message    string `json:"message,omitempty"`
	Bytes      int64  `json:"bytes,omitempty"`
	TotalBytes int64  `json:"total_bytes,omitempty"`
	Items      int    `json:"items,omitempty"`
	TotalItems int    `json:"total_items,omitempty"`
	Done       bool   `json:"done,omitempty"`
	Error      string `json:"error,omitempty"`
}

// Event names.
const (
	EventSyncProgress     = "sync:progress"
	EventSnapshotsChanged = "snapshots:changed"
)
