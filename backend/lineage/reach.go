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
// holds for unions of plain names or unique_ids with +/n+ operators; it
// does not for methods (tag:, path: ...), wildcards, intersections, @,
// --exclude (an exclude can name nodes outside the part) or tests (indirect
// selection looks at every test).
func PlanReach(expr string, opts SelectOptions) (backend.ReachQuery, bool) {
	if opts.IncludeTests || strings.ContainsAny(expr, `"'`) {
		return backend.ReachQuery{}, false
	}
	// Select quotes a bare unique_id that contains spaces; unique_ids
	// always contain dots, so an expression with both is left to Select.
	if strings.ContainsAny(strings.TrimSpace(expr), " \t\r\n") && strings.Contains(expr, ".") {
		return backend.ReachQuery{}, false
	}
	p, err := parseExpr(expr)
	if err != nil || len(p.excludes) > 0 {
		return backend.ReachQuery{}, false
	}
	var q backend.ReachQuery
	for _, t := range p.selects {
		if len(t) != 1 || t[0].method != "" || t[0].at {
			return backend.ReachQuery{}, false
		}
		a := t[0]
		q.Terms = append(q.Terms, backend.ReachTerm{Value: a.value, Bare: isBareName(a.value),
			Parents: a.parents, Children: a.children})
	}
	return q, true
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
