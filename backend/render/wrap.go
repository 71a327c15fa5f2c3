package render

import (
	"math"
	"unicode/utf8"
)

// A picture of many unconnected parts (40 exposures, every seed, the
// marts of four domains) falls in dot's few first ranks: one column, 1:5
// tall at 40 nodes and 1:13 at a thousand, which the view fits as a
// sliver. From wrapMinParts parts on, while no part holds most of the
// nodes, the parts are laid out in columns instead: invisible edges from
// the deepest part of each column to the sources of every part of the
// next push those a column further right.
const wrapMinParts = 9

// wrapEdges returns the invisible edges (from, to) that lay d's parts out
// in columns, or none when d is one lineage (or few parts, or one part
// holding most nodes).
func wrapEdges(d *Diagram) [][2]string {
	parts, parents, index := connectedParts(d)
	if len(parts) < wrapMinParts {
		return nil
	}
	for _, p := range parts {
		if 2*len(p.nodes) > len(d.Nodes) {
			return nil
		}
	}
	measure(parts, parents, index)
	// Columns about 16:10: as many node rows as that takes, filled with
	// whole parts in the diagram's order.
	rows := rowsFor(d.Nodes)
	var columns [][]*part
	height := 0
	for _, p := range parts {
		if len(columns) == 0 || height+p.height > rows && height > 0 {
			columns = append(columns, nil)
			height = 0
		}
		columns[len(columns)-1] = append(columns[len(columns)-1], p)
		height += p.height
	}
	var edges [][2]string
	for c := 1; c < len(columns); c++ {
		deepest := columns[c-1][0]
		for _, p := range columns[c-1] {
			if p.depth > deepest.depth {
				deepest = p
			}
		}
		for _, p := range columns[c] {
			for _, src := range p.sources {
				edges = append(edges, [2]string{deepest.sink, src})
			}
		}
	}
	return edges
}

// part is a set of nodes joined by edges, with its sources (no parent
// within), a node of its last rank (sink), how many ranks it spans
// (depth) and its widest rank (height, in nodes).
type part struct {
	nodes         []*Node
	sources       []string
	sink          string
	depth, height int
}

// connectedParts splits d into its weakly connected parts, in the order of
// their first node, with each node's parents and each node's position, by
// position in d.Nodes.
func connectedParts(d *Diagram) ([]*part, [][]int, map[string]int) {
	index := make(map[string]int, len(d.Nodes))
	for i := range d.Nodes {
		index[d.Nodes[i].ID] = i
	}
	root := make([]int, len(d.Nodes))
	for i := range root {
		root[i] = i
	}
	find := func(i int) int {
		for root[i] != i {
			root[i] = root[root[i]]
			i = root[i]
		}
		return i
	}
	parents := make([][]int, len(d.Nodes))
	for _, e := range d.Edges {
		from, okFrom := index[e.From]
		to, okTo := index[e.To]
		if !okFrom || !okTo {
			continue
		}
		parents[to] = append(parents[to], from)
		if a, b := find(from), find(to); a != b {
			root[max(a, b)] = min(a, b)
		}
	}
	byRoot := map[int]*part{}
	var parts []*part
	for i := range d.Nodes {
		r := find(i)
		p := byRoot[r]
		if p == nil {
			p = &part{}
			byRoot[r] = p
			parts = append(parts, p)
		}
		p.nodes = append(p.nodes, &d.Nodes[i])
	}
	return parts, parents, index
}

// measure sets each part's sources, sink, depth and height. A node's rank
// is its longest chain of parents, found in rounds (a cycle, which a
// grouping can make, stops at len(nodes) rounds).
func measure(parts []*part, parents [][]int, index map[string]int) {
	rank := make([]int, len(parents))
	for round := 0; round < len(parents); round++ {
		changed := false
		for i, ps := range parents {
			for _, p := range ps {
				if rank[p]+1 > rank[i] && rank[p]+1 < len(parents) {
					rank[i], changed = rank[p]+1, true
				}
			}
		}
		if !changed {
			break
		}
	}
	for _, p := range parts {
		perRank := map[int]int{}
		for _, n := range p.nodes {
			i := index[n.ID]
			perRank[rank[i]]++
			if len(parents[i]) == 0 {
				p.sources = append(p.sources, n.ID)
			}
			if rank[i] >= p.depth {
				p.depth, p.sink = rank[i]+1, n.ID
			}
		}
		for _, c := range perRank {
			p.height = max(p.height, c)
		}
		if len(p.sources) == 0 { // a cycle alone: any node starts it
			p.sources = []string{p.nodes[0].ID}
		}
	}
}

// rowsFor is the column height, in nodes, for nodes laid out in a block
// about 16:10: a column is as wide as its boxes (estimated from their
// longest line, DejaVu Sans at 11 pt bold and 9 pt) plus the rank gap
// (43 pt), a row ~63 pt high with the node gap.
func rowsFor(nodes []Node) int {
	width := 0.0
	for i := range nodes {
		n := &nodes[i]
		w := 45.0 // the resource type line
		if r := n.Resource; r != nil {
			w = max(w, 7*float64(utf8.RuneCountInString(r.Name)), 5.2*float64(utf8.RuneCountInString(r.RelationName)))
		} else if n.Box != nil {
			w = max(w, 7*float64(utf8.RuneCountInString(n.Box.Label)))
		}
		width += min(w, 7*60) + 30 + 43 // labels are cut at 60 runes; padding; rank gap
	}
	width /= float64(max(1, len(nodes)))
	return max(1, int(math.Round(math.Sqrt(float64(len(nodes))*width/(1.6*63)))))
}
