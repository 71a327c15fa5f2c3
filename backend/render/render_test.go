package render_test

import (
	"bytes"
	"context"
	"encoding/json"
	"encoding/xml"
	"errors"
	"flag"
	"fmt"
	"io"
	"math"
	"os"
	"os/exec"
	"path/filepath"
	"reflect"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/lineagedesk/lineagedesk/backend"
	"github.com/lineagedesk/lineagedesk/backend/lineage"
	"github.com/lineagedesk/lineagedesk/backend/render"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata/")

// One Renderer for the whole test binary, as the app does.
var (
	rendererOnce sync.Once
	renderer     *render.Renderer
	rendererErr  error
)

func newRenderer(t testing.TB) *render.Renderer {
	t.Helper()
	rendererOnce.Do(func() { renderer, rendererErr = render.NewRenderer(context.Background(), 0) })
	if rendererErr != nil {
		t.Fatal(rendererErr)
	}
	return renderer
}

var meta = render.Meta{
	Project: "dbt_bouncer_test_project", Snapshot: "#7 bouncer build, generated 2026-03-01 09:30 UTC", DbtCloudRun: "run 70403103979001 (job 70403103922032)",
}

const goldenDataset, goldenSelector = "bouncer-build-v12-dbt1.11-duckdb", "+orders+"

func goldenDiagram(t *testing.T) (*backend.GraphData, *lineage.Selection, *render.Diagram) {
	t.Helper()
	data := loadFixture(t, goldenDataset)
	sel, d := selectAndDraw(t, data, goldenSelector)
	return data, sel, d
}

func checkGolden(t *testing.T, name string, got []byte) {
	t.Helper()
	path := filepath.Join("testdata", name)
	if *update {
		if err := os.WriteFile(path, got, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run with -update to create it)", err)
	}
	if !bytes.Equal(got, want) {
		t.Errorf("%s differs from the golden file (%d vs %d bytes); if the change is intended, run -update and look at it", name, len(got), len(want))
	}
}

// svgNode is a <g class="node"> element of the SVG.
type svgDoc struct {
	Groups []svgGroup `xml:"g"`
}
type svgGroup struct {
	ID     string     `xml:"id,attr"`
	Class  string     `xml:"class,attr"`
	Title  string     `xml:"title"`
	Groups []svgGroup `xml:"g"`
	Texts  []string   `xml:"text"`
}

func parseSVG(t *testing.T, svg []byte) map[string]svgGroup {
	t.Helper()
	dec := xml.NewDecoder(bytes.NewReader(svg))
	for { // well-formedness of the whole document
		if _, err := dec.Token(); err == io.EOF {
			break
		} else if err != nil {
			t.Fatalf("SVG is not well-formed XML: %v", err)
		}
	}
	var doc svgDoc
	if err := xml.Unmarshal(svg, &doc); err != nil {
		t.Fatalf("SVG does not parse: %v", err)
	}
	out := map[string]svgGroup{}
	var walk func(gs []svgGroup)
	walk = func(gs []svgGroup) {
		for _, g := range gs {
			if g.Class == "node" {
				out[g.ID] = g
			}
			walk(g.Groups)
		}
	}
	walk(doc.Groups)
	return out
}

func TestGoldenFormats(t *testing.T) {
	r := newRenderer(t)
	data, sel, d := goldenDiagram(t)
	dot, err := r.DOT(d, meta)
	if err != nil {
		t.Fatal(err)
	}
	checkGolden(t, "orders.golden.dot", dot)
	svg, err := r.SVG(t.Context(), d, meta)
	if err != nil {
		t.Fatal(err)
	}
	checkGolden(t, "orders.golden.svg", svg)
	mmd, err := r.Mermaid(d)
	if err != nil {
		t.Fatal(err)
	}
	checkGolden(t, "orders.golden.mmd", mmd)
	js, err := r.JSON(d, meta)
	if err != nil {
		t.Fatal(err)
	}
	checkGolden(t, "orders.golden.json", js)

	// Every selected node is drawn once, with a stable id and its unique_id as tooltip.
	nodes := parseSVG(t, svg)
	if len(nodes) != len(sel.Nodes) {
		t.Errorf("SVG has %d node groups, want %d", len(nodes), len(sel.Nodes))
	}
	ids := map[string]bool{}
	for _, n := range d.Nodes {
		g, ok := nodes[n.ID]
		if !ok {
			t.Errorf("no <g id=%q>", n.ID)
			continue
		}
		if !strings.HasPrefix(g.Title, n.Resource.UniqueID) {
			t.Errorf("%s: title %q does not start with %s", n.ID, g.Title, n.Resource.UniqueID)
		}
		if ids[n.ID] || !regexp.MustCompile(`^node-[A-Za-z0-9_]+-[0-9a-f]{8}$`).MatchString(n.ID) {
			t.Errorf("id %q is duplicated or not sanitised", n.ID)
		}
		ids[n.ID] = true
	}
	// JSON: exactly the selected nodes and the edges among them.
	var doc struct {
		Nodes []struct {
			UniqueID    string              `json:"unique_id"`
			TestSummary backend.TestSummary `json:"test_summary"`
		} `json:"nodes"`
		Edges []struct{ From, To string } `json:"edges"`
	}
	if err := json.Unmarshal(js, &doc); err != nil {
		t.Fatal(err)
	}
	var gotIDs, gotEdges, wantEdges []string
	for _, n := range doc.Nodes {
		gotIDs = append(gotIDs, n.UniqueID)
	}
	for _, e := range doc.Edges {
		gotEdges = append(gotEdges, e.From+">"+e.To)
	}
	in := map[string]bool{}
	for _, id := range sel.Nodes {
		in[id] = true
	}
	for _, e := range data.Edges {
		if in[e.Parent] && in[e.Child] {
			wantEdges = append(wantEdges, e.Parent+">"+e.Child)
		}
	}
	slices.Sort(wantEdges)
	wantEdges = slices.Compact(wantEdges)
	if !slices.Equal(gotIDs, sel.Nodes) || !slices.Equal(gotEdges, wantEdges) {
		t.Errorf("JSON nodes %v edges %v; want %v %v", gotIDs, gotEdges, sel.Nodes, wantEdges)
	}
	// The picture carries the title and the footer.
	for _, want := range []string{"+orders+", "dbt_bouncer_test_project", "#7 bouncer build", "70403103979001", "2026-03-01 09:30 UTC", `<g id="legend" class="cluster">`, "tests (border, worst wins)", "DejaVu Sans"} {
		if !bytes.Contains(svg, []byte(want)) {
			t.Errorf("SVG lacks %q", want)
		}
	}
}

// TestPictureFrame: the title is above the lineage, the legend under it in
// one row with swatches of their own size, and the footer at the foot.
func TestPictureFrame(t *testing.T) {
	_, d, svg, l := goldenSVGLayout(t)
	top, bottom := math.Inf(1), math.Inf(-1)
	for _, n := range l.nodes {
		top, bottom = math.Min(top, n.minY), math.Max(bottom, n.maxY)
	}
	textY := func(re string) float64 {
		m := regexp.MustCompile(`<text [^>]*y="([-0-9.]+)"[^>]*>` + re + `</text>`).FindSubmatch(svg)
		if m == nil {
			t.Fatalf("no text %s in the SVG", re)
		}
		return atof(t, m[1])
	}
	title, legend, footer := textY(regexp.QuoteMeta(d.Title)), textY(`tests \(border, worst wins\):`), textY(`project [^<]*Lineage Desk`)
	if !(title < top && bottom < legend && legend < footer) {
		t.Errorf("from the top: title at %.1f, lineage %.1f to %.1f, legend at %.1f, footer at %.1f", title, top, bottom, legend, footer)
	}
	group := regexp.MustCompile(`(?s)<g id="legend" class="cluster">(.*?)</g>`).FindSubmatch(svg)
	if group == nil {
		t.Fatal(`no <g id="legend">`)
	}
	swatches := regexp.MustCompile(`<polygon fill="[^"]*" stroke="none" points="([^"]+)"`).FindAllSubmatch(group[1], -1)
	if len(swatches) < 3 { // the types, and focus
		t.Fatalf("%d filled swatches in the legend", len(swatches))
	}
	for _, sw := range swatches {
		nums := numbers(t, sw[1])
		minX, maxX := math.Inf(1), math.Inf(-1)
		for i := 0; i < len(nums); i += 2 {
			minX, maxX = math.Min(minX, nums[i]), math.Max(maxX, nums[i])
		}
		if w := maxX - minX; w < 14 || w > 18 {
			t.Errorf("legend swatch %.1f wide, want 16 (stretched to the footer's width?)", w)
		}
	}
}

// folderDiagram is the golden fixture's whole project grouped by folder.
func folderDiagram(t *testing.T) (*lineage.Selection, *lineage.Grouping, *render.Diagram) {
	t.Helper()
	return groupAndDraw(t, loadFixture(t, goldenDataset), "* source:*", lineage.GroupByFolder)
}

// groupAndDraw selects expr in d, groups the selection by by, and draws it.
func groupAndDraw(t *testing.T, d *backend.GraphData, expr, by string) (*lineage.Selection, *lineage.Grouping, *render.Diagram) {
	t.Helper()
	g := lineage.New(d)
	sel, err := g.Select(expr, lineage.SelectOptions{})
	if err != nil {
		t.Fatal(err)
	}
	grp, err := g.Group(sel, by, lineage.SelectOptions{})
	if err != nil {
		t.Fatal(err)
	}
	diagram, err := render.FromGrouping(g, grp)
	if err != nil {
		t.Fatal(err)
	}
	return sel, grp, diagram
}

func TestGroupedRender(t *testing.T) {
	r := newRenderer(t)
	_, grp, d := folderDiagram(t)
	svg, err := r.SVG(t.Context(), d, meta)
	if err != nil {
		t.Fatal(err)
	}
	checkGolden(t, "folders.golden.svg", svg)
	nodes := parseSVG(t, svg)
	if len(nodes) != len(grp.Boxes)+len(grp.Nodes) {
		t.Errorf("%d drawn nodes, want %d boxes + %d loose", len(nodes), len(grp.Boxes), len(grp.Nodes))
	}
	for _, b := range grp.Boxes {
		count := fmt.Sprintf("%d nodes:", len(b.Members))
		if len(b.Members) == 1 {
			count = "1 node:"
		}
		if !bytes.Contains(svg, []byte(count)) {
			t.Errorf("box %s: member count %q not shown", b.ID, count)
		}
	}
}

func hostileData() *backend.GraphData {
	evil := []string{
		`<script>alert(1)</script>`, `]]><script>alert(2)</script>`, `a & b "quoted" 'single'`,
		`javascript:alert(3)`, `<a href="javascript:alert(4)">x</a>`, "ctrl\x00\x07\x1b chars \xff\xfe", `\N \G \L \" \`,
		`<!-- comment --> --><img src=x onerror=alert(5)>`, `<TABLE><TR><TD>html label</TD></TR></TABLE>`,
		`d %%{init: {'themeCSS': '.node rect{fill:url(https://evil.example/t.svg)}'}}%% y`,
	}
	d := &backend.GraphData{}
	statuses := []string{"fail", "warn", "pass", "error", ""}
	for i, e := range evil {
		id := fmt.Sprintf("model.pkg.%s", e)
		d.Nodes = append(d.Nodes, backend.GraphNode{
			UniqueID: id, ResourceType: backend.TypeModel, Name: e, Package: "pkg", Description: e,
			RelationName: e, Materialized: e, FQN: []string{"pkg", e},
			Tests: backend.TestSummary{Total: 1, Fail: b2i(statuses[i%5] == "fail"), Warn: b2i(statuses[i%5] == "warn"),
				Pass: b2i(statuses[i%5] == "pass"), Error: b2i(statuses[i%5] == "error")},
		})
		if i > 0 {
			d.Edges = append(d.Edges, backend.Edge{Parent: d.Nodes[i-1].UniqueID, Child: id})
		}
	}
	d.Nodes = append(d.Nodes, backend.GraphNode{UniqueID: "exposure.pkg.Pulse queries", ResourceType: backend.TypeExposure, Name: "Pulse queries", FQN: []string{"pkg", "Pulse queries"}})
	d.Edges = append(d.Edges, backend.Edge{Parent: d.Nodes[0].UniqueID, Child: "exposure.pkg.Pulse queries"})
	// A resource type dbt never writes names its own class and legend entry.
	weird := "weird.pkg.rt"
	d.Nodes = append(d.Nodes, backend.GraphNode{UniqueID: weird, ResourceType: "x\n\tclick n href \"https://evil.example\"\n<img src=x onerror=alert(6)>", Name: "rt", FQN: []string{"pkg", "rt"}})
	d.Edges = append(d.Edges, backend.Edge{Parent: d.Nodes[0].UniqueID, Child: weird})
	return d
}

// mermaidStatement matches every line Mermaid() writes: the front matter,
// nodes with their quoted label and class, class and style lines, links,
// comments; ids and class names of letters, digits and _ only.
var mermaidStatement = regexp.MustCompile(`^(---|title: .*|flowchart LR|  \w+\["[^"]*"\]:::\w+|  class \w+ focus|  style \w+ [^\s]+|  \w+ -->(\|\d+\|)? \w+|  %% .*|  linkStyle [\d,]+ [^\s]+|  classDef \w+ [^\s]+)$`)

func b2i(b bool) int {
	if b {
		return 1
	}
	return 0
}

func TestHostileText(t *testing.T) {
	r := newRenderer(t)
	g := lineage.New(hostileData())
	sel, err := g.Select("*", lineage.SelectOptions{})
	if err != nil {
		t.Fatal(err)
	}
	sel.Expr = `<script>alert("title")</script> & ]]>`
	d, err := render.FromSelection(g, sel)
	if err != nil {
		t.Fatal(err)
	}
	svg, err := r.SVG(t.Context(), d, render.Meta{Project: `<script>x</script>`, Snapshot: "javascript:alert(1)"})
	if err != nil {
		t.Fatal(err)
	}
	nodes := parseSVG(t, svg)
	if len(nodes) != len(d.Nodes) {
		t.Errorf("%d nodes drawn, want %d", len(nodes), len(d.Nodes))
	}
	lower := bytes.ToLower(svg)
	for _, bad := range []string{"<script", "<img", "<a ", "<!--", "]]>", "<![cdata"} {
		if bytes.Contains(lower, []byte(bad)) {
			t.Errorf("SVG contains %q", bad)
		}
	}
	// No element but SVG drawing ones, no link or event-handler attribute.
	dec := xml.NewDecoder(bytes.NewReader(svg))
	allowed := map[string]bool{"svg": true, "g": true, "title": true, "text": true, "path": true, "polygon": true, "ellipse": true, "polyline": true}
	for {
		tok, err := dec.Token()
		if err == io.EOF {
			break
		}
		if err != nil {
			t.Fatal(err)
		}
		if se, ok := tok.(xml.StartElement); ok {
			if !allowed[se.Name.Local] {
				t.Errorf("unexpected element <%s>", se.Name.Local)
			}
			for _, a := range se.Attr {
				if n := strings.ToLower(a.Name.Local); n == "href" || strings.HasPrefix(n, "on") {
					t.Errorf("<%s> has attribute %s=%q", se.Name.Local, a.Name.Local, a.Value)
				}
			}
		}
	}
	for _, col := range []string{"#c62828", "#f9a825", "#2e7d32", "#9e9e9e"} {
		if !bytes.Contains(lower, []byte(col)) {
			t.Errorf("no %s status colour", col)
		}
	}
	// The text survives, escaped: a browser shows it literally.
	if !bytes.Contains(svg, []byte("&lt;script&gt;alert(1)&lt;/script&gt;")) {
		t.Error("escaped script text not found")
	}
	mmd, err := r.Mermaid(d)
	if err != nil {
		t.Fatal(err)
	}
	for _, line := range strings.Split(string(mmd), "\n") {
		if strings.HasPrefix(line, "title: ") {
			continue // a JSON string, checked by TestMermaidTitleIsQuotedYAML
		}
		for _, bad := range []string{"<script", "<a ", "<img", `""`} {
			if strings.Contains(strings.ToLower(line), bad) {
				t.Errorf("Mermaid line %q contains %q", line, bad)
			}
		}
		if strings.Count(line, `"`)%2 != 0 {
			t.Errorf("Mermaid line %q has unbalanced quotes", line)
		}
		if strings.Contains(line, "%%{") || strings.Contains(line, "%%") && !strings.HasPrefix(line, "  %% ") {
			t.Errorf("Mermaid line %q carries a directive from the artifacts' text", line)
		}
		if line != "" && !mermaidStatement.MatchString(line) {
			t.Errorf("Mermaid line %q is none of the statements Mermaid writes: artifact text made a line of its own", line)
		}
	}
	// Graphviz's escapes (\N is the node's name, \G the graph's) stay text.
	if !regexp.MustCompile(`<text[^>]*>[^<]*\\N \\G \\L`).Match(svg) {
		t.Error(`the name "\N \G \L" was expanded by Graphviz`)
	}
	js, err := r.JSON(d, meta)
	if err != nil || !json.Valid(js) {
		t.Errorf("JSON invalid: %v", err)
	}
	dot, err := r.DOT(d, meta)
	if err != nil {
		t.Fatal(err)
	}
	if bytes.Contains(dot, []byte("<script")) || bytes.Contains(dot, []byte("\x00")) {
		t.Error("DOT carries raw markup or control characters")
	}
}

// TestMermaidTitleIsQuotedYAML: the selector heads Mermaid's YAML front
// matter as a double-quoted scalar, so selectors that are no plain YAML
// scalar (@x, *, a # comment) keep the front matter valid and whole.
func TestMermaidTitleIsQuotedYAML(t *testing.T) {
	r := newRenderer(t)
	g := lineage.New(hostileData())
	sel, err := g.Select("*", lineage.SelectOptions{})
	if err != nil {
		t.Fatal(err)
	}
	for expr, want := range map[string]string{
		"@customers":           "@customers",
		"*":                    "*",
		"tag:a #b":             "tag:a #b",
		`a"b\c: d`:             `a"b\c: d`,
		"<script>x</script> &": "‹script›x‹/script› &",
	} {
		sel.Expr = expr
		d, err := render.FromSelection(g, sel)
		if err != nil {
			t.Fatal(err)
		}
		mmd, err := r.Mermaid(d)
		if err != nil {
			t.Fatal(err)
		}
		lines := strings.SplitN(string(mmd), "\n", 4)
		if lines[0] != "---" || lines[2] != "---" || !strings.HasPrefix(lines[1], `title: "`) {
			t.Fatalf("%q: front matter %q", expr, lines[:3])
		}
		var title string
		if err := json.Unmarshal([]byte(strings.TrimPrefix(lines[1], "title: ")), &title); err != nil || title != want {
			t.Errorf("%q: title line %q reads %q (%v), want %q", expr, lines[1], title, err, want)
		}
	}
}

func TestDeterministic(t *testing.T) {
	r := newRenderer(t)
	_, _, d := goldenDiagram(t)
	first, err := r.SVG(t.Context(), d, meta)
	if err != nil {
		t.Fatal(err)
	}
	// A fresh diagram from a fresh graph (different map orders) renders the same bytes.
	_, _, d2 := goldenDiagram(t)
	second, err := r.SVG(t.Context(), d2, meta)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(first, second) {
		t.Error("two renders of the same selection differ")
	}
	png1, err := r.PNG(t.Context(), d, meta, 1)
	if err != nil {
		t.Fatal(err)
	}
	png2, err := r.PNG(t.Context(), d2, meta, 1)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.HasPrefix(png1, []byte("\x89PNG\r\n\x1a\n")) || !bytes.Equal(png1, png2) {
		t.Errorf("PNG not a stable PNG (%d / %d bytes)", len(png1), len(png2))
	}
}

func TestCancellation(t *testing.T) {
	r := newRenderer(t)
	_, _, d := goldenDiagram(t)
	ctx, cancel := context.WithCancel(t.Context())
	cancel()
	if _, err := r.SVG(ctx, d, meta); backend.ErrorCode(err) != backend.ECANCELED || !errors.Is(err, context.Canceled) {
		t.Errorf("cancelled before: %v", err)
	}
	// Cancelled while a big layout runs: returns promptly, and the renderer still works after.
	big := synthetic(1200)
	ctx, cancel = context.WithTimeout(t.Context(), 30*time.Millisecond)
	defer cancel()
	start := time.Now()
	_, err := r.SVG(ctx, big, meta)
	if backend.ErrorCode(err) != backend.ECANCELED || time.Since(start) > 2*time.Second {
		t.Errorf("cancelled during: %v after %v", err, time.Since(start))
	}
	if _, err := r.SVG(t.Context(), d, meta); err != nil {
		t.Errorf("after a cancelled render: %v", err)
	}
}

func TestSizeGuard(t *testing.T) {
	r := newRenderer(t)
	big := synthetic(render.DefaultMaxNodes + 1)
	for name, f := range map[string]func() error{
		"svg":     func() error { _, err := r.SVG(t.Context(), big, meta); return err },
		"png":     func() error { _, err := r.PNG(t.Context(), big, meta, 1); return err },
		"mermaid": func() error { _, err := r.Mermaid(big); return err },
	} {
		err := f()
		if backend.ErrorCode(err) != backend.EINVALID || !strings.Contains(err.Error(), "group") || !strings.Contains(err.Error(), "1501") {
			t.Errorf("%s: %v, want EINVALID suggesting grouping", name, err)
		}
	}
	if _, err := r.JSON(big, meta); err != nil {
		t.Errorf("JSON has no size limit: %v", err)
	}
	// DOT is not laid out here: past the guard it is written whole.
	dot, err := r.DOT(big, meta)
	if err != nil {
		t.Fatalf("DOT has no size limit: %v", err)
	}
	if nodes := bytes.Count(dot, []byte(" [id=\"node-")); nodes != len(big.Nodes) {
		t.Errorf("DOT of %d nodes declares %d", len(big.Nodes), nodes)
	}
}

// Many edges between few nodes are refused too: dot's crossing
// minimisation grows with their square (a whole project grouped by
// folder, 2,316 edges among 134 boxes, took minutes).
func TestSizeGuardOnDensePictures(t *testing.T) {
	r := newRenderer(t)
	d := &backend.GraphData{}
	for i := range 120 {
		id := fmt.Sprintf("model.p.m%03d", i)
		d.Nodes = append(d.Nodes, backend.GraphNode{UniqueID: id, ResourceType: backend.TypeModel, Name: id[8:], FQN: []string{"p", id[8:]}})
		for j := max(0, i-12); j < i; j++ {
			d.Edges = append(d.Edges, backend.Edge{Parent: fmt.Sprintf("model.p.m%03d", j), Child: id})
		}
	}
	dense := diagramOfAll(t, d)
	// The guard's measure: edges² over nodes past 8,000.
	if e, n := len(dense.Edges), len(dense.Nodes); e <= 400 || e*e <= 8000*n {
		t.Fatalf("the picture is not dense: %d edges, %d nodes", e, n)
	}
	if _, err := r.SVG(t.Context(), dense, meta); backend.ErrorCode(err) != backend.EINVALID || !strings.Contains(err.Error(), "too dense") {
		t.Errorf("SVG of %d edges among %d nodes: %v, want EINVALID (too dense)", len(dense.Edges), len(dense.Nodes), err)
	}
	if _, err := r.DOT(dense, meta); err != nil {
		t.Errorf("DOT has no size limit: %v", err)
	}
	// A lineage picture of the same size is drawn: about two edges a node.
	if _, err := r.SVG(t.Context(), synthetic(600), meta); err != nil {
		t.Errorf("a 600-node picture: %v", err)
	}

	// Fewer edges, but skipping many columns each: a chain of 80 and some
	// 250 edges between nodes 30 or more apart (94 folders in a chain of
	// 76, 824 edges, took dot over two minutes).
	long := &backend.GraphData{}
	for i := range 80 {
		id := fmt.Sprintf("model.p.m%03d", i)
		long.Nodes = append(long.Nodes, backend.GraphNode{UniqueID: id, ResourceType: backend.TypeModel, Name: id[8:], FQN: []string{"p", id[8:]}})
		for j := range i {
			if j == i-1 || i-j >= 30 && (i+j)%5 == 0 {
				long.Edges = append(long.Edges, backend.Edge{Parent: fmt.Sprintf("model.p.m%03d", j), Child: id})
			}
		}
	}
	skipping := diagramOfAll(t, long)
	if e, n := len(skipping.Edges), len(skipping.Nodes); e > 400 && e*e > 8000*n {
		t.Fatalf("the first rule refuses the picture already: %d edges, %d nodes", e, n)
	}
	if _, err := r.SVG(t.Context(), skipping, meta); backend.ErrorCode(err) != backend.EINVALID || !strings.Contains(err.Error(), "would cross some") || !strings.Contains(err.Error(), "too dense") {
		t.Errorf("SVG of %d edges skipping columns: %v, want EINVALID (too dense, columns crossed)", len(skipping.Edges), err)
	}
}

// synthetic returns a layered diagram of about n models.
func synthetic(n int) *render.Diagram {
	d := &backend.GraphData{}
	for i := range n {
		id := fmt.Sprintf("model.p.m%05d", i)
		d.Nodes = append(d.Nodes, backend.GraphNode{UniqueID: id, ResourceType: backend.TypeModel, Name: fmt.Sprintf("m%05d", i),
			Materialized: "table", RelationName: fmt.Sprintf(`"db"."s"."m%05d"`, i), FQN: []string{"p", fmt.Sprintf("m%05d", i)}})
		for k := 1; k <= 2 && i >= 40; k++ {
			d.Edges = append(d.Edges, backend.Edge{Parent: fmt.Sprintf("model.p.m%05d", (i*7+k*13)%(i-i%40)), Child: id})
		}
	}
	g := lineage.New(d)
	sel, err := g.Select("*", lineage.SelectOptions{})
	if err != nil {
		panic(err)
	}
	diagram, err := render.FromSelection(g, sel)
	if err != nil {
		panic(err)
	}
	return diagram
}

func BenchmarkSVG1000(b *testing.B) {
	r := newRenderer(b)
	d := synthetic(1000)
	dot, _ := r.DOT(d, meta)
	if dir := os.Getenv("RENDER_BENCH_DOT"); dir != "" {
		_ = os.WriteFile(filepath.Join(dir, "bench1000.dot"), dot, 0o644)
	}
	b.ReportMetric(float64(len(d.Edges)), "edges")
	for b.Loop() {
		if _, err := r.SVG(b.Context(), d, meta); err != nil {
			b.Fatal(err)
		}
	}
}

// TestWorkerRendersTheSamePictures: a renderer laying out in a worker
// process (this test binary in worker mode; see worker_test.go) draws the
// golden SVG and the same PNG as the in-process renderer.
func TestWorkerRendersTheSamePictures(t *testing.T) {
	worker, err := render.NewWorkerRenderer(t.Context(), render.WorkerOptions{MinNodes: 1, Command: func() *exec.Cmd {
		cmd := exec.Command(os.Args[0])
		cmd.Env = append(os.Environ(), "LINEAGEDESK_TEST_RENDER_WORKER=serve")
		return cmd
	}})
	if err != nil {
		t.Fatal(err)
	}
	defer worker.Close()
	_, _, d := goldenDiagram(t)
	svg, err := worker.SVG(t.Context(), d, meta)
	if err != nil {
		t.Fatal(err)
	}
	checkGolden(t, "orders.golden.svg", svg)
	want, err := newRenderer(t).PNG(t.Context(), d, meta, 1)
	if err != nil {
		t.Fatal(err)
	}
	got, err := worker.PNG(t.Context(), d, meta, 1)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(got, want) {
		t.Errorf("the worker's PNG (%d bytes) differs from the in-process one (%d bytes)", len(got), len(want))
	}
}

// TestRunStatusInThePicture: a node that errored or was skipped in the run
// says so under its name, in the DOT, the SVG and the JSON; one that
// succeeded, and a test (its colour tells), do not.
func TestRunStatusInThePicture(t *testing.T) {
	node := func(id, status string) backend.GraphNode {
		typ := backend.TypeModel
		if strings.HasPrefix(id, "test.") {
			typ = backend.TypeTest
		}
		name := id[strings.LastIndexByte(id, '.')+1:]
		return backend.GraphNode{UniqueID: id, ResourceType: typ, Name: name, Package: "p", FQN: []string{"p", name}, RunStatus: status}
	}
	g := lineage.New(&backend.GraphData{Nodes: []backend.GraphNode{
		node("model.p.broken", "error"), node("model.p.fine", "success"), node("model.p.waiting", "skipped"), node("test.p.t", "error"),
	}, Edges: []backend.Edge{{Parent: "model.p.fine", Child: "model.p.broken"}, {Parent: "model.p.broken", Child: "model.p.waiting"}, {Parent: "model.p.broken", Child: "test.p.t"}}})
	sel, err := g.Select("fine+", lineage.SelectOptions{IncludeTests: true})
	if err != nil {
		t.Fatal(err)
	}
	d, err := render.FromSelection(g, sel)
	if err != nil {
		t.Fatal(err)
	}
	r := newRenderer(t)
	dot, err := r.DOT(d, meta)
	if err != nil {
		t.Fatal(err)
	}
	if n := strings.Count(string(dot), "last run: "); n != 2 || !strings.Contains(string(dot), "<B>last run: error</B>") || !strings.Contains(string(dot), "last run: skipped") {
		t.Errorf("DOT has %d run lines:\n%s", n, dot)
	}
	svg, err := r.SVG(t.Context(), d, meta)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(svg), ">last run: error</text>") {
		t.Error("the SVG does not show the failed run")
	}
	mmd, err := r.Mermaid(d)
	if err != nil {
		t.Fatal(err)
	}
	if n := strings.Count(string(mmd), "last run: "); n != 2 || !strings.Contains(string(mmd), "<i>last run: error</i>") {
		t.Errorf("Mermaid has %d run lines:\n%s", n, mmd)
	}
	js, err := r.JSON(d, meta)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(js), `"unique_id":"model.p.broken","resource_type":"model","name":"broken","package":"p","run_status":"error"`) {
		t.Errorf("JSON:\n%s", js)
	}
}

// TestSkippedTestsAreNotColouredAsPassed: a node whose tests passed except
// one dbt skipped is drawn grey ("skipped / no results"), not green; warn
// and worse still win over skipped.
func TestSkippedTestsAreNotColouredAsPassed(t *testing.T) {
	node := func(name string, s backend.TestSummary) backend.GraphNode {
		return backend.GraphNode{UniqueID: "model.p." + name, ResourceType: backend.TypeModel, Name: name, Package: "p",
			FQN: []string{"p", name}, Tests: s}
	}
	g := lineage.New(&backend.GraphData{Nodes: []backend.GraphNode{
		node("passed", backend.TestSummary{Total: 2, Pass: 2}),
		node("partly_skipped", backend.TestSummary{Total: 2, Pass: 1, Skipped: 1}),
		node("warned", backend.TestSummary{Total: 3, Pass: 1, Warn: 1, Skipped: 1}),
	}, Edges: []backend.Edge{{Parent: "model.p.passed", Child: "model.p.partly_skipped"}, {Parent: "model.p.partly_skipped", Child: "model.p.warned"}}})
	sel, err := g.Select("passed+", lineage.SelectOptions{})
	if err != nil {
		t.Fatal(err)
	}
	d, err := render.FromSelection(g, sel)
	if err != nil {
		t.Fatal(err)
	}
	dot, err := newRenderer(t).DOT(d, meta)
	if err != nil {
		t.Fatal(err)
	}
	borders := map[string]string{}
	for _, line := range strings.Split(string(dot), "\n") {
		m := regexp.MustCompile(`^\s*"node-model_p_(\w+)-\w+" \[.* color="(#[0-9A-F]+)"`).FindStringSubmatch(line)
		if m != nil {
			borders[m[1]] = m[2]
		}
	}
	want := map[string]string{"passed": "#2E7D32", "partly_skipped": "#9E9E9E", "warned": "#F9A825"}
	if !reflect.DeepEqual(borders, want) {
		t.Errorf("borders by node: %v, want %v", borders, want)
	}
}

// TestRunsLens: with the runs lens each node's border is its status in
// the snapshot's run (a source's, its freshness; a box's, its members'
// worst), whatever its tests say, and the legend names the run's statuses;
// with none every border is grey; an unknown lens is refused.
func TestRunsLens(t *testing.T) {
	node := func(pkg, name, run string) backend.GraphNode {
		return backend.GraphNode{UniqueID: "model." + pkg + "." + name, ResourceType: backend.TypeModel, Name: name, Package: pkg,
			FQN: []string{pkg, name}, RunStatus: run, Tests: backend.TestSummary{Total: 1, Fail: 1}}
	}
	g := lineage.New(&backend.GraphData{Nodes: []backend.GraphNode{
		node("p", "built", "success"), node("p", "broken", "error"), node("p", "waiting", "skipped"), node("p", "untouched", ""),
		node("p", "batched", "partial success"), node("q", "fine", "success"), node("q", "failed", "error"),
		{UniqueID: "source.r.raw.late", ResourceType: backend.TypeSource, Name: "late", Package: "r", SourceName: "raw", FQN: []string{"r", "raw", "late"}},
		{UniqueID: "source.s.raw.stale", ResourceType: backend.TypeSource, Name: "stale", Package: "s", SourceName: "raw", FQN: []string{"s", "raw", "stale"}},
	}, Edges: []backend.Edge{{Parent: "source.r.raw.late", Child: "model.p.built"}, {Parent: "source.s.raw.stale", Child: "model.p.built"}, {Parent: "model.p.built", Child: "model.p.broken"}, {Parent: "model.p.broken", Child: "model.p.waiting"},
		{Parent: "model.p.built", Child: "model.p.untouched"}, {Parent: "model.p.built", Child: "model.p.batched"},
		{Parent: "model.p.built", Child: "model.q.fine"}, {Parent: "model.q.fine", Child: "model.q.failed"}}})
	sel, err := g.Select("+built+", lineage.SelectOptions{})
	if err != nil {
		t.Fatal(err)
	}
	freshness := map[string]string{"source.r.raw.late": "warn", "source.s.raw.stale": "runtime error"}
	borders := func(d *render.Diagram) (map[string]string, string) {
		dot, err := newRenderer(t).DOT(d, meta)
		if err != nil {
			t.Fatal(err)
		}
		out := map[string]string{}
		for _, line := range strings.Split(string(dot), "\n") {
			if m := regexp.MustCompile(`^\s*"(?:node-model|node-source|group-group)_(\w+?)-\w+" \[.* color="(#[0-9A-F]+)"`).FindStringSubmatch(line); m != nil {
				out[m[1]] = m[2]
			}
		}
		return out, string(dot)
	}
	d, err := render.FromSelection(g, sel)
	if err != nil {
		t.Fatal(err)
	}
	d.Lens = render.LensRuns
	if got, dot := borders(d); got["r_raw_late"] != "#9E9E9E" || !strings.Contains(dot, "<B>last run (border):</B>") {
		t.Errorf("a source without its freshness is not run: %v", got)
	}
	d.MarkFreshness(freshness)
	got, dot := borders(d)
	want := map[string]string{"p_built": "#2E7D32", "p_broken": "#C62828", "p_waiting": "#9E9E9E", "p_untouched": "#9E9E9E",
		"p_batched": "#F9A825", "q_fine": "#2E7D32", "q_failed": "#C62828", "r_raw_late": "#F9A825", "s_raw_stale": "#C62828"}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("borders by run: %v, want %v", got, want)
	}
	if !strings.Contains(dot, "<B>last run, source freshness (border):</B>") || strings.Contains(dot, "tests (border") || !strings.Contains(dot, ">partial success<") {
		t.Error("the legend does not name the run's statuses and the sources' freshness")
	}
	grp, err := g.Group(sel, lineage.GroupByPackage, lineage.SelectOptions{})
	if err != nil {
		t.Fatal(err)
	}
	boxed, err := render.FromGrouping(g, grp)
	if err != nil {
		t.Fatal(err)
	}
	boxed.Lens = render.LensRuns
	boxed.MarkFreshness(freshness)
	if got, _ := borders(boxed); got["package_q"] != "#C62828" || got["package_p"] != "#C62828" || got["package_r"] != "#F9A825" || got["package_s"] != "#C62828" {
		t.Errorf("boxes by their members' worst run and freshness: %v", got)
	}
	// The tests lens, the default, colours the same picture by its tests.
	d.Lens = ""
	if got, _ := borders(d); got["p_built"] != "#C62828" {
		t.Errorf("the default lens: %v, want every node's failed test", got)
	}
	// No lens: every border grey, no status in the legend.
	d.Lens = render.LensNone
	got, dot = borders(d)
	for id, colour := range got {
		if colour != "#9E9E9E" {
			t.Errorf("no lens: %s's border %s", id, colour)
		}
	}
	if strings.Contains(dot, "(border") {
		t.Error("no lens: the legend still names statuses")
	}
	if _, err := render.ParseLens("materialized"); backend.ErrorCode(err) != backend.EINVALID || !strings.Contains(err.Error(), "runs") {
		t.Errorf("an unknown lens: %v", err)
	}
}

// TestSourcesFirstExposuresLast: sources share the first column and
// exposures the last, however long the chains between them (dot alone puts
// a source of a short chain next to its child), up to maxPinnedNodes.
func TestSourcesFirstExposuresLast(t *testing.T) {
	node := func(id, typ string) backend.GraphNode {
		name := id[strings.LastIndexByte(id, '.')+1:]
		return backend.GraphNode{UniqueID: id, ResourceType: typ, Name: name, Package: "p", FQN: []string{"p", name}}
	}
	data := &backend.GraphData{Nodes: []backend.GraphNode{
		node("source.p.raw.long", backend.TypeSource), node("source.p.raw.short", backend.TypeSource),
		node("model.p.a", backend.TypeModel), node("model.p.b", backend.TypeModel), node("model.p.c", backend.TypeModel),
		node("model.p.d", backend.TypeModel), node("exposure.p.deep", backend.TypeExposure), node("exposure.p.near", backend.TypeExposure),
	}, Edges: []backend.Edge{
		{Parent: "source.p.raw.long", Child: "model.p.a"}, {Parent: "model.p.a", Child: "model.p.b"}, {Parent: "model.p.b", Child: "model.p.c"},
		{Parent: "model.p.c", Child: "exposure.p.deep"}, {Parent: "model.p.c", Child: "model.p.d"},
		{Parent: "source.p.raw.short", Child: "model.p.d"}, {Parent: "model.p.a", Child: "exposure.p.near"},
	}}
	d := diagramOf(t, data, "* source:*")
	svg, err := newRenderer(t).SVG(t.Context(), d, meta)
	if err != nil {
		t.Fatal(err)
	}
	centre := map[string]float64{}
	for _, n := range readSVGLayout(t, svg).nodes {
		centre[n.id] = (n.minX + n.maxX) / 2
	}
	x := func(uniqueID string) float64 {
		for _, n := range d.Nodes {
			if n.Resource.UniqueID == uniqueID {
				return centre[n.ID]
			}
		}
		t.Fatalf("%s not drawn", uniqueID)
		return 0
	}
	// A column's boxes share their centre.
	if long, short := x("source.p.raw.long"), x("source.p.raw.short"); math.Abs(long-short) > 1 || short >= x("model.p.a") {
		t.Errorf("sources at x %.1f and %.1f, model a at %.1f: want both sources in the first column", long, short, x("model.p.a"))
	}
	if deep, near := x("exposure.p.deep"), x("exposure.p.near"); math.Abs(deep-near) > 1 || near < x("model.p.d")-1 {
		t.Errorf("exposures at x %.1f and %.1f, model d at %.1f: want both in the last column", deep, near, x("model.p.d"))
	}
}

func TestMermaidLimitWarning(t *testing.T) {
	r := newRenderer(t)
	for _, tc := range []struct {
		nodes int
		warns bool
	}{{100, false}, {300, true}} {
		d := synthetic(tc.nodes)
		text, err := r.Mermaid(d)
		if err != nil {
			t.Fatal(err)
		}
		links := bytes.Count(text, []byte(" --> "))
		w := render.MermaidLimitWarning(d, text)
		// Mermaid's defaults: 500 links, 50,000 characters (not bytes).
		chars := utf8.RuneCount(text)
		if past := links > 500 || chars > 50000; past != tc.warns {
			t.Fatalf("%d nodes: %d links, %d characters: the case no longer tests what it says", tc.nodes, links, chars)
		}
		switch {
		case tc.warns && !strings.Contains(w, fmt.Sprintf("%d links and %d characters", links, chars)):
			t.Errorf("%d nodes (%d links): warning %q, want the counts", tc.nodes, links, w)
		case !tc.warns && w != "":
			t.Errorf("%d nodes (%d links): unexpected warning %q", tc.nodes, links, w)
		}
	}
	// Mermaid measures text as JavaScript does, in UTF-16 code units: an
	// emoji counts two.
	small := synthetic(10)
	if w := render.MermaidLimitWarning(small, []byte(strings.Repeat("a", 30000))); w != "" {
		t.Errorf("30,000 letters: unexpected warning %q", w)
	}
	if w := render.MermaidLimitWarning(small, []byte(strings.Repeat("🙂", 30000))); !strings.Contains(w, "60000 characters") {
		t.Errorf("30,000 emoji (60,000 UTF-16 units): warning %q, want one counting 60000", w)
	}
}

// focusedIDs are the nodes of a diagram drawn in the focus colour.
func focusedIDs(d *render.Diagram) []string {
	var ids []string
	for _, n := range d.Nodes {
		if n.Focus {
			ids = append(ids, n.Resource.UniqueID)
		}
	}
	return ids
}

// TestFocusOnlyWhenItSaysSomething: the focus colour marks what a selector
// names among what its operators add; a selector that names everything
// drawn (*, tag:x, one name alone) paints nothing yellow, so the type
// colours show.
func TestFocusOnlyWhenItSaysSomething(t *testing.T) {
	d := &backend.GraphData{}
	for _, id := range []string{"model.p.a", "model.p.b", "model.p.c"} {
		d.Nodes = append(d.Nodes, backend.GraphNode{UniqueID: id, ResourceType: backend.TypeModel, Name: id[8:], FQN: []string{"p", id[8:]}})
	}
	d.Edges = []backend.Edge{{Parent: "model.p.a", Child: "model.p.b"}, {Parent: "model.p.b", Child: "model.p.c"}}
	r := newRenderer(t)
	for expr, want := range map[string][]string{"*": nil, "model.p.a model.p.b model.p.c": nil, "b+": {"model.p.b"}, "+b": {"model.p.b"}, "a": nil} {
		diagram := diagramOf(t, d, expr)
		focused := focusedIDs(diagram)
		dot, err := r.DOT(diagram, meta)
		if err != nil {
			t.Fatal(err)
		}
		if !slices.Equal(focused, want) || bytes.Contains(dot, []byte(`"#FFF176"`)) != (want != nil) {
			t.Errorf("%s: focus on %v, want %v (focus colour in the DOT: %v)", expr, focused, want, bytes.Contains(dot, []byte(`"#FFF176"`)))
		}
	}
	// Grouped, the same holds for the nodes left out of the boxes.
	for expr, want := range map[string][]string{"*": nil, "a+": {"model.p.a"}} {
		_, _, diagram := groupAndDraw(t, d, expr, "select:model.p.c")
		focused := focusedIDs(diagram)
		if !slices.Equal(focused, want) {
			t.Errorf("%s grouped: focus on %v, want %v", expr, focused, want)
		}
	}
	// The focus alone among boxes is set apart from them (QA: a box was
	// no contrast, so it lost its colour).
	_, _, diagram := groupAndDraw(t, d, "+b+", "select:model.p.a model.p.c")
	if focused := focusedIDs(diagram); !slices.Equal(focused, []string{"model.p.b"}) {
		t.Errorf("+b+ with a and c boxed: focus on %v, want b", focused)
	}
}

// TestMissingGlyphs: characters the PNG and PDF font cannot draw are
// counted (each once), those it can are not.
func TestMissingGlyphs(t *testing.T) {
	d := &backend.GraphData{Nodes: []backend.GraphNode{
		{UniqueID: "model.p.kunden_ü", ResourceType: backend.TypeModel, Name: "kunden_ü", FQN: []string{"p", "kunden_ü"}},
		{UniqueID: "model.p.orders_jp", ResourceType: backend.TypeModel, Name: "注文_日本", RelationName: `"db"."日本"."orders"`, FQN: []string{"p", "orders_jp"}},
	}}
	n, r, in := render.MissingGlyphs(diagramOfAll(t, d), meta)
	if n != 4 || !strings.ContainsRune("注文日本", r) || !strings.ContainsRune(in, r) {
		t.Errorf("missing glyphs: %d, e.g. %q in %q; want the 4 CJK characters (ü is drawn)", n, r, in)
	}
	d.Nodes = d.Nodes[:1]
	if n, r, _ := render.MissingGlyphs(diagramOfAll(t, d), meta); n != 0 {
		t.Errorf("kunden_ü: %d missing, e.g. %q", n, r)
	}
}

// Nodes without edges (every exposure, a tag's unrelated models) are laid
// out in columns, not in dot's single first rank: 40 of them made a
// picture five times taller than wide.
func TestNodesWithoutEdgesWrapIntoColumns(t *testing.T) {
	r := newRenderer(t)
	d := &backend.GraphData{}
	for i := range 40 {
		id := fmt.Sprintf("exposure.p.e%02d", i)
		d.Nodes = append(d.Nodes, backend.GraphNode{UniqueID: id, ResourceType: backend.TypeExposure, Name: id[11:], FQN: []string{"p", id[11:]}})
	}
	svg, err := r.SVG(t.Context(), diagramOfAll(t, d), meta)
	if err != nil {
		t.Fatal(err)
	}
	m := regexp.MustCompile(`<svg width="(\d+)pt" height="(\d+)pt"`).FindSubmatch(svg)
	if m == nil {
		t.Fatal("no size on the SVG")
	}
	w, _ := strconv.Atoi(string(m[1]))
	h, _ := strconv.Atoi(string(m[2]))
	if w < h {
		t.Errorf("40 nodes without edges drawn %d x %d pt: a column, not columns", w, h)
	}
	if bytes.Count(svg, []byte(`class="node"`)) != 40 || bytes.Contains(svg, []byte(`class="edge"`)) {
		t.Error("the columns' invisible edges show, or nodes are missing")
	}

	// Thirty unconnected chains of three are wrapped the same way, each
	// chain kept whole and left to right; one lineage of ninety is not.
	chains, line := &backend.GraphData{}, &backend.GraphData{}
	for i := range 90 {
		id := fmt.Sprintf("model.p.m%02d", i)
		n := backend.GraphNode{UniqueID: id, ResourceType: backend.TypeModel, Name: id[8:], FQN: []string{"p", id[8:]}}
		chains.Nodes, line.Nodes = append(chains.Nodes, n), append(line.Nodes, n)
		if i > 0 {
			prev := fmt.Sprintf("model.p.m%02d", i-1)
			line.Edges = append(line.Edges, backend.Edge{Parent: prev, Child: id})
			if i%3 != 0 {
				chains.Edges = append(chains.Edges, backend.Edge{Parent: prev, Child: id})
			}
		}
	}
	for name, c := range map[string]struct {
		data    *backend.GraphData
		wrapped bool
	}{"chains": {chains, true}, "one lineage": {line, false}} {
		diagram := diagramOfAll(t, c.data)
		dot, _ := r.DOT(diagram, meta)
		if got := bytes.Contains(dot, []byte("style=invis")); got != c.wrapped {
			t.Errorf("%s: wrapped %v, want %v", name, got, c.wrapped)
		}
		svg, err := r.SVG(t.Context(), diagram, meta)
		if err != nil {
			t.Fatal(err)
		}
		if edges := bytes.Count(svg, []byte(`class="edge"`)); edges != len(c.data.Edges) {
			t.Errorf("%s: %d edges drawn, want %d", name, edges, len(c.data.Edges))
		}
	}
}

// diagramOfAll draws every node of d but its sources (dbt's "*").
func diagramOfAll(t *testing.T, d *backend.GraphData) *render.Diagram {
	t.Helper()
	return diagramOf(t, d, "*")
}

// diagramOf draws what expr selects in d.
func diagramOf(t *testing.T, d *backend.GraphData, expr string) *render.Diagram {
	t.Helper()
	_, diagram := selectAndDraw(t, d, expr)
	return diagram
}

// selectAndDraw selects expr in d and draws the selection.
func selectAndDraw(t *testing.T, d *backend.GraphData, expr string) (*lineage.Selection, *render.Diagram) {
	t.Helper()
	g := lineage.New(d)
	sel, err := g.Select(expr, lineage.SelectOptions{})
	if err != nil {
		t.Fatal(err)
	}
	diagram, err := render.FromSelection(g, sel)
	if err != nil {
		t.Fatal(err)
	}
	return sel, diagram
}
