package render

import (
	"bytes"
	"fmt"
	"regexp"
	"strings"
	"testing"

	"github.com/lineagedesk/lineagedesk/backend"
)

// postProcessSVGByRegexp is postProcessSVG as first written, with regular
// expressions: slower, and plainly right, so the scanner is checked
// against it.
func postProcessSVGByRegexp(svg []byte, d *Diagram) []byte {
	title := regexp.MustCompile(`<title>([A-Za-z0-9_&#;-]+)</title>`)
	comment := regexp.MustCompile(`<!--[^>]*-->\n?`)
	docStart := regexp.MustCompile(`(?s)^.*?<svg`)
	tips := map[string]string{}
	for i := range d.Nodes {
		tips[d.Nodes[i].ID] = tooltip(&d.Nodes[i])
	}
	out := docStart.ReplaceAll(svg, []byte(xmlDeclaration+"<svg"))
	out = comment.ReplaceAll(out, nil)
	out = bytes.ReplaceAll(out, []byte("&#45;"), []byte("-"))
	out = bytes.ReplaceAll(out, []byte(`font-family="`+fontName+`"`), []byte(`font-family="`+fontFamily+`"`))
	return title.ReplaceAllFunc(out, func(m []byte) []byte {
		name := string(title.FindSubmatch(m)[1])
		if tip, ok := tips[name]; ok {
			return []byte("<title>" + xmlText(tip) + "</title>")
		}
		if from, to, ok := strings.Cut(name, "&gt;"); ok {
			return []byte("<title>" + xmlText(titleOf(tips, from)+" → "+titleOf(tips, to)) + "</title>")
		}
		return m
	})
}

// postProcessDiagram names the nodes of layeredDOT(n) with hostile
// unique_ids and descriptions.
func postProcessDiagram(n int) *Diagram {
	d := &Diagram{}
	for i := range n {
		d.Nodes = append(d.Nodes, Node{ID: fmt.Sprintf("n%d", i), Resource: &backend.GraphNode{
			UniqueID:    fmt.Sprintf("model.shop.<b>m%d</b>", i),
			Description: `"quoted" & <script>alert(1)</script> -->`,
		}})
	}
	return d
}

func rawGraphvizSVG(tb testing.TB, dot []byte) []byte {
	tb.Helper()
	e, err := newWasmEngine(tb.Context())
	if err != nil {
		tb.Fatal(err)
	}
	svg, err := e.run(tb.Context(), dot, "svg")
	if err != nil {
		tb.Fatal(err)
	}
	return svg
}

func TestPostProcessSVGMatchesRegexpVersion(t *testing.T) {
	raw := rawGraphvizSVG(t, layeredDOT(300))
	d := postProcessDiagram(300)
	got, want := postProcessSVG(raw, d), postProcessSVGByRegexp(raw, d)
	if !bytes.Equal(got, want) {
		t.Fatalf("postProcessSVG differs from the regexp version on Graphviz's SVG of 300 nodes (%d vs %d bytes)", len(got), len(want))
	}
	if !bytes.Contains(got, []byte("<title>model.shop.&lt;b&gt;m7&lt;/b&gt;\n")) || bytes.Contains(got, []byte("<!--")) {
		t.Errorf("the SVG lacks the tooltips or still has comments:\n%.600s", got)
	}
}

// FuzzPostProcessSVG checks the scanner against the regexp version on
// arbitrary documents, seeded with Graphviz's own output.
func FuzzPostProcessSVG(f *testing.F) {
	f.Add(rawGraphvizSVG(f, layeredDOT(40)))
	f.Add([]byte(`<?xml?><!-- a --><svg><!---><!----><!-- > --><title>n1</title><title>n1&#45;&gt;n2</title><title>x y</title><title></title></svg>`))
	f.Add([]byte(`<title>n3</title`))
	// Where the passes meet: an entity making a font attribute or a
	// comment, a font attribute or a comment in a title.
	f.Add([]byte(`<svg font&#45;family="DejaVu Sans"><!-&#45;><!-- &#45; --><title>n1&#45;&gt;n2</title><title>font-family="DejaVu Sans"</title><title>n<!-- -->1</title>font-family="DejaVu Sansfont-family="DejaVu Sans"`))
	d := postProcessDiagram(40)
	f.Fuzz(func(t *testing.T, svg []byte) {
		got, want := postProcessSVG(svg, d), postProcessSVGByRegexp(svg, d)
		if !bytes.Equal(got, want) {
			t.Fatalf("postProcessSVG(%q) = %q, the regexp version gives %q", svg, got, want)
		}
	})
}
