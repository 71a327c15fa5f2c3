package render

import (
	"cmp"
	"fmt"
	"math"
	"regexp"
	"slices"
	"strconv"
	"testing"

	"github.com/lineagedesk/lineagedesk/backend"
	"github.com/lineagedesk/lineagedesk/backend/lineage"
)

// gridData: a hub with 40 children that read from it alone, and a union
// fed by 30 sources alone. The children's names share their first 50
// characters, so their node ids (a cut name and a hash) sort otherwise
// than their names; the sources' names run backwards to their ids.
func gridData() *backend.GraphData {
	d := &backend.GraphData{}
	model := func(name string) string {
		id := "model.p." + name
		d.Nodes = append(d.Nodes, backend.GraphNode{UniqueID: id, ResourceType: backend.TypeModel, Name: name, FQN: []string{"p", name}})
		return id
	}
	edge := func(from, to string) { d.Edges = append(d.Edges, backend.Edge{Parent: from, Child: to}) }
	hub, union := model("hub"), model("union")
	edge(union, hub)
	for i := range 40 {
		edge(hub, model(fmt.Sprintf("a_child_whose_name_is_long_enough_to_be_cut_in_its_id_%02d", i)))
	}
	for i := range 30 {
		id := fmt.Sprintf("source.p.raw.s%02d", i)
		d.Nodes = append(d.Nodes, backend.GraphNode{UniqueID: id, ResourceType: backend.TypeSource, Name: fmt.Sprintf("t%02d", 29-i), SourceName: "raw", FQN: []string{"p", "raw", id[13:]}})
		edge(id, union)
	}
	return d
}

// laidOut is a node's place on the picture: its x centre and top (y down).
type laidOut struct{ x, top float64 }

var (
	svgMemberGroup = regexp.MustCompile(`(?s)<g id="([^"]+)" class="node[^"]*"(?: transform="translate\(0,([-0-9.]+)\)")?>.*?<path[^>]* d="([^"]+)"`)
	svgNumbers     = regexp.MustCompile(`-?[0-9]+(?:\.[0-9]+)?`)
)

// svgPlaces reads where each node's outline is drawn in the SVG, moves included.
func svgPlaces(t *testing.T, svg []byte) map[string]laidOut {
	t.Helper()
	out := map[string]laidOut{}
	for _, m := range svgMemberGroup.FindAllSubmatch(svg, -1) {
		dy := 0.0
		if len(m[2]) > 0 {
			dy, _ = strconv.ParseFloat(string(m[2]), 64)
		}
		minX, maxX, top := math.Inf(1), math.Inf(-1), math.Inf(1)
		for i, s := range svgNumbers.FindAll(m[3], -1) {
			v, err := strconv.ParseFloat(string(s), 64)
			if err != nil {
				t.Fatal(err)
			}
			if i%2 == 0 {
				minX, maxX = min(minX, v), max(maxX, v)
			} else {
				top = min(top, v+dy)
			}
		}
		out[string(m[1])] = laidOut{x: (minX + maxX) / 2, top: top}
	}
	return out
}

// readingOrder is the members of f as a reader meets them: column by
// column from the left, each from the top.
func readingOrder(t *testing.T, f *fan, places map[string]laidOut) []string {
	t.Helper()
	ids := make([]string, len(f.members))
	for i, m := range f.members {
		if _, ok := places[m.ID]; !ok {
			t.Fatalf("member %s is not drawn", m.ID)
		}
		ids[i] = m.ID
	}
	slices.SortFunc(ids, func(a, b string) int {
		pa, pb := places[a], places[b]
		if math.Abs(pa.x-pb.x) > 1 {
			return cmp.Compare(pa.x, pb.x)
		}
		return cmp.Compare(pa.top, pb.top)
	})
	return ids
}

// A grid is read in the order of its members' names, top to bottom and
// column by column, in the SVG and in the drawing the PNG and PDF paint;
// dot alone orders a column for crossings (bottom to top, or from its
// middle round).
func TestGridMembersReadInNameOrder(t *testing.T) {
	g := lineage.New(gridData())
	sel, err := g.Select("* source:*", lineage.SelectOptions{})
	if err != nil {
		t.Fatal(err)
	}
	d, err := FromSelection(g, sel)
	if err != nil {
		t.Fatal(err)
	}
	grids, _ := gridFans(d, false)
	if len(grids) != 2 {
		t.Fatalf("%d grids, want the children's and the sources'", len(grids))
	}
	// Members in their project's own colour (class "node ld-own-fill") are
	// moved into place too.
	colours := map[string]string{}
	for _, f := range grids {
		for i, m := range f.members {
			if i%3 == 0 {
				colours[m.Resource.UniqueID] = "#123456"
			}
		}
	}
	d.MarkColors(colours)
	var names []string
	for _, m := range grids[0].members {
		names = append(names, nameOf(m))
	}
	if !slices.IsSortedFunc(names, namesInOrder) {
		t.Errorf("the members are not in name order: %v", names)
	}
	r, err := NewRenderer(t.Context(), 0)
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	svg, err := r.SVG(t.Context(), d, Meta{})
	if err != nil {
		t.Fatal(err)
	}
	drawing, err := r.drawing(t.Context(), d, Meta{})
	if err != nil {
		t.Fatal(err)
	}
	drawn := map[string]laidOut{}
	for _, o := range drawing.Objects {
		if s, ok := drawnSpan(o.Draw); ok && o.Name != "" {
			minX, maxX := math.Inf(1), math.Inf(-1)
			for _, op := range o.Draw {
				for _, p := range op.Points {
					minX, maxX = min(minX, p[0]), max(maxX, p[0])
				}
			}
			drawn[o.Name] = laidOut{x: (minX + maxX) / 2, top: s.top}
		}
	}
	for _, f := range grids {
		want := make([]string, len(f.members))
		for i, m := range f.members {
			want[i] = m.ID
		}
		for format, places := range map[string]map[string]laidOut{"svg": svgPlaces(t, svg), "drawing": drawn} {
			if got := readingOrder(t, f, places); !slices.Equal(got, want) {
				t.Errorf("%s: %s reads\n%v\nwant\n%v", format, f.label(), got, want)
			}
			// Moved within its column, no member overlaps another.
			for i, a := range f.members {
				for _, b := range f.members[i+1:] {
					pa, pb := places[a.ID], places[b.ID]
					if math.Abs(pa.x-pb.x) < 1 && math.Abs(pa.top-pb.top) < 20 {
						t.Errorf("%s: %s and %s overlap (tops %.1f and %.1f)", format, a.ID, b.ID, pa.top, pb.top)
					}
				}
			}
		}
	}
}

// Every column is stacked from the grid's top with dot's gap between
// nodes, whatever gaps dot left in a short column or where it started it.
func TestGridMovesStackFromTheTop(t *testing.T) {
	var members []*Node
	for i := range 5 {
		members = append(members, &Node{ID: fmt.Sprint("m", i)})
	}
	f := &fan{members: members, rows: 3}
	laid := map[string]span{
		"m0": {top: 60, bottom: 70, x: 5}, "m1": {top: 0, bottom: 10, x: 5}, "m2": {top: 30, bottom: 40, x: 5},
		"m3": {top: 55, bottom: 75, x: 50}, "m4": {top: 15, bottom: 35, x: 50}, // a short column, lower, with a gap
	}
	moves := gridMoves([]*fan{f}, laid)
	want := map[string]float64{"m0": 0, "m1": 30, "m2": 60, "m3": 0, "m4": 40}
	for id, top := range want {
		if got := laid[id].top + moves[id]; got != top {
			t.Errorf("%s ends at %v, want %v (moves %v)", id, got, top, moves)
		}
	}
}

// Names read as a reader orders them: case aside, numbers by value.
func TestNamesInOrder(t *testing.T) {
	names := []string{"dim_ledger_entrys_140", "alpha_2", "Zebra_raw", "dim_ledger_entrys_9", "alpha_10", "Beta_upper", "alpha_1", "dim_ledger_entrys_29", "alpha_01", "ALPHA_1"}
	slices.SortFunc(names, namesInOrder)
	want := []string{"ALPHA_1", "alpha_01", "alpha_1", "alpha_2", "alpha_10", "Beta_upper", "dim_ledger_entrys_9", "dim_ledger_entrys_29", "dim_ledger_entrys_140", "Zebra_raw"}
	if !slices.Equal(names, want) {
		t.Errorf("sorted %v\nwant %v", names, want)
	}
	for _, pair := range [][2]string{{"a", "b"}, {"a", "ab"}, {"a9", "a10"}, {"A", "a"}, {"x_01", "x_1"}} {
		if namesInOrder(pair[0], pair[1]) >= 0 || namesInOrder(pair[1], pair[0]) <= 0 {
			t.Errorf("%q should come before %q", pair[0], pair[1])
		}
	}
}

// Members swap slots within a column; members dot did not put in one
// column are left where they are.
func TestGridMoves(t *testing.T) {
	a, b := &Node{ID: "a"}, &Node{ID: "b"}
	f := &fan{members: []*Node{a, b}, rows: 2}
	laid := map[string]span{"a": {top: 20, bottom: 30, x: 5}, "b": {top: 0, bottom: 10, x: 5}}
	if m := gridMoves([]*fan{f}, laid); m["a"] != -20 || m["b"] != 20 || len(m) != 2 {
		t.Errorf("moves %v, want a up 20 and b down 20", m)
	}
	laid["b"] = span{top: 0, bottom: 10, x: 50}
	if m := gridMoves([]*fan{f}, laid); len(m) != 0 {
		t.Errorf("moves %v for members in two columns", m)
	}
	delete(laid, "b")
	if m := gridMoves([]*fan{f}, laid); len(m) != 0 {
		t.Errorf("moves %v for a column with a member not drawn", m)
	}
}

// The outline is the group's first shape, whichever kind it is.
func TestSVGShapeSpan(t *testing.T) {
	for _, c := range []struct {
		group string
		want  span
	}{
		{`<title>x</title><polygon fill="#fff" points="10,-20 30,-20 30,-5 10,-5 10,-20"/><path d="M0,-100L0,100"/></g>`, span{top: -20, bottom: -5, x: 20}},
		{`<path fill="#fff" d="M10,-20C10,-20 30,-20 30,-20 30,-5 10,-5 10,-5"/><polygon points="0,-99 0,99"/></g>`, span{top: -20, bottom: -5, x: 20}},
		{`<ellipse fill="#fff" cx="20" cy="-12.5" rx="10" ry="7.5"/></g>`, span{top: -20, bottom: -5, x: 20}},
	} {
		if got, ok := svgShapeSpan([]byte(c.group)); !ok || got != c.want {
			t.Errorf("svgShapeSpan(%s) = %+v, %v; want %+v", c.group, got, ok, c.want)
		}
	}
	if _, ok := svgShapeSpan([]byte(`<text>no shape</text></g>`)); ok {
		t.Error("a group without a shape has a span")
	}
}
