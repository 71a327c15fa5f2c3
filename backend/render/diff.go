package render

import (
	"cmp"
	"fmt"
	"slices"
	"strings"

	"github.com/lineagedesk/lineagedesk/backend"
)

// How an edge of a diff differs from the snapshot compared with (MarkDiff).
const (
	EdgeAdded   = "added"
	EdgeRemoved = "removed"
)

// A diff's colours: added in green, removed dashed in red on a ghost fill.
const (
	addedColor       = "#2E7D32"
	addedPenwidth    = 2.2
	removedColor     = "#C62828"
	removedNodeColor = "#E57373"
	removedFill      = "#FAFAFA"
)

// MarkDiff turns a picture of resources into a diff against the snapshot
// compared with. removed are resources that snapshot had and this one
// lacks: each is drawn ghosted, dashed and marked "removed". baseEdges are
// that snapshot's edges, by unique_id: those between two drawn nodes that
// the picture lacks are drawn dashed in red (a dependency dropped), and
// the picture's edges it lacks are marked added and drawn in green.
// testsBefore are the test summaries, by unique_id, of the resources that
// snapshot's run tested too (nil when one of the runs ran no tests). Boxes
// are not diffed: a grouped picture is refused before (the app's check).
func (d *Diagram) MarkDiff(removed []*backend.GraphNode, baseEdges []backend.Edge, testsBefore map[string]backend.TestSummary) {
	ids := make(map[string]string, len(d.Nodes)+len(removed))
	for i := range d.Nodes {
		if r := d.Nodes[i].Resource; r != nil {
			ids[r.UniqueID] = d.Nodes[i].ID
			if before, ok := testsBefore[r.UniqueID]; ok {
				d.Nodes[i].TestsBefore = &before
			}
		}
	}
	for _, r := range removed {
		if _, drawn := ids[r.UniqueID]; drawn {
			continue
		}
		id := stableID("node", r.UniqueID)
		ids[r.UniqueID] = id
		d.Nodes = append(d.Nodes, Node{ID: id, Resource: r, Change: backend.StateChange{Removed: true}})
	}
	had := make(map[[2]string]bool, len(baseEdges))
	for _, e := range baseEdges {
		from, okFrom := ids[e.Parent]
		to, okTo := ids[e.Child]
		if okFrom && okTo {
			had[[2]string{from, to}] = true
		}
	}
	has := make(map[[2]string]bool, len(d.Edges))
	for i := range d.Edges {
		key := [2]string{d.Edges[i].From, d.Edges[i].To}
		has[key] = true
		if !had[key] {
			d.Edges[i].Change = EdgeAdded
		}
	}
	for key := range had {
		if !has[key] {
			d.Edges = append(d.Edges, Edge{From: key[0], To: key[1], Count: 1, Change: EdgeRemoved})
		}
	}
	slices.SortFunc(d.Nodes, func(a, b Node) int { return strings.Compare(a.ID, b.ID) })
	slices.SortFunc(d.Edges, func(a, b Edge) int { return cmp.Or(strings.Compare(a.From, b.From), strings.Compare(a.To, b.To)) })
	d.Diff = true
}

// failingTests counts a summary's tests that failed or erred.
func failingTests(s backend.TestSummary) int { return s.Fail + s.Error }

// testsFlipText says how a node's failing tests changed since the run
// compared with, "failing tests: 0 → 2" (worse: more fail now); "" when
// as many fail, or the runs were not compared.
func testsFlipText(n *Node) (text string, worse bool) {
	if n.TestsBefore == nil || n.Resource == nil {
		return "", false
	}
	before, now := failingTests(*n.TestsBefore), failingTests(n.Resource.Tests)
	if before == now {
		return "", false
	}
	return fmt.Sprintf("failing tests: %d → %d", before, now), now > before
}

// diffLegendHTML is the legend's part for a diff: what the green and the
// dashed red stand for, each named only when the picture has one.
func diffLegendHTML(d *Diagram) string {
	if !d.Diff {
		return ""
	}
	var added, removedEdge, removedNode bool
	for _, e := range d.Edges {
		added = added || e.Change == EdgeAdded
		removedEdge = removedEdge || e.Change == EdgeRemoved
	}
	for i := range d.Nodes {
		removedNode = removedNode || d.Nodes[i].Change.Removed
	}
	var cells strings.Builder
	cells.WriteString(`<TD WIDTH="8"></TD><TD ALIGN="LEFT"><B>diff:</B></TD>`)
	arrow := func(color, text string) {
		cells.WriteString(`<TD ALIGN="LEFT"><FONT COLOR="` + color + `" POINT-SIZE="13"><B>→</B></FONT></TD><TD ALIGN="LEFT">` + text + `</TD><TD WIDTH="4"></TD>`)
	}
	if added {
		arrow(addedColor, "dependency added")
	}
	if removedEdge {
		arrow(removedColor, "dependency removed (dashed)")
	}
	if removedNode {
		// A plain border: Graphviz garbles a cell's STYLE="dashed" in xdot,
		// which the PNG and PDF are drawn from.
		cells.WriteString(`<TD BGCOLOR="` + removedFill + `" BORDER="1" COLOR="` + removedNodeColor + `" WIDTH="16"></TD><TD ALIGN="LEFT">removed (dashed)</TD><TD WIDTH="4"></TD>`)
	}
	if !added && !removedEdge && !removedNode {
		cells.WriteString(`<TD ALIGN="LEFT">no dependency added or removed</TD>`)
	}
	return cells.String()
}
