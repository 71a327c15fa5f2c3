package lineage_test

import (
	"errors"
	"fmt"
	"math"
	"math/rand"
	"slices"
	"testing"

	"github.com/lineagedesk/lineagedesk/backend"
	"github.com/lineagedesk/lineagedesk/backend/lineage"
)

// randomDAG is n models with about 1.5n edges, each from a lower-numbered
// model to a higher one (so no cycle), repeats possible.
func randomDAG(rng *rand.Rand, n int) *backend.GraphData {
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
	return d
}

// TestCountPathsAgainstTheList: on random DAGs the count is the number of
// paths Paths lists when nothing stops it.
func TestCountPathsAgainstTheList(t *testing.T) {
	rng := rand.New(rand.NewSource(11))
	for round := 0; round < 300; round++ {
		n := 2 + rng.Intn(12)
		d := randomDAG(rng, n)
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

// TestPathsShortestFirst: on random DAGs, Paths lists real paths, each
// once, shortest first: the first k are k of the shortest, against every
// path enumerated here; it says truncated exactly when more exist.
func TestPathsShortestFirst(t *testing.T) {
	rng := rand.New(rand.NewSource(5))
	for round := 0; round < 200; round++ {
		n := 3 + rng.Intn(12)
		d := randomDAG(rng, n)
		children := map[string][]string{}
		for _, e := range d.Edges {
			children[e.Parent] = append(children[e.Parent], e.Child)
		}
		from, to := d.Nodes[0].UniqueID, d.Nodes[n-1].UniqueID
		all := map[string]int{} // each path, as text, to its length
		var lengths []int
		var enumerate func(path []string)
		enumerate = func(path []string) {
			last := path[len(path)-1]
			if last == to {
				key := fmt.Sprint(path)
				if _, dup := all[key]; !dup { // a repeated edge is one dependency
					all[key] = len(path)
					lengths = append(lengths, len(path))
				}
				return
			}
			for _, c := range children[last] {
				enumerate(append(append([]string{}, path...), c))
			}
		}
		enumerate([]string{from})
		if len(all) == 0 {
			continue
		}
		slices.Sort(lengths)
		g := lineage.New(d)
		for _, k := range []int{1, 3, 10, len(all)} {
			paths, err := g.Paths(from, to, k)
			truncated := errors.Is(err, lineage.ErrPathsTruncated)
			if err != nil && !truncated || truncated != (len(all) > k) {
				t.Fatalf("round %d, limit %d of %d paths: %v", round, k, len(all), err)
			}
			seen := map[string]bool{}
			var got []int
			for _, p := range paths {
				key := fmt.Sprint(p)
				if _, ok := all[key]; !ok || seen[key] {
					t.Fatalf("round %d: %v is no path, or listed twice", round, p)
				}
				seen[key] = true
				got = append(got, len(p))
			}
			if want := lengths[:min(k, len(lengths))]; !slices.Equal(got, want) {
				t.Fatalf("round %d, limit %d: lengths %v, want the shortest %v", round, k, got, want)
			}
		}
	}
}
