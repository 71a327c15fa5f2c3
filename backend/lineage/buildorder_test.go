package lineage_test

import (
	"reflect"
	"slices"
	"strings"
	"testing"

	"github.com/lineagedesk/lineagedesk/backend"
	"github.com/lineagedesk/lineagedesk/backend/lineage"
)

// TestBuildOrderByHand: how dbt build ran a small project, and the chain
// that timed it.
//
//	raw (seed) -> stg -> a -> fct -> dash (exposure)
//	               \---> b ---^
//	not_null on stg; relationships on a and b; unit test u on fct;
//	a test on fct and the exposure's other parent, outside the selection.
func TestBuildOrderByHand(t *testing.T) {
	node := func(id, typ string) backend.GraphNode {
		parts := strings.Split(id, ".")
		return backend.GraphNode{UniqueID: id, ResourceType: typ, Name: parts[2], Package: "p"}
	}
	data := &backend.GraphData{
		Nodes: []backend.GraphNode{
			node("seed.p.raw", "seed"), node("model.p.stg", "model"), node("model.p.a", "model"), node("model.p.b", "model"),
			node("model.p.fct", "model"), node("exposure.p.dash", "exposure"), node("model.p.other", "model"),
			node("test.p.not_null_stg", "test"), node("test.p.rel_a_b", "test"), node("unit_test.p.fct.u", "unit_test"), node("unit_test.p.fct.t", "unit_test"),
			node("test.p.rel_fct_other", "test"),
		},
	}
	for _, e := range [][2]string{
		{"seed.p.raw", "model.p.stg"}, {"model.p.stg", "model.p.a"}, {"model.p.stg", "model.p.b"}, {"model.p.a", "model.p.fct"},
		{"model.p.b", "model.p.fct"}, {"model.p.fct", "exposure.p.dash"}, {"model.p.stg", "test.p.not_null_stg"},
		{"model.p.a", "test.p.rel_a_b"}, {"model.p.b", "test.p.rel_a_b"}, {"model.p.fct", "unit_test.p.fct.u"}, {"model.p.fct", "unit_test.p.fct.t"},
		{"model.p.fct", "test.p.rel_fct_other"}, {"model.p.other", "test.p.rel_fct_other"},
	} {
		data.Edges = append(data.Edges, backend.Edge{Parent: e[0], Child: e[1]})
	}
	g := lineage.New(data)
	sel, err := g.Select("+exposure:dash", lineage.SelectOptions{})
	if err != nil {
		t.Fatal(err)
	}
	nodes, edges := lineage.BuildOrder(g, sel)
	slices.Sort(nodes)
	wantNodes := []string{"exposure.p.dash", "model.p.a", "model.p.b", "model.p.fct", "model.p.stg", "seed.p.raw",
		"test.p.not_null_stg", "test.p.rel_a_b", "unit_test.p.fct.t", "unit_test.p.fct.u"}
	if !slices.Equal(nodes, wantNodes) {
		t.Errorf("nodes %v, want %v (not the test of a node outside the selection)", nodes, wantNodes)
	}
	var got []string
	for _, e := range edges {
		got = append(got, e.Parent+" -> "+e.Child)
	}
	slices.Sort(got)
	want := []string{
		"model.p.a -> test.p.rel_a_b", "model.p.a -> unit_test.p.fct.t", // fct's turn: its unit tests first, one after the other
		"model.p.b -> test.p.rel_a_b", "model.p.b -> unit_test.p.fct.t",
		"model.p.fct -> exposure.p.dash",
		"model.p.stg -> model.p.a", "model.p.stg -> model.p.b", "model.p.stg -> test.p.not_null_stg",
		"seed.p.raw -> model.p.stg",
		"test.p.not_null_stg -> model.p.a", "test.p.not_null_stg -> model.p.b", // before stg's children
		"test.p.rel_a_b -> unit_test.p.fct.t", // before what depends on both a and b
		"unit_test.p.fct.t -> unit_test.p.fct.u",
		"unit_test.p.fct.u -> model.p.fct",
	}
	if !slices.Equal(got, want) {
		t.Errorf("edges\n%s\nwant\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}

	// Timed: the relationships test is the slow step between b and fct.
	secs := map[string]float64{"seed.p.raw": 1, "model.p.stg": 2, "model.p.a": 1, "model.p.b": 3,
		"test.p.not_null_stg": 0.5, "test.p.rel_a_b": 4, "unit_test.p.fct.t": 0.5, "unit_test.p.fct.u": 0.25, "model.p.fct": 2}
	path := lineage.CriticalPathOf(nodes, edges, secs)
	wantPath := lineage.CriticalPath{
		Nodes:   []string{"seed.p.raw", "model.p.stg", "test.p.not_null_stg", "model.p.b", "test.p.rel_a_b", "unit_test.p.fct.t", "unit_test.p.fct.u", "model.p.fct"},
		Times:   []float64{1, 2, 0.5, 3, 4, 0.5, 0.25, 2},
		Seconds: 13.25,
	}
	if !reflect.DeepEqual(path, wantPath) {
		t.Errorf("critical path %+v, want %+v", path, wantPath)
	}
}
