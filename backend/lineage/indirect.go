package lineage

import (
	"slices"
	"strings"

	"github.com/lineagedesk/lineagedesk/backend"
)

// IndirectSelectionModes are dbt's --indirect-selection modes.
var IndirectSelectionModes = []string{"eager", "cautious", "buildable", "empty"}

// checkIndirectSelection refuses a mode dbt does not have ("" is the
// default here, cautious).
func checkIndirectSelection(mode, where string) error {
	if mode == "" || slices.Contains(IndirectSelectionModes, mode) {
		return nil
	}
	return invalid("%sindirect selection %q is not one of dbt's modes: use %s", where, mode, strings.Join(IndirectSelectionModes, ", "))
}

// picked is what a selection spec selects, computed as dbt's selector does
// when tests are shown (SelectOptions.IncludeTests): direct are the nodes
// selected, tests included as the spec's indirect selection mode says;
// held are the tests a cautious or buildable criterion holds back until
// their other parents join, through unions, intersections and excludes.
// With tests hidden, held is nil and direct is the plain selection.
type picked struct{ direct, held []bool }

// criterionPicked adds to a criterion's nodes (its matches with its graph
// operators) their tests, as dbt's expand_selection does: a test or unit
// test one of the nodes feeds joins when mode is eager, or when all its
// parents are among the nodes; buildable also takes those whose parents
// are among the nodes, upstream of them or sources; the others are held.
// empty adds none.
func (ev *evaluator) criterionPicked(nodes []bool, mode string) picked {
	if !ev.opts.IncludeTests {
		return picked{direct: nodes}
	}
	g := ev.g
	direct, held := slices.Clone(nodes), make([]bool, len(nodes))
	if mode == "empty" {
		return picked{direct, held}
	}
	var built []bool // buildable: what a build of the nodes has in place
	if mode == "buildable" {
		built = g.upstreamOf(nodes)
		for i := range built {
			built[i] = built[i] || nodes[i] || g.nodes[i].ResourceType == backend.TypeSource
		}
	}
	for i, on := range nodes {
		if !on {
			continue
		}
		for _, c := range g.children[i] {
			if direct[c] || !isTest(&g.nodes[c]) {
				continue
			}
			switch {
			case mode == "eager" || allOf(g.parents[c], nodes):
				direct[c] = true
			case mode == "buildable" && allOf(g.parents[c], built):
				direct[c] = true
			default:
				held[c] = true
			}
		}
	}
	for i := range held {
		held[i] = held[i] && !direct[i]
	}
	return picked{direct, held}
}

// setOp is how a group of specs combines: union, intersection, or the
// first less the others.
type setOp int

const (
	opUnion setOp = iota
	opIntersection
	opDifference
)

// combine joins parts as dbt's select_nodes_recursively joins a group of
// the command line's: the direct sets by op, the direct and held ones
// together by op; then the group takes in the held tests the global mode
// lets join: cautious, those whose parents are all selected now;
// buildable, those whose parents are selected or upstream of what is.
// Unit tests are never taken in here, as in dbt.
func (ev *evaluator) combine(op setOp, parts []picked) picked {
	if ev.wholeSelector {
		return ev.combineAs(op, parts, "eager") // no command-line group: see combineAs
	}
	return ev.combineAs(op, parts, ev.opts.IndirectSelection)
}

// combineAs is combine with the group's own mode. A YAML selector's union,
// intersection and exclude are eager whatever the global mode (dbt builds
// their SelectionUnion, SelectionIntersection and SelectionDifference
// without one, and eager takes in nothing), so a test whose parents two
// of its members select is only taken in by a group of the command line's
// around it.
func (ev *evaluator) combineAs(op setOp, parts []picked, mode string) picked {
	n := len(ev.g.nodes)
	if len(parts) == 0 {
		return picked{direct: make([]bool, n), held: ev.emptyHeld()}
	}
	direct := slices.Clone(parts[0].direct)
	for _, p := range parts[1:] {
		apply(op, direct, p.direct)
	}
	if !ev.opts.IncludeTests {
		return picked{direct: direct}
	}
	either := func(p picked) []bool {
		out := slices.Clone(p.direct)
		for i, h := range p.held {
			out[i] = out[i] || h
		}
		return out
	}
	held := either(parts[0])
	for _, p := range parts[1:] {
		apply(op, held, either(p))
	}
	var built []bool
	switch mode {
	case "", "cautious":
		built = direct
	case "buildable":
		built = ev.g.upstreamOf(direct)
		for i := range built {
			built[i] = built[i] || direct[i]
		}
	}
	if built != nil {
		var join []int
		for i, h := range held {
			if h && !direct[i] && ev.g.nodes[i].ResourceType == backend.TypeTest && allOf(ev.g.parents[i], built) {
				join = append(join, i)
			}
		}
		for _, i := range join {
			direct[i] = true
		}
	}
	return picked{direct, held}
}

func (ev *evaluator) emptyHeld() []bool {
	if !ev.opts.IncludeTests {
		return nil
	}
	return make([]bool, len(ev.g.nodes))
}

func apply(op setOp, acc, set []bool) {
	for i := range acc {
		switch op {
		case opUnion:
			acc[i] = acc[i] || set[i]
		case opIntersection:
			acc[i] = acc[i] && set[i]
		case opDifference:
			acc[i] = acc[i] && !set[i]
		}
	}
}

func allOf(ids []int32, set []bool) bool {
	return !slices.ContainsFunc(ids, func(p int32) bool { return !set[p] })
}

// upstreamOf marks every node upstream of a selected one.
func (g *Graph) upstreamOf(selected []bool) []bool {
	up := make([]bool, len(g.nodes))
	var stack []int32
	for i, on := range selected {
		if on {
			stack = append(stack, int32(i))
		}
	}
	for len(stack) > 0 {
		i := stack[len(stack)-1]
		stack = stack[:len(stack)-1]
		for _, p := range g.parents[i] {
			if !up[p] {
				up[p] = true
				stack = append(stack, p)
			}
		}
	}
	return up
}
