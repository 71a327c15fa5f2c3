package render_test

import (
	"encoding/json"
	"encoding/xml"
	"maps"
	"regexp"
	"strings"
	"testing"

	"github.com/lineagedesk/lineagedesk/backend"
	"github.com/lineagedesk/lineagedesk/backend/lineage"
	"github.com/lineagedesk/lineagedesk/backend/render"
)

// TestHealthLens: with the health lens a border is the node's data health
// (degraded red, caution amber, healthy green, unknown and what health
// does not judge grey), the label says it in words, the tooltip says why,
// the JSON export and the Mermaid flowchart carry it; a box takes its
// members' worst and counts them.
func TestHealthLens(t *testing.T) {
	data := &backend.GraphData{}
	add := func(id, kind, folder string) {
		name := id[strings.LastIndex(id, ".")+1:]
		data.Nodes = append(data.Nodes, backend.GraphNode{UniqueID: id, ResourceType: kind, Name: name, Package: "p",
			Path: folder + "/" + name + ".sql", FQN: []string{"p", folder, name}})
	}
	add("model.p.broken", backend.TypeModel, "a")
	add("model.p.shaky", backend.TypeModel, "a")
	add("model.p.fine", backend.TypeModel, "b")
	add("model.p.new", backend.TypeModel, "b")
	add("test.p.not_null_fine_id", backend.TypeTest, "b")
	for _, child := range []string{"model.p.shaky", "model.p.fine", "model.p.new", "test.p.not_null_fine_id"} {
		data.Edges = append(data.Edges, backend.Edge{Parent: "model.p.broken", Child: child})
	}
	g := lineage.New(data)
	judged := map[string]backend.Health{
		"model.p.broken": {State: "degraded", Reasons: []string{"its last build failed", `<script>alert(1)</script> & "quotes"`}},
		"model.p.shaky":  {State: "caution", Reasons: []string{"no tests"}},
		"model.p.fine":   {State: "healthy"},
		"model.p.new":    {State: "unknown", Reasons: []string{"none of the runs held built, tested or checked it"}},
	}
	lens, err := render.ParseLens("health")
	if err != nil || lens != render.LensHealth {
		t.Fatalf("ParseLens(health) = %q, %v", lens, err)
	}
	sel, err := g.Select("*", lineage.SelectOptions{IncludeTests: true})
	if err != nil {
		t.Fatal(err)
	}
	d, err := render.FromSelection(g, sel)
	if err != nil {
		t.Fatal(err)
	}
	d.Lens = render.LensHealth
	d.MarkHealth(judged)
	r := newRenderer(t)
	dot, err := r.DOT(d, meta)
	if err != nil {
		t.Fatal(err)
	}
	border := func(dot []byte, id string) string {
		m := regexp.MustCompile(`"node-[A-Za-z0-9_]*` + regexp.QuoteMeta(id) + `-[0-9a-f]{8}" \[[^\n]*?, color="(#[0-9A-F]{6})"[^\n]*`).FindSubmatch(dot)
		if m == nil {
			t.Fatalf("no node %s in\n%s", id, dot)
		}
		return string(m[1])
	}
	for id, want := range map[string]string{"broken": "#C62828", "shaky": "#F9A825", "fine": "#2E7D32", "new": "#9E9E9E", "test_p_not_null_fine_id": "#9E9E9E"} {
		if got := border(dot, id); got != want {
			t.Errorf("%s: border %s, want %s", id, got, want)
		}
	}
	for _, want := range []string{"data health (border):", "degraded", "caution", "healthy", "unknown / not judged", "health: degraded", "health: unknown"} {
		if !strings.Contains(string(dot), want) {
			t.Errorf("the DOT lacks %q", want)
		}
	}
	if strings.Contains(string(dot), "tests (border") {
		t.Error("the legend names the tests lens")
	}

	svg, err := r.SVG(t.Context(), d, meta)
	if err != nil {
		t.Fatal(err)
	}
	if err := xml.Unmarshal(svg, new(struct{})); err != nil {
		t.Fatalf("SVG is not XML: %v", err)
	}
	if strings.Contains(string(svg), "<script>") {
		t.Error("a reason's markup reached the SVG unescaped")
	}
	if !strings.Contains(string(svg), "health: degraded (its last build failed; &lt;script&gt;alert(1)&lt;/script&gt; &amp; &#34;quotes&#34;)") &&
		!strings.Contains(string(svg), "health: degraded (its last build failed; &lt;script&gt;alert(1)&lt;/script&gt; &amp; &quot;quotes&quot;)") {
		t.Errorf("the degraded node's tooltip lacks its reasons:\n%s", svg)
	}

	raw, err := r.JSON(d, meta)
	if err != nil {
		t.Fatal(err)
	}
	var doc struct {
		Nodes []struct {
			UniqueID string          `json:"unique_id"`
			Health   *backend.Health `json:"health"`
		} `json:"nodes"`
	}
	if err := json.Unmarshal(raw, &doc); err != nil {
		t.Fatal(err)
	}
	for _, n := range doc.Nodes {
		want, ok := judged[n.UniqueID]
		switch {
		case !ok && n.Health != nil:
			t.Errorf("%s: health %+v, none judged", n.UniqueID, n.Health)
		case ok && (n.Health == nil || n.Health.State != want.State || strings.Join(n.Health.Reasons, "|") != strings.Join(want.Reasons, "|")):
			t.Errorf("%s: health %+v, want %+v", n.UniqueID, n.Health, want)
		}
	}
	mermaid, err := r.Mermaid(d)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(mermaid), "health: caution") || !strings.Contains(string(mermaid), "stroke:#C62828") {
		t.Errorf("the Mermaid flowchart lacks the health:\n%s", mermaid)
	}

	// By folder: a holds a degraded and a caution model, b a healthy, an
	// unknown and a test.
	grp, err := g.Group(sel, lineage.GroupByFolder, lineage.SelectOptions{IncludeTests: true})
	if err != nil {
		t.Fatal(err)
	}
	gd, err := render.FromGrouping(g, grp)
	if err != nil {
		t.Fatal(err)
	}
	gd.Lens = render.LensHealth
	gd.MarkHealth(judged)
	gdot, err := r.DOT(gd, meta)
	if err != nil {
		t.Fatal(err)
	}
	boxes := map[string]string{}
	for _, m := range regexp.MustCompile(`"group-group_folder_p_(\w+)-[0-9a-f]{8}" \[[^\n]*?, color="(#[0-9A-F]{6})"`).FindAllSubmatch(gdot, -1) {
		boxes[string(m[1])] = string(m[2])
	}
	if want := map[string]string{"a": "#C62828", "b": "#9E9E9E"}; !maps.Equal(boxes, want) {
		t.Errorf("box borders %v, want %v (a box is healthy only when all it holds is)", boxes, want)
	}
	graw, err := r.JSON(gd, meta)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(graw), `"health":{"state":"degraded","reasons":["1 degraded, 1 caution"]}`) ||
		!strings.Contains(string(graw), `"health":{"state":"unknown","reasons":["1 unknown, 1 healthy"]}`) {
		t.Errorf("the grouped JSON lacks the boxes' health:\n%s", graw)
	}
}
