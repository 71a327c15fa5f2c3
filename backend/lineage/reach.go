package lineage

import (
	"slices"
	"strings"

	"github.com/lineagedesk/lineagedesk/backend"
)

// PlanReach tells whether expr, selected with opts, only ever selects
// around the nodes its terms name, and if so which names and depths: then a
// backend.ReachQuery answered by the store gives a part of the graph on
// which Select returns exactly what it returns on the whole graph. That
// holds for unions of plain names, unique_ids, single-type methods
// (exposure:, source:, metric: ... see typedMethod) and methods that read
// one node field (tag:, path:, file:, package:, group:, access:,
// config.materialized: ... see attributeOf) or the config (config.<key>:)
// with +/n+ operators, and
// @, intersections of those where at most one has operators, and excludes
// of one such atom, with tests shown or not (cautious or empty indirect
// selection); it does not for version: or
// test_name: (which match across types, or look at sibling versions).
func PlanReach(expr string, opts SelectOptions) (backend.ReachQuery, bool) {
	// Eager and buildable indirect selection add tests of nodes the part
	// need not hold.
	if opts.IncludeTests && (opts.IndirectSelection == "eager" || opts.IndirectSelection == "buildable") {
		return backend.ReachQuery{}, false
	}
	if strings.ContainsAny(expr, `"'`) {
		return backend.ReachQuery{}, false
	}
	// Select quotes a bare unique_id that contains spaces. A unique_id has
	// a dot in its first word (type.package...), so an expression of several
	// words is left to Select when a word has a dot outside a method and its
	// value (source:raw.orders and config.tags:x are fine,
	// exposure.shop.Weekly is not).
	if fields := strings.Fields(expr); len(fields) > 1 {
		for _, f := range fields {
			colon := strings.IndexByte(f, ':')
			if colon < 0 {
				if strings.Contains(f, ".") {
					return backend.ReachQuery{}, false
				}
				continue
			}
			if method := f[:colon]; strings.Contains(method, ".") && !strings.Contains(method, "config.") {
				return backend.ReachQuery{}, false
			}
		}
	}
	p, err := parseExpr(expr)
	if err != nil {
		return backend.ReachQuery{}, false
	}
	q := backend.ReachQuery{Tests: opts.IncludeTests}
	// An exclude's whole expansion goes into the part too: then it removes,
	// and warns about, exactly what it does on the whole graph. It must be
	// one atom: in an intersection, an atom matching nothing in the part
	// would warn though it matches elsewhere.
	for _, t := range p.excludes {
		if len(t) != 1 || !plannable(t[0]) {
			return backend.ReachQuery{}, false
		}
		q.Terms = append(q.Terms, reachTerm(t[0]))
	}
	for _, t := range p.selects {
		// An intersection is answered when at most one of its atoms has
		// graph operators: the part holds that atom's whole expansion, and
		// the others, plain criteria, match its nodes there as anywhere.
		pick := 0
		for i, a := range t {
			if !plannable(a) {
				return backend.ReachQuery{}, false
			}
			q.Tests = q.Tests || asksForTests(a)
			if a.hasGraphOperator() {
				if t[pick].hasGraphOperator() && pick != i {
					return backend.ReachQuery{}, false
				}
				pick = i
			}
		}
		q.Terms = append(q.Terms, reachTerm(t[pick]))
	}
	return q, true
}

// reachTerm asks for a plannable atom's nodes and its expansion.
func reachTerm(a atom) backend.ReachTerm {
	term := backend.ReachTerm{Value: a.value, Parents: a.parents, Children: a.children, At: a.at}
	switch {
	case a.method == "":
		term.Bare = isBareName(a.value)
	case typedMethod(a.method, a.value) != "":
		term.Method, term.ResourceType = a.method, typedMethod(a.method, a.value)
	default:
		term.Method, term.Attribute = a.method, attributeOf(a.method)
	}
	return term
}

// plannable is true for the atoms a store can find the nodes of: names
// and unique_ids, single-type methods and methods that read one field.
func plannable(a atom) bool {
	return a.method == "" || typedMethod(a.method, a.value) != "" || attributeOf(a.method) != ""
}

// typedMethod returns the one resource type that method (with value) can
// match, or "" when it can match several (or the value is not valid).
func typedMethod(method, value string) string {
	switch method {
	case "source":
		return backend.TypeSource
	case backend.TypeExposure, backend.TypeMetric, backend.TypeSemanticModel, backend.TypeSavedQuery:
		return method
	case "unit_test":
		return backend.TypeUnitTest
	case "test_type":
		switch value {
		case "generic", "singular", "data":
			return backend.TypeTest
		case "unit":
			return backend.TypeUnitTest
		}
	case "resource_type":
		if slices.Contains(resourceTypes(), value) {
			return value
		}
	}
	return ""
}

// asksForTests is true for the atoms that, selecting, show tests (see
// evaluator.predicate): the part must then keep the tests it reaches.
func asksForTests(a atom) bool {
	switch a.method {
	case "unit_test", "test_type", "test_name", "config.severity":
		return true
	case "resource_type":
		return a.value == backend.TypeTest || a.value == backend.TypeUnitTest
	}
	return false
}

// MatchTyped returns the unique_ids of the nodes that the single-type
// method (see ReachTerm.ResourceType) matches with value, among nodes.
func MatchTyped(nodes []backend.GraphNode, method, value string) ([]string, error) {
	g := New(&backend.GraphData{Nodes: nodes})
	ev := &evaluator{g: g}
	matched, err := ev.match(atom{text: method + ":" + value, method: method, value: value})
	if err != nil {
		return nil, err
	}
	var ids []string
	for i, ok := range matched {
		if ok {
			ids = append(ids, g.nodes[i].UniqueID)
		}
	}
	return ids, nil
}

// isBareName is true when match looks a value up by byFQNKey (and not by
// unique_id, path, file or wildcard).
func isBareName(v string) bool {
	return !strings.ContainsAny(v, ".*?[]/\\") && !isFileName(v)
}

// Qualifiers returns, sorted, the strings a bare name can select a node by
// other than the node's own name: packages, top folders, a versioned
// model's version part and name_vN. A bare name that is none of these
// selects exactly the nodes so named, which is what lets a store answer a
// ReachQuery from a name index.
func Qualifiers(nodes []backend.GraphNode) []string {
	set := map[string]struct{}{}
	var buf [5]string
	for i := range nodes {
		for _, k := range appendFQNKeys(buf[:0], &nodes[i]) {
			if k != nodes[i].Name {
				set[k] = struct{}{}
			}
		}
	}
	out := make([]string, 0, len(set))
	for k := range set {
		out = append(out, k)
	}
	slices.Sort(out)
	return out
}
