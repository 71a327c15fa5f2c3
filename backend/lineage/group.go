package lineage

import (
	"fmt"
	"path"
	"sort"
	"strings"

	"github.com/lineagedesk/lineagedesk/backend"
)

// Group kinds accepted by Group. A selector after "select:" collapses the
// selected nodes it matches into one box.
const (
	GroupByPackage   = "package"
	GroupByFolder    = "folder"
	GroupBySchema    = "schema"
	GroupBySelection = "select:"
	// GroupByDbtGroup collapses the nodes of each of dbt's groups (the
	// `group:` a model, seed, snapshot or metric belongs to: the team that
	// owns it) into a box; a test goes with what it tests.
	GroupByDbtGroup = "group"
	// GroupByProject collapses the nodes of each dbt project into a box:
	// a project's installed packages go with it, and another project's
	// public model it refs with that project (SelectOptions.ProjectOf
	// says, across projects, which run holds each node).
	GroupByProject = "project"
)

// Box is a set of selected nodes drawn as one node.
type Box struct {
	ID      string   `json:"id"` // "group:<kind>:<key>", unique among boxes
	Kind    string   `json:"kind"`
	Label   string   `json:"label"`
	Members []string `json:"members"` // unique_ids, sorted
	// Counts is the number of members per resource_type.
	Counts map[string]int `json:"counts"`
	// Tests adds up the members' test summaries and the outcomes of the
	// tests among them that no member counts (worst result still wins). A
	// test attached to no single node counts on each node it reads, so one
	// that reads two members counts twice.
	Tests backend.TestSummary `json:"test_summary"`
	// InternalEdges counts the edges between two members, which the box hides.
	InternalEdges int `json:"internal_edges"`
}

// GroupEdge joins two boxes or nodes (by box ID or unique_id). Count is the
// number of lineage edges it stands for.
type GroupEdge struct {
	From  string `json:"from"`
	To    string `json:"to"`
	Count int    `json:"count"`
}

// Grouping is a selection with some nodes collapsed into boxes.
type Grouping struct {
	Expr  string      `json:"expr"`
	By    string      `json:"by"`
	Boxes []Box       `json:"boxes"` // sorted by ID
	Nodes []string    `json:"nodes"` // selected nodes left as themselves, sorted
	Edges []GroupEdge `json:"edges"` // sorted by From then To
	Focus []string    `json:"focus"` // focus nodes left as themselves
	// BoxedFocus counts the focus nodes inside the boxes: a box of
	// nothing else sets the focus left loose apart no more than it.
	BoxedFocus int `json:"-"`
	// Open are the boxes asked to be left open that hold selected nodes:
	// their members are among Nodes, drawn as themselves. Sorted by ID.
	Open []Box `json:"open,omitempty"`
	// Warnings: a select: grouping that collapses nothing says so.
	Warnings []string `json:"warnings,omitempty"`
}

// Group collapses sel's nodes by package, folder (the directory of the
// file path), schema, layer (layer.go), dbt group, dbt project or, with
// "select:<selector>", into one box holding the nodes of sel the selector
// matches. Nodes without a value for the key
// (an exposure has no schema) stay as themselves. opts are the
// selection's (a select: grouping may use config.<key>: or selector:).
// The boxes whose IDs open lists are left open: their members are drawn as
// themselves, the other boxes stay shut (a schema box opened in place, as
// no selector names a schema).
func (g *Graph) Group(sel *Selection, by string, opts SelectOptions, open ...string) (*Grouping, error) {
	key, err := g.groupKey(by, opts)
	if err != nil {
		return nil, err
	}
	out := &Grouping{Expr: sel.Expr, By: by}
	boxOf := map[string]string{} // unique_id -> box ID
	boxes := map[string]*Box{}
	opened := map[string]*Box{}
	for _, id := range open {
		opened[id] = nil
	}
	for _, id := range sel.Nodes {
		n, ok := g.Node(id)
		if !ok {
			return nil, g.unknownNode(id)
		}
		k := key(n)
		if k == "" {
			out.Nodes = append(out.Nodes, id)
			continue
		}
		boxID := BoxID(by, k)
		all := boxes
		if _, isOpen := opened[boxID]; isOpen {
			all = opened
			out.Nodes = append(out.Nodes, id)
		} else {
			boxOf[id] = boxID
		}
		b := all[boxID]
		if b == nil {
			b = &Box{ID: boxID, Kind: boxKind(by), Label: k, Counts: map[string]int{}}
			all[boxID] = b
		}
		b.Members = append(b.Members, id)
		b.Counts[n.ResourceType]++
		addSummary(&b.Tests, n.Tests)
	}
	for _, b := range opened {
		if b != nil {
			out.Open = append(out.Open, *b)
		}
	}
	sort.Slice(out.Open, func(i, j int) bool { return out.Open[i].ID < out.Open[j].ID })
	g.countBoxedTests(boxes, boxOf)
	counts := map[[2]string]int{}
	for _, e := range sel.Edges {
		from, to := e.Parent, e.Child
		if b, ok := boxOf[from]; ok {
			from = b
		}
		if b, ok := boxOf[to]; ok {
			to = b
		}
		if from == to {
			boxes[from].InternalEdges++
			continue
		}
		counts[[2]string{from, to}]++
	}
	for _, b := range boxes {
		out.Boxes = append(out.Boxes, *b)
	}
	sort.Slice(out.Boxes, func(i, j int) bool { return out.Boxes[i].ID < out.Boxes[j].ID })
	for k, c := range counts {
		out.Edges = append(out.Edges, GroupEdge{From: k[0], To: k[1], Count: c})
	}
	sort.Slice(out.Edges, func(i, j int) bool {
		if out.Edges[i].From != out.Edges[j].From {
			return out.Edges[i].From < out.Edges[j].From
		}
		return out.Edges[i].To < out.Edges[j].To
	})
	for _, f := range sel.Focus {
		if _, boxed := boxOf[f]; boxed {
			out.BoxedFocus++
		} else {
			out.Focus = append(out.Focus, f)
		}
	}
	if expr, ok := strings.CutPrefix(by, GroupBySelection); ok && len(out.Boxes) == 0 && len(out.Open) == 0 {
		out.Warnings = append(out.Warnings, fmt.Sprintf("grouping %q collapses nothing: it matches none of the %d selected nodes", expr, len(sel.Nodes)))
	}
	if by == GroupByDbtGroup && len(out.Boxes) == 0 && len(out.Open) == 0 {
		out.Warnings = append(out.Warnings, fmt.Sprintf("grouping by dbt group collapses nothing: none of the %d selected nodes is in a group (groups.yml, a model's config group:)", len(sel.Nodes)))
	}
	return out, nil
}

// BoxID is the ID of the box labelled label when grouping by by
// ("group:<kind>:<label>"); an ID given whole is returned as it is.
func BoxID(by, label string) string {
	if strings.HasPrefix(label, "group:") {
		return label
	}
	return "group:" + boxKind(by) + ":" + label
}

// CheckGroupBy says whether Group takes by: one of the groupings, or
// select: and a selector; the error names them.
func CheckGroupBy(by string) error {
	switch by {
	case GroupByPackage, GroupByFolder, GroupBySchema, GroupByLayer, GroupByDbtGroup, GroupByProject:
		return nil
	}
	if expr, ok := strings.CutPrefix(by, GroupBySelection); ok {
		if strings.TrimSpace(expr) == "" {
			return invalid("cannot group by %q: write the selector of what becomes one box after select: (select:+orders)", by)
		}
		return nil
	}
	return invalid("cannot group by %q: use package, folder, schema, layer, group (dbt's groups), project or select:<selector>", by)
}

// boxKind is Box.Kind for a grouping: by itself, or "selection" for select:.
func boxKind(by string) string {
	if strings.HasPrefix(by, GroupBySelection) {
		return "selection"
	}
	return by
}

func (g *Graph) groupKey(by string, opts SelectOptions) (func(n *backend.GraphNode) string, error) {
	if err := CheckGroupBy(by); err != nil {
		return nil, err
	}
	switch by {
	case GroupByPackage:
		return func(n *backend.GraphNode) string { return n.Package }, nil
	case GroupByFolder:
		// A path is relative to its package: two packages' models/ are
		// two folders.
		return func(n *backend.GraphNode) string {
			if n.Path == "" {
				return ""
			}
			return n.Package + "/" + path.Dir(n.Path)
		}, nil
	case GroupByLayer:
		return g.layerOf, nil
	case GroupByProject:
		root := opts.RootProject
		if root == "" {
			root = "this project" // a manifest before dbt 1.5 names none
		}
		return func(n *backend.GraphNode) string {
			if opts.ProjectOf != nil {
				if p := opts.ProjectOf(n.UniqueID); p != "" {
					return p
				}
			}
			if n.CrossProject() {
				return n.Package // the project defining the model it refs
			}
			return root
		}, nil
	case GroupByDbtGroup:
		return func(n *backend.GraphNode) string {
			if isTest(n) {
				if tested := g.testedModel(n); tested != nil {
					return tested.Group
				}
				return ""
			}
			return n.Group
		}, nil
	case GroupBySchema:
		schemaOf := func(n *backend.GraphNode) string {
			if n.Schema == "" {
				return ""
			}
			if n.Database != "" {
				return n.Database + "." + n.Schema
			}
			return n.Schema
		}
		return func(n *backend.GraphNode) string {
			// A unit test builds nothing in the warehouse (dbt gives it a
			// schema but no database): it goes with the model it tests.
			if n.ResourceType == backend.TypeUnitTest {
				if model := g.testedModel(n); model != nil {
					return schemaOf(model)
				}
			}
			return schemaOf(n)
		}, nil
	}
	if expr, ok := strings.CutPrefix(by, GroupBySelection); ok {
		opts.IncludeTests = true // a test in the box stays in it when tests are shown
		inner, err := g.Select(expr, opts)
		if err != nil {
			return nil, fmt.Errorf("group by selection: %w", err)
		}
		in := make(map[string]bool, len(inner.Nodes))
		for _, id := range inner.Nodes {
			in[id] = true
		}
		return func(n *backend.GraphNode) string {
			if in[n.UniqueID] {
				return expr
			}
			return ""
		}, nil
	}
	return nil, fmt.Errorf("grouping %q passes CheckGroupBy but has no key here", by) // a grouping added to one and not the other
}

// countBoxedTests adds to each box the outcomes of the tests in it that no
// member of the box counts already: a box of a schema's tests, or of a
// folder's singular tests, holds them without the nodes they test. A test
// counts on the node it is attached to or, attached to none, on each node
// it reads (as backend.GraphNode.Tests does), and only in a snapshot with
// real test outcomes.
func (g *Graph) countBoxedTests(boxes map[string]*Box, boxOf map[string]string) {
	outcomes := -1 // unknown until a box holds such a test
	for id, box := range boxOf {
		n, _ := g.Node(id)
		if !isTest(n) || g.testedInBox(n, box, boxOf) {
			continue
		}
		if outcomes < 0 {
			outcomes = 0
			for i := range g.nodes {
				if g.nodes[i].Tests.Total > 0 || g.nodes[i].TestStatus != "" {
					outcomes = 1
					break
				}
			}
		}
		if outcomes == 1 {
			boxes[box].Tests.Count(n.TestStatus)
		}
	}
}

// testedInBox tells whether a member of box counts test n already: the
// node it is attached to or, attached to none, a node it reads.
func (g *Graph) testedInBox(n *backend.GraphNode, box string, boxOf map[string]string) bool {
	if n.AttachedNode != "" {
		return boxOf[n.AttachedNode] == box
	}
	for _, p := range g.parents[g.index[n.UniqueID]] {
		if boxOf[g.nodes[p].UniqueID] == box {
			return true
		}
	}
	return false
}

func addSummary(dst *backend.TestSummary, s backend.TestSummary) {
	dst.Total += s.Total
	dst.Pass += s.Pass
	dst.Warn += s.Warn
	dst.Fail += s.Fail
	dst.Error += s.Error
	dst.Skipped += s.Skipped
}

// testedModel is the model a unit test tests: its attached node, or else
// its one model parent; nil when neither is known.
func (g *Graph) testedModel(n *backend.GraphNode) *backend.GraphNode {
	if model, ok := g.Node(n.AttachedNode); ok {
		return model
	}
	var model *backend.GraphNode
	for _, p := range g.parents[g.index[n.UniqueID]] {
		if g.nodes[p].ResourceType == backend.TypeModel {
			if model != nil {
				return nil
			}
			model = &g.nodes[p]
		}
	}
	return model
}
