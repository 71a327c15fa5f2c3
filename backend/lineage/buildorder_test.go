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

// TestBuildOrderSourceTestsAndExposures: a source is not built, but its
// tests hold back what reads it, selected or not; an exposure is not built
// either, and nothing waits for it.
//
//	src (source) -> stg -> fct -> dash (exposure)
//	not_null on src; unique on fct.
func TestBuildOrderSourceTestsAndExposures(t *testing.T) {
	d := &backend.GraphData{Nodes: []backend.GraphNode{
		{UniqueID: "source.p.raw.src", ResourceType: backend.TypeSource, Name: "src"},
		{UniqueID: "model.p.stg", ResourceType: backend.TypeModel, Name: "stg", FQN: []string{"p", "stg"}},
		{UniqueID: "model.p.fct", ResourceType: backend.TypeModel, Name: "fct", FQN: []string{"p", "fct"}},
		{UniqueID: "exposure.p.dash", ResourceType: backend.TypeExposure, Name: "dash", FQN: []string{"p", "dash"}},
		{UniqueID: "test.p.not_null_src", ResourceType: backend.TypeTest, Name: "not_null_src"},
		{UniqueID: "test.p.unique_fct", ResourceType: backend.TypeTest, Name: "unique_fct"},
	}}
	for _, e := range [][2]string{{"source.p.raw.src", "model.p.stg"}, {"model.p.stg", "model.p.fct"}, {"model.p.fct", "exposure.p.dash"},
		{"source.p.raw.src", "test.p.not_null_src"}, {"model.p.fct", "test.p.unique_fct"}} {
		d.Edges = append(d.Edges, backend.Edge{Parent: e[0], Child: e[1]})
	}
	g := lineage.New(d)
	sel, err := g.Select("stg+", lineage.SelectOptions{}) // the source is not selected
	if err != nil {
		t.Fatal(err)
	}
	nodes, edges := lineage.BuildOrder(g, sel)
	var got []string
	for _, e := range edges {
		got = append(got, e.Parent+" -> "+e.Child)
	}
	slices.Sort(got)
	want := []string{
		"model.p.fct -> exposure.p.dash", "model.p.fct -> test.p.unique_fct", // no unique_fct -> dash
		"model.p.stg -> model.p.fct",
		"source.p.raw.src -> test.p.not_null_src", "test.p.not_null_src -> model.p.stg",
	}
	if !slices.Equal(got, want) {
		t.Errorf("edges\n%s\nwant\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
	secs := map[string]float64{"test.p.not_null_src": 3, "model.p.stg": 1, "model.p.fct": 2, "test.p.unique_fct": 4, "exposure.p.dash": 0.5}
	path := lineage.CriticalPathOf(nodes, edges, secs)
	wantPath := []string{"test.p.not_null_src", "model.p.stg", "model.p.fct", "test.p.unique_fct"}
	if !slices.Equal(path.Nodes, wantPath) || path.Seconds != 10 {
		t.Errorf("critical path %v (%v s), want %v (10 s): the source's test first, the exposure not after fct's test", path.Nodes, path.Seconds, wantPath)
	}
}
