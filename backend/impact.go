package backend

// ImpactRow is one node of an impact analysis: a node downstream (or
// upstream) of the one analysed, Distance hops away, with where it is
// built, who owns it and how its tests fared in the snapshot's run.
type ImpactRow struct {
	Distance     int    `json:"distance"`
	UniqueID     string `json:"unique_id"`
	Name         string `json:"name"`
	Version      string `json:"version,omitempty"` // a model version's, "2" of customers.v2
	ResourceType string `json:"resource_type"`
	Package      string `json:"package"`
	Materialized string `json:"materialized,omitempty"`
	RelationName string `json:"relation_name,omitempty"`
	Path         string `json:"path,omitempty"`
	Access       string `json:"access,omitempty"`
	Group        string `json:"group,omitempty"`
	// Owner is an exposure's owner, else its dbt group's, else its
	// config's meta.owner: "Name <email>", or either.
	Owner string `json:"owner,omitempty"`
	// Tests sums up a node's tests' outcomes; TestStatus is a test's own
	// (real outcomes only: a docs generate's "success" is none).
	Tests      TestSummary `json:"test_summary"`
	TestStatus string      `json:"test_status,omitempty"`
	// TestsDefined counts the tests attached to the node, run or not: a
	// docs generate's snapshot has no outcomes, and Tests is all zero.
	TestsDefined int `json:"tests_defined,omitempty"`
	// SnapshotID is, for a node of another project the list reached
	// through cross-project refs (dbt Mesh), the run it was read from.
	SnapshotID int64 `json:"snapshot_id,omitempty"`
}
