package lineage

import (
	"fmt"
	"maps"
	"path"
	"slices"
	"sort"
	"strings"

	"github.com/lineagedesk/lineagedesk/backend"
)

// nothingMatched describes a criterion that matched no node, with near
// values from the same pool (names for a bare name, tags for tag:, ...).
func (g *Graph) nothingMatched(a atom) string {
	if a.method == "" && defaultMethod(a.value) != "fqn" {
		a.method = defaultMethod(a.value) // models/marts is path:models/marts
	}
	method := a.method
	if method == "selector" {
		return fmt.Sprintf("YAML selector %q selects no node in this snapshot", a.value)
	}
	if method == "state" {
		return fmt.Sprintf("%q matches nothing: no node is new or changed that way against the snapshot compared with", a.text)
	}
	if method == "source_status" {
		return fmt.Sprintf("%q matches nothing: no source's data was loaded since the snapshot compared with", a.text)
	}
	if method == "result" {
		statuses := g.candidates(method)
		if len(statuses) == 0 {
			return fmt.Sprintf("%q matches nothing: this snapshot has no run results (import a target/ folder with run_results.json, or sync a run)", a.text)
		}
		return fmt.Sprintf("%q matches no node: the statuses in this snapshot's run results are %s", a.text, strings.Join(statuses, ", "))
	}
	if method == "" || method == "fqn" {
		if msg := g.sourceNamed(a); msg != "" {
			return msg
		}
	}
	if method == "" {
		method = "name, fqn or unique_id"
	}
	msg := fmt.Sprintf("%q matches no %s in this snapshot", a.text, method)
	pool := g.candidates(a.method)
	if (a.method == "" || a.method == "fqn") && hasWildcard(a.value) && !strings.HasPrefix(a.value, "*") {
		// int_* reads as "names with int_ in them" to many; dbt matches the
		// whole name from its start.
		if anywhere := newPattern("*" + a.value); slices.ContainsFunc(pool, anywhere.match) {
			return msg + fmt.Sprintf(" (a wildcard matches whole names, from their start: %q matches some)", "*"+a.value)
		}
	}
	if near := nearest(strings.ToLower(a.value), pool); len(near) > 0 {
		return msg + fmt.Sprintf(" (did you mean %s?)", quoteList(near))
	}
	if a.method == "version" && !slices.ContainsFunc(g.nodes, func(n backend.GraphNode) bool { return isVersioned(&n) }) {
		return msg + " (no model in it is versioned)"
	}
	if !listsPool(a.method) {
		return msg
	}
	// Nothing near: say what there is, when that is short to read.
	switch plural := pluralOf(a.method); {
	case len(pool) == 0:
		msg += fmt.Sprintf(" (it has no %s)", plural)
	case len(pool) <= maxListedValues:
		quoted := make([]string, len(pool))
		for i, v := range pool {
			quoted[i] = fmt.Sprintf("%q", v)
		}
		msg += fmt.Sprintf(" (its %s are %s)", plural, strings.Join(quoted, ", "))
	}
	return msg
}

// maxListedValues is how many values of a method's pool an error lists
// whole when none is near what was asked.
const maxListedValues = 8

// listsPool says whether a method's candidates are every value it can
// match (not so for names, which are many, nor for version:, which has no
// pool).
func listsPool(method string) bool {
	switch method {
	case "tag", "path", "file", "package", "source", "exposure", "metric",
		"semantic_model", "saved_query", "unit_test", "test_name", "group", "config.materialized":
		return true
	}
	return false
}

func pluralOf(method string) string {
	switch method {
	case "config.materialized":
		return "materializations"
	case "test_name":
		return "generic test names"
	case "saved_query":
		return "saved queries"
	}
	return strings.ReplaceAll(method, "_", " ") + "s"
}

// suggest returns unique_ids near id, for a missing unique_id or name.
// An id that starts with a resource type ("source.") is compared with
// that type's nodes only, and a name (no dot) with nodes other than
// tests, as resolveNode looks names up: on a big project tests are most
// of the nodes, and their generated ids are never what was meant.
func (g *Graph) suggest(id string) []string {
	kind, _, dotted := strings.Cut(id, ".")
	var ids, sameKind []string
	for i := range g.nodes {
		n := &g.nodes[i]
		if dotted && strings.HasPrefix(n.UniqueID, kind+".") {
			sameKind = append(sameKind, n.UniqueID)
		}
		if dotted || !isTest(n) {
			ids = append(ids, n.UniqueID)
		}
	}
	if len(sameKind) > 0 {
		ids = sameKind
	}
	return nearest(strings.ToLower(id), ids)
}

// sourceNamed explains a name that only sources carry: dbt selects
// sources with source: alone, never by name or fqn. "" when no source has
// the name.
func (g *Graph) sourceNamed(a atom) string {
	var ways []string
	for i := range g.nodes {
		if n := &g.nodes[i]; n.ResourceType == backend.TypeSource && n.Name == a.value {
			if n.SourceName == "" { // a hand-made graph: the id says it all
				ways = append(ways, n.UniqueID)
				continue
			}
			ways = append(ways, "source:"+n.SourceName+"."+n.Name)
		}
	}
	if len(ways) == 0 {
		return ""
	}
	slices.Sort(ways)
	if len(ways) > 3 {
		ways = ways[:3]
	}
	return fmt.Sprintf("%q matches no node: it is the name of a source, and dbt selects sources with the source: method only (%s)", a.text, strings.Join(ways, ", "))
}

// candidates lists the distinct values a method compares against.
func (g *Graph) candidates(method string) []string {
	set := map[string]bool{}
	add := func(s string) {
		if s != "" {
			set[s] = true
		}
	}
	for i := range g.nodes {
		n := &g.nodes[i]
		switch method {
		case "", "fqn":
			// Tests' generated names (relationships_fct_orders_...) would
			// crowd out the models meant; test_name: has its own pool.
			// Sources are not selected by name (sourceNamed says how).
			if n.ResourceType != backend.TypeTest && n.ResourceType != backend.TypeSource {
				add(n.Name)
			}
		case "tag":
			for _, t := range n.Tags {
				add(t)
			}
		case "path":
			add(n.Path)
			add(path.Dir(n.Path))
		case "file":
			add(path.Base(n.Path))
		case "package":
			add(n.Package)
		case "source":
			if n.ResourceType == backend.TypeSource {
				add(n.SourceName)
				add(n.SourceName + "." + n.Name)
			}
		case "exposure", "metric", "semantic_model", "saved_query", "unit_test":
			if n.ResourceType == method {
				add(n.Name)
			}
		case "test_name":
			if n.ResourceType == backend.TypeTest && n.TestType == "generic" || n.ResourceType == backend.TypeUnitTest {
				add(n.TestName)
			}
		case "group":
			add(n.Group)
		case "config.materialized":
			add(n.Materialized)
		case "result":
			add(n.RunStatus)
		}
	}
	out := make([]string, 0, len(set))
	for s := range set {
		out = append(out, s)
	}
	sort.Strings(out)
	return out
}

// NearestNames returns up to three of candidates near value, as selectors
// suggest them (a column name for a slip in it).
func NearestNames(value string, candidates []string) []string {
	return nearest(strings.ToLower(value), candidates)
}

// nearest returns up to three candidates that start with the value or are
// within a small edit distance of it (case-insensitive), closest first,
// then nearest in length. dbt projects prefix names by layer (stg_, int_, dim_, fct_), so a
// candidate's tails after a separator count too, one step further away:
// "custmers" finds "dim_customers", "orders" finds "fct_orders".
func nearest(value string, candidates []string) []string {
	if value == "" {
		return nil
	}
	type scored struct {
		s    string
		dist int
	}
	limit := len(value)/3 + 1
	var found []scored
	var rows []int
	for _, c := range candidates {
		lc := strings.ToLower(c)
		// Distances beyond limit are dropped, so each is computed only up
		// to it: 180,000 unique_ids with their tails took 10 s in full.
		d := boundedDistance(value, lc, limit, &rows)
		if strings.HasPrefix(lc, value) || strings.HasPrefix(value, lc) && len(lc) >= 3 {
			d = min(d, 1)
		}
		for _, tail := range nameTails(lc) {
			d = min(d, boundedDistance(value, tail, limit, &rows)+1)
		}
		if d <= limit {
			found = append(found, scored{c, d})
		}
	}
	sort.SliceStable(found, func(i, j int) bool {
		if found[i].dist != found[j].dist {
			return found[i].dist < found[j].dist
		}
		li, lj := abs(len(found[i].s)-len(value)), abs(len(found[j].s)-len(value))
		if li != lj {
			return li < lj
		}
		return found[i].s < found[j].s
	})
	var out []string
	for i := 0; i < len(found) && i < 3; i++ {
		out = append(out, found[i].s)
	}
	return out
}

// nameTails returns the parts of name after each separator (_ . / -),
// longest first, skipping tails under three characters:
// "int_orders__daily" gives "orders__daily" and "daily".
func nameTails(name string) []string {
	var tails []string
	for i := 0; i < len(name)-1; i++ {
		if !strings.ContainsRune("_./-", rune(name[i])) || strings.ContainsRune("_./-", rune(name[i+1])) {
			continue
		}
		if tail := name[i+1:]; len(tail) >= 3 {
			tails = append(tails, tail)
		}
	}
	return tails
}

// editDistance is the Levenshtein distance between a and b (bytes).
func editDistance(a, b string) int {
	if len(a) > 200 || len(b) > 200 { // names are short; do not spend quadratic time on junk
		if a == b {
			return 0
		}
		return max(len(a), len(b))
	}
	prev := make([]int, len(b)+1)
	cur := make([]int, len(b)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(a); i++ {
		cur[0] = i
		for j := 1; j <= len(b); j++ {
			cost := 1
			if a[i-1] == b[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
		}
		prev, cur = cur, prev
	}
	return prev[len(b)]
}

// boundedDistance is editDistance(a, b) when that is at most k, and k+1
// otherwise. Strings whose lengths differ by more than k are that far
// apart already; the others are computed in a band of 2k+1 cells per row
// (no path outside it costs k or less), stopping once a row exceeds k.
// rows is scratch space reused between calls.
func boundedDistance(a, b string, k int, rows *[]int) int {
	far := k + 1
	if abs(len(a)-len(b)) > k {
		return far
	}
	if len(a) > 200 || len(b) > 200 {
		return min(editDistance(a, b), far)
	}
	n := len(b)
	if cap(*rows) < 2*(n+1) {
		*rows = make([]int, 2*(n+1))
	}
	prev, cur := (*rows)[:n+1], (*rows)[n+1:2*(n+1)]
	for j := range prev {
		prev[j] = min(j, far)
	}
	for i := 1; i <= len(a); i++ {
		lo, hi := max(1, i-k), min(n, i+k)
		cur[0] = min(i, far)
		if lo > 1 {
			cur[lo-1] = far
		}
		best := cur[0]
		for j := lo; j <= hi; j++ {
			cost := 1
			if a[i-1] == b[j-1] {
				cost = 0
			}
			v := min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost, far)
			cur[j] = v
			best = min(best, v)
		}
		if hi < n {
			cur[hi+1] = far
		}
		if best >= far {
			return far
		}
		prev, cur = cur, prev
	}
	return prev[n]
}

func abs(n int) int {
	if n < 0 {
		return -n
	}
	return n
}

func quoteList(s []string) string {
	q := make([]string, len(s))
	for i, v := range s {
		q[i] = fmt.Sprintf("%q", v)
	}
	return strings.Join(q, " or ")
}

// pathInPackagesOnly explains a path selector that matched nothing
// because only packages have the path: dbt reads path: in the root
// project's folder. It names a selector that takes those nodes (the
// package and folders in their fqn), or returns "".
func (ev *evaluator) pathInPackagesOnly(a atom) string {
	root := ev.opts.RootProject
	if root == "" || a.method != "path" && (a.method != "" || !strings.ContainsAny(a.value, `/\`)) {
		return ""
	}
	inPackage := pathMatcher(a.value)
	packages := map[string]bool{}
	for i := range ev.g.nodes {
		if n := &ev.g.nodes[i]; n.Package != root && inPackage(n) {
			packages[n.Package] = true
		}
	}
	if len(packages) == 0 {
		return ""
	}
	names := slices.Sorted(maps.Keys(packages))
	has := fmt.Sprintf("package %q has", names[0])
	if len(names) > 1 {
		quoted := make([]string, len(names))
		for i, name := range names {
			quoted[i] = fmt.Sprintf("%q", name)
		}
		has = "packages " + strings.Join(quoted, ", ") + " have"
	}
	msg := fmt.Sprintf("%q matches nothing in the root project %s: dbt reads path: in the root project's folder, and only %s it", a.text, root, has)
	// models/staging/tmp is the folders staging.tmp in each package's fqn.
	folders := strings.Split(strings.Trim(strings.ReplaceAll(a.value, `\`, "/"), "/"), "/")
	if len(folders) > 1 && !strings.ContainsAny(a.value, "*?[.") {
		return msg + fmt.Sprintf(": select them by fqn, as %q", names[0]+"."+strings.Join(folders[1:], "."))
	}
	return msg + fmt.Sprintf(": select them by their fqn (as %q) or their package (package:%s)", names[0]+".FOLDER", names[0])
}
