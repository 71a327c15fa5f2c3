package render_test

import (
	"encoding/json"
	"regexp"
	"strings"
	"testing"

	"github.com/lineagedesk/lineagedesk/backend"
	"github.com/lineagedesk/lineagedesk/backend/lineage"
	"github.com/lineagedesk/lineagedesk/backend/render"
)

// TestNodeColors: a node whose project sets docs.node_color is filled with
// it in every format, its label written light on a dark fill; a value that
// is no CSS colour changes nothing, and none reaches the output as
// written; the focus keeps its highlight. The nodes in a colour of their
// project's are marked so (the UI's dark theme leaves them be).
func TestNodeColors(t *testing.T) {
	data := &backend.GraphData{}
	colors := map[string]string{
		"dark":      "#0f3d0b",
		"named":     "Gold",
		"short":     "#abc",
		"css4":      "rebeccapurple",
		"script":    `javascript:alert(1)`,
		"five":      "#12345",
		"injection": `red", fontcolor="blue`,
		"url":       "url(#x)",
		"focused":   "#141161",
	}
	for name := range colors {
		data.Nodes = append(data.Nodes, backend.GraphNode{UniqueID: "model.p." + name, ResourceType: backend.TypeModel, Name: name, Package: "p", FQN: []string{"p", name}})
	}
	for _, n := range data.Nodes[1:] {
		data.Edges = append(data.Edges, backend.Edge{Parent: data.Nodes[0].UniqueID, Child: n.UniqueID})
	}
	g := lineage.New(data)
	sel, err := g.Select("* focused", lineage.SelectOptions{})
	if err != nil {
		t.Fatal(err)
	}
	sel.Focus = []string{"model.p.focused"}
	d, err := render.FromSelection(g, sel)
	if err != nil {
		t.Fatal(err)
	}
	byID := map[string]string{}
	for name, c := range colors {
		byID["model.p."+name] = c
	}
	d.MarkColors(byID)
	r := newRenderer(t)
	dot, err := r.DOT(d, meta)
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]struct{ fill, ink string }{
		"dark": {"#0F3D0B", "#FFFFFF"}, "named": {"#FFD700", ""}, "short": {"#AABBCC", ""}, "css4": {"#663399", "#FFFFFF"},
		"script": {"#E3F2FD", ""}, "five": {"#E3F2FD", ""}, "injection": {"#E3F2FD", ""}, "url": {"#E3F2FD", ""},
		"focused": {"#FFF176", ""},
	}
	for _, line := range strings.Split(string(dot), "\n") {
		m := regexp.MustCompile(`^\s+"node-model_p_(\w+)-[0-9a-f]{8}" \[.*fillcolor="([^"]+)"`).FindStringSubmatch(line)
		if m == nil {
			continue
		}
		w, ok := want[m[1]]
		if !ok {
			t.Errorf("unexpected node %s", m[1])
			continue
		}
		delete(want, m[1])
		if m[2] != w.fill {
			t.Errorf("%s: filled %s, want %s", m[1], m[2], w.fill)
		}
		// The UI's dark theme leaves a project's own colours as they are.
		ownFill := w.fill != "#E3F2FD" && w.fill != "#FFF176"
		if marked := strings.Contains(line, `class="ld-own-fill"`); marked != ownFill {
			t.Errorf("%s: marked as filled with its project's colour %v, want %v", m[1], marked, ownFill)
		}
		if hasInk := strings.Contains(line, `fontcolor="#FFFFFF"`); hasInk != (w.ink != "") {
			t.Errorf("%s: white label %v, want %v", m[1], hasInk, w.ink != "")
		}
		if w.ink != "" && !strings.Contains(line, `COLOR="#CFD8DC"`) || w.ink == "" && strings.Contains(line, `COLOR="#CFD8DC"`) {
			t.Errorf("%s: the label's grey rows are not in the ink of its fill: %s", m[1], line)
		}
	}
	if len(want) > 0 {
		t.Errorf("nodes not drawn: %v", want)
	}
	for _, bad := range []string{"javascript", "url(", "#12345\"", `"blue`} {
		if strings.Contains(string(dot), bad) {
			t.Errorf("DOT carries %q from a colour value", bad)
		}
	}
	if !regexp.MustCompile(`BGCOLOR="#0F3D0B"[^>]*WIDTH="10"></TD>.*docs\.node_color`).MatchString(string(dot)) {
		t.Error("the legend has no swatches of the project's fills")
	}
	svg, err := r.SVG(t.Context(), d, meta)
	if err != nil {
		t.Fatal(err)
	}
	parseSVG(t, svg)
	if !strings.Contains(string(svg), `fill="#0f3d0b"`) && !strings.Contains(string(svg), `fill="#0F3D0B"`) {
		t.Error("the SVG does not fill the dark node with its colour")
	}

	mmd, err := r.Mermaid(d)
	if err != nil {
		t.Fatal(err)
	}
	for _, line := range strings.Split(string(mmd), "\n") {
		if strings.HasPrefix(line, "  style ") && !regexp.MustCompile(`^  style \w+ [\w#:,-]+$`).MatchString(line) {
			t.Errorf("Mermaid style line %q", line)
		}
	}
	if !regexp.MustCompile(`(?m)^  style \w+ fill:#0F3D0B,color:#FFFFFF$`).Match(mmd) || !regexp.MustCompile(`(?m)^  style \w+ fill:#FFD700$`).Match(mmd) {
		t.Errorf("Mermaid does not fill the coloured nodes:\n%s", mmd)
	}
	js, err := r.JSON(d, meta)
	if err != nil {
		t.Fatal(err)
	}
	var doc struct {
		Nodes []struct {
			Name      string `json:"name"`
			NodeColor string `json:"node_color"`
		} `json:"nodes"`
	}
	if err := json.Unmarshal(js, &doc); err != nil {
		t.Fatal(err)
	}
	got := map[string]string{}
	for _, n := range doc.Nodes {
		got[n.Name] = n.NodeColor
	}
	if got["dark"] != "#0F3D0B" || got["named"] != "#FFD700" || got["script"] != "" || got["focused"] != "#141161" {
		t.Errorf("JSON node_color: %v", got)
	}
}
