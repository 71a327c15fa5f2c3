// Package render draws a lineage selection (or a grouped selection) as DOT,
// SVG and PNG (through the WASM build of Graphviz in goccy/go-graphviz),
// Mermaid and JSON. Every format is deterministic: the same input gives the
// same bytes.
package render

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"slices"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/lineagedesk/lineagedesk/backend"
	"github.com/lineagedesk/lineagedesk/backend/lineage"
)

// Meta is the provenance printed in a picture's title and footer.
type Meta struct {
	Project     string
	Snapshot    string
	DbtCloudRun string // e.g. "run 123456 (job 42)"; empty for local imports
	// ComparedWith is the snapshot state: or source_status: compared
	// with, described as Snapshot is; empty when the selector did not compare.
	ComparedWith string
	// AcrossProjects names the other projects' runs a picture across
	// projects (dbt Mesh) drew from ("platform #3, finance #7").
	// No render time: the same picture of the same snapshot exports the
	// same bytes whenever it is drawn (QA: a picture regenerated for a
	// docs repository changed each minute); the snapshot's own time dates it.
	AcrossProjects string
}

// Diagram is what every format draws: nodes (single resources or boxes of
// grouped ones) and the edges among them.
type Diagram struct {
	Title string // the selector
	Nodes []Node // sorted by ID
	Edges []Edge // sorted by From then To
	// Lens is what the nodes' borders show: LensTests (also the zero
	// value), LensRuns or LensNone.
	Lens Lens
	// Runtime is set by MarkRuntime: the picture then shows run times and
	// the critical path.
	Runtime *Runtime
	// Diff is set by MarkDiff: the picture then shows what was removed
	// since the snapshot compared with, and the dependencies added.
	Diff bool
}

// Node is one drawn node.
type Node struct {
	ID       string             // stable element id: "node-<sanitised unique_id>-<hash>"
	Resource *backend.GraphNode // nil for a box
	Box      *lineage.Box       // nil for a single resource
	Focus    bool
	// Fill is the resource's docs.node_color as "#RRGGBB" (MarkColors);
	// "" for its resource type's fill.
	Fill string
	// Change is how the resource differs from the snapshot state:
	// compared with (MarkChanges); a changed node says so under its name.
	Change backend.StateChange
	// Trend is the resource's test trend over the project's recent runs
	// (MarkTrends): newly failing, flaky, fixed or ""; a box's members'
	// worst. LensTrend draws it.
	Trend string
	// TestsBefore is, in a diff of two runs that both ran tests
	// (MarkDiff), the resource's tests in the one compared with: a node
	// whose failing tests went up or down says so under its name.
	TestsBefore *backend.TestSummary
	// Ran, RunSeconds and Critical are set by MarkRuntime: whether the run
	// included the node (any member of a box), how long it took (a box's
	// members summed) and whether the critical path goes through it.
	Ran        bool
	RunSeconds float64
	Critical   bool
	// MembersRun is a box's worst last-run status among its members
	// (error, warn, skipped, pass; "" when none ran), for LensRuns.
	MembersRun string
	// MembersDocs is a box's documentation coverage for LensDocs: pass
	// (all its members have a description), warn (some), fail (none).
	MembersDocs string
	// Health is the resource's data health (MarkHealth), a box's members'
	// worst; nil when not judged. LensHealth draws it.
	Health *backend.Health
	// Freshness is a source's latest freshness status (MarkFreshness),
	// what LensRuns shows for it: a source is not run, its freshness is
	// checked.
	Freshness string
	// Project is, in a picture across projects (MarkProjects), the
	// project of a resource read from another project's run; its label
	// says so.
	Project string
}

// MarkProjects notes the project of each resource a picture across
// projects read from another project's run, by unique_id.
func (d *Diagram) MarkProjects(projects map[string]string) {
	for i := range d.Nodes {
		if n := &d.Nodes[i]; n.Box == nil {
			n.Project = projects[n.Resource.UniqueID]
		}
	}
}

// MarkFreshness notes each source's latest freshness status (pass, warn,
// error, runtime error), by unique_id, for LensRuns; a box takes its
// sources' into its members' worst.
func (d *Diagram) MarkFreshness(status map[string]string) {
	for i := range d.Nodes {
		n := &d.Nodes[i]
		if n.Box != nil {
			for _, m := range n.Box.Members {
				if s, ok := status[m]; ok {
					n.MembersRun = worseRun(n.MembersRun, runStatus(s))
				}
			}
		} else if s, ok := status[n.Resource.UniqueID]; ok {
			n.Freshness = s
		}
	}
}

// Lens is what a node's border colour shows.
type Lens string

const (
	// LensTests: the worst outcome of the node's tests (a test's own).
	LensTests Lens = "tests"
	// LensRuns: the node's own status in the snapshot's run (a box's
	// members' worst), as dbt Explorer's latest run status lens.
	LensRuns Lens = "runs"
	// LensNone: every border grey, and no status in the legend.
	LensNone Lens = "none"
	// LensDocs: whether the node has a description (a box: all, some or
	// none of its members), the documentation coverage at a glance.
	LensDocs Lens = "docs"
)

// ParseLens reads a lens by name ("" is LensTests).
func ParseLens(name string) (Lens, error) {
	switch Lens(name) {
	case "", LensTests:
		return LensTests, nil
	case LensRuns, LensDocs, LensTrend, LensHealth, LensNone:
		return Lens(name), nil
	}
	return "", backend.Errorf(backend.EINVALID, "lens %q: use tests (the borders show the worst test result, the default), runs (each node's status in the snapshot's run), docs (whether each node has a description), trend (its tests over the project's recent runs: newly failing, flaky, fixed), health (each node's data health: degraded, caution, healthy or unknown, from its last build, its tests, the freshness of the sources upstream and its description) or none", name)
}

// MarkChanges notes on each resource how state: found it changed, by
// unique_id.
func (d *Diagram) MarkChanges(changes map[string]backend.StateChange) {
	for i := range d.Nodes {
		if r := d.Nodes[i].Resource; r != nil {
			d.Nodes[i].Change = changes[r.UniqueID]
		}
	}
}

// Edge joins two Node IDs. Count > 1 when it stands for several lineage edges.
type Edge struct {
	From, To string
	Count    int
	Critical bool // joins two steps of the critical path (MarkRuntime)
	// Change is EdgeAdded or EdgeRemoved in a diff (MarkDiff), else "".
	Change string
}

// FromSelection turns a selection into a diagram.
func FromSelection(g *lineage.Graph, sel *lineage.Selection) (*Diagram, error) {
	focus := setOf(sel.Focus)
	d := &Diagram{Title: sel.Expr}
	ids := map[string]string{}
	for _, id := range sel.Nodes {
		n, ok := g.Node(id)
		if !ok {
			return nil, backend.Errorf(backend.ENOTFOUND, "render: node %q is not in this snapshot's lineage: select again", id)
		}
		ids[id] = stableID("node", id)
		d.Nodes = append(d.Nodes, Node{ID: ids[id], Resource: n, Focus: focus[id]})
	}
	for _, e := range sel.Edges {
		d.Edges = append(d.Edges, Edge{From: ids[e.Parent], To: ids[e.Child], Count: 1})
	}
	d.dropFocusWithoutContrast(false)
	d.sort()
	return d, nil
}

// dropFocusWithoutContrast clears the focus colour when every node drawn
// other than tests has it: a selection without graph operators (*,
// tag:finance, one name) would be all yellow, its type colours lost, and
// the colour would set nothing apart. boxedOthers: a box holds nodes not
// in focus, which set the focus left loose apart (QA: it lost its colour
// alone among boxes).
func (d *Diagram) dropFocusWithoutContrast(boxedOthers bool) {
	loose := func(n Node) bool {
		return n.Resource != nil && n.Resource.ResourceType != backend.TypeTest && n.Resource.ResourceType != backend.TypeUnitTest
	}
	if boxedOthers || slices.ContainsFunc(d.Nodes, func(n Node) bool { return loose(n) && !n.Focus }) {
		return
	}
	for i := range d.Nodes {
		d.Nodes[i].Focus = false
	}
}

// FromGrouping turns a grouped selection into a diagram: boxes and the nodes left loose.
func FromGrouping(g *lineage.Graph, grp *lineage.Grouping) (*Diagram, error) {
	focus := setOf(grp.Focus)
	d := &Diagram{Title: grp.Expr + "  (grouped by " + grp.By + openTitle(grp.Open) + ")"}
	ids := map[string]string{}
	for i := range grp.Boxes {
		b := &grp.Boxes[i]
		ids[b.ID] = stableID("group", b.ID)
		run := ""
		for _, m := range b.Members {
			if n, ok := g.Node(m); ok {
				run = worseRun(run, runStatus(n.RunStatus))
			}
		}
		d.Nodes = append(d.Nodes, Node{ID: ids[b.ID], Box: b, MembersRun: run, MembersDocs: membersDocs(g, b.Members)})
	}
	for _, id := range grp.Nodes {
		n, ok := g.Node(id)
		if !ok {
			return nil, backend.Errorf(backend.ENOTFOUND, "render: node %q is not in this snapshot's lineage: select again", id)
		}
		ids[id] = stableID("node", id)
		d.Nodes = append(d.Nodes, Node{ID: ids[id], Resource: n, Focus: focus[id]})
	}
	for _, e := range grp.Edges {
		d.Edges = append(d.Edges, Edge{From: ids[e.From], To: ids[e.To], Count: e.Count})
	}
	boxed := 0
	for _, b := range grp.Boxes {
		boxed += len(b.Members)
	}
	d.dropFocusWithoutContrast(boxed > grp.BoxedFocus)
	d.sort()
	return d, nil
}

// openTitle names the boxes left open, for the picture's title.
func openTitle(open []lineage.Box) string {
	if len(open) == 0 {
		return ""
	}
	labels := make([]string, len(open))
	for i, b := range open {
		labels[i] = b.Label
	}
	return "; open: " + strings.Join(labels, ", ")
}

func (d *Diagram) sort() {
	sortBy(d.Nodes, func(n Node) string { return n.ID })
	sortBy(d.Edges, func(e Edge) string { return e.From + "\x00" + e.To })
}

func setOf(s []string) map[string]bool {
	m := make(map[string]bool, len(s))
	for _, v := range s {
		m[v] = true
	}
	return m
}

// stableID derives an XML/CSS/Mermaid-safe id from a unique_id: readable
// (letters, digits and underscores of the id) and unique (a hash of the
// whole id, since sanitising can merge ids).
func stableID(prefix, id string) string {
	sum := sha256.Sum256([]byte(id))
	var b strings.Builder
	b.WriteString(prefix)
	b.WriteByte('-')
	for _, r := range id {
		if b.Len() > 64 {
			break
		}
		if r < utf8.RuneSelf && (unicode.IsLetter(r) || unicode.IsDigit(r)) {
			b.WriteRune(r)
		} else {
			b.WriteByte('_')
		}
	}
	b.WriteByte('-')
	b.WriteString(hex.EncodeToString(sum[:4]))
	return b.String()
}

// clean makes artifact text safe to embed anywhere: valid UTF-8, no control
// characters (XML 1.0 forbids most), at most max runes (with an ellipsis).
// Bidi overrides, isolates and marks, which would show a name as another
// (orders_\u202Eeulav reads "orders_value"), line separators and tag
// characters become U+FFFD (reordersText).
func clean(s string, max int) string {
	s = strings.ToValidUTF8(s, "\uFFFD")
	var b strings.Builder
	n := 0
	for _, r := range s {
		if r == '\n' || r == '\t' || r == '\r' {
			r = ' '
		}
		if r < 0x20 || r == 0x7f || (r >= 0x80 && r < 0xa0) || r == 0xFFFE || r == 0xFFFF {
			continue
		}
		if reordersText(r) {
			r = '\uFFFD'
		}
		if n == max {
			b.WriteRune('…')
			break
		}
		b.WriteRune(r)
		n++
	}
	return b.String()
}

// status is what a node's border is coloured by: with LensRuns its run
// status (a box's members' worst), with LensNone nothing, else its test
// status.
func (d *Diagram) status(n *Node) string {
	switch d.Lens {
	case LensNone:
		return ""
	case LensRuns:
		return nodeRunStatus(n)
	case LensDocs:
		if n.Box != nil {
			return n.MembersDocs
		}
		return docsStatus(n.Resource)
	case LensTrend:
		return trendStatus(n.Trend)
	case LensHealth:
		return healthStatus(n)
	}
	return testStatus(n)
}

// docsStatus is what LensDocs shows of a resource: pass with a
// description, fail without, nothing for a test (dbt's generic tests have
// none to give).
func docsStatus(r *backend.GraphNode) string {
	switch {
	case r.ResourceType == backend.TypeTest || r.ResourceType == backend.TypeUnitTest:
		return ""
	case strings.TrimSpace(r.Description) != "":
		return "pass"
	}
	return "fail"
}

// membersDocs is what LensDocs shows of a box: pass when every member it
// judges has a description, fail when none has, warn in between.
func membersDocs(g *lineage.Graph, members []string) string {
	described, judged := 0, 0
	for _, m := range members {
		n, ok := g.Node(m)
		if !ok {
			continue
		}
		switch docsStatus(n) {
		case "pass":
			described++
			judged++
		case "fail":
			judged++
		}
	}
	switch {
	case judged == 0:
		return ""
	case described == judged:
		return "pass"
	case described == 0:
		return "fail"
	}
	return "warn"
}

// nodeRunStatus is what LensRuns shows: a box's members' worst run, a
// source's freshness, else the node's own run.
func nodeRunStatus(n *Node) string {
	if n.Box != nil {
		return n.MembersRun
	}
	if n.Freshness != "" {
		return runStatus(n.Freshness)
	}
	return runStatus(n.Resource.RunStatus)
}

// runStatus is a node's run status as the lens colours it: dbt's success
// (and a test's pass) is pass, a microbatch model's partial success warn.
func runStatus(s string) string {
	if strings.EqualFold(s, "partial success") {
		return "warn"
	}
	if st := normaliseStatus(s); st != "fail" {
		return st
	}
	return "error"
}

// worseRun is the worse of two run statuses (error, warn, skipped, pass).
func worseRun(a, b string) string {
	if runRank(b) > runRank(a) {
		return b
	}
	return a
}

func runRank(status string) int {
	switch status {
	case "pass":
		return 1
	case "skipped":
		return 2
	case "warn":
		return 3
	case "error":
		return 4
	}
	return 0
}

// testStatus is the test status a node is coloured by: its own outcome for a
// test, else the worst outcome of its tests.
func testStatus(n *Node) string {
	switch {
	case n.Box != nil:
		return n.Box.Tests.Worst()
	case n.Resource.ResourceType == backend.TypeTest || n.Resource.ResourceType == backend.TypeUnitTest:
		return normaliseStatus(n.Resource.TestStatus)
	}
	return n.Resource.Tests.Worst()
}

func normaliseStatus(s string) string {
	switch strings.ToLower(s) {
	case "error", "runtime error":
		return "error"
	case "fail":
		return "fail"
	case "warn":
		return "warn"
	case "pass", "success":
		return "pass"
	case "skipped":
		return "skipped"
	}
	return ""
}

func summaryText(s backend.TestSummary) string {
	if s.Total == 0 {
		return ""
	}
	parts := []string{fmt.Sprintf("%d %s", s.Total, typeNoun("test", s.Total))}
	for _, p := range []struct {
		n    int
		word string
	}{{s.Error, "error"}, {s.Fail, "fail"}, {s.Warn, "warn"}, {s.Pass, "pass"}, {s.Skipped, "skipped"}} {
		if p.n > 0 {
			parts = append(parts, fmt.Sprintf("%d %s", p.n, p.word))
		}
	}
	if s.Error+s.Fail+s.Warn+s.Pass+s.Skipped == 0 {
		parts = append(parts, "no results")
	}
	return strings.Join(parts, " · ")
}

// reordersText: bidi overrides, isolates and marks, line separators and
// tag characters, which change how a name reads without showing.
func reordersText(r rune) bool {
	return r >= 0x202A && r <= 0x202E || r >= 0x2066 && r <= 0x2069 || r == 0x2028 || r == 0x2029 ||
		r == 0x200E || r == 0x200F || r == 0x061C || r >= 0xE0000 && r <= 0xE007F
}

// cleanMiddle is clean for labels told apart by their end (folder paths:
// project/models/claims/acute_inpatient/staging and .../final): past max
// runes it keeps the start and the end, with an ellipsis between.
func cleanMiddle(s string, max int) string {
	c := []rune(clean(s, len(s)))
	if len(c) <= max || max < 3 {
		return clean(s, max)
	}
	head := (max - 1) / 3
	return string(c[:head]) + "…" + string(c[len(c)-(max-1-head):])
}
