package backend

import "time"

// StateChange says how a node differs from the snapshot it is compared
// with, part by part as dbt's state: method compares a node with its
// previous manifest (each part is what one state:modified subselector
// looks at; Properties only counts for state:modified itself).
type StateChange struct {
	New      bool // no node with its unique_id there
	Body     bool // its code (raw_code) differs; a seed's file checksum (dbt compares no other node's)
	Configs  bool // its config differs
	Relation bool // where it is built: the configured database, schema and alias (a source: its database, schema and identifier)
	Macros   bool // a macro it calls, or one those call, is new or changed
	// PersistedDescriptions: a description dbt writes to the warehouse
	// (config.persist_docs: the relation's, the columns') differs.
	PersistedDescriptions bool
	// Contract: a model's enforced contract differs (columns, data types,
	// constraints), or was enforced on one side only.
	Contract bool
	FQN      bool // its fully qualified name differs (the file moved)
	// Properties: what else dbt compares for its type: a model's
	// latest_version, access and deprecation_date; a source's quoting,
	// freshness, loaded_at_field and external; an exposure's type, owner,
	// maturity, url, description, label and depends_on; a metric's type,
	// description and label; a semantic model's and a saved query's
	// definition; a unit test's checksum.
	Properties bool
	// Removed: the snapshot compared with has a node with this unique_id
	// and this one has none (no selector selects it: it is not in the
	// graph).
	Removed bool
}

// NodeStep is how a node differs from itself in the snapshot before (a
// node's history): as state: compares it, and whether its description or
// its columns' descriptions changed, which state: counts only where dbt
// persists them to the warehouse.
type NodeStep struct {
	StateChange
	Descriptions bool
}

// Modified is state:modified: new, or changed in any part.
func (c StateChange) Modified() bool {
	return c.New || c.Body || c.Configs || c.Relation || c.Macros || c.PersistedDescriptions || c.Contract || c.FQN || c.Properties
}

// Parts names what changed, in the order of StateChangeParts: ["new"]
// for a new node, ["removed"] for a removed one, nil for an unchanged one.
func (c StateChange) Parts() []string {
	switch {
	case c.New:
		return []string{"new"}
	case c.Removed:
		return []string{"removed"}
	}
	var parts []string
	for i, changed := range [...]bool{c.Body, c.Configs, c.Relation, c.PersistedDescriptions, c.Macros, c.Contract, c.FQN, c.Properties} {
		if changed {
			parts = append(parts, StateChangeParts[i])
		}
	}
	return parts
}

// StateChangeParts name the parts of a StateChange: the state:modified
// subselectors, then fqn and properties, which only state:modified counts.
var StateChangeParts = []string{"body", "configs", "relation", "persisted_descriptions", "macros", "contract", "fqn", "properties"}

// StateSubselectors are state:modified's subselectors, in the order dbt
// documents them.
var StateSubselectors = StateChangeParts[:6:6]

// StateSubselectorMatches tells whether a node of resourceType selected by
// state:modified.<sub> with change c. As in dbt, a subselector only
// applies to the resource types that have the part it compares (a source
// has no body; only nodes built from files have a relation config, a
// contract or persisted descriptions, and sources a relation), and then
// selects new nodes as well as changed ones; macros apply to every type.
// ok is false for an unknown subselector.
func StateSubselectorMatches(sub, resourceType string, c StateChange) (selected, ok bool) {
	built := builtFromFile(resourceType)
	switch sub {
	case "body":
		return built && (c.New || c.Body), true
	case "configs":
		return resourceType != TypeUnitTest && (c.New || c.Configs), true
	case "relation":
		return (built || resourceType == TypeSource) && (c.New || c.Relation), true
	case "persisted_descriptions":
		return built && (c.New || c.PersistedDescriptions), true
	case "contract":
		return built && (c.New || c.Contract), true
	case "macros":
		return c.Macros, true
	}
	return false, false
}

// builtFromFile: the node types dbt parses from a SQL, Python or CSV file
// (its ParsedNode), which have a body, a relation config, a contract and
// persisted descriptions.
func builtFromFile(resourceType string) bool {
	switch resourceType {
	case TypeModel, TypeSeed, TypeSnapshot, TypeTest, TypeAnalysis, TypeOperation, TypeFunction:
		return true
	}
	return false
}

// StateKeys are the parts of a resource state: compares beyond its code,
// checksum, config and macros, each as a canonical text ("" when it has
// none), so that two snapshots compare them by hash. Filled by the
// manifest reader; never stored as such.
type StateKeys struct {
	// Relation is where a node is configured to be built: its
	// unrendered_config's database, schema and alias, as dbt compares
	// them, so that a change of target or of generate_schema_name does not
	// count. A source's is its database, schema and identifier.
	Relation string
	// Config is the unrendered_config, as dbt compares configs: what the
	// project and the model set, before Jinja and defaults (so neither a
	// target's values nor the defaults a newer dbt writes count), without
	// database, schema and alias (Relation compares them); top-level keys
	// sorted, objects and lists without nulls. The rendered config for
	// manifests older than dbt 0.19.
	Config string
	// PersistRelationDocs and PersistColumnDocs are config.persist_docs:
	// whether the description and the column descriptions are written to
	// the warehouse (state:modified.persisted_descriptions compares them
	// only then, as the newer node says).
	PersistRelationDocs, PersistColumnDocs bool
	// Contract is a model's enforced contract: its columns' names, data
	// types and constraints, sorted by name, and for a table or an
	// incremental model its materialization and model constraints.
	Contract string
	// Properties are the type's other compared fields (StateChange.Properties).
	Properties string
}

// FresherSources is dbt's source_status:fresher: the sources whose data
// was loaded later in current's freshness results (sources.json) than in
// previous's, or that previous has no result for; a source whose check
// failed to run on either side is left out, as dbt leaves it out.
func FresherSources(current, previous []FreshnessResult) map[string]bool {
	loaded := func(results []FreshnessResult) (at map[string]string, failed map[string]bool) {
		at, failed = map[string]string{}, map[string]bool{}
		for _, r := range results {
			if r.MaxLoadedAt == "" {
				failed[r.UniqueID] = true
			} else {
				at[r.UniqueID] = r.MaxLoadedAt
			}
		}
		return at, failed
	}
	now, failedNow := loaded(current)
	before, failedBefore := loaded(previous)
	fresher := map[string]bool{}
	for id, at := range now {
		if failedNow[id] || failedBefore[id] {
			continue
		}
		if prev, ok := before[id]; !ok || laterTime(at, prev) {
			fresher[id] = true
		}
	}
	return fresher
}

// laterTime tells whether timestamp a is after b. dbt writes them in ISO
// 8601, with or without a zone (UTC then); text that is not one compares
// as text.
func laterTime(a, b string) bool {
	ta, errA := parseLoadedAt(a)
	tb, errB := parseLoadedAt(b)
	if errA != nil || errB != nil {
		return a > b
	}
	return ta.After(tb)
}

func parseLoadedAt(s string) (time.Time, error) {
	var err error
	for _, layout := range []string{time.RFC3339Nano, "2006-01-02T15:04:05.999999999", "2006-01-02 15:04:05.999999999Z07:00", "2006-01-02 15:04:05.999999999"} {
		var t time.Time
		if t, err = time.Parse(layout, s); err == nil {
			return t, nil
		}
	}
	return time.Time{}, err
}

// StatusChange is a node whose latest run result differs between two
// snapshots: a test that passed and now fails, a model that errored and
// now builds.
type StatusChange struct {
	UniqueID string `json:"unique_id"`
	Before   string `json:"before"` // its status in the snapshot compared with
	After    string `json:"after"`
}
