package render

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"image"
	"image/color"
	"image/png"
	"math"
	"strconv"
	"strings"

	"github.com/fogleman/gg"
	"golang.org/x/image/font"
	"golang.org/x/image/math/fixed"

	"github.com/lineagedesk/lineagedesk/backend"
)

// PNG pictures are painted here, in Go, from the drawing Graphviz lays out
// (the xdot draw operations of the graph, clusters, nodes and edges: its
// xdot output, read by xdot.go, or its json output). go-graphviz's own image renderer loses edge curves, borders,
// bold text and HTML tables; painting xdot keeps the picture the SVG shows.

// Limits on the picture: an RGBA image of maxPNGPixels takes 256 MB; the
// side limit is larger than a square's so that long, thin lineage (a chain of
// 1000 models is about 1500 x 25000 px at scale 1) still fits.
const (
	maxPNGSide   = 32768
	maxPNGPixels = 64 << 20
	pixelsPerPt  = 96.0 / 72 // scale 1 is 96 dpi; Graphviz works in points
	defaultPadPt = 4         // Graphviz's pad when the graph sets none
)

// xdotGraph is the part of Graphviz's json output the painter reads.
type xdotGraph struct {
	BB  string `json:"bb"`
	Pad string `json:"pad"`
	xdotDraws
	Objects []xdotObject `json:"objects"` // subgraphs, then nodes; _gvid indexes nodes
	Edges   []xdotEdge   `json:"edges"`
}

type xdotDraws struct {
	Draw      []xdotOp `json:"_draw_"`
	LabelDraw []xdotOp `json:"_ldraw_"`
	HeadDraw  []xdotOp `json:"_hdraw_"`
	TailDraw  []xdotOp `json:"_tdraw_"`
	HeadLabel []xdotOp `json:"_hldraw_"`
	TailLabel []xdotOp `json:"_tldraw_"`
}

type xdotObject struct {
	GVID int    `json:"_gvid"`
	Name string `json:"name"` // a node's: its DOT name
	Pos  string `json:"pos"`  // set on nodes only
	xdotDraws
}

type xdotEdge struct {
	Tail int `json:"tail"`
	Head int `json:"head"`
	xdotDraws
}

// xdotOp is one draw operation; which fields are set depends on Op.
type xdotOp struct {
	Op       string       `json:"op"`
	Color    string       `json:"color"` // c, C without gradient
	Grad     string       `json:"grad"`
	Stops    []xdotStop   `json:"stops"` // c, C with a gradient
	Style    string       `json:"style"` // S
	Points   [][2]float64 `json:"points"`
	Rect     [4]float64   `json:"rect"` // e, E: centre x, y and half-axes
	Size     float64      `json:"size"` // F
	Face     string       `json:"face"`
	FontChar int          `json:"fontchar"` // t: bit 1 bold, bit 2 italic
	Pt       [2]float64   `json:"pt"`       // T: baseline point
	Align    string       `json:"align"`    // T: l, c or r
	Text     string       `json:"text"`
}

type xdotStop struct {
	Color string `json:"color"`
}

// decodeJSONLayout reads Graphviz's json output.
func decodeJSONLayout(layout []byte) (*xdotGraph, error) {
	var g xdotGraph
	if err := json.Unmarshal(layout, &g); err != nil {
		return nil, fmt.Errorf("read graphviz layout: %w", err)
	}
	for i := range g.Objects {
		if g.Objects[i].Pos == "" { // a subgraph: only nodes are looked up by name
			g.Objects[i].Name = ""
		}
	}
	return &g, nil
}

// paintPNG paints Graphviz's layout as a PNG, scale 1 being 96 dpi.
func paintPNG(ctx context.Context, g *xdotGraph, scale float64) ([]byte, error) {
	if scale <= 0 {
		scale = 1
	}
	pg, err := pageOf(g)
	if err != nil {
		return nil, err
	}
	px := scale * pixelsPerPt
	w := max(1, int(math.Round(pg.width*px)))
	h := max(1, int(math.Round(pg.height*px)))
	if err := checkPNGSize(w, h, scale); err != nil {
		return nil, err
	}
	dc := gg.NewContext(w, h)
	dc.SetColor(color.White)
	dc.Clear()
	dc.SetLineCapButt()
	dc.SetLineJoinRound()
	fonts := newFontSet()
	defer fonts.close()
	p := &painter{dc: dc, img: dc.Image().(*image.RGBA), fonts: fonts, px: px, left: pg.left, top: pg.top}
	if err := p.paintGraph(ctx, g); err != nil {
		return nil, err
	}
	// BestSpeed: a third faster than the default on big pictures, and only a
	// few percent larger, since diagrams are mostly flat colour.
	var buf bytes.Buffer
	if err := (&png.Encoder{CompressionLevel: png.BestSpeed}).Encode(&buf, p.img); err != nil {
		return nil, fmt.Errorf("encode png: %w", err)
	}
	return buf.Bytes(), nil
}

func checkPNGSize(w, h int, scale float64) error {
	if w <= maxPNGSide && h <= maxPNGSide && w*h <= maxPNGPixels {
		return nil
	}
	fit := math.Min(float64(maxPNGSide)/float64(max(w, h)), math.Sqrt(float64(maxPNGPixels)/(float64(w)*float64(h))))
	if fitting := math.Floor(scale*fit*100) / 100; fitting >= 0.1 {
		return backend.Errorf(backend.EINVALID,
			"the PNG would be %d x %d pixels, more than the %d per side or %d million in all a PNG may have: export it at scale %.2f or less, or as SVG, or narrow or group the selection",
			w, h, maxPNGSide, maxPNGPixels>>20, fitting)
	}
	return backend.Errorf(backend.EINVALID,
		"the PNG would be %d x %d pixels, more than the %d per side or %d million in all a PNG may have, even at a small scale: export it as SVG, or narrow or group the selection",
		w, h, maxPNGSide, maxPNGPixels>>20)
}

// painter holds the canvas and the xdot drawing state.
type painter struct {
	dc        *gg.Context
	img       *image.RGBA // dc's canvas, for text
	fonts     *fontSet
	px        float64 // pixels per point
	left, top float64 // the canvas's top-left corner in Graphviz points (y up)
	drawState
}

func (p *painter) paintGraph(ctx context.Context, g *xdotGraph) error {
	return walkDrawing(ctx, g, p)
}

func (p *painter) state() *drawState { return &p.drawState }

func (p *painter) ellipse(r [4]float64) {
	x, y := p.point(r[0], r[1])
	p.dc.DrawEllipse(x, y, r[2]*p.px, r[3]*p.px)
}

func (p *painter) point(x, y float64) (float64, float64) {
	return (x - p.left) * p.px, (p.top - y) * p.px
}

func (p *painter) polyline(pts [][2]float64, closed bool) {
	for i, pt := range pts {
		x, y := p.point(pt[0], pt[1])
		if i == 0 {
			p.dc.MoveTo(x, y)
		} else {
			p.dc.LineTo(x, y)
		}
	}
	if closed {
		p.dc.ClosePath()
	}
}

// bezier adds a start point followed by (control, control, end) triples.
func (p *painter) bezier(pts [][2]float64, closed bool) {
	if len(pts) == 0 {
		return
	}
	p.dc.MoveTo(p.point(pts[0][0], pts[0][1]))
	for i := 1; i+2 < len(pts); i += 3 {
		x1, y1 := p.point(pts[i][0], pts[i][1])
		x2, y2 := p.point(pts[i+1][0], pts[i+1][1])
		x3, y3 := p.point(pts[i+2][0], pts[i+2][1])
		p.dc.CubicTo(x1, y1, x2, y2, x3, y3)
	}
	if closed {
		p.dc.ClosePath()
	}
}

// finish fills the current path (for the filled ops) and strokes its
// outline with the pen, as Graphviz does, then clears it.
func (p *painter) finish(filled bool) {
	if filled && visible(p.fill) {
		p.dc.SetFillStyle(gg.NewSolidPattern(p.fill))
		p.dc.FillPreserve()
	}
	if visible(p.pen) && p.lineWidth > 0 {
		p.dc.SetStrokeStyle(gg.NewSolidPattern(p.pen))
		p.dc.SetLineWidth(p.lineWidth * p.px)
		dash := make([]float64, len(p.dash))
		for i, d := range p.dash {
			dash[i] = d * p.px
		}
		p.dc.SetDash(dash...)
		p.dc.StrokePreserve()
	}
	p.dc.ClearPath()
}

// text draws a label at its baseline point. Positions come from Graphviz,
// which measured the text in DejaVu Sans; centred and right-aligned text is
// placed by its measured width here, so a fallback font stays centred.
func (p *painter) text(op *xdotOp) {
	if op.Text == "" || p.fontSize <= 0 || !visible(p.pen) {
		return
	}
	face := p.fonts.face(p.fontChar&1 != 0, p.fontChar&2 != 0, p.fontSize*p.px)
	x, y := p.point(op.Pt[0], op.Pt[1])
	d := font.Drawer{Dst: p.img, Src: image.NewUniform(p.pen), Face: face}
	switch op.Align {
	case "c":
		x -= float64(d.MeasureString(op.Text)) / 128
	case "r":
		x -= float64(d.MeasureString(op.Text)) / 64
	}
	d.Dot = fixed.Point26_6{X: fixed.Int26_6(math.Round(x * 64)), Y: fixed.Int26_6(math.Round(y * 64))}
	d.DrawString(op.Text)
}

// opColor reads a c or C operation's colour. Gradients (which our DOT does
// not use) are simplified to their first stop; an unreadable colour is black.
func opColor(op *xdotOp) color.Color {
	s := op.Color
	if op.Grad != "" && op.Grad != "none" && len(op.Stops) > 0 {
		s = op.Stops[0].Color
	}
	return parseColor(s)
}

// parseColor reads Graphviz's #rrggbb or #rrggbbaa (it resolves colour names itself).
func parseColor(s string) color.Color {
	hex := strings.TrimPrefix(s, "#")
	if len(hex) == 6 {
		hex += "ff"
	}
	v, err := strconv.ParseUint(hex, 16, 32)
	if len(hex) != 8 || err != nil {
		return color.Black
	}
	return color.NRGBA{R: uint8(v >> 24), G: uint8(v >> 16), B: uint8(v >> 8), A: uint8(v)}
}

func visible(c color.Color) bool {
	_, _, _, a := c.RGBA()
	return a > 0
}

// parseFloats reads n comma-separated numbers.
func parseFloats(s string, n int) ([]float64, error) {
	parts := strings.Split(s, ",")
	if len(parts) != n {
		return nil, fmt.Errorf("want %d numbers", n)
	}
	out := make([]float64, n)
	for i, part := range parts {
		f, err := strconv.ParseFloat(strings.TrimSpace(part), 64)
		if err != nil || math.IsNaN(f) || math.IsInf(f, 0) {
			return nil, fmt.Errorf("number %d is not finite", i+1)
		}
		out[i] = f
	}
	return out, nil
}

// parsePad reads the graph's pad ("x" or "x,y", in inches) as points.
func parsePad(s string) (x, y float64, err error) {
	if s == "" {
		return defaultPadPt, defaultPadPt, nil
	}
	n := 1
	if strings.Contains(s, ",") {
		n = 2
	}
	v, err := parseFloats(s, n)
	if err != nil {
		return 0, 0, err
	}
	return v[0] * 72, v[n-1] * 72, nil
}
