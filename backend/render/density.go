package render

// dot draws an edge that skips columns through a virtual node in each
// column it crosses, and lays those out as it lays out nodes: a picture of
// 94 folder boxes in a 76-column chain, whose 824 edges crossed 9,652
// columns in all, took dot over two minutes, though its edges²/nodes
// (7,200) passed the density guard. Native dot on the whole 10k project
// grouped by folder, cut to its first edges (134 boxes, 18 columns):
// 2,046 columns crossed, 1.7 s; 4,499, 7.8 s; 7,070, 24 s; all 2,316
// edges, 10,355, 130 s in the app (with the counts as edge labels; as
// the xlabels drawn now, countAttr, 0.5, 2.7 and 5.6 s, but the 76-column
// chain still took 115 s). Lineage pictures cross few: 629 for
// the 652 nodes upstream of four domains' dashboards (13 columns), 1,465
// for a central model's 3,205-node lineage.
const maxCrossedColumns = 5000

// crossedColumns estimates how many columns d's edges cross: with each
// node in the column estimatedColumns gives it, the columns between each
// edge's ends, added up; an edge back (in a cycle) crosses none.
func crossedColumns(d *Diagram) int {
	column, children := estimatedColumns(d)
	crossed := 0
	for from, cs := range children {
		for _, to := range cs {
			if skip := column[to] - column[from] - 1; skip > 0 {
				crossed += skip
			}
		}
	}
	return crossed
}

// estimatedColumns puts each node of d (by index) in the column after its
// deepest parent (dot ranks more tightly, so edges come out longer), and
// returns the columns and each node's children. A cycle (a grouping can
// make one) is broken where dot would break it.
func estimatedColumns(d *Diagram) (column []int, children [][]int) {
	index := make(map[string]int, len(d.Nodes))
	for i := range d.Nodes {
		index[d.Nodes[i].ID] = i
	}
	children = make([][]int, len(d.Nodes))
	indegree := make([]int, len(d.Nodes))
	for _, e := range d.Edges {
		from, okFrom := index[e.From]
		to, okTo := index[e.To]
		if okFrom && okTo && from != to {
			children[from] = append(children[from], to)
			indegree[to]++
		}
	}
	column = make([]int, len(d.Nodes))
	ready := make([]int, 0, len(d.Nodes))
	for i, n := range indegree {
		if n == 0 {
			ready = append(ready, i)
		}
	}
	done := make([]bool, len(d.Nodes))
	for left := len(d.Nodes); left > 0; left-- {
		if len(ready) == 0 { // the rest hold a cycle: break it at its least-fed node, as dot reverses an edge
			least := -1
			for i := range d.Nodes {
				if !done[i] && (least < 0 || indegree[i] < indegree[least]) {
					least = i
				}
			}
			ready = append(ready, least)
		}
		n := ready[len(ready)-1]
		ready = ready[:len(ready)-1]
		done[n] = true
		for _, c := range children[n] {
			if done[c] {
				continue // an edge back into the cycle
			}
			column[c] = max(column[c], column[n]+1)
			if indegree[c]--; indegree[c] == 0 {
				ready = append(ready, c)
			}
		}
	}
	return column, children
}
