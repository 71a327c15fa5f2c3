package render_test

import (
	"maps"
	"regexp"
	"strings"
	"testing"

	"github.com/lineagedesk/lineagedesk/backend"
	"github.com/lineagedesk/lineagedesk/backend/lineage"
	"github.com/lineagedesk/lineagedesk/backend/render"
)

// TestDocsLens: with the docs lens a border says whether the node has a
// description: green with one, red without (blank counts as none), grey
// for a test; a box is green when all its members have one, red when
// none has, amber in between, and the legend names what it shows.
func TestDocsLens(t *testing.T) {
	data := &backend.GraphData{}
	add := func(id, kind, folder, description string) {
		name := id[strings.LastIndex(id, ".")+1:]
		data.Nodes = append(data.Nodes, backend.GraphNode{UniqueID: id, ResourceType: kind, Name: name, Package: "p",
			Path: folder + "/" + name + ".sql", FQN: []string{"p", folder, name}, Description: description})
	}
	add("model.p.described", backend.TypeModel, "a", "One row per order.")
	add("model.p.blank", backend.TypeModel, "a", "  \n")
	add("model.p.bare", backend.TypeModel, "b", "")
	add("model.p.also_bare", backend.TypeModel, "b", "")
	add("model.p.documented", backend.TypeModel, "c", "Yes.")
	add("test.p.not_null_described_id", backend.TypeTest, "a", "")
	for _, child := range []string{"blank", "bare", "also_bare", "documented", "not_null_described_id"} {
		data.Edges = append(data.Edges, backend.Edge{Parent: "model.p.described", Child: "model.p." + child})
	}
	data.Edges[len(data.Edges)-1].Child = "test.p.not_null_described_id"
	g := lineage.New(data)
	r := newRenderer(t)
	border := func(dot []byte, id string) string {
		m := regexp.MustCompile(`"node-[A-Za-z0-9_]*` + regexp.QuoteMeta(id) + `-[0-9a-f]{8}" \[[^\n]*?, color="(#[0-9A-F]{6})"`).FindSubmatch(dot)
		if m == nil {
			t.Fatalf("no node %s in\n%s", id, dot)
		}
		return string(m[1])
	}
	lens, err := render.ParseLens("docs")
	if err != nil || lens != render.LensDocs {
		t.Fatalf("ParseLens(docs) = %q, %v", lens, err)
	}

	sel, err := g.Select("*", lineage.SelectOptions{IncludeTests: true})
	if err != nil {
		t.Fatal(err)
	}
	d, err := render.FromSelection(g, sel)
	if err != nil {
		t.Fatal(err)
	}
	d.Lens = render.LensDocs
	dot, err := r.DOT(d, meta)
	if err != nil {
		t.Fatal(err)
	}
	for id, want := range map[string]string{"described": "#2E7D32", "blank": "#C62828", "bare": "#C62828", "test_p_not_null_described_id": "#9E9E9E"} {
		if got := border(dot, id); got != want {
			t.Errorf("%s: border %s, want %s", id, got, want)
		}
	}
	for _, want := range []string{"description (border):", "described", "no description"} {
		if !strings.Contains(string(dot), want) {
			t.Errorf("the legend lacks %q", want)
		}
	}
	if strings.Contains(string(dot), "some (a box)") || strings.Contains(string(dot), "tests (border") {
		t.Error("the legend names what the picture does not show")
	}

	// Grouped by folder: a holds one described model and one blank (and a
	// test, not judged), b none described, c all.
	grp, err := g.Group(sel, lineage.GroupByFolder, lineage.SelectOptions{IncludeTests: true})
	if err != nil {
		t.Fatal(err)
	}
	gd, err := render.FromGrouping(g, grp)
	if err != nil {
		t.Fatal(err)
	}
	gd.Lens = render.LensDocs
	gdot, err := r.DOT(gd, meta)
	if err != nil {
		t.Fatal(err)
	}
	boxes := map[string]string{}
	for _, m := range regexp.MustCompile(`"group-group_folder_p_(\w+)-[0-9a-f]{8}" \[[^\n]*?, color="(#[0-9A-F]{6})"`).FindAllSubmatch(gdot, -1) {
		boxes[string(m[1])] = string(m[2])
	}
	if want := map[string]string{"a": "#F9A825", "b": "#C62828", "c": "#2E7D32"}; !maps.Equal(boxes, want) {
		t.Errorf("box borders %v, want %v", boxes, want)
	}
	if !strings.Contains(string(gdot), "some (a box)") {
		t.Error("a grouped picture's legend lacks the boxes' amber")
	}
}
