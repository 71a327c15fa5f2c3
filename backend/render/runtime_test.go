package render_test

import (
	"encoding/json"
	"fmt"
	"math"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/lineagedesk/lineagedesk/backend"
	"github.com/lineagedesk/lineagedesk/backend/lineage"
	"github.com/lineagedesk/lineagedesk/backend/render"
)

// TestRunTimesOnGroups draws a grouped picture with run times: a box ran
// for its members' total, holds the critical path when one of them is on
// it, and the edges between the boxes of consecutive steps are the path's.
func TestRunTimesOnGroups(t *testing.T) {
	sel, _, d := folderDiagram(t)
	times := map[string]float64{}
	for i, id := range sel.Nodes {
		if i%5 != 0 { // some nodes did not run
			times[id] = float64(len(id)%7) + 0.5
		}
	}
	path := lineage.CriticalPathOf(sel.Nodes, sel.Edges, times)
	if len(path.Nodes) < 3 {
		t.Fatalf("path %v too short to test", path.Nodes)
	}
	d.MarkRuntime(times, render.Runtime{Command: "build", Path: path})

	drawnAs := map[string]*render.Node{}
	boxTimes := map[string]float64{} // box id -> its members' total, for those that ran
	for i := range d.Nodes {
		n := &d.Nodes[i]
		var members []string
		if n.Box != nil {
			members = n.Box.Members
		} else {
			members = []string{n.Resource.UniqueID}
		}
		total, ran, critical := 0.0, false, false
		for _, id := range members {
			drawnAs[id] = n
			s, ok := times[id]
			total, ran = total+s, ran || ok
			critical = critical || slices.Contains(path.Nodes, id)
		}
		if n.Box != nil && ran {
			boxTimes[n.Box.ID] = total
		}
		if n.Ran != ran || math.Abs(n.RunSeconds-total) > 1e-9 || n.Critical != critical {
			t.Errorf("%s: ran %v %v s critical %v, want %v %v s %v", n.ID, n.Ran, n.RunSeconds, n.Critical, ran, total, critical)
		}
	}
	steps := map[[2]string]bool{}
	for i := 1; i < len(path.Nodes); i++ {
		steps[[2]string{drawnAs[path.Nodes[i-1]].ID, drawnAs[path.Nodes[i]].ID}] = true
	}
	var criticalEdges []int
	for i, e := range d.Edges {
		if e.Critical != steps[[2]string{e.From, e.To}] {
			t.Errorf("edge %s -> %s critical %v", e.From, e.To, e.Critical)
		}
		if e.Critical {
			criticalEdges = append(criticalEdges, i)
		}
	}
	if len(criticalEdges) == 0 {
		t.Fatal("no edge between boxes is on the path")
	}

	r := newRenderer(t)
	svg, err := r.SVG(t.Context(), d, meta)
	if err != nil {
		t.Fatal(err)
	}
	parseSVG(t, svg)
	if !strings.Contains(string(svg), " in all</text>") || !strings.Contains(string(svg), "critical path: ") {
		t.Error("the SVG does not show the boxes' run times and the path")
	}
	// The JSON export says the same of each box, and the path's steps.
	raw, err := r.JSON(d, meta)
	if err != nil {
		t.Fatal(err)
	}
	var doc struct {
		CriticalPath struct {
			Nodes []string  `json:"nodes"`
			Times []float64 `json:"times"`
		} `json:"critical_path"`
		Groups []struct {
			ID            string   `json:"id"`
			ExecutionTime *float64 `json:"execution_time"`
		} `json:"groups"`
	}
	if err := json.Unmarshal(raw, &doc); err != nil {
		t.Fatal(err)
	}
	if len(doc.Groups) == 0 || len(boxTimes) == 0 {
		t.Fatal("no box ran: nothing to test")
	}
	for _, g := range doc.Groups {
		want, ran := boxTimes[g.ID]
		if ran != (g.ExecutionTime != nil) || ran && math.Abs(*g.ExecutionTime-want) > 1e-9 {
			t.Errorf("JSON group %s: execution_time %v, its members ran %v s (%v)", g.ID, g.ExecutionTime, want, ran)
		}
	}
	if !slices.Equal(doc.CriticalPath.Nodes, path.Nodes) || !slices.Equal(doc.CriticalPath.Times, path.Times) {
		t.Errorf("JSON critical path %+v, want %v %v", doc.CriticalPath, path.Nodes, path.Times)
	}
	mermaid, err := r.Mermaid(d)
	if err != nil {
		t.Fatal(err)
	}
	var numbers []string
	for _, i := range criticalEdges {
		numbers = append(numbers, fmt.Sprint(i))
	}
	if m := regexp.MustCompile(`(?m)^  linkStyle ([0-9,]+) stroke:#D84315`).FindSubmatch(mermaid); m == nil || string(m[1]) != strings.Join(numbers, ",") {
		t.Errorf("Mermaid highlights links %q, want %v", m, numbers)
	}
}

// TestMermaidNamesVersions: versions of a model read apart in Mermaid, as
// in the picture.
func TestMermaidNamesVersions(t *testing.T) {
	d := diagramOf(t, loadFixture(t, goldenDataset), "customers.v1 customers.v2")
	out, err := newRenderer(t).Mermaid(d)
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"<b>customers v1</b>", "<b>customers v2</b>"} {
		if !strings.Contains(string(out), want) {
			t.Errorf("Mermaid lacks %q:\n%s", want, out)
		}
	}
}

// TestRunTimesPathThroughDrawnTests: a build's path runs through a test
// between the node it tests and the next; drawn, the test is marked on the
// path, and the orange step joins the nodes either side of it (there is no
// edge from a test to what waits for it).
func TestRunTimesPathThroughDrawnTests(t *testing.T) {
	d := &backend.GraphData{Nodes: []backend.GraphNode{
		{UniqueID: "model.p.a", ResourceType: backend.TypeModel, Name: "a", FQN: []string{"p", "a"}},
		{UniqueID: "model.p.b", ResourceType: backend.TypeModel, Name: "b", FQN: []string{"p", "b"}},
		{UniqueID: "test.p.not_null_a", ResourceType: backend.TypeTest, Name: "not_null_a"},
	}, Edges: []backend.Edge{{Parent: "model.p.a", Child: "model.p.b"}, {Parent: "model.p.a", Child: "test.p.not_null_a"}}}
	g := lineage.New(d)
	sel, err := g.Select("a+", lineage.SelectOptions{IncludeTests: true})
	if err != nil {
		t.Fatal(err)
	}
	diagram, err := render.FromSelection(g, sel)
	if err != nil {
		t.Fatal(err)
	}
	path := lineage.CriticalPath{Nodes: []string{"model.p.a", "test.p.not_null_a", "model.p.b"}, Times: []float64{1, 2, 1}, Seconds: 4}
	diagram.MarkRuntime(map[string]float64{"model.p.a": 1, "test.p.not_null_a": 2, "model.p.b": 1}, render.Runtime{Command: "build", Path: path})
	byID := map[string]string{}
	for _, n := range diagram.Nodes {
		byID[n.ID] = n.Resource.UniqueID
		if !n.Critical {
			t.Errorf("%s is on the path but not marked", n.Resource.UniqueID)
		}
	}
	for _, e := range diagram.Edges {
		want := byID[e.From] == "model.p.a" && byID[e.To] == "model.p.b"
		if e.Critical != want {
			t.Errorf("edge %s -> %s critical %v, want %v", byID[e.From], byID[e.To], e.Critical, want)
		}
	}
}
