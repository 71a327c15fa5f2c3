package render_test

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/lineagedesk/lineagedesk/backend"
	"github.com/lineagedesk/lineagedesk/backend/lineage"
	"github.com/lineagedesk/lineagedesk/backend/render"
)

// TestMarkDiff: a picture of a -> b, a -> c as a diff against a snapshot
// that had a -> b and a -> old (old gone since): a -> c is added, old is
// drawn removed with its edge, a -> b is unchanged; every format says so,
// and the legend names only what the picture has.
func TestMarkDiff(t *testing.T) {
	node := func(name string) backend.GraphNode {
		return backend.GraphNode{UniqueID: "model.p." + name, ResourceType: backend.TypeModel, Name: name, Package: "p", FQN: []string{"p", name}}
	}
	a, b, c := node("a"), node("b"), node("c")
	a.Tests, b.Tests, c.Tests = backend.TestSummary{Total: 2, Pass: 1, Fail: 1}, backend.TestSummary{Total: 1, Pass: 1}, backend.TestSummary{Total: 1, Fail: 1}
	data := &backend.GraphData{Nodes: []backend.GraphNode{a, b, c},
		Edges: []backend.Edge{{Parent: "model.p.a", Child: "model.p.b"}, {Parent: "model.p.a", Child: "model.p.c"}}}
	g := lineage.New(data)
	sel, err := g.Select("*", lineage.SelectOptions{})
	if err != nil {
		t.Fatal(err)
	}
	d, err := render.FromSelection(g, sel)
	if err != nil {
		t.Fatal(err)
	}
	old := node("old")
	d.MarkDiff([]*backend.GraphNode{&old}, []backend.Edge{{Parent: "model.p.a", Child: "model.p.b"}, {Parent: "model.p.a", Child: "model.p.old"},
		{Parent: "model.p.gone", Child: "model.p.a"}}, // an edge to a node not drawn stays out
		// a's test failed since, b's was fixed, c's ran as it did; the
		// removed node has no summary of this run.
		map[string]backend.TestSummary{"model.p.a": {Total: 2, Pass: 2}, "model.p.b": {Total: 1, Error: 1}, "model.p.c": {Total: 1, Fail: 1}})
	r := newRenderer(t)

	js, err := r.JSON(d, meta)
	if err != nil {
		t.Fatal(err)
	}
	var doc struct {
		Nodes []struct {
			UniqueID    string               `json:"unique_id"`
			StateChange []string             `json:"state_change"`
			TestsBefore *backend.TestSummary `json:"tests_before"`
		}
		Edges []struct{ From, To, Change string }
	}
	if err := json.Unmarshal(js, &doc); err != nil {
		t.Fatal(err)
	}
	edges := map[string]string{}
	for _, e := range doc.Edges {
		edges[strings.TrimPrefix(e.From, "model.p.")+">"+strings.TrimPrefix(e.To, "model.p.")] = e.Change
	}
	if want := map[string]string{"a>b": "", "a>c": "added", "a>old": "removed"}; len(edges) != len(want) || edges["a>b"] != "" || edges["a>c"] != "added" || edges["a>old"] != "removed" {
		t.Errorf("JSON edges %v, want %v", edges, want)
	}
	if len(doc.Nodes) != 4 || doc.Nodes[3].UniqueID != "model.p.old" || strings.Join(doc.Nodes[3].StateChange, ",") != "removed" {
		t.Errorf("JSON nodes %+v, want old last, removed", doc.Nodes)
	}
	if before := doc.Nodes[0].TestsBefore; before == nil || before.Pass != 2 || doc.Nodes[3].TestsBefore != nil {
		t.Errorf("JSON tests_before: a %+v, old %+v", before, doc.Nodes[3].TestsBefore)
	}

	dot, err := r.DOT(d, meta)
	if err != nil {
		t.Fatal(err)
	}
	// More failing is written in the failed ink, fewer in the label's.
	if s := string(dot); !strings.Contains(s, `COLOR="#C62828"><B>failing tests: 0 → 1</B>`) || !strings.Contains(s, `<B>failing tests: 1 → 0</B>`) ||
		strings.Contains(s, "failing tests: 1 → 1") {
		t.Errorf("DOT: the failing tests' change is not written as it should be")
	}
	for _, want := range []string{`style="rounded,filled,dashed", fillcolor="#FAFAFA", color="#E57373"`, `color="#2E7D32", penwidth=2.20`, `color="#C62828", style=dashed`,
		">removed<", "dependency added", "dependency removed (dashed)", "removed (dashed)"} {
		if !strings.Contains(string(dot), want) {
			t.Errorf("DOT lacks %q", want)
		}
	}
	mmd, err := r.Mermaid(d)
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{" -.-> ", "linkStyle 1 stroke:#2E7D32", "linkStyle 2 stroke:#C62828", "stroke-dasharray:4 3", "<i>removed</i>"} {
		if !strings.Contains(string(mmd), want) {
			t.Errorf("Mermaid lacks %q:\n%s", want, mmd)
		}
	}
	csv, err := r.CSV(d)
	if err != nil {
		t.Fatal(err)
	}
	rows := readCSV(t, csv)
	changes := map[string]string{}
	for _, row := range rows {
		changes[row["from_name"]+">"+row["to_name"]] = row["change"]
	}
	if changes["a>c"] != "added" || changes["a>old"] != "removed" || changes["a>b"] != "" {
		t.Errorf("CSV changes %v", changes)
	}

	// Nothing added or removed: the legend says so rather than listing
	// what is not there.
	same, err := render.FromSelection(g, sel)
	if err != nil {
		t.Fatal(err)
	}
	same.MarkDiff(nil, data.Edges, nil)
	dot, err = r.DOT(same, meta)
	if err != nil {
		t.Fatal(err)
	}
	if s := string(dot); !strings.Contains(s, "no dependency added or removed") || strings.Contains(s, "dependency added<") || strings.Contains(s, "#2E7D32\", penwidth=2.20") {
		t.Errorf("an unchanged diff's DOT:\n%s", s)
	}
}
