package render_test

import (
	"bytes"
	"context"
	"image/png"
	"math"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/lineagedesk/lineagedesk/backend"
	"github.com/lineagedesk/lineagedesk/backend/lineage"
	"github.com/lineagedesk/lineagedesk/backend/render"
)

// The PDF is read back by poppler (Debian's poppler-utils, installed by
// make deps): pdfinfo for the page, pdftotext for the text, pdftoppm for a
// raster checked as the PNG is. Any complaint poppler writes on stderr
// about the file fails the test.
func poppler(t *testing.T, tool string, args ...string) []byte {
	t.Helper()
	path, err := exec.LookPath(tool)
	if err != nil {
		t.Fatalf("%s (Debian's poppler-utils) reads the PDFs back: run make deps, or apt-get install poppler-utils: %v", tool, err)
	}
	var stdout, stderr bytes.Buffer
	cmd := exec.Command(path, args...)
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	if err := cmd.Run(); err != nil || stderr.Len() > 0 {
		t.Fatalf("%s %s: %v\n%s", tool, strings.Join(args, " "), err, stderr.String())
	}
	return stdout.Bytes()
}

func writePDF(t *testing.T, r *render.Renderer, d *render.Diagram, m render.Meta) string {
	t.Helper()
	out, err := r.PDF(t.Context(), d, m)
	if err != nil {
		t.Fatal(err)
	}
	return savePDF(t, out)
}

// savePDF writes a PDF into the test's folder, for poppler to read.
func savePDF(t *testing.T, pdf []byte) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), "picture.pdf")
	if err := os.WriteFile(path, pdf, 0o644); err != nil {
		t.Fatal(err)
	}
	return path
}

var pdfPageSize = regexp.MustCompile(`Page size:\s+([0-9.]+) x ([0-9.]+) pts`)

// TestPDFPicture draws the PNG test's picture as PDF and checks poppler's
// raster of it as the PNG is checked: the page is the laid-out drawing,
// each node filled and named where the SVG puts it, edges thin lines.
func TestPDFPicture(t *testing.T) {
	r, d, l := pictureLayout(t)
	path := writePDF(t, r, d, meta)

	info := poppler(t, "pdfinfo", path)
	size := pdfPageSize.FindSubmatch(info)
	if size == nil {
		t.Fatalf("pdfinfo gives no page size:\n%s", info)
	}
	if w, h := atof(t, size[1]), atof(t, size[2]); math.Abs(w-l.width) > 0.5 || math.Abs(h-l.height) > 0.5 {
		t.Errorf("page %gx%g pt, the drawing is %gx%g", w, h, l.width, l.height)
	}
	if !bytes.Contains(info, []byte("Title:           "+pngSelector+"\n")) || !bytes.Contains(info, []byte("Pages:           1\n")) {
		t.Errorf("pdfinfo:\n%s", info)
	}

	// The text is searchable: every node's name and the footer's project.
	text := string(poppler(t, "pdftotext", "-raw", path, "-"))
	for _, n := range d.Nodes {
		if !strings.Contains(text, n.Resource.Name) {
			t.Errorf("the PDF's text lacks %q", n.Resource.Name)
		}
	}
	if !strings.Contains(text, "project "+meta.Project) {
		t.Errorf("the PDF's text lacks the footer:\n%s", text)
	}

	// At 192 dpi, the raster lines up with the PNG at scale 2. (At 96 dpi
	// poppler snaps the 1.33 px edges to whole pixels.)
	prefix := filepath.Join(t.TempDir(), "page")
	poppler(t, "pdftoppm", "-r", "192", "-png", "-singlefile", path, prefix)
	f, err := os.Open(prefix + ".png")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	decoded, err := png.Decode(f)
	if err != nil {
		t.Fatal(err)
	}
	img := toRGBA(decoded)
	for _, n := range l.nodes {
		checkNode(t, img, l, n, 2)
	}
	checkEdges(t, img, l, 2)
}

func TestPDFHostileTextAndDeterminism(t *testing.T) {
	r := newRenderer(t)
	g := lineage.New(hostileData())
	sel, err := g.Select("*", lineage.SelectOptions{})
	if err != nil {
		t.Fatal(err)
	}
	sel.Expr = `(title) \ <script>alert("title")</script> %% ) >> endobj Ünïcødé`
	d, err := render.FromSelection(g, sel)
	if err != nil {
		t.Fatal(err)
	}
	m := render.Meta{Project: `) Tj ET (x`, Snapshot: "#1 <</Type /Catalog>>"}
	path := writePDF(t, r, d, m)
	if info := poppler(t, "pdfinfo", path); !bytes.Contains(info, []byte("Title:           "+sel.Expr+"\n")) {
		t.Errorf("the title did not survive:\n%s", info)
	}
	text := string(poppler(t, "pdftotext", "-raw", path, "-"))
	for _, want := range []string{`<script>alert(1)</script>`, `a & b "quoted" 'single'`, `(title) \ <script>`, `Ünïcødé`, `project ) Tj ET (x`} {
		if !strings.Contains(text, want) {
			t.Errorf("the PDF's text lacks %q:\n%s", want, text)
		}
	}
	first, err := r.PDF(t.Context(), d, m)
	if err != nil {
		t.Fatal(err)
	}
	again, err := r.PDF(t.Context(), d, m)
	if err != nil || !bytes.Equal(first, again) {
		t.Errorf("the same diagram gave different PDFs (%v)", err)
	}
}

// TestPDFBigPage: a picture larger than the 200 inches a PDF page may have
// is scaled down to fit, keeping its proportions.
func TestPDFBigPage(t *testing.T) {
	r := newRenderer(t)
	d := synthetic(900)
	svg, err := r.SVG(t.Context(), d, meta)
	if err != nil {
		t.Fatal(err)
	}
	l := readSVGLayout(t, svg)
	if math.Max(l.width, l.height) <= 14400 {
		t.Fatalf("the synthetic picture is %gx%g pt, not bigger than a PDF page", l.width, l.height)
	}
	info := poppler(t, "pdfinfo", writePDF(t, r, d, meta))
	size := pdfPageSize.FindSubmatch(info)
	if size == nil {
		t.Fatalf("no page size:\n%s", info)
	}
	w, h := atof(t, size[1]), atof(t, size[2])
	if math.Max(w, h) > 14400.5 || math.Abs(w/h-l.width/l.height) > 0.01 {
		t.Errorf("page %gx%g pt for a %gx%g picture", w, h, l.width, l.height)
	}
}

func TestPDFCancellation(t *testing.T) {
	r := newRenderer(t)
	_, _, d := goldenDiagram(t)
	ctx, cancel := context.WithCancel(t.Context())
	cancel()
	if _, err := r.PDF(ctx, d, meta); backend.ErrorCode(err) != backend.ECANCELED {
		t.Errorf("cancelled: %v", err)
	}
}

// BenchmarkPDF1000: layout (as the PNG's) plus writing the page, the
// font subsets and the compression.
func BenchmarkPDF1000(b *testing.B) {
	r := newRenderer(b)
	d := synthetic(1000)
	for b.Loop() {
		if _, err := r.PDF(b.Context(), d, meta); err != nil {
			b.Fatal(err)
		}
	}
}
