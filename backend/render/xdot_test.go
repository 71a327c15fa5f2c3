package render

import (
	"context"
	"fmt"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/goccy/go-graphviz"

	"github.com/lineagedesk/lineagedesk/backend"
)

// xdotTestDiagram is a small lineage with the picture's features: a focus,
// test colours, and names and a footer with quotes, markup, backslashes
// (one last, before the closing quote) and non-ASCII text.
func xdotTestDiagram() *Diagram {
	nodes := []*backend.GraphNode{
		{UniqueID: "source.shop.raw.orders", ResourceType: "source", Name: "orders", SourceName: "raw", Package: "shop"},
		{UniqueID: "model.shop.stg_orders", ResourceType: "model", Name: "stg_orders", Package: "shop", Materialized: "view",
			RelationName: `"db"."stg"."orders"`, Tests: backend.TestSummary{Total: 2, Pass: 1, Fail: 1}},
		{UniqueID: "model.shop.orders", ResourceType: "model", Name: "orders", Package: "shop", Materialized: "table",
			Description: `<b>"Orders"</b> \ façade & more`, Tests: backend.TestSummary{Total: 1, Warn: 1}},
		{UniqueID: "exposure.shop.Pulse queries", ResourceType: "exposure", Name: `Pulse "queries" <script>x</script> \ é\`, Package: "shop"},
	}
	d := &Diagram{Title: "+orders+"}
	for i, n := range nodes {
		d.Nodes = append(d.Nodes, Node{ID: fmt.Sprintf("node-%d", i), Resource: n, Focus: i == 2})
	}
	d.Edges = []Edge{{From: "node-0", To: "node-1"}, {From: "node-1", To: "node-2"}, {From: "node-2", To: "node-3"}}
	return d
}

// TestXdotReadsWhatJSONSays lays the same diagram out as xdot and as json
// and requires readXdot to find exactly the drawing encoding/json decodes.
func TestXdotReadsWhatJSONSays(t *testing.T) {
	r, err := NewRenderer(context.Background(), 0)
	if err != nil {
		t.Fatal(err)
	}
	d := xdotTestDiagram()
	meta := Meta{Project: `shop "β"`, Snapshot: `snapshot 1, C:\dbt\`}
	xdot, err := r.layout(t.Context(), d, meta, graphviz.Format("xdot"))
	if err != nil {
		t.Fatal(err)
	}
	fromJSON, err := r.layout(t.Context(), d, meta, graphviz.Format("json"))
	if err != nil {
		t.Fatal(err)
	}
	got, err := readXdot(xdot)
	if err != nil {
		t.Fatalf("readXdot: %v\n%s", err, xdot)
	}
	want, err := decodeJSONLayout(fromJSON)
	if err != nil {
		t.Fatal(err)
	}
	// Graphviz's json writes a backslash in a text twice (C:\\dbt); the
	// xdot text counts its bytes once, which is the text as drawn.
	undouble := func(d *xdotDraws) {
		for _, ops := range [][]xdotOp{d.Draw, d.LabelDraw, d.HeadDraw, d.TailDraw, d.HeadLabel, d.TailLabel} {
			for i := range ops {
				ops[i].Text = strings.ReplaceAll(ops[i].Text, `\\`, `\`)
			}
		}
	}
	undouble(&want.xdotDraws)
	for i := range want.Objects {
		undouble(&want.Objects[i].xdotDraws)
	}
	for i := range want.Edges {
		undouble(&want.Edges[i].xdotDraws)
	}
	if got.BB != want.BB || got.Pad != want.Pad || !reflect.DeepEqual(got.xdotDraws, want.xdotDraws) {
		for i := range max(len(got.LabelDraw), len(want.LabelDraw)) {
			if i >= len(got.LabelDraw) || i >= len(want.LabelDraw) || !reflect.DeepEqual(got.LabelDraw[i], want.LabelDraw[i]) {
				t.Errorf("graph label op %d: %+v\nwant %+v", i, atOp(got.LabelDraw, i), atOp(want.LabelDraw, i))
				break
			}
		}
		t.Errorf("graph: %+v\nwant %+v", got.xdotDraws, want.xdotDraws)
	}
	var gotNodes, wantNodes, gotClusters, wantClusters []xdotObject
	for _, list := range []struct {
		from            []xdotObject
		nodes, clusters *[]xdotObject
	}{{got.Objects, &gotNodes, &gotClusters}, {want.Objects, &wantNodes, &wantClusters}} {
		for _, o := range list.from {
			if o.Pos == "" {
				o.GVID = 0
				*list.clusters = append(*list.clusters, o)
			} else {
				*list.nodes = append(*list.nodes, o)
			}
		}
	}
	if len(gotNodes) != len(d.Nodes) {
		t.Errorf("%d nodes, want %d", len(gotNodes), len(d.Nodes))
	}
	for i := range max(len(gotNodes), len(wantNodes)) {
		if i >= len(gotNodes) || i >= len(wantNodes) || !reflect.DeepEqual(gotNodes[i], wantNodes[i]) {
			t.Fatalf("node %d:\n%+v\nwant\n%+v", i, at(gotNodes, i), at(wantNodes, i))
		}
	}
	if !reflect.DeepEqual(gotClusters, wantClusters) {
		t.Errorf("clusters:\n%+v\nwant\n%+v", gotClusters, wantClusters)
	}
	if !reflect.DeepEqual(got.Edges, want.Edges) {
		t.Errorf("edges:\n%+v\nwant\n%+v", got.Edges, want.Edges)
	}
}

func at(list []xdotObject, i int) any {
	if i < len(list) {
		return list[i]
	}
	return nil
}

func atOp(list []xdotOp, i int) any {
	if i < len(list) {
		return list[i]
	}
	return nil
}

// TestXdotRefusesDamage: truncated or altered Graphviz output is an error
// (PNG then asks Graphviz for json), never a panic.
func TestXdotRefusesDamage(t *testing.T) {
	r, err := NewRenderer(context.Background(), 0)
	if err != nil {
		t.Fatal(err)
	}
	xdot, err := r.layout(t.Context(), xdotTestDiagram(), Meta{}, graphviz.Format("xdot"))
	if err != nil {
		t.Fatal(err)
	}
	for n := 0; n < len(xdot)-2; n += 7 {
		if _, err := readXdot(xdot[:n]); err == nil {
			t.Fatalf("xdot cut at %d of %d bytes was read without error", n, len(xdot))
		}
	}
	for i := 0; i < len(xdot); i += 3 {
		damaged := append([]byte(nil), xdot...)
		damaged[i] ^= 0x55
		_, _ = readXdot(damaged) // must not panic
	}
}

// One PNG is painted at a time (ten at once took serve to 3 GB); one
// waiting for its turn stops when its request is cancelled.
func TestPNGsPaintedOneAtATime(t *testing.T) {
	r, err := NewRenderer(context.Background(), 0)
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	r.painting <- struct{}{} // another PNG being painted
	ctx, cancel := context.WithTimeout(t.Context(), 200*time.Millisecond)
	defer cancel()
	if _, err := r.PNG(ctx, xdotTestDiagram(), Meta{}, 1); backend.ErrorCode(err) != backend.ECANCELED {
		t.Fatalf("a PNG waiting for the painter: %v, want ECANCELED once cancelled", err)
	}
	<-r.painting
	if png, err := r.PNG(t.Context(), xdotTestDiagram(), Meta{}, 1); err != nil || len(png) == 0 {
		t.Fatalf("with the painter free: %v", err)
	}
}
