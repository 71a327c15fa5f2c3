package lineage

import (
	"slices"
	"strings"

	"github.com/lineagedesk/lineagedesk/backend"
)

// statePredicate implements state:new, state:modified and its
// subselectors (body, configs, relation, persisted_descriptions, macros,
// contract), state:old and state:unmodified, as dbt's state: method does
// against a previous manifest; the comparison is with another snapshot of
// the project (SelectOptions.StateChanges).
func (ev *evaluator) statePredicate(v string) (func(n *backend.GraphNode) bool, error) {
	var pick func(c backend.StateChange, resourceType string) bool
	// Whether a node the comparison found no change in is selected: it is
	// in both snapshots and the same in each.
	unchanged := false
	switch sub, isSub := strings.CutPrefix(v, "modified."); {
	case v == "new":
		pick = func(c backend.StateChange, _ string) bool { return c.New }
	case v == "modified":
		pick = func(c backend.StateChange, _ string) bool { return c.Modified() }
	case v == "old": // dbt 1.6+: in the state compared with
		pick, unchanged = func(c backend.StateChange, _ string) bool { return !c.New }, true
	case v == "unmodified": // dbt 1.6+: in the state and the same
		pick, unchanged = func(c backend.StateChange, _ string) bool { return !c.New && !c.Modified() }, true
	case isSub && slices.Contains(backend.StateSubselectors, sub):
		pick = func(c backend.StateChange, resourceType string) bool {
			selected, _ := backend.StateSubselectorMatches(sub, resourceType, c)
			return selected
		}
	default:
		return nil, invalid("state:%s is not something dbt compares: use state:new, state:old, state:unmodified, state:modified or state:modified.%s", v,
			strings.Join(backend.StateSubselectors, ", state:modified."))
	}
	if ev.opts.StateChanges == nil {
		return nil, invalid("state:%s needs a snapshot to compare with: import or sync the project again to get a second snapshot, or pick one to compare with", v)
	}
	if ev.stateChanges == nil {
		changes, err := ev.opts.StateChanges()
		if err != nil {
			return nil, err
		}
		ev.stateChanges = changes
	}
	changes := ev.stateChanges
	return func(n *backend.GraphNode) bool {
		c, ok := changes[n.UniqueID]
		if !ok {
			return unchanged
		}
		return pick(c, n.ResourceType)
	}, nil
}

// sourceStatusPredicate implements source_status:fresher, the only status
// dbt compares: sources whose data was loaded since the snapshot compared
// with (SelectOptions.FresherSources), as dbt compares sources.json with
// the previous state's.
func (ev *evaluator) sourceStatusPredicate(v string) (func(n *backend.GraphNode) bool, error) {
	if v != "fresher" {
		return nil, invalid("source_status:%s is not something dbt compares: use source_status:fresher (sources loaded since the snapshot compared with)", v)
	}
	if ev.opts.FresherSources == nil {
		return nil, invalid("source_status:fresher needs a snapshot to compare with: import or sync the project again to get a second snapshot, or pick one to compare with")
	}
	fresher, err := ev.opts.FresherSources()
	if err != nil {
		return nil, err
	}
	return func(n *backend.GraphNode) bool { return fresher[n.UniqueID] }, nil
}
