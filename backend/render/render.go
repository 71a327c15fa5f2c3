package render

import (
	"context"
	"errors"
	"fmt"
	"math"
	"sort"
	"strings"

	"github.com/goccy/go-graphviz"

	"github.com/lineagedesk/lineagedesk/backend"
)

// DefaultMaxNodes is the largest diagram drawn: beyond it a `dot` layout
// takes seconds and the picture is a hairball.
const DefaultMaxNodes = 1500

// Renderer draws diagrams. Create one per process and reuse it. It lays
// diagrams out with go-graphviz's WebAssembly instance in this process
// (NewRenderer) and, when made with NewWorkerRenderer, sends big ones to a
// worker process running the same; each engine runs one layout at a time.
type Renderer struct {
	engine         layoutEngine // in this process
	worker         *workerEngine
	workerMinNodes int
	maxNodes       int
	// painting lets one PNG be painted at a time: each holds its pixels
	// (up to 256 MB at 64 Mpx), and ten at once took serve to 3 GB.
	painting chan struct{}
}

// layoutEngine lays DOT out with dot and writes the result in one of
// Graphviz's output formats ("svg", "xdot", "json").
type layoutEngine interface {
	layout(ctx context.Context, dot []byte, format string) ([]byte, error)
	close() error
}

// NewRenderer starts Graphviz in this process. maxNodes <= 0 means
// DefaultMaxNodes. Right for one-off commands; a long-lived UI process
// wants NewWorkerRenderer (see worker.go for why).
func NewRenderer(ctx context.Context, maxNodes int) (*Renderer, error) {
	engine, err := newWasmEngine(ctx)
	if err != nil {
		return nil, err
	}
	if maxNodes <= 0 {
		maxNodes = DefaultMaxNodes
	}
	return &Renderer{engine: engine, maxNodes: maxNodes, painting: make(chan struct{}, 1)}, nil
}

// Close releases Graphviz and stops the worker.
func (r *Renderer) Close() error {
	if r.worker != nil {
		r.worker.close()
	}
	return r.engine.close()
}

// Dense pictures: dot's crossing minimisation grows with the square of
// the edges over the nodes they run between. Grouping a whole project by
// folder drew 2,316 counted edges among 134 boxes (edges²/nodes 40,000),
// which took 130 s (native dot: 27 s; 1,000 of those edges, 7,500, 3.7 s;
// 500, 1,900, 1 s); 1,000 edges among 50 nodes (20,000) 27 s, among 100
// (10,000) 10 s. Lineage pictures are far below: the 1,377-node picture
// of 1,417 edges is 1,460. (Measured with the counts as edge labels,
// which made dense pictures 3-4 times slower than the xlabels drawn now:
// countAttr.)
const (
	denseMinEdges = 400
	denseMaxCost  = 8000 // edges² / nodes
)

// CheckSize refuses diagrams too large to lay out, suggesting grouping:
// too many nodes, many edges between few nodes, or edges crossing many
// columns (density.go).
func (r *Renderer) CheckSize(d *Diagram) error {
	boxes := 0
	for i := range d.Nodes {
		if d.Nodes[i].Box != nil {
			boxes++
		}
	}
	switch {
	case len(d.Nodes) > r.maxNodes && boxes > 0:
		return backend.Errorf(backend.EINVALID,
			"the picture would draw %d boxes and nodes (%s), more than the %d a picture can show: group more of it (by folder, schema, package or layer), or narrow the selection; DOT, JSON and CSV are written whatever the size",
			len(d.Nodes), typeCount(boxes, "box", "boxes"), r.maxNodes)
	case len(d.Nodes) > r.maxNodes:
		return backend.Errorf(backend.EINVALID,
			"the selection has %d nodes, more than the %d a picture can show: group it by folder, package or layer, or narrow it (e.g. 2+model+2 instead of +model+); DOT, JSON and CSV are written whatever the size",
			len(d.Nodes), r.maxNodes)
	case len(d.Edges) > denseMinEdges && len(d.Edges)*len(d.Edges) > denseMaxCost*len(d.Nodes):
		return backend.Errorf(backend.EINVALID,
			"the picture would draw %d edges between %d boxes and nodes, too dense to lay out in reasonable time (at %d nodes, at most %d edges): group it coarser (by schema, package or layer), or narrow the selection; DOT, JSON and CSV are written whatever the size",
			len(d.Edges), len(d.Nodes), len(d.Nodes), int(math.Sqrt(float64(denseMaxCost*len(d.Nodes)))))
	}
	if crossed := crossedColumns(d); crossed > maxCrossedColumns {
		return backend.Errorf(backend.EINVALID,
			"the picture's %d edges between %d boxes and nodes would cross some %d columns in all, too dense to lay out in reasonable time (at most %d): group it coarser (by schema, package or layer), or narrow the selection; DOT, JSON and CSV are written whatever the size",
			len(d.Edges), len(d.Nodes), crossed, maxCrossedColumns)
	}
	return nil
}

// DOT returns the diagram as DOT source, whatever its size: nothing is
// laid out here, and a selection too big to draw can still be laid out
// elsewhere (sfdp, a bigger machine) or read by another tool.
func (r *Renderer) DOT(d *Diagram, meta Meta) ([]byte, error) {
	return writeDOT(d, meta), nil
}

// SVG lays the diagram out and returns a standalone SVG document.
func (r *Renderer) SVG(ctx context.Context, d *Diagram, meta Meta) ([]byte, error) {
	out, err := r.layout(ctx, d, meta, graphviz.SVG)
	if err != nil {
		return nil, err
	}
	return postProcessSVG(out, d), nil
}

// PNG lays the diagram out and returns a PNG image (see png.go). Scale 1 is
// 96 dpi; scale <= 0 means 1.
func (r *Renderer) PNG(ctx context.Context, d *Diagram, meta Meta, scale float64) ([]byte, error) {
	g, err := r.drawing(ctx, d, meta)
	if err != nil {
		return nil, err
	}
	return r.paint(ctx, g, scale)
}

// PDF lays the diagram out and returns a one-page vector PDF (see pdf.go).
func (r *Renderer) PDF(ctx context.Context, d *Diagram, meta Meta) ([]byte, error) {
	g, err := r.drawing(ctx, d, meta)
	if err != nil {
		return nil, err
	}
	return writePDF(ctx, g, d.Title)
}

// drawing lays the diagram out and reads Graphviz's drawing of it, which
// the PNG and PDF writers draw.
func (r *Renderer) drawing(ctx context.Context, d *Diagram, meta Meta) (*xdotGraph, error) {
	if err := r.CheckSize(d); err != nil {
		return nil, err
	}
	if err := ctx.Err(); err != nil {
		return nil, canceled(err)
	}
	g, err := r.drawingOf(ctx, writeDOT(d, meta), len(d.Nodes), len(d.Edges))
	if err != nil {
		return nil, err
	}
	grids, _ := gridFans(d, len(wrapEdges(d)) > 0)
	orderGridsInDrawing(g, grids)
	return g, nil
}

// drawingOf lays DOT out and reads Graphviz's drawing of it.
func (r *Renderer) drawingOf(ctx context.Context, dot []byte, nodes, edges int) (*xdotGraph, error) {
	layout, err := r.layoutDOT(ctx, dot, nodes, edges, graphviz.Format("xdot"))
	if err != nil {
		return nil, err
	}
	g, err := readXdot(layout)
	if err != nil {
		// Graphviz wrote something readXdot does not know: ask for the same
		// drawing as json, ten times slower to write but read by encoding/json.
		if layout, err = r.layoutDOT(ctx, dot, nodes, edges, graphviz.Format("json")); err != nil {
			return nil, err
		}
		if g, err = decodeJSONLayout(layout); err != nil {
			return nil, err
		}
	}
	return g, nil
}

// paint paints a drawing as PNG, one painting at a time (each holds its
// whole image).
func (r *Renderer) paint(ctx context.Context, g *xdotGraph, scale float64) ([]byte, error) {
	select {
	case r.painting <- struct{}{}:
		defer func() { <-r.painting }()
	case <-ctx.Done():
		return nil, canceled(ctx.Err())
	}
	return paintPNG(ctx, g, scale)
}

func (r *Renderer) layout(ctx context.Context, d *Diagram, meta Meta, format graphviz.Format) ([]byte, error) {
	if err := r.CheckSize(d); err != nil {
		return nil, err
	}
	if err := ctx.Err(); err != nil {
		return nil, canceled(err)
	}
	return r.layoutDOT(ctx, writeDOT(d, meta), len(d.Nodes), len(d.Edges), format)
}

// layoutDOT lays DOT of so many nodes and edges out, in the worker when
// there is one and the picture is big.
func (r *Renderer) layoutDOT(ctx context.Context, dot []byte, nodes, edges int, format graphviz.Format) ([]byte, error) {
	// Few nodes with many edges (a grouping's boxes) can take minutes: the
	// worker's layout is the one a cancel can stop.
	if r.worker != nil && (nodes >= r.workerMinNodes || edges >= r.workerMinNodes) {
		out, err := r.worker.layout(ctx, dot, string(format))
		if !errors.Is(err, errWorkerUnavailable) {
			return out, err
		}
		// No worker process can be started here: better a stall than
		// no picture.
	}
	return r.engine.layout(ctx, dot, string(format))
}

func canceled(err error) error {
	return &backend.Error{Code: backend.ECANCELED, Message: "rendering was cancelled", Err: err}
}

func tooltip(n *Node) string {
	if n.Box != nil {
		lines := []string{clean(n.Box.Kind+" "+n.Box.Label, 200)}
		for i, m := range n.Box.Members {
			if i == 20 {
				lines = append(lines, fmt.Sprintf("… %d more", len(n.Box.Members)-20))
				break
			}
			lines = append(lines, clean(m, 200))
		}
		return strings.Join(lines, "\n") + healthTooltip(n.Health)
	}
	t := clean(n.Resource.UniqueID, 300)
	if len(n.Resource.Tags) > 0 {
		t += "\ntags: " + clean(strings.Join(n.Resource.Tags, ", "), 300)
	}
	if n.Resource.Description != "" {
		t += "\n" + clean(n.Resource.Description, 300)
	}
	return t + healthTooltip(n.Health)
}

// xmlText escapes text for XML character data and attribute values.
func xmlText(s string) string {
	return xmlEscaper.Replace(s)
}

func sortBy[T any](s []T, key func(T) string) {
	sort.SliceStable(s, func(i, j int) bool { return key(s[i]) < key(s[j]) })
}

// typeCount is "1 box", "2 boxes".
func typeCount(n int, one, many string) string {
	if n == 1 {
		return "1 " + one
	}
	return fmt.Sprintf("%d %s", n, many)
}
