package render

import (
	"context"
	"fmt"
	"image/color"
	"strconv"
	"strings"
)

// drawer draws Graphviz's xdot drawing operations on one surface: the
// PNG's canvas (png.go) or the PDF's page (pdf.go).
type drawer interface {
	state() *drawState
	text(op *xdotOp)
	polyline(pts [][2]float64, closed bool)
	bezier(pts [][2]float64, closed bool)
	ellipse(rect [4]float64) // centre x, y and half-axes
	finish(filled bool)      // fill (for the filled ops) and stroke the path drawn
}

// drawLists draws op lists; each starts from Graphviz's default state.
func drawLists(d drawer, lists ...[]xdotOp) {
	st := d.state()
	for _, ops := range lists {
		st.reset()
		for i := range ops {
			if op := &ops[i]; !st.apply(op) {
				drawOp(d, op)
			}
		}
	}
}

func drawOp(d drawer, op *xdotOp) {
	switch op.Op {
	case "T":
		d.text(op)
	case "p", "P":
		d.polyline(op.Points, true)
		d.finish(op.Op == "P")
	case "L":
		d.polyline(op.Points, false)
		d.finish(false)
	case "b", "B":
		d.bezier(op.Points, op.Op == "B")
		d.finish(op.Op == "B")
	case "e", "E":
		d.ellipse(op.Rect)
		d.finish(op.Op == "E")
	}
}

// page is the picture's extent in Graphviz points (y up): the laid-out
// bounding box and the graph's pad around it.
type page struct {
	left, bottom, top, width, height float64
}

func pageOf(g *xdotGraph) (page, error) {
	bb, err := parseFloats(g.BB, 4)
	if err != nil {
		return page{}, fmt.Errorf("graphviz layout bb %q: %w", g.BB, err)
	}
	padX, padY, err := parsePad(g.Pad)
	if err != nil {
		return page{}, fmt.Errorf("graphviz layout pad %q: %w", g.Pad, err)
	}
	return page{left: bb[0] - padX, bottom: bb[1] - padY, top: bb[3] + padY,
		width: bb[2] - bb[0] + 2*padX, height: bb[3] - bb[1] + 2*padY}, nil
}

// walkDrawing draws the op lists on d in Graphviz's own order:
// background and graph label, clusters, then each node followed by its
// out-edges (and their heads).
func walkDrawing(ctx context.Context, g *xdotGraph, d drawer) error {
	drawLists(d, g.Draw, g.LabelDraw)
	nodes := map[int]*xdotObject{}
	var order []int
	for i := range g.Objects {
		o := &g.Objects[i]
		if o.Pos == "" {
			drawLists(d, o.Draw, o.LabelDraw)
			continue
		}
		nodes[o.GVID] = o
		order = append(order, o.GVID)
	}
	outEdges := map[int][]*xdotEdge{}
	for i := range g.Edges {
		outEdges[g.Edges[i].Tail] = append(outEdges[g.Edges[i].Tail], &g.Edges[i])
	}
	painted := map[int]bool{}
	paintNode := func(id int) {
		if n, ok := nodes[id]; ok && !painted[id] {
			painted[id] = true
			drawLists(d, n.Draw, n.LabelDraw)
		}
	}
	for _, id := range order {
		if err := ctx.Err(); err != nil {
			return canceled(err)
		}
		paintNode(id)
		for _, e := range outEdges[id] {
			paintNode(e.Head)
			drawLists(d, e.Draw, e.TailDraw, e.HeadDraw, e.LabelDraw, e.TailLabel, e.HeadLabel)
		}
	}
	return nil
}

// drawState is what xdot's state operations set: colours, line style and
// font. Each op list starts from Graphviz's defaults (reset).
type drawState struct {
	pen, fill color.Color
	lineWidth float64 // points
	dash      []float64
	fontSize  float64
	fontChar  int
}

func (st *drawState) reset() {
	st.pen, st.fill = color.Black, color.Black
	st.lineWidth, st.dash = 1, nil
	st.fontSize, st.fontChar = 14, 0
}

// apply applies a state operation; false for a drawing one.
func (st *drawState) apply(op *xdotOp) bool {
	switch op.Op {
	case "c":
		st.pen = opColor(op)
	case "C":
		st.fill = opColor(op)
	case "S":
		st.setStyle(op.Style)
	case "F":
		st.fontSize = op.Size
	case "t":
		st.fontChar = op.FontChar
	default:
		return false
	}
	return true
}

func (st *drawState) setStyle(style string) {
	switch {
	case style == "solid":
		st.dash = nil
	case style == "dashed": // Graphviz's SVG dash arrays
		st.dash = []float64{5, 2}
	case style == "dotted":
		st.dash = []float64{1, 5}
	case style == "bold":
		st.lineWidth = 2
	case strings.HasPrefix(style, "setlinewidth(") && strings.HasSuffix(style, ")"):
		if w, err := strconv.ParseFloat(style[len("setlinewidth("):len(style)-1], 64); err == nil && w >= 0 {
			st.lineWidth = w
		}
	}
}
