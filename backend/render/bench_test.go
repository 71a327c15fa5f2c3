package render_test

import (
	"bytes"
	"os/exec"
	"testing"
	"time"

	"github.com/goccy/go-graphviz"
	"github.com/goccy/go-graphviz/gvc"
)

// layoutVariants are graph attributes that make dot's layout cheaper,
// measured on the same 1,000-node DOT by both engines (see
// BenchmarkLayoutVariants). "" is the DOT as writeDOT prints it.
var layoutVariants = []struct{ name, attrs string }{
	{"as-printed", ""},
	{"newrank", "newrank=true"},
	{"mclimit0.3", "mclimit=0.3"},
	{"nslimit2", "nslimit=2, nslimit1=2"},
	{"remincross-false", "remincross=false"},
	{"splines-line", "splines=line"},
	{"cheap-set", "mclimit=0.3, nslimit=2, nslimit1=2, remincross=false"},
}

func withGraphAttrs(dot []byte, attrs string) []byte {
	if attrs == "" {
		return dot
	}
	return bytes.Replace(dot, []byte("graph [rankdir=LR,"), []byte("graph [rankdir=LR, "+attrs+","), 1)
}

// BenchmarkSVG1000Native runs the system Graphviz (`dot -Tsvg`, a new
// process per op, as a user would) on the DOT that BenchmarkSVG1000 lays
// out in WASM: the side-by-side figure for the "no slower than native
// dot" target. It needs dot on PATH.
func BenchmarkSVG1000Native(b *testing.B) {
	dotPath, err := exec.LookPath("dot")
	if err != nil {
		b.Skip("no system Graphviz (dot) on PATH to compare with")
	}
	dot, err := newRenderer(b).DOT(synthetic(1000), meta)
	if err != nil {
		b.Fatal(err)
	}
	for b.Loop() {
		cmd := exec.Command(dotPath, "-Tsvg")
		cmd.Stdin = bytes.NewReader(dot)
		if out, err := cmd.Output(); err != nil || len(out) == 0 {
			b.Fatalf("dot -Tsvg: %v", err)
		}
	}
}

// BenchmarkSVG1000Phases splits a WASM render of the 1,000-node DOT into
// go-graphviz's parse (which also walks every node across the WASM
// boundary), the dot layout and the SVG output.
func BenchmarkSVG1000Phases(b *testing.B) {
	newRenderer(b) // the same process-wide WASM module the Renderer uses
	dot, err := newRenderer(b).DOT(synthetic(1000), meta)
	if err != nil {
		b.Fatal(err)
	}
	c, err := gvc.New(b.Context())
	if err != nil {
		b.Fatal(err)
	}
	defer c.Close()
	var parse, layout, svg time.Duration
	for b.Loop() {
		start := time.Now()
		g, err := graphviz.ParseBytes(dot)
		if err != nil {
			b.Fatal(err)
		}
		parsed := time.Now()
		if err := c.Layout(b.Context(), g, "dot"); err != nil {
			b.Fatal(err)
		}
		laidOut := time.Now()
		var out bytes.Buffer
		if err := c.RenderData(b.Context(), g, "svg", &out); err != nil {
			b.Fatal(err)
		}
		parse, layout, svg = parse+parsed.Sub(start), layout+laidOut.Sub(parsed), svg+time.Since(laidOut)
		_ = c.FreeLayout(b.Context(), g)
		_ = g.Close()
	}
	perOp := func(d time.Duration) float64 { return float64(d.Microseconds()) / 1000 / float64(b.N) }
	b.ReportMetric(perOp(parse), "parse-ms/op")
	b.ReportMetric(perOp(layout), "layout-ms/op")
	b.ReportMetric(perOp(svg), "svg-ms/op")
}

// BenchmarkLayoutVariants lays the 1,000-node DOT out with each variant of
// graph attributes, in WASM and (when dot is on PATH) natively.
func BenchmarkLayoutVariants(b *testing.B) {
	r := newRenderer(b)
	dot, err := r.DOT(synthetic(1000), meta)
	if err != nil {
		b.Fatal(err)
	}
	c, err := gvc.New(b.Context())
	if err != nil {
		b.Fatal(err)
	}
	defer c.Close()
	dotPath, _ := exec.LookPath("dot")
	for _, v := range layoutVariants {
		src := withGraphAttrs(dot, v.attrs)
		b.Run("wasm/"+v.name, func(b *testing.B) {
			for b.Loop() {
				g, err := graphviz.ParseBytes(src)
				if err != nil {
					b.Fatal(err)
				}
				var out bytes.Buffer
				if err := c.Layout(b.Context(), g, "dot"); err != nil {
					b.Fatal(err)
				}
				if err := c.RenderData(b.Context(), g, "svg", &out); err != nil {
					b.Fatal(err)
				}
				_ = c.FreeLayout(b.Context(), g)
				_ = g.Close()
			}
		})
		if dotPath == "" {
			continue
		}
		b.Run("native/"+v.name, func(b *testing.B) {
			for b.Loop() {
				cmd := exec.Command(dotPath, "-Tsvg")
				cmd.Stdin = bytes.NewReader(src)
				if _, err := cmd.Output(); err != nil {
					b.Fatalf("dot -Tsvg: %v", err)
				}
			}
		})
	}
}
