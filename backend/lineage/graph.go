// Package lineage answers questions about a snapshot's lineage: dbt node
// selection (the documented grammar, see select.go), upstream and downstream
// walks, every path between two nodes and grouping into boxes.
//
// Every query runs on sorted parent/child index slices built by New. The
// github.com/dominikbraun/graph model of the same lineage (Library) is
// built on first request only: its AddEdge allocates a map per edge, which
// costs about a second at 50k models, and its BFS rebuilds its adjacency
// map per call and its TopologicalSort is O(V²) in v0.23.0, so no hot path
// uses it.
package lineage

import (
	"cmp"
	"slices"
	"sort"
	"strings"
	"sync"

	"github.com/dominikbraun/graph"

	"github.com/lineagedesk/lineagedesk/backend"
)

// Graph is an immutable lineage. It is safe for concurrent reads.
type Graph struct {
	nodes    []backend.GraphNode // sorted by UniqueID; a node's index is its position
	index    map[string]int32
	parents  [][]int32 // parents[i]: indexes of i's parents, ascending (so sorted by UniqueID)
	children [][]int32
	skipped  []backend.Edge
	// byFQNKey maps every string a bare name (no dots, no wildcards) can
	// match in dbt's fqn rule: the last fqn part, a versioned model's name
	// and name_vN, and the first part of the scoped and unscoped fqn.
	// Bare-name selection then looks up candidates instead of testing every fqn.
	byFQNKey fqnIndex

	// edges lists every kept edge, sorted by (Parent, Child); built by the
	// first Edges call, since no query needs it (8 MB at 50k models).
	edgesOnce sync.Once
	edges     []backend.Edge

	libOnce sync.Once
	lib     graph.Graph[string, *backend.GraphNode]
}

func nodeHash(n *backend.GraphNode) string { return n.UniqueID }

// New builds the lineage of d. Edges whose ends are not both in d.Nodes,
// self-loops and duplicates are left out and reported by SkippedEdges; when
// two nodes share a unique_id the first one wins.
//
// Input sorted as storage delivers it (nodes by unique_id, edges by parent
// then child) is only checked, not sorted again, and such a node slice is
// kept as it is rather than copied (70 MB at 50k models): d is not
// modified by New, and must not be modified by the caller afterwards.
func New(d *backend.GraphData) *Graph {
	g := &Graph{
		index:    make(map[string]int32, len(d.Nodes)),
		byFQNKey: fqnIndex{one: make(map[string]int32, 2*len(d.Nodes))},
	}
	if slices.IsSortedFunc(d.Nodes, func(a, b backend.GraphNode) int { return cmp.Compare(a.UniqueID, b.UniqueID) }) &&
		!hasAdjacentDuplicate(d.Nodes) {
		g.nodes = d.Nodes
	} else {
		g.nodes = make([]backend.GraphNode, 0, len(d.Nodes))
		for i := range d.Nodes {
			if _, dup := g.index[d.Nodes[i].UniqueID]; dup {
				continue
			}
			g.index[d.Nodes[i].UniqueID] = -1
			g.nodes = append(g.nodes, d.Nodes[i])
		}
		sort.Slice(g.nodes, func(i, j int) bool { return g.nodes[i].UniqueID < g.nodes[j].UniqueID })
	}
	for i := range g.nodes {
		g.index[g.nodes[i].UniqueID] = int32(i)
		g.indexFQN(int32(i))
	}
	g.link(d.Edges)
	return g
}

func hasAdjacentDuplicate(nodes []backend.GraphNode) bool {
	for i := 1; i < len(nodes); i++ {
		if nodes[i].UniqueID == nodes[i-1].UniqueID {
			return true
		}
	}
	return false
}

// link keeps the edges between known nodes, once each, and fills parents
// and children. The adjacency lists share two backing arrays, so a
// 150k-edge lineage costs a few allocations rather than one per node.
func (g *Graph) link(in []backend.Edge) {
	type pair struct{ p, c int32 }
	kept := make([]pair, 0, len(in))
	var seen map[pair]struct{} // only for input that is not strictly sorted
	strictlySorted := true
	for k, e := range in {
		p, okP := g.index[e.Parent]
		c, okC := g.index[e.Child]
		if !okP || !okC || p == c {
			g.skipped = append(g.skipped, e)
			continue
		}
		pc := pair{p, c}
		if strictlySorted && len(kept) > 0 {
			if last := kept[len(kept)-1]; last.p > p || (last.p == p && last.c >= c) {
				strictlySorted = false
				seen = make(map[pair]struct{}, len(in))
				for _, q := range kept {
					seen[q] = struct{}{}
				}
			}
		}
		if !strictlySorted {
			if _, dup := seen[pc]; dup {
				g.skipped = append(g.skipped, in[k])
				continue
			}
			seen[pc] = struct{}{}
		}
		kept = append(kept, pc)
	}
	if !strictlySorted {
		// Index order is unique_id order, so this sorts by (Parent, Child).
		slices.SortFunc(kept, func(a, b pair) int {
			if a.p != b.p {
				return cmp.Compare(a.p, b.p)
			}
			return cmp.Compare(a.c, b.c)
		})
	}
	n := len(g.nodes)
	outDeg := make([]int32, n)
	inDeg := make([]int32, n)
	for _, e := range kept {
		outDeg[e.p]++
		inDeg[e.c]++
	}
	childBuf := make([]int32, len(kept))
	parentBuf := make([]int32, len(kept))
	g.children = make([][]int32, n)
	g.parents = make([][]int32, n)
	var co, po int32
	for i := range n {
		g.children[i] = childBuf[co : co : co+outDeg[i]]
		g.parents[i] = parentBuf[po : po : po+inDeg[i]]
		co += outDeg[i]
		po += inDeg[i]
	}
	// Walking kept in (parent, child) order appends each child list and each
	// parent list in ascending order, so none needs sorting.
	for _, e := range kept {
		g.children[e.p] = append(g.children[e.p], e.c)
		g.parents[e.c] = append(g.parents[e.c], e.p)
	}
}

func (g *Graph) indexFQN(i int32) {
	var buf [5]string // no allocation per node
	for _, key := range appendFQNKeys(buf[:0], &g.nodes[i]) {
		g.byFQNKey.add(key, i)
	}
}

// appendFQNKeys appends, once each, the keys a bare name (no dots, no
// wildcards) can select n by in dbt's fqn rule: the last fqn part, the
// first part of the scoped and unscoped fqn (package, top folder), and a
// versioned model's name and name_vN. dbt splits each fqn part at its dots
// first (a model named ads.stg_orders at the models' root is in "ads"),
// so a first part is its text up to a dot.
func appendFQNKeys(keys []string, n *backend.GraphNode) []string {
	fqn := n.FQN
	if len(fqn) == 0 {
		return keys
	}
	start := len(keys)
	add := func(k string) {
		if !slices.Contains(keys[start:], k) {
			keys = append(keys, k)
		}
	}
	add(fqn[len(fqn)-1])
	add(firstSegment(fqn[0]))
	if len(fqn) > 1 {
		add(firstSegment(fqn[1]))
		if isVersioned(n) {
			add(fqn[len(fqn)-2])
			add(fqn[len(fqn)-2] + "_" + fqn[len(fqn)-1])
		}
	}
	return keys
}

func firstSegment(part string) string {
	first, _, _ := strings.Cut(part, ".")
	return first
}

// fqnIndex maps a key to the ascending indexes of the nodes indexed under
// it. Most keys (a node's own name) have one node, which one holds as
// such; a key with more holds -1-k for its list many[k]. At 180k nodes this
// saves a slice, and an allocation, per key.
type fqnIndex struct {
	one  map[string]int32
	many [][]int32
}

func (x *fqnIndex) add(key string, i int32) {
	v, ok := x.one[key]
	switch {
	case !ok:
		x.one[key] = i
	case v >= 0:
		x.many = append(x.many, []int32{v, i})
		x.one[key] = int32(-len(x.many))
	default:
		x.many[-v-1] = append(x.many[-v-1], i)
	}
}

func (x *fqnIndex) lookup(key string) []int32 {
	v, ok := x.one[key]
	switch {
	case !ok:
		return nil
	case v >= 0:
		return []int32{v}
	default:
		return x.many[-v-1]
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
func (g *Graph) Edges() []backend.Edge {
	g.edgesOnce.Do(func() {
		in := make([]bool, len(g.nodes))
		for i := range in {
			in[i] = true
		}
		g.edges = g.edgesAmong(in)
	})
	return g.edges
}

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

// Library returns the lineage as a dominikbraun/graph value (directed, the
// nodes' unique_ids as vertex hashes, an edge from parent to child), for
// general algorithms on small graphs. It is built on the first call (about
// a second at 50k models) and shared afterwards: do not modify it. Its BFS
// and TopologicalSort are too slow for 10k+ nodes; use this package's
// queries for those.
func (g *Graph) Library() graph.Graph[string, *backend.GraphNode] {
	g.libOnce.Do(func() {
		// Directed without PreventCycles: the cycle check walks every ancestor
		// on each AddEdge, which is O(E·V) for a bulk load (minutes at 50k nodes).
		lib := graph.New(nodeHash, graph.Directed())
		for i := range g.nodes {
			_ = lib.AddVertex(&g.nodes[i]) // cannot fail: unique ids are unique
		}
		for _, e := range g.Edges() {
			_ = lib.AddEdge(e.Parent, e.Child) // cannot fail: both ends exist, no duplicates
		}
		g.lib = lib
	})
	return g.lib
}

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
