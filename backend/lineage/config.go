package lineage

import (
	"fmt"
	"slices"
	"strings"

	"github.com/lineagedesk/lineagedesk/backend"
)

// configPredicate implements config.<key>:value as dbt's config method
// does: the key may be a dotted path into the config (config.meta.owner);
// a string matches exactly (a test's severity in any case), a list when it
// holds the value, and a boolean when the value is true or false in any
// case. Numbers, objects and nulls never match, as in dbt.
func (ev *evaluator) configPredicate(key, v string) (func(n *backend.GraphNode) bool, error) {
	path := strings.Split(key, ".")
	if slices.Contains(path, "") {
		return nil, invalid("config.%s:%s has an empty key: write config.<key>:<value>, e.g. config.schema:finance or config.meta.owner:data", key, v)
	}
	switch key {
	case "materialized":
		return func(n *backend.GraphNode) bool { return n.Materialized == v }, nil
	case "access":
		return func(n *backend.GraphNode) bool { return n.Access == v }, nil
	case "group":
		return func(n *backend.GraphNode) bool { return n.Group == v }, nil
	case "tags":
		return func(n *backend.GraphNode) bool { return slices.Contains(n.Tags, v) }, nil
	case "severity":
		// Only tests have one: naming it asks for tests, as test_name: does.
		ev.testsAsked = ev.testsAsked || ev.selecting
	}
	if ev.opts.ConfigValues == nil {
		return func(*backend.GraphNode) bool { return false }, nil
	}
	ids := make([]string, len(ev.g.nodes))
	for i := range ev.g.nodes {
		ids[i] = ev.g.nodes[i].UniqueID
	}
	values, err := ev.opts.ConfigValues(path, ids)
	if err != nil {
		return nil, err
	}
	if len(values) != len(ids) {
		return nil, fmt.Errorf("config.%s: %d values for %d nodes", key, len(values), len(ids))
	}
	foldCase := key == "severity"
	return func(n *backend.GraphNode) bool {
		i, ok := ev.g.index[n.UniqueID]
		return ok && values[i] != nil && configValueMatches(values[i], v, foldCase)
	}, nil
}

func configValueMatches(value any, v string, foldCase bool) bool {
	switch x := value.(type) {
	case string:
		return x == v || foldCase && strings.EqualFold(x, v)
	case bool:
		return strings.EqualFold(v, "true") && x || strings.EqualFold(v, "false") && !x
	case []any:
		for _, item := range x {
			if _, nested := item.([]any); !nested && configValueMatches(item, v, false) {
				return true
			}
		}
	}
	return false
}
