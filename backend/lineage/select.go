package lineage

import (
	"encoding/json"
	"fmt"
	"regexp"
	"slices"
	"strings"

	"github.com/lineagedesk/lineagedesk/backend"
)

// SelectOptions tunes Select.
type SelectOptions struct {
	// IncludeTests keeps tests and unit tests in the result and adds those
	// IndirectSelection adds. Without it tests are hidden, as in dbt Docs,
	// unless the selector asks for tests by name or type (test_name:,
	// test_type:, unit_test:, resource_type:test).
	IncludeTests bool
	// IndirectSelection is dbt's --indirect-selection: which tests of the
	// selected nodes join them when tests are shown, decided per criterion
	// and through set operations as dbt's selector does (indirect.go).
	// cautious (the default here): tests whose parents are all selected;
	// eager (dbt's default): tests with any parent selected; buildable:
	// tests whose parents are selected or upstream of what is; empty: only
	// tests the selector names. A YAML selector's criterion may set its own.
	IndirectSelection string
	// RootProject is the project the snapshot is of: package:this selects
	// its resources, as in dbt.
	RootProject string
	// ProjectOf, when set, names the project whose run holds a node, for
	// grouping by project across projects; "" leaves the node to
	// RootProject (or, another project's public model, to its package).
	ProjectOf func(uniqueID string) string
	// ConfigValues answers config.<key>: for the keys GraphNode does not
	// carry (all but materialized, tags, access and group): for a key
	// path (["schema"], or ["meta", "owner"] for config.meta.owner) and
	// the graph's unique_ids (ascending), the value each node holds there
	// as encoding/json decodes it, nil for none. dbt's config method reads
	// the configs of nodes and sources only. Without it, those keys match
	// nothing.
	ConfigValues func(path []string, ids []string) ([]any, error)
	// Selectors are the snapshot's YAML selectors by name, their
	// definitions as the manifest records them (selector:NAME).
	Selectors map[string]json.RawMessage
	// StateChanges answers state: with the nodes that are new or changed
	// against the snapshot compared with. Without it, state: is an error.
	StateChanges func() (map[string]backend.StateChange, error)
	// FresherSources answers source_status:fresher with the sources whose
	// data was loaded since the snapshot compared with. Without it,
	// source_status: is an error.
	FresherSources func() (map[string]bool, error)
}

// Selection is the result of Select.
type Selection struct {
	Expr  string         `json:"expr"`
	Nodes []string       `json:"nodes"` // unique_ids, sorted
	Edges []backend.Edge `json:"edges"` // every edge among Nodes, sorted by parent then child
	// Focus are the selected nodes named without graph operators: customers
	// in "+customers+", every match of "tag:finance".
	Focus []string `json:"focus"`
	// Warnings name exclude criteria that matched nothing (dbt warns too).
	Warnings []string `json:"warnings,omitempty"`
}

// Select evaluates a dbt node selector: unions (spaces), intersections
// (commas), graph operators (+X, X+, n+X, X+n, @X), methods and --exclude.
// A criterion that matches nothing is an ENOTFOUND error naming it and
// suggesting near names; malformed input is EINVALID.
//
// A criterion that can pick tests alone (test_type:, test_name:,
// unit_test:, resource_type:test, config.severity:) makes the selector
// read as with tests shown, so that its other criteria bring their tests
// along as in dbt: orders,test_type:unit is the unit tests of orders (dbt's
// own example), not nothing. result: shows the tests it picks, and only
// those: result:success is the nodes that succeeded.
func (g *Graph) Select(expr string, opts SelectOptions) (*Selection, error) {
	sel, testsNamed, err := g.selectOnce(expr, opts)
	if testsNamed && !opts.IncludeTests {
		opts.IncludeTests = true
		sel, _, err = g.selectOnce(expr, opts)
	}
	return sel, err
}

// selectOnce is Select with opts as given; it also says whether a criterion
// can pick tests alone.
func (g *Graph) selectOnce(expr string, opts SelectOptions) (*Selection, bool, error) {
	p, err := parseExpr(g.quoteBareUniqueID(expr))
	if err != nil {
		return nil, false, err
	}
	if opts.IncludeTests {
		if err := checkIndirectSelection(opts.IndirectSelection, ""); err != nil {
			return nil, false, err
		}
	}
	ev := &evaluator{g: g, opts: opts, focus: make([]bool, len(g.nodes))}
	ev.wholeSelector = len(p.excludes) == 0 && len(p.selects) == 1 && len(p.selects[0]) == 1 &&
		p.selects[0][0].method == "selector" && !p.selects[0][0].hasGraphOperator()
	included, err := ev.union(p.selects, true)
	if err != nil {
		return nil, ev.testsNamed, err
	}
	excluded, err := ev.union(p.excludes, false)
	if err != nil {
		return nil, ev.testsNamed, err
	}
	// As dbt's parse_difference: the selection less the excludes, each
	// criterion with its tests when they are shown (indirect.go).
	selected := ev.combine(opDifference, []picked{included, excluded}).direct
	if !slices.Contains(selected, true) {
		return nil, ev.testsNamed, ev.emptyResult(p)
	}
	for i := range selected {
		n := &g.nodes[i]
		if isTest(n) && selected[i] && !opts.IncludeTests && (ev.testsPicked == nil || !ev.testsPicked[i]) {
			selected[i] = false
		}
	}
	sel := &Selection{Expr: expr, Nodes: g.idsOf(selected), Edges: g.edgesAmong(selected), Warnings: ev.warnings}
	for i := range selected {
		if selected[i] && ev.focus[i] {
			sel.Focus = append(sel.Focus, g.nodes[i].UniqueID)
		}
	}
	if len(sel.Nodes) == 0 {
		return nil, ev.testsNamed, &backend.Error{Code: backend.ENOTFOUND, Message: fmt.Sprintf(
			"selector %q matches only tests, which are hidden: show tests to see them (--include-tests, or the view's Tests switch)", expr)}
	}
	return sel, ev.testsNamed, nil
}

// asksTests records a select (not exclude) criterion that can pick tests
// alone: the selection is then read with tests shown.
func (ev *evaluator) asksTests() {
	if ev.selecting {
		ev.testsNamed = true
	}
}

// pickTest records a test a select criterion picked itself, which is then
// shown though tests are not.
func (ev *evaluator) pickTest(n *backend.GraphNode) {
	if ev.testsPicked == nil {
		ev.testsPicked = make([]bool, len(ev.g.nodes))
	}
	ev.testsPicked[ev.g.index[n.UniqueID]] = true
}

// quoteBareUniqueID quotes expr's core when, without graph operators, it is
// exactly a unique_id containing spaces or commas (an exposure named "Pulse
// queries"), so such ids work without quotes too.
func (g *Graph) quoteBareUniqueID(expr string) string {
	s := strings.TrimSpace(expr)
	candidates := [][3]string{{"", s, ""}}
	if m := operatorsAround.FindStringSubmatch(s); m != nil {
		candidates = append([][3]string{{m[1], m[2], m[3]}}, candidates...)
	}
	for _, c := range candidates {
		pre, core, post := c[0], c[1], c[2]
		if !strings.ContainsAny(core, " ,\t") || strings.ContainsAny(core, `"'`) {
			continue
		}
		if _, ok := g.index[core]; ok {
			return pre + `"` + core + `"` + post
		}
	}
	return expr
}

// operatorsAround splits graph operators off a selector; (?s) lets a
// pasted selector span lines.
var operatorsAround = regexp.MustCompile(`(?s)^(@?(?:\d*\+)?)(.*?)(\+\d*)?$`)

type evaluator struct {
	g     *Graph
	opts  SelectOptions
	focus []bool
	// testsNamed: a select (not exclude) criterion can pick tests alone;
	// testsPicked: the tests result: picked (nil: none).
	testsNamed  bool
	testsPicked []bool
	selecting   bool
	warnings    []string
	// emptyTerms are the select terms that selected nothing, for emptyResult.
	emptyTerms []term
	// named caches the YAML selectors evaluated (selector:NAME); resolving
	// are those being evaluated, to catch one that refers to itself;
	// namedFocus are the nodes their criteria name.
	named      map[string]picked
	resolving  []string
	namedFocus []bool
	// stateChanges are SelectOptions.StateChanges' answer, asked once.
	stateChanges map[string]backend.StateChange
	// configValues are ConfigValues' answers by key (meta.owner), per node.
	configValues map[string][]any
	// wholeSelector: the expression is one YAML selector (selector:NAME,
	// --selector NAME), which dbt selects with the selector's own groups
	// and no command-line group around them.
	wholeSelector bool
}

// union evaluates terms (intersections of criteria) and joins them, as
// dbt's parse_union does. A criterion matching nothing is a warning, or,
// for select terms (strict) that select nothing at all, an error.
func (ev *evaluator) union(terms []term, strict bool) (picked, error) {
	ev.selecting = strict
	var missing []string
	var joined []picked
	for _, t := range terms {
		var acc []bool
		var parts []picked
		for _, a := range t {
			base, err := ev.match(a)
			if err != nil {
				return picked{}, err
			}
			if count(base) == 0 {
				msg := ev.nothingMatched(a)
				if strict {
					missing = append(missing, msg)
				} else {
					ev.warnings = append(ev.warnings, "exclude "+msg)
				}
				acc = make([]bool, len(ev.g.nodes))
				parts = append(parts, picked{direct: make([]bool, len(ev.g.nodes)), held: ev.emptyHeld()})
				continue
			}
			if strict {
				seeds := base
				if a.method == "selector" {
					seeds = ev.namedFocus // not all it selects: what its criteria name
				}
				for i, ok := range seeds {
					ev.focus[i] = ev.focus[i] || ok
				}
			}
			res := ev.g.expand(base, a)
			if a.method == "selector" && !a.hasGraphOperator() {
				// As dbt's --selector: the YAML selector's own tests.
				named, _ := ev.namedSelector(a.value) // evaluated by match
				parts = append(parts, named)
			} else {
				parts = append(parts, ev.criterionPicked(res, ev.opts.IndirectSelection))
			}
			if acc == nil {
				acc = slices.Clone(res)
				continue
			}
			for i := range acc {
				acc[i] = acc[i] && res[i]
			}
		}
		if strict && count(acc) == 0 {
			ev.emptyTerms = append(ev.emptyTerms, t)
		}
		joined = append(joined, ev.combine(opIntersection, parts))
	}
	all := ev.combine(opUnion, joined)
	if len(missing) > 0 {
		missing = fewMessages(missing)
		// As dbt: a criterion that matches nothing is a warning while the
		// rest selects something, and the selection an error when nothing.
		if !slices.Contains(all.direct, true) {
			return picked{}, &backend.Error{Code: backend.ENOTFOUND, Message: strings.Join(missing, "; ")}
		}
		for _, msg := range missing {
			ev.warnings = append(ev.warnings, "select "+msg)
		}
	}
	return all, nil
}

// fewMessages keeps a selector's messages readable whatever it holds: each
// once, the first maxMessages, each cut at maxMessageRunes (10,000 copies
// of an unknown name made a 590 kB error).
func fewMessages(msgs []string) []string {
	const maxMessages, maxMessageRunes = 5, 400
	var distinct []string
	seen := map[string]bool{}
	for _, m := range msgs {
		if !seen[m] {
			seen[m] = true
			distinct = append(distinct, m)
		}
	}
	out := make([]string, 0, maxMessages+1)
	for _, m := range distinct[:min(len(distinct), maxMessages)] {
		if r := []rune(m); len(r) > maxMessageRunes {
			m = string(r[:maxMessageRunes]) + "…"
		}
		out = append(out, m)
	}
	if more := len(distinct) - maxMessages; more > 0 {
		out = append(out, fmt.Sprintf("and %d more criteria that match nothing", more))
	}
	return out
}

func count(s []bool) int {
	n := 0
	for _, ok := range s {
		if ok {
			n++
		}
	}
	return n
}

// emptyResult explains why a selector whose criteria all match selected nothing.
func (ev *evaluator) emptyResult(p *parsedExpr) error {
	var why []string
	for _, t := range ev.emptyTerms {
		if len(t) > 1 {
			why = append(why, fmt.Sprintf("no node matches all of %q at once", t.String()))
		}
	}
	if len(why) == 0 && len(p.excludes) > 0 {
		excl := make([]string, len(p.excludes))
		for i, t := range p.excludes {
			excl[i] = t.String()
		}
		why = append(why, fmt.Sprintf("everything it selects is excluded by %q", strings.Join(excl, " ")))
	}
	if len(why) == 0 {
		why = append(why, "it matches no node")
	}
	return &backend.Error{Code: backend.ENOTFOUND, Message: "selection is empty: " + strings.Join(why, "; ")}
}

// expand applies a's graph operators to the base set.
func (g *Graph) expand(base []bool, a atom) []bool {
	res := append([]bool(nil), base...)
	if !a.hasGraphOperator() {
		return res
	}
	seeds := indexes(base)
	if a.at {
		walk(g.children, seeds, -1, res)
		walk(g.parents, indexes(res), -1, res)
		return res
	}
	if a.parents != 0 {
		walk(g.parents, seeds, a.parents, res)
	}
	if a.children != 0 {
		walk(g.children, seeds, a.children, res)
	}
	return res
}

func indexes(s []bool) []int32 {
	var out []int32
	for i, ok := range s {
		if ok {
			out = append(out, int32(i))
		}
	}
	return out
}

// match returns the nodes a's method and value match, before graph operators.
func (ev *evaluator) match(a atom) ([]bool, error) {
	g := ev.g
	if a.method == "selector" {
		set, err := ev.namedSelector(a.value)
		return slices.Clone(set.direct), err
	}
	out := make([]bool, len(g.nodes))
	pred, err := ev.predicate(a)
	if err != nil {
		return nil, err
	}
	if a.method == "" {
		// A unique_id (including ids with spaces, like exposures) selects its node.
		if i, ok := g.index[a.value]; ok {
			out[i] = true
			return out, nil
		}
		// A bare name can only match nodes indexed under it (see byFQNKey).
		if !strings.ContainsAny(a.value, ".*?[]/\\") && !isFileName(a.value) {
			for _, i := range g.byFQNKey.lookup(a.value) {
				out[i] = pred(&g.nodes[i])
			}
			return out, nil
		}
	}
	for i := range g.nodes {
		if !out[i] && pred(&g.nodes[i]) {
			out[i] = true
		}
	}
	return out, nil
}

// defaultMethod is the method of a criterion written without one, as dbt
// picks it: a path (a Windows one too, here), a file, or a name.
func defaultMethod(v string) string {
	switch {
	case strings.Contains(v, "/") || strings.Contains(v, `\`):
		return "path"
	case isFileName(v):
		return "file"
	}
	return "fqn"
}

func isFileName(v string) bool {
	l := strings.ToLower(v)
	return strings.HasSuffix(l, ".sql") || strings.HasSuffix(l, ".py") || strings.HasSuffix(l, ".csv")
}

// predicate returns the test for a's method. It records whether the
// selector asks for tests explicitly.
func (ev *evaluator) predicate(a atom) (func(n *backend.GraphNode) bool, error) {
	v := a.value
	method := a.method
	if method == "" {
		method = defaultMethod(v)
	}
	if strings.HasPrefix(method, "config.") {
		return ev.configPredicate(strings.TrimPrefix(method, "config."), v)
	}
	switch method {
	case "fqn":
		return fqnMatcher(v), nil
	case "tag":
		p := newPattern(v)
		return func(n *backend.GraphNode) bool {
			for _, t := range n.Tags {
				if p.match(t) {
					return true
				}
			}
			return false
		}, nil
	case "path":
		if ev.opts.RootProject == "" {
			return pathMatcher(v), nil // every node's path taken as the root project's
		}
		return rootPathMatcher(v, ev.g.nodes, ev.opts.RootProject), nil
	case "file":
		return fileMatcher(v), nil
	case "package":
		if v == "this" && ev.opts.RootProject != "" {
			v = ev.opts.RootProject
		}
		p := newPattern(v)
		return func(n *backend.GraphNode) bool { return p.match(n.Package) }, nil
	case "source":
		if strings.Count(v, ".") > 2 { // as dbt refuses it
			return nil, invalid("source:%s: a source is source:SOURCE, source:SOURCE.TABLE or source:PACKAGE.SOURCE.TABLE", v)
		}
		return sourceMatcher(v), nil
	case "exposure", "metric", "semantic_model", "saved_query":
		if ev.g.tooManyParts(method, v, 2) {
			return nil, invalid("%s:%s: dbt takes %s:NAME or %s:PACKAGE.NAME", method, v, method, method)
		}
		return namedMatcher(method, v), nil
	case "unit_test":
		if ev.g.tooManyParts(backend.TypeUnitTest, v, 3) {
			return nil, invalid("unit_test:%s: dbt takes unit_test:NAME, unit_test:PACKAGE.NAME or unit_test:PACKAGE.MODEL.NAME", v)
		}
		ev.asksTests()
		return namedMatcher(backend.TypeUnitTest, v), nil
	case "resource_type":
		for _, t := range resourceTypes() {
			if t == v {
				if v == backend.TypeTest || v == backend.TypeUnitTest {
					ev.asksTests()
				}
				return func(n *backend.GraphNode) bool { return n.ResourceType == v }, nil
			}
		}
		return nil, invalid("resource_type:%s is not a resource type: use one of %s", v, strings.Join(resourceTypes(), ", "))
	case "test_name":
		ev.asksTests()
		p := newPattern(v)
		return func(n *backend.GraphNode) bool {
			switch n.ResourceType {
			case backend.TypeTest:
				// A generic test's name: dbt matches test_metadata.name,
				// which a singular test has not (its TestName is its file's).
				return n.TestType == "generic" && p.match(n.TestName)
			case backend.TypeUnitTest:
				return p.match(n.Name)
			}
			return false
		}, nil
	case "test_type":
		ev.asksTests()
		return testTypeMatcher(v)
	case "group":
		p := newPattern(v)
		return func(n *backend.GraphNode) bool { return groupable(n) && n.Group != "" && p.match(n.Group) }, nil
	case "access":
		if v != "public" && v != "protected" && v != "private" {
			return nil, invalid("access:%s is not an access level: use public, protected or private", v)
		}
		return func(n *backend.GraphNode) bool { return n.Access == v }, nil
	case "version":
		return ev.g.versionPredicate(v)
	case "state":
		return ev.statePredicate(v)
	case "source_status":
		return ev.sourceStatusPredicate(v)
	case "result":
		// The snapshot's own run results (dbt reads a previous run's);
		// mostly tests' outcomes, so the tests it picks are shown (not
		// those a graph operator reaches from what it picks: result:error+
		// of a model hides its tests, as its+ does).
		picks := ev.selecting
		return func(n *backend.GraphNode) bool {
			if n.RunStatus != v {
				return false
			}
			if picks && isTest(n) {
				ev.pickTest(n)
			}
			return true
		}, nil
	case "selector":
		set, err := ev.namedSelector(v)
		if err != nil {
			return nil, err
		}
		return func(n *backend.GraphNode) bool { i, ok := ev.g.index[n.UniqueID]; return ok && set.direct[i] }, nil
	}
	return nil, invalid("selector %q uses unknown method %q: the methods are %s", a.text, a.method, strings.Join(methodNames, ", "))
}

// tooManyParts: sel has more dot-separated parts than dbt's method for
// resourceType accepts (it raises an error then), and no resource of that
// type is named sel itself.
func (g *Graph) tooManyParts(resourceType, sel string, most int) bool {
	if strings.Count(sel, ".") < most {
		return false
	}
	return !slices.ContainsFunc(g.nodes, func(n backend.GraphNode) bool { return n.ResourceType == resourceType && n.Name == sel })
}

// versionPredicate implements version:latest|prerelease|old|none|<number>.
// The latest version of a model is its latest_version, or else the highest
// version present.
func (g *Graph) versionPredicate(v string) (func(n *backend.GraphNode) bool, error) {
	declared := map[string]string{} // package.name -> latest_version
	highest := map[string]string{}
	for i := range g.nodes {
		n := &g.nodes[i]
		if n.ResourceType != backend.TypeModel || n.Version == "" {
			continue
		}
		key := n.Package + "." + n.Name
		if n.LatestVersion != "" {
			declared[key] = n.LatestVersion
		}
		if cur, seen := highest[key]; !seen || versionLess(cur, n.Version) {
			highest[key] = n.Version
		}
	}
	latest := highest
	for k, l := range declared {
		latest[k] = l
	}
	versioned := func(n *backend.GraphNode) (string, bool) {
		if n.ResourceType != backend.TypeModel || n.Version == "" {
			return "", false
		}
		return latest[n.Package+"."+n.Name], true
	}
	switch v {
	case "none":
		return func(n *backend.GraphNode) bool { return n.ResourceType == backend.TypeModel && n.Version == "" }, nil
	case "latest":
		return func(n *backend.GraphNode) bool { l, ok := versioned(n); return ok && sameVersion(n.Version, l) }, nil
	case "prerelease":
		return func(n *backend.GraphNode) bool { l, ok := versioned(n); return ok && versionLess(l, n.Version) }, nil
	case "old":
		return func(n *backend.GraphNode) bool { l, ok := versioned(n); return ok && versionLess(n.Version, l) }, nil
	}
	known := slices.ContainsFunc(g.nodes, func(n backend.GraphNode) bool { return isVersioned(&n) && sameVersion(n.Version, v) })
	if strings.ContainsAny(v, "*?[") || !known && !strings.ContainsAny(v, "0123456789") {
		// dbt itself takes only the four words; a version number is ours.
		return nil, invalid("version:%s: use latest, prerelease, old or none, as dbt takes (or a version number, which dbt does not)", v)
	}
	return func(n *backend.GraphNode) bool { return isVersioned(n) && sameVersion(n.Version, v) }, nil
}
