package render_test

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"image"
	"image/color"
	"image/png"
	"math"
	"regexp"
	"strconv"
	"testing"
	"time"

	"github.com/lineagedesk/lineagedesk/backend"
	"github.com/lineagedesk/lineagedesk/backend/lineage"
	"github.com/lineagedesk/lineagedesk/backend/render"
)

// svgLayout is what the test reads from Graphviz's SVG of the same diagram,
// to know independently where things are: the picture size and the
// translation of its coordinates (both in points), each node's fill colour,
// shape bounds and name position, and each edge's path.
type svgLayout struct {
	width, height float64
	tx, ty        float64
	nodes         []svgNode
	edgePaths     [][]float64 // x, y pairs of each edge's <path d>
	edgeColor     color.NRGBA
}

type svgNode struct {
	id                     string
	fill                   color.NRGBA
	minX, minY, maxX, maxY float64 // shape bounds, SVG coordinates
	nameX, nameY           float64 // baseline start of the bold name
}

var (
	svgViewBox   = regexp.MustCompile(`viewBox="0\.00 0\.00 ([0-9.]+) ([0-9.]+)"`)
	svgTranslate = regexp.MustCompile(`class="graph" transform="scale\(1 1\) rotate\(0\) translate\(([0-9.]+) ([0-9.]+)\)"`)
	svgNodeGroup = regexp.MustCompile(`(?s)<g id="(node-[^"]+)" class="node"(?: transform="[^"]*")?>(.*?)</g>`)
	svgShape     = regexp.MustCompile(`<(?:polygon|path) fill="(#[0-9a-f]{6})"[^>]*(?:points|d)="([^"]+)"`)
	svgBoldName  = regexp.MustCompile(`<text text-anchor="start" x="([-0-9.]+)" y="([-0-9.]+)"[^>]*font-weight="bold"`)
	svgEdgePath  = regexp.MustCompile(`(?s)class="edge">.*?<path fill="none" stroke="(#[0-9a-f]{6})" d="([^"]+)"`)
	svgNumber    = regexp.MustCompile(`-?[0-9]+(?:\.[0-9]+)?`)
)

// goldenSVGLayout renders the golden diagram as SVG and reads its layout.
func goldenSVGLayout(t *testing.T) (*render.Renderer, *render.Diagram, []byte, svgLayout) {
	t.Helper()
	r := newRenderer(t)
	_, _, d := goldenDiagram(t)
	svg, err := r.SVG(t.Context(), d, meta)
	if err != nil {
		t.Fatal(err)
	}
	return r, d, svg, readSVGLayout(t, svg)
}

func readSVGLayout(t *testing.T, svg []byte) svgLayout {
	t.Helper()
	var l svgLayout
	vb, tr := svgViewBox.FindSubmatch(svg), svgTranslate.FindSubmatch(svg)
	if vb == nil || tr == nil {
		t.Fatal("SVG has no viewBox or graph transform")
	}
	l.width, l.height, l.tx, l.ty = atof(t, vb[1]), atof(t, vb[2]), atof(t, tr[1]), atof(t, tr[2])
	for _, m := range svgNodeGroup.FindAllSubmatch(svg, -1) {
		shape, name := svgShape.FindSubmatch(m[2]), svgBoldName.FindSubmatch(m[2])
		if shape == nil || name == nil {
			t.Fatalf("node group %s has no filled shape or bold name", m[1])
		}
		n := svgNode{id: string(m[1]), fill: hexColor(t, string(shape[1])), nameX: atof(t, name[1]), nameY: atof(t, name[2]),
			minX: math.Inf(1), minY: math.Inf(1), maxX: math.Inf(-1), maxY: math.Inf(-1)}
		nums := numbers(t, shape[2])
		for i := 0; i+1 < len(nums); i += 2 {
			n.minX, n.maxX = math.Min(n.minX, nums[i]), math.Max(n.maxX, nums[i])
			n.minY, n.maxY = math.Min(n.minY, nums[i+1]), math.Max(n.maxY, nums[i+1])
		}
		l.nodes = append(l.nodes, n)
	}
	for _, m := range svgEdgePath.FindAllSubmatch(svg, -1) {
		l.edgeColor = hexColor(t, string(m[1]))
		l.edgePaths = append(l.edgePaths, numbers(t, m[2]))
	}
	return l
}

func atof(t *testing.T, b []byte) float64 {
	t.Helper()
	f, err := strconv.ParseFloat(string(b), 64)
	if err != nil {
		t.Fatal(err)
	}
	return f
}

func numbers(t *testing.T, b []byte) []float64 {
	var out []float64
	for _, m := range svgNumber.FindAll(b, -1) {
		out = append(out, atof(t, m))
	}
	return out
}

func hexColor(t *testing.T, s string) color.NRGBA {
	t.Helper()
	var c color.NRGBA
	if _, err := fmt.Sscanf(s, "#%02x%02x%02x", &c.R, &c.G, &c.B); err != nil {
		t.Fatalf("colour %q: %v", s, err)
	}
	c.A = 255
	return c
}

// pixel maps SVG coordinates (points) to PNG pixels at a scale.
func (l svgLayout) pixel(x, y, scale float64) (int, int) {
	s := scale * 96 / 72
	return int(math.Round((x + l.tx) * s)), int(math.Round((y + l.ty) * s))
}

func renderPNG(t *testing.T, r *render.Renderer, d *render.Diagram, scale float64) ([]byte, *image.RGBA) {
	t.Helper()
	out, err := r.PNG(t.Context(), d, meta, scale)
	if err != nil {
		t.Fatal(err)
	}
	img, err := png.Decode(bytes.NewReader(out))
	if err != nil {
		t.Fatalf("PNG does not decode: %v", err)
	}
	return out, toRGBA(img)
}

func toRGBA(img image.Image) *image.RGBA {
	rgba := image.NewRGBA(img.Bounds())
	for y := img.Bounds().Min.Y; y < img.Bounds().Max.Y; y++ {
		for x := img.Bounds().Min.X; x < img.Bounds().Max.X; x++ {
			rgba.Set(x, y, img.At(x, y))
		}
	}
	return rgba
}

// pngDataset and pngSelector give a picture with sources, models, metrics,
// a saved query, focus nodes, and both straight and curved edges.
const pngDataset, pngSelector = "jaffle-dap-v12-1.12", "+customers+"

// pictureLayout draws pngSelector's diagram as SVG and reads its layout,
// which the PNG and the PDF are checked against.
func pictureLayout(t *testing.T) (*render.Renderer, *render.Diagram, svgLayout) {
	t.Helper()
	r := newRenderer(t)
	d := diagramOf(t, loadFixture(t, pngDataset), pngSelector)
	svg, err := r.SVG(t.Context(), d, meta)
	if err != nil {
		t.Fatal(err)
	}
	l := readSVGLayout(t, svg)
	if len(l.nodes) != len(d.Nodes) || len(l.edgePaths) != len(d.Edges) {
		t.Fatalf("read %d nodes and %d edges from the SVG, want %d and %d", len(l.nodes), len(l.edgePaths), len(d.Nodes), len(d.Edges))
	}
	return r, d, l
}

func TestPNGPicture(t *testing.T) {
	r, d, l := pictureLayout(t)
	for _, scale := range []float64{1, 2} {
		t.Run(fmt.Sprintf("scale %g", scale), func(t *testing.T) {
			_, img := renderPNG(t, r, d, scale)
			// Size: the laid-out drawing (with its pad) at 96 dpi times the scale.
			wantW, wantH := l.width*scale*96/72, l.height*scale*96/72
			if b := img.Bounds(); math.Abs(float64(b.Dx())-wantW) > 1 || math.Abs(float64(b.Dy())-wantH) > 1 {
				t.Errorf("PNG is %dx%d, want %.1fx%.1f", b.Dx(), b.Dy(), wantW, wantH)
			}
			if img.RGBAAt(1, 1) != (color.RGBA{255, 255, 255, 255}) {
				t.Errorf("background %v, want white", img.RGBAAt(1, 1))
			}
			for _, n := range l.nodes {
				checkNode(t, img, l, n, scale)
			}
			checkEdges(t, img, l, scale)
		})
	}
}

// checkNode: the node's fill colour covers much of its shape's bounds, and
// its bold name is drawn in dark pixels where the SVG puts it.
func checkNode(t *testing.T, img *image.RGBA, l svgLayout, n svgNode, scale float64) {
	t.Helper()
	x0, y0 := l.pixel(n.minX, n.minY, scale)
	x1, y1 := l.pixel(n.maxX, n.maxY, scale)
	fill := 0
	for y := y0; y < y1; y++ {
		for x := x0; x < x1; x++ {
			if c := img.RGBAAt(x, y); c.R == n.fill.R && c.G == n.fill.G && c.B == n.fill.B {
				fill++
			}
		}
	}
	if area := (x1 - x0) * (y1 - y0); fill < area*4/10 {
		t.Errorf("%s: %d of %d pixels in its bounds have its fill %v, want at least 40%%", n.id, fill, area, n.fill)
	}
	// The name: 11pt bold black text on the baseline starting at (nameX, nameY).
	tx0, ty0 := l.pixel(n.nameX, n.nameY-9, scale)
	tx1, ty1 := l.pixel(n.nameX+30, n.nameY+1, scale)
	dark := 0
	for y := ty0; y < ty1; y++ {
		for x := tx0; x < tx1; x++ {
			if c := img.RGBAAt(x, y); max(c.R, c.G, c.B) < 80 {
				dark++
			}
		}
	}
	if want := int(30 * scale * scale); dark < want {
		t.Errorf("%s: %d dark pixels where its name is, want at least %d", n.id, dark, want)
	}
}

// checkEdges: straight edges are thin lines in the edge colour, not blobs.
// Across the middle of each horizontal edge, the ink (each pixel's coverage
// by the edge colour, read per channel against the white background) adds
// up to the pen width, 1pt = 1.33 px at scale 1, in every channel alike.
func checkEdges(t *testing.T, img *image.RGBA, l svgLayout, scale float64) {
	t.Helper()
	straight := 0
	curved := 0
	for _, path := range l.edgePaths {
		// A curve is a line, not a filled shape: the middle of each bent
		// segment's chord is left unpainted, or at most grazed by the
		// smoothed edge of another line (a fill would give it the edge
		// colour itself).
		for i := 0; i+7 < len(path); i += 6 {
			x0, y0, x3, y3 := path[i], path[i+1], path[i+6], path[i+7]
			bx := (x0 + 3*path[i+2] + 3*path[i+4] + x3) / 8 // the curve at t = 1/2
			by := (y0 + 3*path[i+3] + 3*path[i+5] + y3) / 8
			if math.Hypot(bx-(x0+x3)/2, by-(y0+y3)/2) < 6 {
				continue
			}
			curved++
			x, y := l.pixel((x0+x3)/2, (y0+y3)/2, scale)
			if c := img.RGBAAt(x, y); 2*(255-int(c.R)) >= 255-int(l.edgeColor.R) {
				t.Errorf("edge segment from (%g,%g) to (%g,%g): the middle of its chord is painted %v, want white or nearly", x0, y0, x3, y3, c)
			}
		}
		horizontal := len(path) >= 4
		for i := 3; i < len(path); i += 2 {
			horizontal = horizontal && path[i] == path[1]
		}
		if !horizontal {
			continue
		}
		straight++
		x, y := l.pixel((path[0]+path[len(path)-2])/2, path[1], scale)
		var ink [3]float64
		edge := [3]float64{float64(l.edgeColor.R), float64(l.edgeColor.G), float64(l.edgeColor.B)}
		for dy := -int(10 * scale); dy <= int(10*scale); dy++ {
			c := img.RGBAAt(x, y+dy)
			for i, v := range [3]float64{float64(c.R), float64(c.G), float64(c.B)} {
				ink[i] += (255 - v) / (255 - edge[i])
			}
		}
		want := 1.33 * scale
		for i, v := range ink {
			if math.Abs(v-want) > 0.25*want {
				t.Errorf("edge at (%d,%d): channel %d has %.2f px of edge colour across it, want a %.2f px line", x, y, i, v, want)
			}
		}
	}
	if straight == 0 || curved == 0 {
		t.Fatalf("%d straight and %d curved edges to measure; pick a selection that has both", straight, curved)
	}
}

func TestPNGDeterministicAndDefaultScale(t *testing.T) {
	r := newRenderer(t)
	_, _, d := goldenDiagram(t)
	first, _ := renderPNG(t, r, d, 1)
	_, _, d2 := goldenDiagram(t)
	second, _ := renderPNG(t, r, d2, 1)
	if !bytes.Equal(first, second) {
		t.Error("two PNG renders of the same selection differ")
	}
	for _, scale := range []float64{0, -3} {
		if out, _ := renderPNG(t, r, d, scale); !bytes.Equal(out, first) {
			t.Errorf("scale %g does not render as scale 1", scale)
		}
	}
}

func TestPNGHostileText(t *testing.T) {
	r := newRenderer(t)
	g := lineage.New(hostileData())
	sel, err := g.Select("*", lineage.SelectOptions{})
	if err != nil {
		t.Fatal(err)
	}
	sel.Expr = `<script>alert("title")</script> & ]]> \N`
	d, err := render.FromSelection(g, sel)
	if err != nil {
		t.Fatal(err)
	}
	if _, img := renderPNG(t, r, d, 1); img.Bounds().Dx() < 100 {
		t.Errorf("PNG of the hostile selection is only %v", img.Bounds())
	}
}

func TestPNGCancellation(t *testing.T) {
	r := newRenderer(t)
	_, _, d := goldenDiagram(t)
	ctx, cancel := context.WithCancel(t.Context())
	cancel()
	if _, err := r.PNG(ctx, d, meta, 1); backend.ErrorCode(err) != backend.ECANCELED || !errors.Is(err, context.Canceled) {
		t.Errorf("cancelled before: %v", err)
	}
	ctx, cancel = context.WithTimeout(t.Context(), 30*time.Millisecond)
	defer cancel()
	start := time.Now()
	if _, err := r.PNG(ctx, synthetic(500), meta, 0.1); backend.ErrorCode(err) != backend.ECANCELED || time.Since(start) > 2*time.Second {
		t.Errorf("cancelled during: %v after %v", err, time.Since(start))
	}
	if _, err := r.PNG(t.Context(), d, meta, 1); err != nil {
		t.Errorf("after a cancelled render: %v", err)
	}
}

func TestPNGSizeCap(t *testing.T) {
	r, d, _, l := goldenSVGLayout(t)
	const scale = 40
	_, err := r.PNG(t.Context(), d, meta, scale)
	var e *backend.Error
	if !errors.As(err, &e) || e.Code != backend.EINVALID {
		t.Fatalf("scale %d: %v, want an EINVALID *backend.Error", scale, err)
	}
	// The suggestion is the largest scale (to 0.01) whose picture stays within
	// 32768 pixels a side and 64 Mi pixels in all.
	w1, h1 := l.width*96/72, l.height*96/72
	fit := math.Min(32768/math.Max(w1, h1), math.Sqrt(64*(1<<20)/(w1*h1)))
	want := fmt.Sprintf("scale %.2f or less", math.Floor(fit*100)/100)
	if !bytes.Contains([]byte(e.Message), []byte(want)) || !bytes.Contains([]byte(e.Message), []byte("pixels")) {
		t.Errorf("message %q does not suggest %q", e.Message, want)
	}
}

func BenchmarkPNG1000(b *testing.B) {
	r := newRenderer(b)
	d := synthetic(1000)
	for b.Loop() {
		if _, err := r.PNG(b.Context(), d, meta, 1); err != nil {
			b.Fatal(err)
		}
	}
}
