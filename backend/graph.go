package backend

import (
	"errors"
	"fmt"
	"strings"
)

// GraphNode is the part of a resource the lineage engine needs: enough to
// evaluate every dbt selector method and to label a node in a picture, and
// small enough to load 50k of them quickly.
type GraphNode struct {
	UniqueID     string `json:"unique_id"`
	ResourceType string `json:"resource_type"`
	Name         string `json:"name"`
	Package      string `json:"package"`
	Path         string `json:"path,omitempty"` // original_file_path, forward slashes
	// PatchPath is the YAML file documenting the node (path: selects by it too).
	PatchPath    string   `json:"patch_path,omitempty"`
	FQN          []string `json:"fqn,omitempty"`
	Tags         []string `json:"tags,omitempty"`
	Database     string   `json:"database,omitempty"`
	Schema       string   `json:"schema,omitempty"`
	Identifier   string   `json:"identifier,omitempty"`
	RelationName string   `json:"relation_name,omitempty"`
	Materialized string   `json:"materialized,omitempty"`
	Access       string   `json:"access,omitempty"`
	Group        string   `json:"group,omitempty"`
	Version      string   `json:"version,omitempty"`
	SourceName   string   `json:"source_name,omitempty"` // sources only
	Description  string   `json:"description,omitempty"` // first 200 characters, for tooltips
	// Test fields (tests and unit tests only).
	TestName     string `json:"test_name,omitempty"`
	TestType     string `json:"test_type,omitempty"` // generic, singular, unit
	AttachedNode string `json:"attached_node,omitempty"`
	// RunStatus is the node's own latest status in the snapshot's
	// run_results (success, error, skipped, pass, fail, warn, ...), what
	// result: selects by; empty when the run did not include it.
	RunStatus string `json:"run_status,omitempty"`
	// TestStatus is this test's own latest outcome (tests only, real outcomes only).
	TestStatus string `json:"test_status,omitempty"`
	// Tests summarises the outcomes of this node's tests: those attached to
	// it, and those attached to no single node that read it (a singular
	// test over two models that do not read each other counts on both).
	Tests TestSummary `json:"test_summary"`

	// LatestVersion is a versioned model's latest_version; when empty, the
	// highest version present counts as the latest (selector version:).
	LatestVersion string `json:"latest_version,omitempty"`
}

// ListedName is the name that tells a resource from its namesakes in a
// list or a spreadsheet: a source as dbt's source() names it,
// source_name.table (shopify.orders and shopify_apac.orders read alike as
// orders), a model version as "customers v2", anything else by its name.
func ListedName(uniqueID, resourceType, name, version string) string {
	if resourceType == TypeSource {
		if parts := strings.SplitN(uniqueID, ".", 4); len(parts) == 4 {
			return parts[2] + "." + name
		}
	}
	if version != "" {
		return name + " v" + version
	}
	return name
}

// TestSummary counts test outcomes from a snapshot's run results. All zero
// when the snapshot holds no real test outcomes.
type TestSummary struct {
	Total   int `json:"total"` // the node's tests, run or not (0 too when the snapshot has no outcomes)
	Pass    int `json:"pass"`
	Warn    int `json:"warn"`
	Fail    int `json:"fail"`
	Error   int `json:"error"`
	Skipped int `json:"skipped"`
}

// Count adds one test with the given latest status ("" when it
// has no real outcome; dbt's "runtime error" is an error).
func (s *TestSummary) Count(status string) {
	s.Total++
	switch status {
	case "pass":
		s.Pass++
	case "warn":
		s.Warn++
	case "fail":
		s.Fail++
	case "error", "runtime error":
		s.Error++
	case "skipped":
		s.Skipped++
	}
}

// Worst returns the worst outcome ("error", "fail", "warn", "skipped",
// "pass") or "" when no test has a result: worst wins, as in dbt
// Explorer's lens. A skipped test ranks above pass: dbt skips a test when
// something it needs failed, so the node's tests did not all pass, and
// colouring it as passed would hide that.
func (s TestSummary) Worst() string {
	switch {
	case s.Error > 0:
		return "error"
	case s.Fail > 0:
		return "fail"
	case s.Warn > 0:
		return "warn"
	case s.Skipped > 0:
		return "skipped"
	case s.Pass > 0:
		return "pass"
	}
	return ""
}

// Edge is a lineage edge: Child reads from Parent (Parent appears in Child's depends_on.nodes).
type Edge struct {
	Parent string `json:"from"`
	Child  string `json:"to"`
}

// GraphData is a snapshot's whole lineage as loaded from the store: every
// enabled resource except macros, docs and groups, and every edge among them.
type GraphData struct {
	SnapshotID int64       `json:"snapshot_id"`
	Nodes      []GraphNode `json:"nodes"`
	Edges      []Edge      `json:"edges"`
}

// ReachQuery asks for the part of a snapshot's lineage that a selector made
// only of names and of methods a store can evaluate on its own, with graph
// operators (+X+, 2+X, +exposure:X, source:raw+, tag:nightly+1 ...), can
// select: every node each term names, and their ancestors and descendants
// up to the terms' depths, with the edges among them. Selecting on that
// part gives what selecting on the whole graph gives, without loading the
// whole graph.
type ReachQuery struct {
	Terms []ReachTerm `json:"terms"`
	// Tests: the selection shows tests, so the part keeps the tests the
	// terms reach and every test whose parents it all holds.
	Tests bool `json:"tests,omitempty"`
	// Reached, when set, is told how many nodes the part holds as soon as
	// that is known, before their rows are read: a caller that will draw
	// a big part can start getting ready meanwhile.
	Reached func(nodes int) `json:"-"`
}

// ReachTerm is one name or method and how far to follow its lineage.
type ReachTerm struct {
	// Value is a unique_id or, when Bare, a bare name (no dots or
	// wildcards), or, when ResourceType is set, the method's value.
	Value string `json:"value"`
	Bare  bool   `json:"bare"`
	// Method and ResourceType, when set, make the term a selector method
	// that only ever matches nodes of ResourceType (exposure:, source:,
	// resource_type: ...). Those nodes' unique_ids all start with
	// ResourceType + ".", so a store finds them in one range and keeps the
	// ones lineage.MatchTyped matches.
	Method       string `json:"method,omitempty"`
	ResourceType string `json:"resource_type,omitempty"`
	// Attribute, when set instead, is the one node field Method reads (a
	// lineage.AttributeFields name): a store keeps each such field's
	// distinct values and which nodes hold them, and asks
	// lineage.MatchAttribute which values match. lineage.AttributeConfig
	// is a config.<key>: method: the store reads the key out of each
	// distinct config and asks lineage.MatchConfigValues.
	Attribute string `json:"attribute,omitempty"`
	// Parents and Children are hop counts: -1 for all, 0 for none.
	Parents  int `json:"parents"`
	Children int `json:"children"`
	// At is dbt's @: the nodes, all their descendants and all the
	// ancestors of those (Parents and Children are then 0).
	At bool `json:"at,omitempty"`
}

// String writes the term as a selector reads, for messages: "method:value"
// or the value, with its graph operators.
func (t ReachTerm) String() string {
	core := selectorValue(t.Value, t.Method == "")
	if t.Method != "" {
		core = t.Method + ":" + core
	}
	hops := func(n int) string {
		if n < 0 {
			return "+"
		}
		return fmt.Sprintf("%d+", n)
	}
	switch {
	case t.At:
		return "@" + core
	case t.Parents != 0 && t.Children != 0:
		return hops(t.Parents) + core + "+" + strings.TrimSuffix(hops(t.Children), "+")
	case t.Parents != 0:
		return hops(t.Parents) + core
	case t.Children != 0:
		return core + "+" + strings.TrimSuffix(hops(t.Children), "+")
	}
	return core
}

// selectorValue writes a term's value as the selector grammar reads it
// back: quoted where it holds a space, a comma, a quote or a graph
// operator's character (or, without a method, a colon), a double quote
// itself in single quotes ("my model" -> "\"my model\"").
func selectorValue(v string, bare bool) string {
	special := strings.ContainsAny(v, " \t\n,'\"+@") || bare && strings.Contains(v, ":") ||
		v != "" && v[0] >= '0' && v[0] <= '9'
	if !special {
		return v
	}
	var b strings.Builder
	for i, part := range strings.Split(v, `"`) {
		if i > 0 {
			b.WriteString(`'"'`)
		}
		if part != "" {
			b.WriteString(`"` + part + `"`)
		}
	}
	return b.String()
}

// ErrReachUnknown means a store cannot answer a ReachQuery exactly (a bare
// name that is also a package or folder name selects more than its
// namesakes, say); the caller selects on the whole graph instead.
var ErrReachUnknown = errors.New("this selection needs the whole lineage graph")

// ErrReachNoMatch is the ErrReachUnknown of a term that matches nothing in
// the snapshot (a name it does not hold): selecting across several
// snapshots, the term may match in another one.
var ErrReachNoMatch = fmt.Errorf("%w: a term matches nothing in this snapshot", ErrReachUnknown)

// Health is a resource's data health as of a snapshot (backend/health):
// healthy, caution, degraded or unknown, and why.
type Health struct {
	State   string   `json:"state"`
	Reasons []string `json:"reasons,omitempty"`
}
