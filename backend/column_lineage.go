package backend

import (
	"cmp"
	"encoding/json"
	"strings"
)

// CodeNode is what column lineage reads of a node: where dbt built it, the
// SQL dbt compiled it to, its columns and the nodes it reads.
type CodeNode struct {
	UniqueID     string
	ResourceType string
	Name         string
	Package      string
	Path         string // original_file_path; "" for another project's public model (CrossProject)
	Version      string // a versioned model's: "2" of customers.v2
	Database     string
	Schema       string
	Identifier   string
	RelationName string
	// Materialized tells an ephemeral model, which its readers' SQL holds
	// as a CTE named __dbt__cte__<name> instead of a relation.
	Materialized string
	Language     string
	CompiledCode string
	// Columns in warehouse order: by catalog index, then the columns only
	// the manifest documents, by name.
	Columns   []CodeColumn
	DependsOn []string // the nodes it reads (depends_on.nodes), sorted
	ReadBy    []string // the nodes that read it, sorted
	// Definition is a semantic model's or a metric's JSON as the manifest
	// wrote it (their columns are its entities, dimensions, measures and
	// expressions); empty for other types.
	Definition json.RawMessage
}

// CodeColumn is a column's name and type (the catalog's, else the declared
// one), and whether the catalog has it (the warehouse's column) or only
// the YAML documents it.
type CodeColumn struct {
	Name      string
	Type      string
	InCatalog bool
}

// How a column is made from another: passed through under the same name,
// renamed, or computed from it (a cast, a function, an expression that
// reads several columns).
const (
	ColumnPassthrough = "passthrough"
	ColumnRename      = "rename"
	ColumnTransformed = "transformed"
)

// ColumnSource is a column another column is made from: a column of a node
// of the project, or of a relation the SQL names that no node of the
// project is (a table read without ref() or source()).
type ColumnSource struct {
	Node     string `json:"node,omitempty"`
	Relation string `json:"relation,omitempty"` // set when Node is empty: the relation as the SQL names it
	Column   string `json:"column"`
	Kind     string `json:"kind,omitempty"` // ColumnPassthrough, ColumnRename or ColumnTransformed; empty in Reads
}

// OutputColumn is one column a node's SQL produces and what it is made from.
type OutputColumn struct {
	Name    string         `json:"name"`
	Sources []ColumnSource `json:"sources"`
	// Expression is how the SQL computes it, as written, when it does not
	// just pass a column through.
	Expression string `json:"expression,omitempty"`
	// Unresolved names what the column reads that matches no column the
	// SQL can see (a column of a relation whose columns the catalog does
	// not list, read beside another such relation).
	Unresolved []string `json:"unresolved,omitempty"`
}

// NodeColumns is how one node's columns are made from its parents' columns.
type NodeColumns struct {
	Node    string         `json:"node"`
	Columns []OutputColumn `json:"columns"`
	// Reads are the columns the SQL reads outside its select list, to join,
	// filter, group or order: they decide which rows every column holds.
	Reads []ColumnSource `json:"reads,omitempty"`
	// Problem says why the lineage is missing or incomplete: no compiled
	// SQL, a Python model, SQL that could not be read (with where).
	Problem string `json:"problem,omitempty"`
}

// ColumnKey names one column: of a node, or of a relation outside the
// project. An empty Column stands for the whole node (what a filter or a
// join on a column decides: which rows all of the node's columns hold).
type ColumnKey struct {
	Node     string `json:"node,omitempty"`
	Relation string `json:"relation,omitempty"`
	Column   string `json:"column"`
}

// Compare orders column keys by node, relation, then column (case aside),
// as a trace lists its links.
func (k ColumnKey) Compare(o ColumnKey) int {
	return cmp.Or(cmp.Compare(k.Node, o.Node), cmp.Compare(k.Relation, o.Relation),
		cmp.Compare(strings.ToLower(k.Column), strings.ToLower(o.Column)))
}

// Links from a column to a whole node (To.Column empty): ColumnFilter says
// the node reads the column outside its select list, to join, filter,
// group or order (a metric's or saved query's filter too); ColumnExposed
// says an exposure (a dashboard, an application) uses the node holding
// the column.
const (
	ColumnFilter  = "filter"
	ColumnExposed = "exposed"
)

// ColumnEdge says a column is made from another, and how.
type ColumnEdge struct {
	From       ColumnKey `json:"from"`
	To         ColumnKey `json:"to"`
	Kind       string    `json:"kind"` // ColumnPassthrough, ColumnRename, ColumnTransformed, ColumnFilter or ColumnExposed
	Expression string    `json:"expression,omitempty"`
}

// ColumnTraceNode is a node (or a relation outside the project) a column
// trace reaches, with the columns of it the trace holds.
type ColumnTraceNode struct {
	UniqueID     string   `json:"unique_id,omitempty"`
	Relation     string   `json:"relation,omitempty"` // a relation outside the project, as the SQL names it
	ResourceType string   `json:"resource_type,omitempty"`
	Name         string   `json:"name"`
	RelationName string   `json:"relation_name,omitempty"`
	Columns      []string `json:"columns"` // in the node's column order, then by name
	// Tests sums up, for each of Columns that has any, its tests with
	// their latest outcomes: whether the column is tested along the way.
	Tests map[string]TestSummary `json:"tests,omitempty"`
	// Problem says why the trace could not read further through this node.
	Problem string `json:"problem,omitempty"`
	// Continues says, of a trace cut at a depth, which ways ("upstream",
	// "downstream") the node's columns have links past it.
	Continues []string `json:"continues,omitempty"`
	// SnapshotID is, for a node of another project the trace followed a
	// cross-project ref into (dbt Mesh), the run it was read from.
	SnapshotID int64 `json:"snapshot_id,omitempty"`
}

// ColumnTrace is a column's lineage: the columns it is made from, up to the
// sources, and those made from it, down to the last models.
type ColumnTrace struct {
	SnapshotID int64             `json:"snapshot_id"`
	Focus      ColumnKey         `json:"focus"`
	Nodes      []ColumnTraceNode `json:"nodes"` // by unique_id, then relation
	Edges      []ColumnEdge      `json:"edges"` // by from, then to
	// Depth is how many levels each way the trace was asked to follow (0:
	// all the way).
	Depth int `json:"depth,omitempty"`
	// Truncated says the trace stopped at its size limit.
	Truncated bool `json:"truncated,omitempty"`
	// AcrossProjects lists the other projects' runs the trace followed
	// cross-project refs into, with the nodes it read from each.
	AcrossProjects []ProjectRun `json:"across_projects,omitempty"`
}

// Column changes between two snapshots of a project, as the warehouse has
// the columns (the catalog).
const (
	ColumnAdded   = "added"
	ColumnRemoved = "removed"
	ColumnRetyped = "retyped"
	// ColumnRedefined: the node's new code makes the column another way
	// (another expression, or from other columns).
	ColumnRedefined = "redefined"
)

// ColumnReach is how far a column reaches downstream: the columns made
// from it however far, the nodes holding or reading them, and the
// exposures among those (a dashboard the change may break).
type ColumnReach struct {
	Columns   int `json:"columns"`
	Nodes     int `json:"nodes"`
	Exposures int `json:"exposures"`
	// Truncated: the trace stopped at its size limit; there is more.
	Truncated bool `json:"truncated,omitempty"`
}

// ColumnChange is a column a node gained, lost or changed the type of in
// the warehouse between a snapshot and the one compared with.
type ColumnChange struct {
	Node    string `json:"node"`
	Column  string `json:"column"`
	Change  string `json:"change"`             // ColumnAdded, ColumnRemoved, ColumnRetyped or ColumnRedefined
	Type    string `json:"type,omitempty"`     // in the snapshot; empty for a removed column
	OldType string `json:"old_type,omitempty"` // in the one compared with; empty for an added one
	// Definition and OldDefinition say, of a redefined column, how the
	// node makes it now and made it before: its expression, or the
	// columns it passes through ("stg_orders.order_total").
	Definition    string `json:"definition,omitempty"`
	OldDefinition string `json:"old_definition,omitempty"`
	// Reach sums up, for a removed, retyped or redefined column, its whole
	// downstream trace (where ReadBy is its first step); nil past the
	// changes a comparison traces whole.
	Reach *ColumnReach `json:"reach,omitempty"`
	// ReadBy are, for a removed or retyped column, the columns made from
	// it and the nodes that joined or filtered on it, one step downstream
	// in the snapshot compared with (for a redefined one, in the
	// snapshot): what the change may break.
	ReadBy []ColumnKey `json:"read_by,omitempty"`
}
