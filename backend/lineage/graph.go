// Package lineage answers questions about a snapshot's lineage: dbt node
// selection (the documented grammar, see select.go), upstream and downstream
// walks, every path between two nodes and grouping into boxes.
//
// The graph is held twice: as a github.com/dominikbraun/graph value (for
// callers that want its general algorithms on small graphs) and as sorted
// parent/child index slices, which every hot query uses. The library's BFS
// rebuilds its adjacency map per call and its TopologicalSort is O(V²) in
// v0.23.0, so neither is called here.
package lineage

import (
	"slices"
	"sort"

	"github.com/dominikbraun/graph"

	"github.com/lineagedesk/lineagedesk/backend"
)

// Graph is an immutable lineage. It is safe for concurrent reads.
type Graph struct {
	nodes    []backend.GraphNode // sorted by UniqueID; a node's index is its position
	index    map[string]int32
	parents  [][]int32 // parents[i]: indexes of i's parents, ascending (so sorted by UniqueID)
	children [][]int32
	edges    []backend.Edge // every kept edge, sorted by (Parent, Child)
	skipped  []backend.Edge
	lib      graph.Graph[string, *backend.GraphNode]
	// byName maps a node's name to its indexes. byFQNKey maps every string a
	// bare name (no dots, no wildcards) can match in dbt's fqn rule: the last
	// fqn part, a versioned model's name and name_vN, and the first part of
	// the scoped and unscoped fqn. Bare-name selection then looks up
	// candidates instead of testing every fqn.
	byName   map[string][]int32
	byFQNKey map[string][]int32
}

func nodeHash(n *backend.GraphNode) string { return n.UniqueID }

// New builds the lineage of d. Edges whose ends are not both in d.Nodes,
// self-loops and duplicates are left out and reported by SkippedEdges; when
// two nodes share a unique_id the first one wins. d is not modified.
func New(d *backend.GraphData) *Graph {
	g := &Graph{
		index:    make(map[string]int32, len(d.Nodes)),
		byName:   make(map[string][]int32, len(d.Nodes)),
		byFQNKey: make(map[string][]int32, len(d.Nodes)),
	}
	g.nodes = make([]backend.GraphNode, 0, len(d.Nodes))
	for i := range d.Nodes {
		if _, dup := g.index[d.Nodes[i].UniqueID]; dup {
			continue
		}
		g.index[d.Nodes[i].UniqueID] = -1
		g.nodes = append(g.nodes, d.Nodes[i])
	}
	sort.Slice(g.nodes, func(i, j int) bool { return g.nodes[i].UniqueID < g.nodes[j].UniqueID })

	// Directed without PreventCycles: the cycle check walks every ancestor on
	// each AddEdge, which is O(E·V) for a bulk load (minutes at 50k nodes).
	g.lib = graph.New(nodeHash, graph.Directed())
	for i := range g.nodes {
		n := &g.nodes[i]
		g.index[n.UniqueID] = int32(i)
		g.byName[n.Name] = append(g.byName[n.Name], int32(i))
		g.indexFQN(int32(i))
		_ = g.lib.AddVertex(n) // cannot fail: unique ids were deduplicated above
	}

	g.parents = make([][]int32, len(g.nodes))
	g.children = make([][]int32, len(g.nodes))
	g.edges = make([]backend.Edge, 0, len(d.Edges))
	for _, e := range d.Edges {
		p, okP := g.index[e.Parent]
		c, okC := g.index[e.Child]
		if !okP || !okC || p == c {
			g.skipped = append(g.skipped, e)
			continue
		}
		// Both vertices exist, so the only possible error is ErrEdgeAlreadyExists.
		if err := g.lib.AddEdge(e.Parent, e.Child); err != nil {
			g.skipped = append(g.skipped, e)
			continue
		}
		g.parents[c] = append(g.parents[c], p)
		g.children[p] = append(g.children[p], c)
		g.edges = append(g.edges, e)
	}
	for i := range g.nodes {
		sortIdx(g.parents[i])
		sortIdx(g.children[i])
	}
	sort.Slice(g.edges, func(i, j int) bool {
		if g.edges[i].Parent != g.edges[j].Parent {
			return g.edges[i].Parent < g.edges[j].Parent
		}
		return g.edges[i].Child < g.edges[j].Child
	})
	return g
}

func (g *Graph) indexFQN(i int32) {
	fqn := g.nodes[i].FQN
	if len(fqn) == 0 {
		return
	}
	keys := []string{fqn[len(fqn)-1], fqn[0]}
	if len(fqn) > 1 {
		keys = append(keys, fqn[1])
		if g.nodes[i].Version != "" {
			keys = append(keys, fqn[len(fqn)-2], fqn[len(fqn)-2]+"_"+fqn[len(fqn)-1])
		}
	}
	for k, key := range keys {
		if !slices.Contains(keys[:k], key) {
			g.byFQNKey[key] = append(g.byFQNKey[key], i)
		}
	}
}

func sortIdx(s []int32) {
	if len(s) > 1 {
		sort.Slice(s, func(i, j int) bool { return s[i] < s[j] })
	}
}

// Len is the number of nodes.
func (g *Graph) Len() int { return len(g.nodes) }

// Node returns the node with the given unique_id.
func (g *Graph) Node(uniqueID string) (*backend.GraphNode, bool) {
	i, ok := g.index[uniqueID]
	if !ok {
		return nil, false
	}
	return &g.nodes[i], true
}

// Nodes returns every node, sorted by unique_id. The slice is shared: do not modify it.
func (g *Graph) Nodes() []backend.GraphNode { return g.nodes }

// Edges returns every edge kept, sorted by parent then child. Shared: do not modify.
func (g *Graph) Edges() []backend.Edge { return g.edges }

// SkippedEdges returns the input edges New left out: dangling, self-loops and duplicates.
func (g *Graph) SkippedEdges() []backend.Edge { return g.skipped }

// Parents returns the unique_ids id reads from, sorted.
func (g *Graph) Parents(id string) []string { return g.ids(g.parents, id) }

// Children returns the unique_ids that read from id, sorted.
func (g *Graph) Children(id string) []string { return g.ids(g.children, id) }

func (g *Graph) ids(adj [][]int32, id string) []string {
	i, ok := g.index[id]
	if !ok {
		return nil
	}
	out := make([]string, len(adj[i]))
	for k, j := range adj[i] {
		out[k] = g.nodes[j].UniqueID
	}
	return out
}

// Library returns the dominikbraun/graph view of the lineage, for general
// algorithms on small graphs. Its BFS and TopologicalSort are too slow for
// 10k+ nodes; use this package's queries for those.
func (g *Graph) Library() graph.Graph[string, *backend.GraphNode] { return g.lib }

// edgesAmong returns the edges whose both ends are in the set, sorted.
func (g *Graph) edgesAmong(in []bool) []backend.Edge {
	var out []backend.Edge
	for i := range g.nodes {
		if !in[i] {
			continue
		}
		for _, c := range g.children[i] {
			if in[c] {
				out = append(out, backend.Edge{Parent: g.nodes[i].UniqueID, Child: g.nodes[c].UniqueID})
			}
		}
	}
	return out
}

// idsOf returns the unique_ids of the set members in sorted order.
func (g *Graph) idsOf(in []bool) []string {
	var out []string
	for i, ok := range in {
		if ok {
			out = append(out, g.nodes[i].UniqueID)
		}
	}
	return out
}
