package render_test

import (
	"bytes"
	"encoding/csv"
	"encoding/xml"
	"fmt"
	"image/png"
	"io"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/lineagedesk/lineagedesk/backend"
	"github.com/lineagedesk/lineagedesk/backend/render"
)

// hostileTrace is a column trace whose every name comes from hostile
// artifacts: markup, script, quotes, control characters, Graphviz escapes.
func hostileTrace() backend.ColumnTrace {
	evil := `<script>alert(1)</script> & ]]> "q" \N \G` + "\x00\x1b"
	src := backend.ColumnTraceNode{UniqueID: "source.p.s." + evil, ResourceType: "source", Name: evil, Columns: []string{evil, "id"}}
	mid := backend.ColumnTraceNode{UniqueID: "model.p." + evil, ResourceType: "model", Name: "<b>mid</b>", Columns: []string{"x"},
		Problem: `<img src=x onerror=alert(2)>`}
	ext := backend.ColumnTraceNode{Relation: `db."<script>".t`, Name: `db."<script>".t`, Columns: []string{"y"}, Continues: []string{"upstream"}}
	dash := backend.ColumnTraceNode{UniqueID: "exposure.p." + evil, ResourceType: "exposure", Name: evil, Columns: []string{}}
	return backend.ColumnTrace{
		Focus: backend.ColumnKey{Node: mid.UniqueID, Column: "x"},
		Nodes: []backend.ColumnTraceNode{dash, mid, src, ext},
		Edges: []backend.ColumnEdge{
			{From: backend.ColumnKey{Node: src.UniqueID, Column: evil}, To: backend.ColumnKey{Node: mid.UniqueID, Column: "x"},
				Kind: backend.ColumnTransformed, Expression: `</title><script>alert(3)</script>`},
			{From: backend.ColumnKey{Node: src.UniqueID, Column: "id"}, To: backend.ColumnKey{Node: mid.UniqueID}, Kind: backend.ColumnFilter},
			{From: backend.ColumnKey{Relation: ext.Relation, Column: "y"}, To: backend.ColumnKey{Node: mid.UniqueID, Column: "x"}, Kind: backend.ColumnRename},
			{From: backend.ColumnKey{Node: mid.UniqueID, Column: "x"}, To: backend.ColumnKey{Node: dash.UniqueID}, Kind: backend.ColumnExposed},
		},
	}
}

// TestColumnSVGEscapesArtifactText draws a hostile trace: the SVG is
// well-formed, holds SVG drawing elements only, no link or handler, and
// shows the names as text; each node and link has its title.
func TestColumnSVGEscapesArtifactText(t *testing.T) {
	r := newRenderer(t)
	tr := hostileTrace()
	svg, err := r.ColumnSVG(t.Context(), tr, render.Meta{Project: `<script>x</script>`})
	if err != nil {
		t.Fatal(err)
	}
	allowed := map[string]bool{"svg": true, "g": true, "title": true, "text": true, "path": true, "polygon": true, "ellipse": true, "polyline": true}
	titles := map[string]string{}
	var texts []string // the label lines drawn
	dec := xml.NewDecoder(bytes.NewReader(svg))
	var group string
	inTitle, inText := false, false
	for {
		tok, err := dec.Token()
		if err == io.EOF {
			break
		}
		if err != nil {
			t.Fatalf("not well-formed: %v", err)
		}
		switch el := tok.(type) {
		case xml.StartElement:
			if !allowed[el.Name.Local] {
				t.Errorf("unexpected element <%s>", el.Name.Local)
			}
			for _, a := range el.Attr {
				if n := strings.ToLower(a.Name.Local); n == "href" || strings.HasPrefix(n, "on") {
					t.Errorf("<%s> has attribute %s", el.Name.Local, a.Name.Local)
				}
				if el.Name.Local == "g" && a.Name.Local == "id" {
					group = a.Value
				}
			}
			inTitle, inText = el.Name.Local == "title", el.Name.Local == "text"
		case xml.CharData:
			if inTitle {
				titles[group] += string(el)
			}
			if inText {
				texts = append(texts, string(el))
			}
		case xml.EndElement:
			inTitle, inText = false, false
		}
	}
	// Each node's label starts with its name, then its kind.
	for _, line := range []string{"<b>mid</b>", "model", `db."<script>".t`, "outside the project", "exposure", "source"} {
		if !slices.Contains(texts, line) {
			t.Errorf("no label line %q among %q", line, texts)
		}
	}
	lower := bytes.ToLower(svg)
	for _, bad := range []string{"<script", "<img", "<b>", "<a ", "]]>"} {
		if bytes.Contains(lower, []byte(bad)) {
			t.Errorf("SVG contains %q", bad)
		}
	}
	if !bytes.Contains(svg, []byte("&lt;script&gt;alert(1)&lt;/script&gt;")) || !bytes.Contains(svg, []byte("&lt;b&gt;mid&lt;/b&gt;")) {
		t.Error("the names are not shown as text")
	}
	if bytes.Count(svg, []byte("… goes on upstream")) != 1 {
		t.Error("the node the trace goes on past does not say so")
	}
	if !strings.HasPrefix(titles["link-0"], "<script>alert(1)</script>") || !strings.Contains(titles["link-0"], "</title><script>alert(3)</script>") ||
		!strings.Contains(titles["link-1"], ": filter") || !strings.Contains(titles["link-2"], `db."<script>".t.y → <b>mid</b>.x: rename`) ||
		!strings.Contains(titles["link-3"], "<b>mid</b>.x → <script>alert(1)</script>") || !strings.HasSuffix(titles["link-3"], ": exposed") {
		t.Errorf("link titles: %q", titles)
	}
	nodeTitles := 0
	for id, title := range titles {
		if strings.HasPrefix(id, "node-") || strings.HasPrefix(id, "relation-") {
			nodeTitles++
			if strings.Contains(title, "\x00") || strings.Contains(title, "\x1b") {
				t.Errorf("title %q keeps control characters", title)
			}
		}
	}
	if nodeTitles != 4 {
		t.Errorf("%d node titles, want 4: %q", nodeTitles, titles)
	}
	// \N and \G stay text: Graphviz would write the node's and graph's name.
	if !bytes.Contains(svg, []byte(`\N \G`)) {
		t.Error(`"\N \G" was expanded by Graphviz`)
	}
}

// TestColumnDOTIsStable: the same trace gives the same DOT and the same
// SVG, byte for byte.
func TestColumnDOTIsStable(t *testing.T) {
	r := newRenderer(t)
	tr := hostileTrace()
	if a, b := render.ColumnDOT(tr, meta), render.ColumnDOT(hostileTrace(), meta); !bytes.Equal(a, b) {
		t.Fatal("two DOTs of one trace differ")
	}
	a, err := r.ColumnSVG(t.Context(), tr, meta)
	if err != nil {
		t.Fatal(err)
	}
	b, err := r.ColumnSVG(t.Context(), hostileTrace(), meta)
	if err != nil || !bytes.Equal(a, b) {
		t.Fatalf("two SVGs of one trace differ (%v)", err)
	}
}

func TestColumnSVGRefusesHugeTraces(t *testing.T) {
	r := newRenderer(t)
	var tr backend.ColumnTrace
	for i := range render.DefaultMaxNodes + 1 {
		tr.Nodes = append(tr.Nodes, backend.ColumnTraceNode{UniqueID: "model.p.m" + strings.Repeat("x", i%7) + string(rune('a'+i%26)), Name: "m"})
	}
	_, err := r.ColumnSVG(t.Context(), tr, meta)
	if backend.ErrorCode(err) != backend.EINVALID || !strings.Contains(err.Error(), "upstream or downstream") {
		t.Fatalf("a trace too big to draw: %v", err)
	}
}

// TestColumnCSV reads a trace's CSV back: a header, a row per link in the
// trace's order with both ends, nothing that a spreadsheet runs.
func TestColumnCSV(t *testing.T) {
	tr := hostileTrace()
	tr.Edges[0].Expression = `=HYPERLINK("https://evil.example")`
	data, err := render.ColumnCSV(tr)
	if err != nil {
		t.Fatal(err)
	}
	rows, err := csv.NewReader(bytes.NewReader(data)).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	if len(rows) != len(tr.Edges)+1 || rows[0][0] != "from_unique_id" || rows[0][11] != "expression" {
		t.Fatalf("rows %q", rows)
	}
	// The control characters in the names are dropped (clean).
	plain := strings.NewReplacer("\x00", "", "\x1b", "").Replace
	for i, e := range tr.Edges {
		r := rows[i+1]
		if r[0] != plain(e.From.Node) || r[1] != e.From.Relation || r[4] != plain(e.From.Column) || r[10] != e.Kind ||
			r[5] != plain(e.To.Node) || r[9] != e.To.Column {
			t.Errorf("row %d = %q for link %+v", i+1, r, e)
		}
	}
	if rows[1][11] != `'=HYPERLINK("https://evil.example")` {
		t.Errorf("a formula in an expression: %q", rows[1][11])
	}
	if rows[1][2] != "<script>alert(1)</script> & ]]> \"q\" \\N \\G" || strings.ContainsAny(string(data), "\x00\x1b") {
		t.Errorf("names: %q", rows[1][2])
	}
}

// TestColumnPNGAndPDF draws a column trace as PNG and PDF from the layout
// the SVG shows: the PNG at twice the scale is twice the size, the same
// trace paints the same bytes, and the PDF's text (read back by poppler)
// holds the hostile names as text, the legend and the cut trace's note.
func TestColumnPNGAndPDF(t *testing.T) {
	r := newRenderer(t)
	tr := hostileTrace()
	one, err := r.ColumnPNG(t.Context(), tr, meta, 1)
	if err != nil {
		t.Fatal(err)
	}
	two, err := r.ColumnPNG(t.Context(), tr, meta, 2)
	if err != nil {
		t.Fatal(err)
	}
	small, err := png.Decode(bytes.NewReader(one))
	if err != nil {
		t.Fatal(err)
	}
	big, err := png.Decode(bytes.NewReader(two))
	if err != nil {
		t.Fatal(err)
	}
	if w, h := small.Bounds().Dx(), small.Bounds().Dy(); w < 200 || h < 100 ||
		abs(big.Bounds().Dx()-2*w) > 2 || abs(big.Bounds().Dy()-2*h) > 2 {
		t.Errorf("PNG sizes %v at scale 1, %v at scale 2", small.Bounds(), big.Bounds())
	}
	if again, err := r.ColumnPNG(t.Context(), tr, meta, 1); err != nil || !bytes.Equal(again, one) {
		t.Errorf("the same trace painted different PNGs (%v)", err)
	}

	pdf, err := r.ColumnPDF(t.Context(), tr, meta)
	if err != nil {
		t.Fatal(err)
	}
	path := savePDF(t, pdf)
	if info := poppler(t, "pdfinfo", path); !bytes.Contains(info, []byte("Title:           "+render.ColumnTitle(tr))) {
		t.Errorf("the PDF's title:\n%s", info)
	}
	text := string(poppler(t, "pdftotext", "-raw", path, "-"))
	for _, want := range []string{"<script>alert(1)</script>", "<b>mid</b>", "joined or filtered on", "used by an exposure", "… goes on upstream"} {
		if !strings.Contains(text, want) {
			t.Errorf("the PDF's text lacks %q:\n%s", want, text)
		}
	}
	// Too big to draw: the size guard's message, as for SVG.
	huge := tr
	huge.Nodes = make([]backend.ColumnTraceNode, 5000)
	for i := range huge.Nodes {
		huge.Nodes[i] = backend.ColumnTraceNode{UniqueID: fmt.Sprintf("model.p.m%d", i), Name: fmt.Sprint(i)}
	}
	if _, err := r.ColumnPNG(t.Context(), huge, meta, 1); backend.ErrorCode(err) != backend.EINVALID {
		t.Errorf("a 5,000-node trace as PNG: %v", err)
	}
}

func abs(n int) int {
	if n < 0 {
		return -n
	}
	return n
}

// TestColumnTestMarks: a tested column is marked by its worst outcome and
// its number of tests, and the legend explains the marks only when a
// column has tests.
func TestColumnTestMarks(t *testing.T) {
	tr := hostileTrace()
	if dot := string(render.ColumnDOT(tr, meta)); strings.Contains(dot, "tests pass") {
		t.Error("a trace without tests explains the test marks")
	}
	tr.Nodes[1].Columns = []string{"a", "b", "c", "d", "x"}
	tr.Nodes[1].Tests = map[string]backend.TestSummary{
		"a": {Total: 3, Pass: 1, Warn: 1, Fail: 1},
		"b": {Total: 2, Pass: 1, Warn: 1},
		"c": {Total: 2, Pass: 2},
		"d": {Total: 1},
	}
	dot := string(render.ColumnDOT(tr, meta))
	for _, want := range []string{`>a  <FONT POINT-SIZE="9" COLOR="#C62828">✗3</FONT>`, `>b  <FONT POINT-SIZE="9" COLOR="#EF6C00">!2</FONT>`,
		`>c  <FONT POINT-SIZE="9" COLOR="#2E7D32">✓2</FONT>`, `>d  <FONT POINT-SIZE="9" COLOR="#78909C">○1</FONT>`, `>x</TD>`, "a test fails", "tests not run"} {
		if !strings.Contains(dot, want) {
			t.Errorf("the DOT lacks %q:\n%s", want, dot)
		}
	}
}

// columnMermaidStatement matches every line ColumnMermaid writes.
var columnMermaidStatement = regexp.MustCompile(`^(---|title: .*|flowchart LR|  subgraph \w+\["[^"]*"\]|    \w+\["[^"]*"\]|  end|  \w+ (-->|-\.->)\|[^|"]*\| \w+|  linkStyle [\d,]+ stroke:#[0-9A-F]{6}|  class \w+ focus|  classDef focus [^\s]+)$`)

// TestColumnMermaid writes the hostile trace as Mermaid: every line is a
// statement ColumnMermaid writes (artifact text makes none of its own),
// labels carry no quote, markup or directive, each node is a subgraph with
// its columns, each link is written with its kind, the focus is marked.
func TestColumnMermaid(t *testing.T) {
	tr := hostileTrace()
	tr.Nodes[1].Tests = map[string]backend.TestSummary{"x": {Total: 2, Fail: 1, Pass: 1}}
	mmd := string(render.ColumnMermaid(tr))
	lines := strings.Split(strings.TrimSuffix(mmd, "\n"), "\n")
	for _, line := range lines {
		if !columnMermaidStatement.MatchString(line) {
			t.Errorf("line %q is none of the statements ColumnMermaid writes", line)
		}
		if strings.HasPrefix(line, "title: ") {
			continue // a JSON string, as the lineage's
		}
		for _, bad := range []string{"<script", "<img", "%%", "\x00", "\x1b"} {
			if strings.Contains(line, bad) {
				t.Errorf("line %q contains %q", line, bad)
			}
		}
	}
	count := func(prefix string) int {
		n := 0
		for _, l := range lines {
			if strings.HasPrefix(l, prefix) {
				n++
			}
		}
		return n
	}
	if count("  subgraph ") != len(tr.Nodes) || count("  end") != len(tr.Nodes) || count("    ") != 4 {
		t.Errorf("%d subgraphs, %d columns, for %d nodes:\n%s", count("  subgraph "), count("    "), len(tr.Nodes), mmd)
	}
	for _, want := range []string{"-->|computed| ", "-.->|joined or filtered on| ", "-->|renamed| ", "-.->|used by an exposure| ", `x ✗2"]`, "  class node_model_p_", "#lt;script#gt;alert(1)#lt;/script#gt;"} {
		if !strings.Contains(mmd, want) {
			t.Errorf("the flowchart lacks %q:\n%s", want, mmd)
		}
	}
	if got := count("  node_") + count("  relation_"); got != len(tr.Edges) {
		t.Errorf("%d links written, want %d", got, len(tr.Edges))
	}
	// Written again, the same bytes.
	if again := string(render.ColumnMermaid(tr)); again != mmd {
		t.Error("the same trace wrote two flowcharts")
	}
}
