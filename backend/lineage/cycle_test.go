package lineage_test

import (
	"fmt"
	"math/rand"
	"slices"
	"testing"

	"github.com/lineagedesk/lineagedesk/backend"
	"github.com/lineagedesk/lineagedesk/backend/lineage"
)

func TestFindCycle(t *testing.T) {
	nodes := func(ids ...string) []backend.GraphNode {
		var out []backend.GraphNode
		for _, id := range ids {
			out = append(out, backend.GraphNode{UniqueID: id})
		}
		return out
	}
	edges := func(pairs ...string) []backend.Edge {
		var out []backend.Edge
		for i := 0; i < len(pairs); i += 2 {
			out = append(out, backend.Edge{Parent: pairs[i], Child: pairs[i+1]})
		}
		return out
	}
	for _, tc := range []struct {
		name  string
		nodes []backend.GraphNode
		edges []backend.Edge
		want  []string
	}{
		{"a diamond", nodes("a", "b", "c", "d"), edges("a", "b", "a", "c", "b", "d", "c", "d"), nil},
		{"two steps", nodes("a", "b", "c"), edges("a", "b", "b", "c", "c", "b"), []string{"b", "c", "b"}},
		{"itself", nodes("a", "b"), edges("a", "b", "b", "b"), []string{"b", "b"}},
		{"through a node not listed", nodes("a", "b"), edges("a", "x", "x", "a", "a", "b"), nil},
		{"long", nodes("m1", "m2", "m3", "m4"), edges("m1", "m2", "m2", "m3", "m3", "m4", "m4", "m2"), []string{"m2", "m3", "m4", "m2"}},
	} {
		if got := lineage.FindCycle(tc.nodes, tc.edges); !slices.Equal(got, tc.want) {
			t.Errorf("%s: %v, want %v", tc.name, got, tc.want)
		}
	}
}

// TestFindCycleOnRandomGraphs: a graph whose edges all go from a lower to
// a higher number has no cycle; one edge back makes one, and what is found
// is a real cycle, the same in any order of the input.
func TestFindCycleOnRandomGraphs(t *testing.T) {
	rng := rand.New(rand.NewSource(7))
	for round := 0; round < 200; round++ {
		n := 2 + rng.Intn(40)
		var ns []backend.GraphNode
		for i := 0; i < n; i++ {
			ns = append(ns, backend.GraphNode{UniqueID: fmt.Sprintf("n%02d", i)})
		}
		var es []backend.Edge
		for i := 0; i < n*2; i++ {
			a, b := rng.Intn(n), rng.Intn(n)
			if a < b {
				es = append(es, backend.Edge{Parent: ns[a].UniqueID, Child: ns[b].UniqueID})
			}
		}
		if got := lineage.FindCycle(ns, es); got != nil {
			t.Fatalf("round %d: forward edges only, found %v", round, got)
		}
		back := backend.Edge{Parent: ns[n-1].UniqueID, Child: ns[0].UniqueID}
		es = append(es, backend.Edge{Parent: ns[0].UniqueID, Child: ns[n-1].UniqueID}, back)
		got := lineage.FindCycle(ns, es)
		if len(got) < 2 || got[0] != got[len(got)-1] {
			t.Fatalf("round %d: with an edge back, found %v", round, got)
		}
		for i := 1; i < len(got); i++ {
			if !slices.Contains(es, backend.Edge{Parent: got[i-1], Child: got[i]}) {
				t.Fatalf("round %d: %v is not a cycle: no edge %s -> %s", round, got, got[i-1], got[i])
			}
		}
		rng.Shuffle(len(ns), func(i, j int) { ns[i], ns[j] = ns[j], ns[i] })
		rng.Shuffle(len(es), func(i, j int) { es[i], es[j] = es[j], es[i] })
		if again := lineage.FindCycle(ns, es); !slices.Equal(again, got) {
			t.Fatalf("round %d: shuffled input found %v, then %v", round, got, again)
		}
	}
}
