package lineage_test

import (
	"cmp"
	"fmt"
	"math"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"

	"github.com/lineagedesk/lineagedesk/backend"
	"github.com/lineagedesk/lineagedesk/backend/lineage"
)

// layered builds a synthetic project: sources -> staging -> intermediate ->
// marts -> exposures, each model reading 1-maxParents nodes of the layer before (and
// sometimes two layers before), low-numbered nodes more often, with about three tests per model. models is
// the number of models; the result has roughly 4.4x as many nodes.
func layered(models, maxParents int) (*backend.GraphData, string) {
	r := rand.New(rand.NewPCG(1, 2))
	d := &backend.GraphData{}
	add := func(rt, name, folder string) string {
		id := rt + ".proj." + name
		d.Nodes = append(d.Nodes, backend.GraphNode{
			UniqueID: id, ResourceType: rt, Name: name, Package: "proj",
			Path: "models/" + folder + "/" + name + ".sql", FQN: []string{"proj", folder, name},
			Materialized: "view",
		})
		return id
	}
	link := func(p, c string) { d.Edges = append(d.Edges, backend.Edge{Parent: p, Child: c}) }
	sizes := []int{models / 5, models * 2 / 5, models / 4, models - models/5 - models*2/5 - models/4, models / 10}
	kinds := []string{"source", "model", "model", "model", "exposure"}
	folders := []string{"sources", "staging", "intermediate", "marts", "exposures"}
	layers := make([][]string, len(sizes))
	for l, n := range sizes {
		for i := range n {
			id := add(kinds[l], fmt.Sprintf("%s_%d", folders[l], i), folders[l])
			layers[l] = append(layers[l], id)
			if l == 0 {
				continue
			}
			for range 1 + r.IntN(maxParents) {
				from := l - 1
				if l > 1 && r.IntN(4) == 0 {
					from = l - 2
				}
				// Skewed choice: low-numbered nodes become hubs, as real projects have.
				link(layers[from][int(float64(len(layers[from]))*math.Pow(r.Float64(), 3))], id)
			}
			if kinds[l] == "model" {
				for k := range 3 {
					test := add("test", fmt.Sprintf("test_%s_%d_%d", folders[l], i, k), folders[l])
					link(id, test)
				}
			}
		}
	}
	// The central model: a hub of the intermediate layer.
	return d, layers[2][0]
}

func BenchmarkNew50k(b *testing.B) {
	d, _ := layered(11_500, 23) // ~50k nodes, ~150k edges
	b.ReportMetric(float64(len(d.Nodes)), "nodes")
	b.ReportMetric(float64(len(d.Edges)), "edges")
	b.ResetTimer()
	for b.Loop() {
		lineage.New(d)
	}
}

// BenchmarkNewSorted220k builds from input sorted as storage delivers it
// (nodes by unique_id, edges by parent then child): New only checks the order.
func BenchmarkNewSorted220k(b *testing.B) {
	d, _ := layered(50_000, 3)
	slices.SortFunc(d.Nodes, func(x, y backend.GraphNode) int { return strings.Compare(x.UniqueID, y.UniqueID) })
	slices.SortFunc(d.Edges, func(x, y backend.Edge) int {
		return cmp.Or(strings.Compare(x.Parent, y.Parent), strings.Compare(x.Child, y.Child))
	})
	d.Edges = slices.Compact(d.Edges)
	b.ReportMetric(float64(len(d.Nodes)), "nodes")
	b.ReportMetric(float64(len(d.Edges)), "edges")
	for b.Loop() {
		lineage.New(d)
	}
}

// BenchmarkLibrary50k is the cost of the dominikbraun/graph model, which
// New no longer builds: Library builds it on its first call.
func BenchmarkLibrary50k(b *testing.B) {
	d, _ := layered(11_500, 23)
	for b.Loop() {
		lineage.New(d).Library()
	}
}

func BenchmarkNew220k(b *testing.B) {
	d, _ := layered(50_000, 3)
	b.ReportMetric(float64(len(d.Nodes)), "nodes")
	b.ReportMetric(float64(len(d.Edges)), "edges")
	b.ResetTimer()
	for b.Loop() {
		lineage.New(d)
	}
}

func BenchmarkSelectCentral50kModels(b *testing.B) {
	d, central := layered(50_000, 3)
	g := lineage.New(d)
	b.ReportMetric(float64(len(d.Nodes)), "nodes")
	b.ReportMetric(float64(len(g.Edges())), "edges")
	exprs := []string{"+" + central + "+", "+intermediate_30+", "2+intermediate_30+2", "@" + central, "source.proj.sources_5000+", "+marts_100", "intermediate_1,config.materialized:view intermediate_2"}
	for i, expr := range exprs {
		b.Run(fmt.Sprint(i), func(b *testing.B) {
			b.Log(expr)
			var n int
			for b.Loop() {
				sel, err := g.Select(expr, lineage.SelectOptions{})
				if err != nil {
					b.Fatal(err)
				}
				n = len(sel.Nodes)
			}
			b.ReportMetric(float64(n), "selected")
		})
	}
}

// BenchmarkFindCycle220k is the import's cycle check on a 50k-model
// project's graph (~220k nodes with tests).
func BenchmarkFindCycle220k(b *testing.B) {
	d, _ := layered(50_000, 3)
	b.ResetTimer()
	for range b.N {
		if c := lineage.FindCycle(d.Nodes, d.Edges); c != nil {
			b.Fatal(c)
		}
	}
}
