package render_test

import (
	"slices"
	"strings"
	"testing"

	"github.com/lineagedesk/lineagedesk/backend"
	"github.com/lineagedesk/lineagedesk/backend/lineage"
	"github.com/lineagedesk/lineagedesk/backend/render"
)

var nodesColumns = []string{"unique_id", "name", "resource_type", "package", "box", "materialized",
	"relation_name", "path", "tags", "group", "access", "run_status",
	"tests", "tests_pass", "tests_warn", "tests_fail", "tests_error", "tests_skipped", "change", "description"}

// TestNodesCSV: one row per resource of the picture, a box's members too
// (with the box's label), read back against the selection, named as lists
// name them; hostile text cannot start a formula.
func TestNodesCSV(t *testing.T) {
	data := loadFixture(t, goldenDataset)
	g := lineage.New(data)
	sel, grp, d := groupAndDraw(t, data, "* source:*", lineage.GroupByFolder)
	if len(grp.Boxes) == 0 {
		t.Fatal("the folders make no box: the test needs one")
	}
	out, err := render.NodesCSV(d, g.Node)
	if err != nil {
		t.Fatal(err)
	}
	rows := readCSVWith(t, out, nodesColumns)
	boxOf := map[string]string{}
	for _, b := range grp.Boxes {
		for _, m := range b.Members {
			boxOf[m] = b.Label
		}
	}
	var got []string
	for _, r := range rows {
		got = append(got, r["unique_id"])
		n, ok := g.Node(r["unique_id"])
		if !ok {
			t.Fatalf("row of %s, which the graph has not", r["unique_id"])
		}
		if r["box"] != boxOf[n.UniqueID] || r["name"] != backend.ListedName(n.UniqueID, n.ResourceType, n.Name, n.Version) || r["resource_type"] != n.ResourceType || r["relation_name"] != n.RelationName {
			t.Errorf("row %v, the node %+v in box %q", r, n, boxOf[n.UniqueID])
		}
	}
	want := slices.Sorted(slices.Values(sel.Nodes))
	if !slices.Equal(got, want) {
		t.Errorf("rows %d, the selection %d: %v", len(got), len(want), got)
	}

	// Hostile names and descriptions stay text.
	hostile := &backend.GraphData{Nodes: []backend.GraphNode{{UniqueID: "model.p.=cmd()", ResourceType: "model", Name: "=cmd()", Package: "p", FQN: []string{"p", "=cmd()"}, Description: "@SUM(A1)", Tags: []string{"+x"}}}}
	hg := lineage.New(hostile)
	hsel, err := hg.Select("*", lineage.SelectOptions{})
	if err != nil {
		t.Fatal(err)
	}
	hd, err := render.FromSelection(hg, hsel)
	if err != nil {
		t.Fatal(err)
	}
	out, err = render.NodesCSV(hd, hg.Node)
	if err != nil {
		t.Fatal(err)
	}
	r := readCSVWith(t, out, nodesColumns)[0]
	for _, col := range []string{"unique_id", "name", "description", "tags"} {
		if strings.ContainsAny(r[col][:1], "=+-@") {
			t.Errorf("%s %q starts a formula", col, r[col])
		}
	}
}
