package lineage_test

import (
	"fmt"
	"math/rand"
	"reflect"
	"testing"

	"github.com/lineagedesk/lineagedesk/backend"
	"github.com/lineagedesk/lineagedesk/backend/lineage"
)

func TestCriticalPathByHand(t *testing.T) {
	// raw -> stg (1) -> int (4) -> fct (2) -> dashboard
	//           \-> quick (3) ------^
	edges := []backend.Edge{
		{Parent: "raw", Child: "stg"}, {Parent: "stg", Child: "int"}, {Parent: "int", Child: "fct"},
		{Parent: "stg", Child: "quick"}, {Parent: "quick", Child: "fct"}, {Parent: "fct", Child: "dashboard"},
	}
	nodes := []string{"dashboard", "fct", "int", "quick", "raw", "stg"}
	secs := map[string]float64{"stg": 1, "int": 4, "quick": 3, "fct": 2}
	got := lineage.CriticalPathOf(nodes, edges, secs)
	want := lineage.CriticalPath{Nodes: []string{"stg", "int", "fct"}, Times: []float64{1, 4, 2}, Seconds: 7}
	if !reflect.DeepEqual(got, want) {
		t.Fatalf("got %+v, want %+v (the source and the exposure took no time, so the chain neither starts nor ends there)", got, want)
	}

	// A tie between int and quick goes to the id that sorts first.
	secs["quick"] = 4
	if got := lineage.CriticalPathOf(nodes, edges, secs); !reflect.DeepEqual(got.Nodes, []string{"stg", "int", "fct"}) {
		t.Fatalf("tie: got %v", got.Nodes)
	}
	// Nothing timed: no chain.
	if got := lineage.CriticalPathOf(nodes, edges, nil); len(got.Nodes) != 0 || got.Seconds != 0 {
		t.Fatalf("no times: got %+v", got)
	}
	// Edges leaving the selection are not followed; a cycle does not hang.
	cyc := append(edges, backend.Edge{Parent: "fct", Child: "stg"}, backend.Edge{Parent: "fct", Child: "elsewhere"})
	if got := lineage.CriticalPathOf([]string{"a", "fct", "stg"}, cyc, map[string]float64{"a": 1}); !reflect.DeepEqual(got.Nodes, []string{"a"}) {
		t.Fatalf("cycle: got %+v", got)
	}
}

// TestCriticalPathAgainstEveryPath compares the chain with the slowest of all
// paths, enumerated one by one, on random DAGs.
func TestCriticalPathAgainstEveryPath(t *testing.T) {
	rng := rand.New(rand.NewSource(7))
	for round := 0; round < 400; round++ {
		n := 2 + rng.Intn(12)
		nodes := make([]string, n)
		secs := map[string]float64{}
		for i := range nodes {
			nodes[i] = fmt.Sprintf("model.p.n%02d", i)
			if rng.Intn(4) > 0 { // some nodes did not run
				secs[nodes[i]] = float64(rng.Intn(5)) // small integers: ties are common
			}
		}
		var edges []backend.Edge
		children := map[string][]string{}
		for i := 0; i < n; i++ {
			for j := i + 1; j < n; j++ {
				if rng.Intn(3) == 0 {
					edges = append(edges, backend.Edge{Parent: nodes[i], Child: nodes[j]})
					children[nodes[i]] = append(children[nodes[i]], nodes[j])
				}
			}
		}
		slowest := 0.0
		var walk func(id string, sum float64)
		walk = func(id string, sum float64) {
			sum += secs[id]
			slowest = max(slowest, sum)
			for _, c := range children[id] {
				walk(c, sum)
			}
		}
		for _, id := range nodes {
			walk(id, 0)
		}

		got := lineage.CriticalPathOf(nodes, edges, secs)
		if got.Seconds != slowest {
			t.Fatalf("round %d: %v s, the slowest path takes %v s", round, got.Seconds, slowest)
		}
		if slowest == 0 {
			if len(got.Nodes) != 0 {
				t.Fatalf("round %d: chain %v with no time", round, got.Nodes)
			}
			continue
		}
		sum := 0.0
		for i, id := range got.Nodes {
			sum += secs[id]
			if i > 0 && !hasEdge(edges, got.Nodes[i-1], id) {
				t.Fatalf("round %d: %s -> %s is not an edge", round, got.Nodes[i-1], id)
			}
		}
		if sum != got.Seconds || secs[got.Nodes[0]] == 0 || secs[got.Nodes[len(got.Nodes)-1]] == 0 {
			t.Fatalf("round %d: chain %v sums to %v, ends untimed?", round, got.Nodes, sum)
		}

		// The same answer whatever the order of the input.
		shuffled := append([]backend.Edge(nil), edges...)
		rng.Shuffle(len(shuffled), func(i, j int) { shuffled[i], shuffled[j] = shuffled[j], shuffled[i] })
		order := append([]string(nil), nodes...)
		rng.Shuffle(len(order), func(i, j int) { order[i], order[j] = order[j], order[i] })
		if again := lineage.CriticalPathOf(order, shuffled, secs); !reflect.DeepEqual(again, got) {
			t.Fatalf("round %d: %v, shuffled %v", round, got, again)
		}
	}
}

func hasEdge(edges []backend.Edge, parent, child string) bool {
	for _, e := range edges {
		if e.Parent == parent && e.Child == child {
			return true
		}
	}
	return false
}
