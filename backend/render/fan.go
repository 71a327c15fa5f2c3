package render

import (
	"bytes"
	"cmp"
	"fmt"
	"math"
	"slices"
	"strings"
)

// A hub's children that read from it alone and feed nothing drawn (a
// staging model's hundred marts, a +1 of a central model) fall in one rank,
// and dot draws a rank as one column: the 10k-model project's hub and its
// 577 nearest nodes made a picture 1:30. Spreading them over ranks by their
// edges would route each longer edge through the columns before it, as
// tall as before. So a fan of more such children than a column of the
// picture holds (about 16:10, at least fanMinRows) is drawn as a grid in a
// box of its own, with one edge from the hub to the box that counts the
// edges it stands for; invisible edges hold the grid's rows. The parents
// of a node that feed it alone and read from nothing drawn (a union of a
// hundred sources) are drawn the same way on its left. The JSON export
// keeps every edge; the picture says that each node in the box is the hub's.
const fanMinRows = 16

// fan is the children (down) or parents of hub that form a grid of rows
// rows, in the order of their names (gridorder.go puts them so on the
// picture: top to bottom, column by column).
type fan struct {
	hub     *Node
	members []*Node
	down    bool
	rows    int
	edges   int // the lineage edges between hub and members (a box's edge counts more than one)
}

// elementID is the stable id of the fan's box in the SVG.
func (f *fan) elementID() string {
	side := "parents"
	if f.down {
		side = "children"
	}
	return stableID("fan-"+side, f.hub.ID)
}

// clusterName is the fan's subgraph name.
func (f *fan) clusterName() string { return "cluster_" + f.elementID() }

// label says what the box holds: "163 children of orders".
func (f *fan) label() string {
	side := "parents"
	if f.down {
		side = "children"
	}
	return fmt.Sprintf("%d %s of %s", len(f.members), side, nameOf(f.hub))
}

// gridFans returns the fans of d to draw as grids, and the edges between
// their hubs and members, which the grids draw instead; none when d's parts
// are wrapped in columns (wrap.go). A member joined to its hub by a
// critical path edge stays out (the edge is drawn in orange), as does one
// whose edge a diff marks added or removed (drawn green or dashed red).
func gridFans(d *Diagram, wrapped bool) ([]*fan, map[[2]string]bool) {
	if wrapped {
		return nil, nil
	}
	parents, children := map[string][]*Edge{}, map[string][]*Edge{}
	for i := range d.Edges {
		e := &d.Edges[i]
		parents[e.To] = append(parents[e.To], e)
		children[e.From] = append(children[e.From], e)
	}
	leavesOf, rootsOf := map[string][]*Node{}, map[string][]*Node{}
	counts := map[*Node]int{} // the count of each member's edge to its hub
	for i := range d.Nodes {
		n := &d.Nodes[i]
		up, down := parents[n.ID], children[n.ID]
		switch {
		case len(up) == 1 && len(down) == 0 && !up[0].Critical && up[0].Change == "" && up[0].From != n.ID:
			leavesOf[up[0].From] = append(leavesOf[up[0].From], n)
			counts[n] = up[0].Count
		case len(down) == 1 && len(up) == 0 && !down[0].Critical && down[0].Change == "" && down[0].To != n.ID:
			rootsOf[down[0].To] = append(rootsOf[down[0].To], n)
			counts[n] = down[0].Count
		}
	}
	rows := max(fanMinRows, rowsFor(d.Nodes))
	var out []*fan
	drawn := map[[2]string]bool{}
	for i := range d.Nodes {
		hub := &d.Nodes[i]
		for _, f := range []*fan{{hub: hub, members: leavesOf[hub.ID], down: true}, {hub: hub, members: rootsOf[hub.ID]}} {
			if len(f.members) <= rows {
				continue
			}
			slices.SortFunc(f.members, func(a, b *Node) int {
				return cmp.Or(namesInOrder(nameOf(a), nameOf(b)), strings.Compare(a.ID, b.ID))
			})
			for _, m := range f.members {
				f.edges += max(1, counts[m])
				if f.down {
					drawn[[2]string{hub.ID, m.ID}] = true
				} else {
					drawn[[2]string{m.ID, hub.ID}] = true
				}
			}
			out = append(out, f)
		}
	}
	sizeGrids(d, out, rows)
	return out, drawn
}

// gridMinRows is the fewest rows sizeGrids gives a grid.
const gridMinRows = 4

// sizeGrids sets each grid's rows. Alone, a grid is as tall as a column
// of the picture holds (about 16:10). Grids whose hubs share a column
// stack up in the column after it (or, for parents, before it): four
// grids of 33-36 children in columns of 22 made a picture 1:6. k stacked
// grids of M members in all make a block about 16:10 with rows of
// rowsFor(M)/k each (k·r rows of 63 pt against M/(k·r) columns).
func sizeGrids(d *Diagram, grids []*fan, rows int) {
	type stack struct {
		grids   int
		members []Node
	}
	stacks := map[[2]int]*stack{}
	stackOf := make([]*stack, len(grids))
	if len(grids) > 1 {
		column, _ := estimatedColumns(d)
		index := make(map[string]int, len(d.Nodes))
		for i := range d.Nodes {
			index[d.Nodes[i].ID] = i
		}
		for i, f := range grids {
			key := [2]int{column[index[f.hub.ID]], 0}
			if f.down {
				key[1] = 1
			}
			if stacks[key] == nil {
				stacks[key] = &stack{}
			}
			st := stacks[key]
			st.grids++
			for _, m := range f.members {
				st.members = append(st.members, *m)
			}
			stackOf[i] = st
		}
	}
	for i, f := range grids {
		target := rows
		if st := stackOf[i]; st != nil && st.grids > 1 {
			target = min(rows, max(gridMinRows, int(math.Round(float64(rowsFor(st.members))/float64(st.grids)))))
		}
		// Columns of even height: 40 in columns of 16 are 3 of 14.
		f.rows = int(math.Ceil(float64(len(f.members)) / math.Ceil(float64(len(f.members))/float64(target))))
	}
}

// anchor is the member the edge between the hub and the box is drawn to
// (it ends on the box's border): the middle of the column next to the
// hub, which dot keeps in line with the hub (dot.go gives both one group).
// Parents fill their columns from the far left, so the column next to the
// hub may be short.
func (f *fan) anchor() *Node {
	n := len(f.members)
	if f.down {
		return f.members[min(f.rows, n)/2]
	}
	last := (n - 1) / f.rows * f.rows // the first member of the last column
	return f.members[last+(n-last)/2]
}

// edgeTitle is the SVG title Graphviz gives the edge to the box, and what
// it says instead.
func (f *fan) edgeTitle() (graphviz, ours string) {
	if f.down {
		return f.hub.ID + "-&gt;" + f.anchor().ID, nameOf(f.hub) + " → " + f.label()
	}
	return f.anchor().ID + "-&gt;" + f.hub.ID, f.label() + " → " + nameOf(f.hub)
}

// writeGridEdges writes the edge between the hub and the fan's box (into it
// from the left for children, out of it to the right for parents) and the
// invisible edges that rank the grid: the column next to the hub joined to
// it, each other member to the one a column nearer the hub in its row (for
// parents, the members of the column before a short last column that have
// no one there, to the hub).
func (f *fan) writeGridEdges(b *bytes.Buffer, counts string) {
	n, mid := len(f.members), f.anchor()
	attrs := fmt.Sprintf("id=%s, %s=%s, penwidth=%s", quote(stableID("edge", f.elementID())), counts, quote(fmt.Sprint(f.edges)), formatFloat(countPenwidth(f.edges)))
	if f.down {
		fmt.Fprintf(b, "      %s -> %s [%s, lhead=%s];\n", quote(f.hub.ID), quote(mid.ID), attrs, quote(f.clusterName()))
		for i, m := range f.members {
			switch {
			case m == mid:
			case i < f.rows: // weight 0: the hub is placed by its edges drawn
				fmt.Fprintf(b, "      %s -> %s [style=invis, weight=0];\n", quote(f.hub.ID), quote(m.ID))
			default:
				fmt.Fprintf(b, "      %s -> %s [style=invis];\n", quote(f.members[i-f.rows].ID), quote(m.ID))
			}
		}
		return
	}
	fmt.Fprintf(b, "      %s -> %s [%s, ltail=%s];\n", quote(mid.ID), quote(f.hub.ID), attrs, quote(f.clusterName()))
	for i, m := range f.members {
		switch {
		case m == mid:
		case i+f.rows < n:
			fmt.Fprintf(b, "      %s -> %s [style=invis];\n", quote(m.ID), quote(f.members[i+f.rows].ID))
		default:
			fmt.Fprintf(b, "      %s -> %s [style=invis, weight=0];\n", quote(m.ID), quote(f.hub.ID))
		}
	}
}

// outsideGrids is nodes without the grids' members.
func outsideGrids(grids []*fan, nodes []*Node) []*Node {
	inGrid := map[*Node]bool{}
	for _, f := range grids {
		for _, m := range f.members {
			inGrid[m] = true
		}
	}
	return slices.DeleteFunc(nodes, func(n *Node) bool { return inGrid[n] })
}

// alignedWithHubs gives each grid's hub and the member its edge is drawn
// to one group (by node), which dot keeps in line: the edge runs straight
// into the box.
func alignedWithHubs(grids []*fan) map[*Node]string {
	aligned := map[*Node]string{}
	for _, f := range grids {
		aligned[f.hub], aligned[f.anchor()] = f.hub.ID, f.hub.ID
	}
	return aligned
}
