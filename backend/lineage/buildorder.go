package lineage

import (
	"slices"
	"strings"

	"github.com/lineagedesk/lineagedesk/backend"
)

// BuildOrder returns the selection as `dbt build` ran it, for timing it:
// its nodes other than tests, with the tests and unit tests of g whose
// parents are all among them, and the edges that ordered the run. A model's
// unit tests ran before it, one after another (dbt 1.8+: unit tests, then
// the model, then its data tests); a data test ran after the nodes it tests
// and before every node downstream of all of them, as dbt's build adds an
// edge from a test to each such node. Edges to a node a shorter route
// already orders after the test are left out: they change no chain's
// length.
func BuildOrder(g *Graph, sel *Selection) ([]string, []backend.Edge) {
	in := map[string]bool{}
	var nodes []string
	for _, id := range sel.Nodes {
		if n, ok := g.Node(id); ok && !isTestType(n.ResourceType) {
			in[id] = true
			nodes = append(nodes, id)
		}
	}
	var edges []backend.Edge
	for _, e := range sel.Edges {
		if in[e.Parent] && in[e.Child] {
			edges = append(edges, e)
		}
	}
	children, parents := map[string][]string{}, map[string][]string{}
	link := func(parent, child string) {
		children[parent] = append(children[parent], child)
		parents[child] = append(parents[child], parent)
	}
	for _, e := range edges {
		link(e.Parent, e.Child)
	}
	// A source is not built, but its tests run and hold back what reads
	// it: the sources the selection reads count as tested nodes too.
	sources := map[string]bool{}
	for _, id := range slices.Clone(nodes) {
		for _, p := range g.Parents(id) {
			if n, ok := g.Node(p); ok && n.ResourceType == backend.TypeSource && !in[p] {
				if !sources[p] {
					sources[p] = true
					nodes = append(nodes, p) // untimed: a chain neither starts nor ends there
				}
				link(p, id)
			}
		}
	}
	testable := func(id string) bool { return in[id] || sources[id] }

	unitTests := map[string][]string{} // model -> its unit tests
	var dataTests []string
	taken := map[string]bool{}
	for _, id := range slices.Clone(nodes) {
		for _, t := range g.Children(id) {
			n, ok := g.Node(t)
			if !ok || !isTestType(n.ResourceType) || taken[t] {
				continue
			}
			tested := g.Parents(t)
			if !allSatisfy(tested, testable) {
				continue // dbt build runs it with nodes outside the selection
			}
			taken[t] = true
			nodes = append(nodes, t)
			if model := testedModel(g, n, tested); model != "" {
				unitTests[model] = append(unitTests[model], t)
			} else {
				dataTests = append(dataTests, t)
			}
		}
	}

	// Unit tests: the model's parents, then each unit test, then the model.
	for _, units := range unitTests {
		slices.Sort(units)
	}
	var ordered []backend.Edge
	for _, e := range edges {
		if units := unitTests[e.Child]; len(units) > 0 {
			ordered = append(ordered, backend.Edge{Parent: e.Parent, Child: units[0]})
			continue
		}
		ordered = append(ordered, e)
	}
	for model, units := range unitTests {
		for i := 1; i < len(units); i++ {
			ordered = append(ordered, backend.Edge{Parent: units[i-1], Child: units[i]})
		}
		ordered = append(ordered, backend.Edge{Parent: units[len(units)-1], Child: model})
	}

	// Data tests: after what they test, before what depends on all of it.
	for _, t := range dataTests {
		tested := g.Parents(t)
		for _, p := range tested {
			ordered = append(ordered, backend.Edge{Parent: p, Child: t})
		}
		for _, n := range firstDownstreamOfAll(tested, children, parents) {
			if !builds(g, n) {
				continue // an exposure or a metric: nothing dbt runs waits for it
			}
			// A model's unit tests run in its turn: the test holds back the first.
			if units := unitTests[n]; len(units) > 0 {
				n = units[0]
			}
			ordered = append(ordered, backend.Edge{Parent: t, Child: n})
		}
	}
	return nodes, ordered
}

// firstDownstreamOfAll returns the nodes downstream of every one of from
// none of whose parents is: the first ones a test of from holds back (the
// others wait for those anyway). With one node, its children.
func firstDownstreamOfAll(from []string, children, parents map[string][]string) []string {
	if len(from) == 1 {
		return children[from[0]]
	}
	reached := map[string]int{} // how many of from reach the node
	for _, start := range from {
		seen := map[string]bool{}
		stack := slices.Clone(children[start])
		for len(stack) > 0 {
			n := stack[len(stack)-1]
			stack = stack[:len(stack)-1]
			if !seen[n] {
				seen[n] = true
				reached[n]++
				stack = append(stack, children[n]...)
			}
		}
	}
	downstreamOfAll := func(n string) bool { return reached[n] == len(from) }
	var first []string
	for n := range reached {
		if downstreamOfAll(n) && !slices.ContainsFunc(parents[n], downstreamOfAll) {
			first = append(first, n)
		}
	}
	slices.Sort(first)
	return first
}

// testedModel is the model a unit test tests, "" for a data test: the
// unit test's parent whose name its unique_id carries
// (unit_test.<package>.<model>.<test>), or else its only parent.
func testedModel(g *Graph, n *backend.GraphNode, parents []string) string {
	if n.ResourceType != backend.TypeUnitTest {
		return ""
	}
	parts := strings.Split(n.UniqueID, ".")
	for _, p := range parents {
		if m, ok := g.Node(p); ok && len(parts) > 2 && m.Name == parts[2] {
			return p
		}
	}
	if len(parents) == 1 {
		return parents[0]
	}
	return ""
}

func isTestType(resourceType string) bool {
	return resourceType == backend.TypeTest || resourceType == backend.TypeUnitTest
}

func allSatisfy(ids []string, ok func(string) bool) bool {
	for _, id := range ids {
		if !ok(id) {
			return false
		}
	}
	return len(ids) > 0
}

// builds reports whether dbt build runs the node, so that its tested
// parents' tests hold it back (dbt's add_test_edges: manifest.nodes).
func builds(g *Graph, id string) bool {
	n, ok := g.Node(id)
	if !ok {
		return false
	}
	switch n.ResourceType {
	case backend.TypeModel, backend.TypeSeed, backend.TypeSnapshot:
		return true
	}
	return false
}
