package render_test

import (
	"bytes"
	"fmt"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/lineagedesk/lineagedesk/backend"
	"github.com/lineagedesk/lineagedesk/backend/lineage"
	"github.com/lineagedesk/lineagedesk/backend/render"
)

// fanData: model hub with 40 children that read from it alone
// (model.p.c00-39), one child with a child of its own, and a parent
// union fed by 30 sources that feed nothing else.
func fanData(children int) *backend.GraphData {
	d := &backend.GraphData{}
	model := func(name string) {
		d.Nodes = append(d.Nodes, backend.GraphNode{UniqueID: "model.p." + name, ResourceType: backend.TypeModel, Name: name, FQN: []string{"p", name}})
	}
	edge := func(from, to string) { d.Edges = append(d.Edges, backend.Edge{Parent: from, Child: to}) }
	for _, name := range []string{"hub", "union", "mid", "end"} {
		model(name)
	}
	edge("model.p.union", "model.p.hub")
	edge("model.p.hub", "model.p.mid")
	edge("model.p.mid", "model.p.end")
	for i := range children {
		name := fmt.Sprintf("c%02d", i)
		model(name)
		edge("model.p.hub", "model.p."+name)
	}
	for i := range 30 {
		id := fmt.Sprintf("source.p.raw.s%02d", i)
		d.Nodes = append(d.Nodes, backend.GraphNode{UniqueID: id, ResourceType: backend.TypeSource, Name: id[13:], SourceName: "raw", FQN: []string{"p", "raw", id[13:]}})
		edge(id, "model.p.union")
	}
	return d
}

// nodeX is the x of each node's first text in the SVG, by element id.
func nodeX(t *testing.T, svg []byte) map[string]float64 {
	t.Helper()
	out := map[string]float64{}
	for _, m := range regexp.MustCompile(`<g id="([^"]+)" class="node"(?: transform="[^"]*")?>[\s\S]*?<text[^>]* x="([-\d.]+)"`).FindAllSubmatch(svg, -1) {
		x, err := strconv.ParseFloat(string(m[2]), 64)
		if err != nil {
			t.Fatal(err)
		}
		out[string(m[1])] = x
	}
	return out
}

// columnsOf counts the distinct x (to the point) of the nodes whose
// unique_id starts with prefix, and says whether all lie on side of x0.
func columnsOf(d *render.Diagram, xs map[string]float64, prefix string, right bool, x0 float64) (columns int, sideOK bool) {
	seen := map[int]bool{}
	sideOK = true
	for _, n := range d.Nodes {
		if n.Resource == nil || !strings.HasPrefix(n.Resource.UniqueID, prefix) {
			continue
		}
		x := xs[n.ID]
		seen[int(x)] = true
		if (x > x0) != right {
			sideOK = false
		}
	}
	return len(seen), sideOK
}

// A hub's many children that read from it alone fall in one rank, which
// dot draws as one column (1,376 of them a hundred times taller than
// wide); they are drawn as a grid in a box, with one edge to the box
// that counts them, and so are many sources feeding one model alone.
func TestFansDrawnAsGrids(t *testing.T) {
	r := newRenderer(t)
	d := diagramOf(t, fanData(40), "* source:*")
	dot, err := r.DOT(d, meta)
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{`label=<40 children of hub>`, `label=<30 parents of union>`, `, label="40"`, `, label="30"`, `compound=true`} {
		if !bytes.Contains(dot, []byte(want)) {
			t.Errorf("the DOT lacks %s", want)
		}
	}
	if n, m := bytes.Count(dot, []byte("lhead=")), bytes.Count(dot, []byte("ltail=")); n != 1 || m != 1 {
		t.Errorf("%d edges into a box and %d out of one, want 1 each", n, m)
	}
	svg, err := r.SVG(t.Context(), d, meta)
	if err != nil {
		t.Fatal(err)
	}
	nodes := parseSVG(t, svg)
	if len(nodes) != len(d.Nodes) {
		t.Errorf("%d nodes drawn, want %d", len(nodes), len(d.Nodes))
	}
	// Drawn: the edges outside the fans, and one for each fan.
	if edges := bytes.Count(svg, []byte(`class="edge"`)); edges != len(d.Edges)-40-30+2 {
		t.Errorf("%d edges drawn, want %d", edges, len(d.Edges)-40-30+2)
	}
	for _, title := range []string{"<title>40 children of hub</title>", "<title>30 parents of union</title>", "<title>hub → 40 children of hub</title>", "<title>30 parents of union → union</title>"} {
		if !bytes.Contains(svg, []byte(title)) {
			t.Errorf("the SVG lacks %s", title)
		}
	}
	// The PNG paints the same layout (its painter reads the grid's box too).
	if png, err := r.PNG(t.Context(), d, meta, 0.5); err != nil || len(png) == 0 {
		t.Errorf("PNG of the grids: %v", err)
	}
	xs := nodeX(t, svg)
	idOf := func(uid string) string {
		i := slices.IndexFunc(d.Nodes, func(n render.Node) bool { return n.Resource != nil && n.Resource.UniqueID == uid })
		return d.Nodes[i].ID
	}
	// Columns of at most 16: 40 in three, 30 in two.
	if cols, right := columnsOf(d, xs, "model.p.c", true, xs[idOf("model.p.hub")]); cols != 3 || !right {
		t.Errorf("the children in %d columns (right of the hub: %v), want 3", cols, right)
	}
	if cols, left := columnsOf(d, xs, "source.p.raw.s", false, xs[idOf("model.p.union")]); cols != 2 || !left {
		t.Errorf("the sources in %d columns (left of union: %v), want 2", cols, left)
	}

	// Sixteen stay a column; a child on the critical path stays out of its
	// fan, its edge drawn in orange.
	few := diagramOf(t, fanData(16), "* source:*")
	dot, _ = r.DOT(few, meta)
	if bytes.Contains(dot, []byte("children of hub")) || !bytes.Contains(dot, []byte("30 parents of union")) {
		t.Error("16 children drawn as a grid, or 30 sources not")
	}
	for i, e := range d.Edges {
		if strings.Contains(e.To, "model_p_c00-") {
			d.Edges[i].Critical = true
		}
	}
	dot, _ = r.DOT(d, meta)
	if !bytes.Contains(dot, []byte("39 children of hub")) || !bytes.Contains(dot, []byte(`, label="39"`)) {
		t.Error("a child on the critical path is still in the fan")
	}

	// From 100 lineage edges the count is an xlabel: for a label dot
	// doubles every rank.
	dot, _ = r.DOT(diagramOf(t, fanData(120), "* source:*"), meta)
	if !bytes.Contains(dot, []byte(`, xlabel="120"`)) || !bytes.Contains(dot, []byte(`, xlabel="30"`)) || bytes.Contains(dot, []byte(`, label="`)) {
		t.Error(`a diagram of 153 edges has no xlabel="120" and xlabel="30", or has a label`)
	}
}

// Grids whose hubs share a column stack up: four of 36 children each,
// each as tall as one grid alone would be, made a picture six times
// taller than wide. They share that height instead.
func TestStackedGridsShareTheHeight(t *testing.T) {
	d := &backend.GraphData{}
	model := func(name string) string {
		id := "model.p." + name
		d.Nodes = append(d.Nodes, backend.GraphNode{UniqueID: id, ResourceType: backend.TypeModel, Name: name, FQN: []string{"p", name},
			RelationName: `"analytics"."marts"."` + name + `"`})
		return id
	}
	root := model("root")
	for h := range 4 {
		hub := model(fmt.Sprintf("hub_%d", h))
		d.Edges = append(d.Edges, backend.Edge{Parent: root, Child: hub})
		for c := range 36 {
			d.Edges = append(d.Edges, backend.Edge{Parent: hub, Child: model(fmt.Sprintf("child_%d_%02d", h, c))})
		}
	}
	svg, err := newRenderer(t).SVG(t.Context(), diagramOfAll(t, d), meta)
	if err != nil {
		t.Fatal(err)
	}
	if n := bytes.Count(svg, []byte(`class="cluster"`)); n != 4+2 {
		t.Fatalf("%d clusters, want four grids, the legend and the picture", n)
	}
	vb := regexp.MustCompile(`viewBox="0\.00 0\.00 ([0-9.]+) ([0-9.]+)"`).FindSubmatch(svg)
	w, _ := strconv.ParseFloat(string(vb[1]), 64)
	h, _ := strconv.ParseFloat(string(vb[2]), 64)
	if h > 1.5*w {
		t.Errorf("the picture is %.0f x %.0f pt: %.1f times taller than wide", w, h, h/w)
	}
}

// A grouped picture keeps its counts as labels, which dot places on their
// edges, up to 300 box edges; beyond, xlabels (for labels dot doubles
// every rank).
func TestGroupedCountsAsLabels(t *testing.T) {
	diagram := func(packages int) *render.Diagram {
		d := &backend.GraphData{}
		for k := range packages {
			for _, m := range []string{"a", "b"} { // two lineage edges behind each box edge
				name := fmt.Sprintf("%s_%02d", m, k)
				pkg := fmt.Sprintf("pkg_%02d", k)
				id := "model." + pkg + "." + name
				d.Nodes = append(d.Nodes, backend.GraphNode{UniqueID: id, ResourceType: backend.TypeModel, Name: name, Package: pkg, FQN: []string{pkg, name}})
				for j := range k {
					d.Edges = append(d.Edges, backend.Edge{Parent: fmt.Sprintf("model.pkg_%02d.%s_%02d", j, m, j), Child: id})
				}
			}
		}
		_, _, diagram := groupAndDraw(t, d, "*", lineage.GroupByPackage)
		return diagram
	}
	r := newRenderer(t)
	for _, c := range []struct {
		packages int
		attr     string
	}{{20, "label"}, {30, "xlabel"}} { // 190 and 435 box edges
		d := diagram(c.packages)
		dot, err := r.DOT(d, meta)
		if err != nil {
			t.Fatal(err)
		}
		if n := bytes.Count(dot, []byte(`, `+c.attr+`="2"`)); n != len(d.Edges) {
			t.Errorf("%d packages: %d of %d box edges count in %s", c.packages, n, len(d.Edges), c.attr)
		}
	}
}
