package lineage_test

import (
	"math/rand/v2"
	"slices"
	"strings"
	"testing"

	"github.com/lineagedesk/lineagedesk/backend"
	"github.com/lineagedesk/lineagedesk/backend/lineage"
)

// TestNewSortedAndShuffledInputAgree builds the same real lineage from
// sorted input (as storage delivers it) and from shuffled input with
// duplicate nodes and edges, dangling edges and self-loops added, and
// checks both against adjacency computed here from the manifest.
func TestNewSortedAndShuffledInputAgree(t *testing.T) {
	m := loadManifest(t, "hubspot-v12-dbt1.9-bigquery")
	var wantEdges []backend.Edge
	for child, parents := range m.parents {
		for _, p := range parents {
			wantEdges = append(wantEdges, backend.Edge{Parent: p, Child: child})
		}
	}
	byParentChild := func(a, b backend.Edge) int {
		if c := strings.Compare(a.Parent, b.Parent); c != 0 {
			return c
		}
		return strings.Compare(a.Child, b.Child)
	}
	slices.SortFunc(wantEdges, byParentChild)
	wantEdges = slices.Compact(wantEdges)

	sorted := &backend.GraphData{Nodes: m.data.Nodes, Edges: wantEdges}
	r := rand.New(rand.NewPCG(7, 8))
	messy := &backend.GraphData{Nodes: slices.Clone(m.data.Nodes), Edges: slices.Clone(wantEdges)}
	first := m.data.Nodes[0]
	renamed := first
	renamed.Name = "second copy loses"
	extra := []backend.Edge{
		wantEdges[0], wantEdges[len(wantEdges)/2], // duplicates
		{Parent: first.UniqueID, Child: first.UniqueID},        // self-loop
		{Parent: "model.nowhere.ghost", Child: first.UniqueID}, // dangling
	}
	messy.Edges = append(messy.Edges, extra...)
	r.Shuffle(len(messy.Nodes), func(i, j int) { messy.Nodes[i], messy.Nodes[j] = messy.Nodes[j], messy.Nodes[i] })
	r.Shuffle(len(messy.Edges), func(i, j int) { messy.Edges[i], messy.Edges[j] = messy.Edges[j], messy.Edges[i] })
	messy.Nodes = append(messy.Nodes, renamed) // after its first copy, wherever that went

	for name, d := range map[string]*backend.GraphData{"sorted": sorted, "messy": messy} {
		t.Run(name, func(t *testing.T) {
			g := lineage.New(d)
			if g.Len() != len(m.raw) {
				t.Errorf("Len = %d, want %d", g.Len(), len(m.raw))
			}
			if got := g.Edges(); !slices.Equal(got, wantEdges) {
				t.Errorf("Edges: %d edges, want %d sorted by parent then child", len(got), len(wantEdges))
			}
			if n, _ := g.Node(first.UniqueID); n == nil || n.Name != first.Name {
				t.Errorf("Node(%s) = %+v, want the first copy", first.UniqueID, n)
			}
			for id := range m.raw {
				wantP := slices.Sorted(slices.Values(m.parents[id]))
				wantC := slices.Sorted(slices.Values(m.children[id]))
				if got := g.Parents(id); !slices.Equal(got, slices.Compact(wantP)) {
					t.Errorf("Parents(%s) = %v, want %v", id, got, wantP)
				}
				if got := g.Children(id); !slices.Equal(got, slices.Compact(wantC)) {
					t.Errorf("Children(%s) = %v, want %v", id, got, wantC)
				}
			}
			wantSkipped := 0
			if name == "messy" {
				wantSkipped = len(extra)
			}
			if got := len(g.SkippedEdges()); got != wantSkipped {
				t.Errorf("SkippedEdges = %v, want %d", g.SkippedEdges(), wantSkipped)
			}
		})
	}
}

// TestLibraryIsBuiltOnDemand checks the dominikbraun/graph model against
// the manifest: one vertex per node, one edge per depends_on link.
func TestLibraryIsBuiltOnDemand(t *testing.T) {
	m := loadManifest(t, "tuva-v7-dbt1.3")
	g := lineage.New(m.data)
	lib := g.Library()
	if lib != g.Library() {
		t.Error("Library built twice")
	}
	order, err := lib.Order()
	if err != nil || order != len(m.raw) {
		t.Errorf("Order = %d, %v; want %d", order, err, len(m.raw))
	}
	adj, err := lib.AdjacencyMap()
	if err != nil {
		t.Fatal(err)
	}
	edges := 0
	for id := range m.raw {
		want := slices.Compact(slices.Sorted(slices.Values(m.children[id])))
		var got []string
		for c := range adj[id] {
			got = append(got, c)
		}
		slices.Sort(got)
		if !slices.Equal(got, want) {
			t.Errorf("%s: library children %v, want %v", id, got, want)
		}
		edges += len(got)
	}
	if v, err := lib.Vertex(m.data.Nodes[0].UniqueID); err != nil || v.Name != m.data.Nodes[0].Name {
		t.Errorf("Vertex = %+v, %v", v, err)
	}
	if size, _ := lib.Size(); size != edges || edges == 0 {
		t.Errorf("Size = %d, want %d (> 0)", size, edges)
	}
}
