package lineage

import (
	"github.com/lineagedesk/lineagedesk/backend"
)

// statePredicate implements state:new, state:modified and the modified
// subselectors Lineage Desk can tell from two snapshots: body (code),
// configs, relation and macros. The comparison is with another snapshot of the
// project (SelectOptions.StateChanges), as dbt compares with a previous
// manifest.
func (ev *evaluator) statePredicate(v string) (func(n *backend.GraphNode) bool, error) {
	var pick func(c backend.StateChange) bool
	switch v {
	case "new":
		pick = func(c backend.StateChange) bool { return c.New }
	case "modified":
		pick = backend.StateChange.Modified
	case "modified.body":
		pick = func(c backend.StateChange) bool { return c.New || c.Body }
	case "modified.configs":
		pick = func(c backend.StateChange) bool { return c.New || c.Configs }
	case "modified.relation":
		pick = func(c backend.StateChange) bool { return c.New || c.Relation }
	case "modified.macros":
		pick = func(c backend.StateChange) bool { return c.New || c.Macros }
	default:
		return nil, invalid("state:%s is not something Lineage Desk compares: use state:new, state:modified, state:modified.body, state:modified.configs, state:modified.relation or state:modified.macros", v)
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
		return ok && pick(c)
	}, nil
}
