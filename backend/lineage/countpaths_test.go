package lineage_test

import (
	"fmt"
	"math"
	"math/rand"
	"testing"

	"github.com/lineagedesk/lineagedesk/backend"
	"github.com/lineagedesk/lineagedesk/backend/lineage"
)

// TestCountPathsAgainstTheList: on random DAGs the count is the number of
// paths Paths lists when nothing stops it.
func TestCountPathsAgainstTheList(t *testing.T) {
	rng := rand.New(rand.NewSource(11))
	for round := 0; round < 300; round++ {
		n := 2 + rng.Intn(12)
		d := &backend.GraphData{}
		for i := 0; i < n; i++ {
			d.Nodes = append(d.Nodes, backend.GraphNode{UniqueID: fmt.Sprintf("model.p.m%02d", i), ResourceType: backend.TypeModel, Name: fmt.Sprintf("m%02d", i)})
		}
		for i := 0; i < 3*n; i++ {
			a, b := rng.Intn(n), rng.Intn(n)
			if a < b {
				d.Edges = append(d.Edges, backend.Edge{Parent: d.Nodes[a].UniqueID, Child: d.Nodes[b].UniqueID})
			}
		}
		g := lineage.New(d)
		from, to := d.Nodes[0].UniqueID, d.Nodes[n-1].UniqueID
		paths, err := g.Paths(from, to, 1_000_000)
		if err != nil {
			t.Fatal(err)
		}
		want := uint64(len(paths))
		if len(paths) > 0 && paths[0][0] != from {
			want = 0 // Paths listed the other way round: none run from `from` down
		}
		if got, saturated := g.CountPaths(from, to); got != want || saturated {
			t.Fatalf("round %d: %d paths counted, %d listed", round, got, want)
		}
	}
}

// TestCountPathsSaturates: 70 diamonds in a row hold 2^70 paths, past
// what a uint64 counts; 20 hold 2^20.
func TestCountPathsSaturates(t *testing.T) {
	diamonds := func(k int) *lineage.Graph {
		d := &backend.GraphData{}
		node := func(id string) {
			d.Nodes = append(d.Nodes, backend.GraphNode{UniqueID: id, ResourceType: backend.TypeModel})
		}
		edge := func(a, b string) { d.Edges = append(d.Edges, backend.Edge{Parent: a, Child: b}) }
		node("model.p.j0")
		for i := 1; i <= k; i++ {
			prev, l, r, next := fmt.Sprintf("model.p.j%d", i-1), fmt.Sprintf("model.p.l%d", i), fmt.Sprintf("model.p.r%d", i), fmt.Sprintf("model.p.j%d", i)
			node(l)
			node(r)
			node(next)
			edge(prev, l)
			edge(prev, r)
			edge(l, next)
			edge(r, next)
		}
		return lineage.New(d)
	}
	if got, saturated := diamonds(20).CountPaths("model.p.j0", "model.p.j20"); got != 1<<20 || saturated {
		t.Errorf("20 diamonds: %d paths (saturated %v), want %d", got, saturated, 1<<20)
	}
	if got, saturated := diamonds(70).CountPaths("model.p.j0", "model.p.j70"); got != math.MaxUint64 || !saturated {
		t.Errorf("70 diamonds: %d paths (saturated %v), want the count saturated", got, saturated)
	}
}
