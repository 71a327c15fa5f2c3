package lineage

import (
	"fmt"
	"slices"
	"strconv"
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
		return func(n *backend.GraphNode) bool { return configurable(n) && n.Materialized == v }, nil
	case "access":
		return func(n *backend.GraphNode) bool { return configurable(n) && n.Access == v }, nil
	case "group":
		return func(n *backend.GraphNode) bool { return configurable(n) && n.Group == v }, nil
	case "severity":
		// Only tests have one: naming it asks for tests, as test_name: does.
		ev.asksTests()
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
	if ev.configValues == nil {
		ev.configValues = map[string][]any{}
	}
	ev.configValues[key] = values
	foldCase := key == "severity"
	return func(n *backend.GraphNode) bool {
		i, ok := ev.g.index[n.UniqueID]
		return ok && values[i] != nil && configurable(n) && configValueMatches(values[i], v, foldCase)
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

// nothingMatched describes a criterion that matched no node; for a config
// key read through ConfigValues, with the values the configs do hold.
func (ev *evaluator) nothingMatched(a atom) string {
	if msg := ev.pathInPackagesOnly(a); msg != "" {
		return msg
	}
	key, isConfig := strings.CutPrefix(a.method, "config.")
	values, read := ev.configValues[key]
	if !isConfig || !read {
		return ev.g.nothingMatched(a)
	}
	held := map[string]bool{}
	for _, v := range values {
		switch x := v.(type) {
		case string:
			held[x] = true
		case bool:
			held[fmt.Sprint(x)] = true
		case []any:
			for _, item := range x {
				if s, ok := item.(string); ok {
					held[s] = true
				}
			}
		}
	}
	candidates := make([]string, 0, len(held))
	for v := range held {
		if v != "" {
			candidates = append(candidates, v)
		}
	}
	slices.Sort(candidates)
	switch {
	case len(candidates) == 0:
		return fmt.Sprintf("%q matches nothing: no node's config sets %s to a string, list or boolean in this snapshot", a.text, key)
	case len(candidates) <= maxListedConfigValues:
		quoted := make([]string, len(candidates))
		for i, c := range candidates {
			quoted[i] = strconv.Quote(c)
		}
		return fmt.Sprintf("%q matches no node: the config.%s values in this snapshot are %s", a.text, key, strings.Join(quoted, ", "))
	}
	msg := fmt.Sprintf("%q matches no config.%s in this snapshot", a.text, key)
	if near := nearest(strings.ToLower(a.value), candidates); len(near) > 0 {
		msg += fmt.Sprintf(" (did you mean %s?)", quoteList(near))
	}
	return msg
}

// maxListedConfigValues is how many values of a config key an error lists
// whole; past that, it names the nearest.
const maxListedConfigValues = 8

// inManifestNodes: dbt keeps n in the manifest's nodes (models, seeds,
// snapshots, tests, analyses, hooks), not beside them as it keeps sources,
// exposures, metrics, semantic models, saved queries and unit tests.
func inManifestNodes(n *backend.GraphNode) bool {
	switch n.ResourceType {
	case backend.TypeSource, backend.TypeExposure, backend.TypeMetric, backend.TypeSemanticModel, backend.TypeSavedQuery, backend.TypeUnitTest:
		return false
	}
	return true
}

// configurable: dbt's config.<key>: method reads the configs of nodes and
// sources only (SelectorMethod.configurable_nodes); an exposure's tags or
// a metric's group are not matched by it.
func configurable(n *backend.GraphNode) bool {
	return inManifestNodes(n) || n.ResourceType == backend.TypeSource
}

// groupable: dbt's group: method reads nodes and metrics only
// (SelectorMethod.groupable_nodes).
func groupable(n *backend.GraphNode) bool {
	return inManifestNodes(n) || n.ResourceType == backend.TypeMetric
}
