package render

import (
	"bytes"
	"context"
	"fmt"
	"image/color"
	"math"
	"strconv"
	"unicode/utf16"
)

// PDF pictures are written here, in Go, from the same xdot drawing the PNG
// painter paints: one vector page, one PDF point per Graphviz point, text
// set in the fonts the PNG uses (DejaVu Sans when the system has it),
// embedded as subsets of the glyphs used (pdf_subset.go), with a ToUnicode
// map so the text can be searched and copied.

// maxPDFSide is the largest page side viewers accept (200 inches);
// bigger pictures are scaled down to fit it, vectors staying sharp.
const maxPDFSide = 14400

// writePDF writes Graphviz's layout as a one-page PDF titled title.
func writePDF(ctx context.Context, g *xdotGraph, title string) ([]byte, error) {
	pg, err := pageOf(g)
	if err != nil {
		return nil, err
	}
	scale := math.Min(1, maxPDFSide/math.Max(pg.width, pg.height))
	fonts := newPDFFonts()
	defer fonts.set.close()
	p := &pdfPainter{fonts: fonts, left: pg.left, bottom: pg.bottom}
	// Graphviz's y axis points up, as PDF's does: only the origin moves.
	fmt.Fprintf(&p.out, "%s 0 0 %s 0 0 cm\n1 j\n", num(scale), num(scale))
	if err := walkDrawing(ctx, g, p); err != nil {
		return nil, err
	}
	return assemblePDF(p.out.Bytes(), fonts, pg.width*scale, pg.height*scale, title)
}

// pdfPainter writes xdot operations as a PDF content stream.
type pdfPainter struct {
	out          bytes.Buffer
	fonts        *pdfFonts
	left, bottom float64 // the page's lower-left corner in Graphviz points
	drawState
}

func (p *pdfPainter) state() *drawState { return &p.drawState }

func (p *pdfPainter) point(x, y float64) string {
	return num(x-p.left) + " " + num(y-p.bottom)
}

func (p *pdfPainter) polyline(pts [][2]float64, closed bool) {
	for i, pt := range pts {
		op := " l\n"
		if i == 0 {
			op = " m\n"
		}
		p.out.WriteString(p.point(pt[0], pt[1]) + op)
	}
	if closed && len(pts) > 0 {
		p.out.WriteString("h\n")
	}
}

func (p *pdfPainter) bezier(pts [][2]float64, closed bool) {
	if len(pts) == 0 {
		return
	}
	p.out.WriteString(p.point(pts[0][0], pts[0][1]) + " m\n")
	for i := 1; i+2 < len(pts); i += 3 {
		fmt.Fprintf(&p.out, "%s %s %s c\n", p.point(pts[i][0], pts[i][1]), p.point(pts[i+1][0], pts[i+1][1]), p.point(pts[i+2][0], pts[i+2][1]))
	}
	if closed {
		p.out.WriteString("h\n")
	}
}

// ellipse draws four Bézier quarters around centre (r[0], r[1]) with
// half-axes r[2], r[3].
func (p *pdfPainter) ellipse(r [4]float64) {
	const k = 0.5522847498 // control distance of a quarter circle
	cx, cy, rx, ry := r[0], r[1], r[2], r[3]
	p.out.WriteString(p.point(cx+rx, cy) + " m\n")
	quarters := [4][3][2]float64{
		{{cx + rx, cy + k*ry}, {cx + k*rx, cy + ry}, {cx, cy + ry}},
		{{cx - k*rx, cy + ry}, {cx - rx, cy + k*ry}, {cx - rx, cy}},
		{{cx - rx, cy - k*ry}, {cx - k*rx, cy - ry}, {cx, cy - ry}},
		{{cx + k*rx, cy - ry}, {cx + rx, cy - k*ry}, {cx + rx, cy}},
	}
	for _, q := range quarters {
		fmt.Fprintf(&p.out, "%s %s %s c\n", p.point(q[0][0], q[0][1]), p.point(q[1][0], q[1][1]), p.point(q[2][0], q[2][1]))
	}
	p.out.WriteString("h\n")
}

// finish fills and strokes the path as Graphviz does (the pen outlines
// every shape, the fill only the filled ops), then ends it.
func (p *pdfPainter) finish(filled bool) {
	fill := filled && visible(p.fill)
	stroke := visible(p.pen) && p.lineWidth > 0
	if fill {
		p.out.WriteString(rgb(p.fill) + " rg\n")
	}
	if stroke {
		fmt.Fprintf(&p.out, "%s RG\n%s w\n[", rgb(p.pen), num(p.lineWidth))
		for i, d := range p.dash {
			if i > 0 {
				p.out.WriteByte(' ')
			}
			p.out.WriteString(num(d))
		}
		p.out.WriteString("] 0 d\n")
	}
	switch {
	case fill && stroke:
		p.out.WriteString("B\n")
	case fill:
		p.out.WriteString("f\n")
	case stroke:
		p.out.WriteString("S\n")
	default:
		p.out.WriteString("n\n")
	}
}

// text sets a label at its baseline point, placed by its width in the
// embedded font, as the PNG painter does.
func (p *pdfPainter) text(op *xdotOp) {
	if op.Text == "" || p.fontSize <= 0 || !visible(p.pen) {
		return
	}
	f := p.fonts.font(p.fontChar & 3)
	if f == nil {
		return
	}
	glyphs, width := f.encode(op.Text)
	x := op.Pt[0]
	switch op.Align {
	case "c":
		x -= width * p.fontSize / 2000
	case "r":
		x -= width * p.fontSize / 1000
	}
	fmt.Fprintf(&p.out, "%s rg\nBT /%s %s Tf %s Td <%X> Tj ET\n", rgb(p.pen), f.resource, num(p.fontSize), p.point(x, op.Pt[1]), glyphs)
}

// rgb writes a colour as PDF's three components; alpha is dropped (the
// drawing uses opaque colours, and fully transparent ones are not drawn).
func rgb(c color.Color) string {
	n := color.NRGBAModel.Convert(c).(color.NRGBA)
	return num(float64(n.R)/255) + " " + num(float64(n.G)/255) + " " + num(float64(n.B)/255)
}

// num writes a number with at most three decimals and no trailing zeros.
func num(f float64) string {
	if math.IsNaN(f) || math.IsInf(f, 0) {
		return "0"
	}
	s := strconv.FormatFloat(math.Round(f*1000)/1000, 'f', -1, 64)
	if s == "-0" {
		return "0"
	}
	return s
}

// pdfText writes s as a PDF text string: UTF-16BE with a byte order mark,
// in hex, so no character of it can end the string or break the file.
func pdfText(s string) string {
	var b bytes.Buffer
	b.WriteString("<FEFF")
	for _, u := range utf16.Encode([]rune(s)) {
		fmt.Fprintf(&b, "%04X", u)
	}
	b.WriteString(">")
	return b.String()
}
