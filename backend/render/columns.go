package render

import (
	"bytes"
	"context"
	"fmt"
	"strings"

	"github.com/goccy/go-graphviz"

	"github.com/lineagedesk/lineagedesk/backend"
)

// columnEdgeStyles is how the column picture draws each kind of link, and
// its legend.
var columnEdgeStyles = []struct{ kind, color, style, legend string }{
	{backend.ColumnPassthrough, edgeColor, "solid", "passed through"},
	{backend.ColumnRename, "#1565C0", "solid", "renamed"},
	{backend.ColumnTransformed, "#E65100", "bold", "computed from"},
	{backend.ColumnFilter, "#8E24AA", "dashed", "joined or filtered on"},
	{backend.ColumnExposed, "#AD1457", "dotted", "used by an exposure"},
}

// columnRowFill is a traced column's row; the focus's is focusFill.
const columnRowFill = "#FFFFFF"

func columnEdgeStyle(kind string) (color, style string) {
	for _, s := range columnEdgeStyles {
		if s.kind == kind {
			return s.color, s.style
		}
	}
	return edgeColor, "solid"
}

// ColumnTitle names a column trace's picture.
func ColumnTitle(t backend.ColumnTrace) string {
	name := t.Focus.Node
	for _, n := range t.Nodes {
		if n.UniqueID == t.Focus.Node {
			name = n.Name
		}
	}
	return "column lineage of " + name + "." + t.Focus.Column
}

// columnNodeID is the picture's id of a trace node: stable, from its
// unique_id (or the relation outside the project it stands for).
func columnNodeID(n backend.ColumnTraceNode) string {
	if n.UniqueID != "" {
		return stableID("node", n.UniqueID)
	}
	return stableID("relation", n.Relation)
}

// ColumnDOT writes a column trace as DOT: each node a table of its traced
// columns, left to right from the sources, a link per column made from
// another. Everything is written in the trace's sorted order, so the same
// trace gives the same bytes.
func ColumnDOT(t backend.ColumnTrace, meta Meta) []byte {
	var b bytes.Buffer
	b.WriteString("digraph columns {\n")
	fmt.Fprintf(&b, "  graph [rankdir=LR, fontname=%s, fontsize=11, nodesep=0.3, ranksep=0.9, pad=0.3, labelloc=b, labeljust=l, label=<%s>];\n",
		quote(fontName), footerHTML(meta))
	fmt.Fprintf(&b, "  node [fontname=%s, fontsize=11, shape=plain];\n", quote(fontName))
	fmt.Fprintf(&b, "  edge [fontname=%s, fontsize=9, arrowsize=0.7];\n", quote(fontName))
	fmt.Fprintf(&b, "  subgraph cluster_columns {\n    graph [label=<%s>, labelloc=t, labeljust=l, color=%s, fontsize=14];\n", titleHTML(ColumnTitle(t)), quote(titleFrame))
	fmt.Fprintf(&b, "    subgraph cluster_legend {\n      graph [id=\"legend\", label=<%s>, labelloc=b, labeljust=l, peripheries=0, margin=4, fontsize=9];\n", columnLegendHTML(hasColumnTests(t)))
	ports := map[[2]string]map[string]int{} // node, relation -> lower-case column -> port
	for _, n := range t.Nodes {
		p := map[string]int{}
		for i, c := range n.Columns {
			p[strings.ToLower(c)] = i
		}
		ports[[2]string{n.UniqueID, n.Relation}] = p
		id := columnNodeID(n)
		fmt.Fprintf(&b, "      %s [id=%s, label=<%s>];\n", quote(id), quote(id), columnNodeHTML(n, t.Focus))
	}
	b.WriteString("    }\n  }\n")
	ids := map[[2]string]string{}
	for _, n := range t.Nodes {
		ids[[2]string{n.UniqueID, n.Relation}] = columnNodeID(n)
	}
	end := func(k backend.ColumnKey, side string) string {
		key := [2]string{k.Node, k.Relation}
		if k.Column == "" {
			return quote(ids[key]) + ":h:" + side
		}
		return fmt.Sprintf("%s:c%d:%s", quote(ids[key]), ports[key][strings.ToLower(k.Column)], side)
	}
	for i, e := range t.Edges {
		color, style := columnEdgeStyle(e.Kind)
		fmt.Fprintf(&b, "  %s -> %s [id=%s, color=%s, style=%s];\n", end(e.From, "e"), end(e.To, "w"), quote(columnEdgeID(i)), quote(color), style)
	}
	b.WriteString("}\n")
	return b.Bytes()
}

// columnEdgeID is a link's id: its place in the trace's sorted edges.
func columnEdgeID(i int) string { return fmt.Sprintf("link-%d", i) }

// columnNodeTip is a node's tooltip: its unique_id first (the page reads
// it), then its relation and why the trace stopped there.
func columnNodeTip(n backend.ColumnTraceNode) string {
	lines := []string{clean(n.UniqueID, 300)}
	if n.UniqueID == "" {
		lines[0] = clean(n.Relation, 300) + " (outside the project: read without ref() or source())"
	} else if n.RelationName != "" {
		lines = append(lines, clean(n.RelationName, 300))
	}
	if n.Problem != "" {
		lines = append(lines, clean(n.Problem, 300))
	}
	return strings.Join(lines, "\n")
}

// columnEdgeTip is a link's tooltip: which column is made from which, how.
func columnEdgeTip(e backend.ColumnEdge, names map[[2]string]string) string {
	end := func(k backend.ColumnKey) string {
		name := names[[2]string{k.Node, k.Relation}]
		if k.Column == "" {
			return name
		}
		return name + "." + k.Column
	}
	tip := clean(end(e.From), 200) + " → " + clean(end(e.To), 200) + ": " + e.Kind
	if e.Expression != "" {
		tip += "\n" + clean(e.Expression, 300)
	}
	return tip
}

// columnNodeHTML is a node's table: its name and type, then a row (a port)
// per traced column, the focus highlighted.
func columnNodeHTML(n backend.ColumnTraceNode, focus backend.ColumnKey) string {
	fill, kind := typeStyles[backend.TypeAnalysis].fill, "outside the project"
	if st, ok := typeStyles[n.ResourceType]; ok {
		fill, kind = st.fill, st.legend
	} else if n.ResourceType != "" {
		kind = n.ResourceType
	}
	var b strings.Builder
	b.WriteString(`<TABLE BORDER="1" CELLBORDER="0" CELLSPACING="0" CELLPADDING="4" COLOR="` + frameGrey + `">`)
	fmt.Fprintf(&b, `<TR><TD PORT="h" BGCOLOR="%s" ALIGN="LEFT"><B>%s</B><BR ALIGN="LEFT"/><FONT POINT-SIZE="9" COLOR="%s">%s</FONT><BR ALIGN="LEFT"/></TD></TR>`,
		fill, html(n.Name, 80), inkOnLight.grey, html(kind, 40))
	for i, c := range n.Columns {
		bg := columnRowFill
		if n.UniqueID == focus.Node && n.Relation == focus.Relation && strings.EqualFold(c, focus.Column) {
			bg = focusFill
		}
		fmt.Fprintf(&b, `<TR><TD PORT="c%d" BGCOLOR="%s" ALIGN="LEFT">%s%s</TD></TR>`, i, bg, html(c, 80), testMark(n.Tests[c]))
	}
	if len(n.Continues) > 0 {
		// A trace cut at a depth: its links go on past this node.
		fmt.Fprintf(&b, `<TR><TD ALIGN="LEFT"><FONT POINT-SIZE="9" COLOR="%s"><I>… goes on %s</I></FONT></TD></TR>`, inkOnLight.grey, html(strings.Join(n.Continues, " and "), 40))
	}
	if n.Problem != "" {
		fmt.Fprintf(&b, `<TR><TD ALIGN="LEFT"><FONT POINT-SIZE="9" COLOR="%s"><I>%s</I></FONT></TD></TR>`, inkOnLight.failed, html(n.Problem, 70))
	}
	b.WriteString(`</TABLE>`)
	return b.String()
}

// columnTestMarks are the marks a tested column gets, worst outcome first,
// and their legend.
var columnTestMarks = []struct{ mark, color, legend string }{
	{"✗", "#C62828", "a test fails"},
	{"!", "#EF6C00", "a test warns"},
	{"✓", "#2E7D32", "tests pass"},
	{"○", edgeColor, "tests not run"},
}

// testMark is a column's tests as a mark and their number ("" with none).
func testMark(s backend.TestSummary) string {
	if s.Total == 0 {
		return ""
	}
	m := testMarkOf(s)
	return fmt.Sprintf(`  <FONT POINT-SIZE="9" COLOR="%s">%s%d</FONT>`, m.color, m.mark, s.Total)
}

// testMarkOf is the mark of tests' worst outcome.
func testMarkOf(s backend.TestSummary) struct{ mark, color, legend string } {
	switch {
	case s.Fail+s.Error > 0:
		return columnTestMarks[0]
	case s.Warn > 0:
		return columnTestMarks[1]
	case s.Pass > 0:
		return columnTestMarks[2]
	}
	return columnTestMarks[3]
}

func hasColumnTests(t backend.ColumnTrace) bool {
	for _, n := range t.Nodes {
		if len(n.Tests) > 0 {
			return true
		}
	}
	return false
}

// columnLegendHTML is the picture's legend: the kinds of link, and the
// test marks when a column has tests.
func columnLegendHTML(tests bool) string {
	var b strings.Builder
	b.WriteString(`<TABLE BORDER="0" CELLSPACING="4" CELLPADDING="0"><TR>`)
	for _, s := range columnEdgeStyles {
		dash := "━━"
		switch s.style {
		case "dashed":
			dash = "╍╍"
		case "dotted":
			dash = "┈┈"
		}
		fmt.Fprintf(&b, `<TD><FONT COLOR="%s">%s</FONT> %s</TD>`, s.color, dash, html(s.legend, 40))
	}
	if tests {
		b.WriteString(`</TR><TR>`)
		for _, m := range columnTestMarks {
			fmt.Fprintf(&b, `<TD><FONT COLOR="%s">%s</FONT> %s</TD>`, m.color, m.mark, html(m.legend, 40))
		}
	}
	b.WriteString(`</TR></TABLE>`)
	return b.String()
}

// checkColumnSize refuses a trace too big to draw.
func (r *Renderer) checkColumnSize(ctx context.Context, t backend.ColumnTrace) error {
	if len(t.Nodes) > r.maxNodes {
		return backend.Errorf(backend.EINVALID,
			"the trace reaches %d nodes, more than the %d a picture can show: trace upstream or downstream alone, a few levels, or a column further along; JSON is written whatever the size",
			len(t.Nodes), r.maxNodes)
	}
	if err := ctx.Err(); err != nil {
		return canceled(err)
	}
	return nil
}

// ColumnPNG draws a column trace as a PNG image, as its SVG shows it.
// Scale 1 is 96 dpi.
func (r *Renderer) ColumnPNG(ctx context.Context, t backend.ColumnTrace, meta Meta, scale float64) ([]byte, error) {
	if err := r.checkColumnSize(ctx, t); err != nil {
		return nil, err
	}
	g, err := r.drawingOf(ctx, ColumnDOT(t, meta), len(t.Nodes), len(t.Edges))
	if err != nil {
		return nil, err
	}
	return r.paint(ctx, g, scale)
}

// ColumnPDF draws a column trace as a one-page vector PDF.
func (r *Renderer) ColumnPDF(ctx context.Context, t backend.ColumnTrace, meta Meta) ([]byte, error) {
	if err := r.checkColumnSize(ctx, t); err != nil {
		return nil, err
	}
	g, err := r.drawingOf(ctx, ColumnDOT(t, meta), len(t.Nodes), len(t.Edges))
	if err != nil {
		return nil, err
	}
	return writePDF(ctx, g, ColumnTitle(t))
}

// ColumnSVG lays a column trace out and returns a standalone SVG.
func (r *Renderer) ColumnSVG(ctx context.Context, t backend.ColumnTrace, meta Meta) ([]byte, error) {
	if err := r.checkColumnSize(ctx, t); err != nil {
		return nil, err
	}
	out, err := r.layoutDOT(ctx, ColumnDOT(t, meta), len(t.Nodes), len(t.Edges), graphviz.SVG)
	if err != nil {
		return nil, err
	}
	title := clean(ColumnTitle(t), 200)
	byID := map[string]string{"graph0": title, "clust1": title, "legend": "legend"}
	names := map[[2]string]string{}
	for _, n := range t.Nodes {
		byID[columnNodeID(n)] = columnNodeTip(n)
		names[[2]string{n.UniqueID, n.Relation}] = n.Name
	}
	for i, e := range t.Edges {
		byID[columnEdgeID(i)] = columnEdgeTip(e, names)
	}
	return titlesByID(withOurTitlesAndFonts(withoutCommentsOrDashEntities(out), nil), byID), nil
}

// titlesByID gives each <g id="ID"> whose title the map holds that title,
// in place of the DOT names Graphviz wrote (a column link's ports make its
// DOT name ambiguous, and tooltips would wrap every element in an <a>).
func titlesByID(svg []byte, byID map[string]string) []byte {
	const open, titleOpen, titleClose = `<g id="`, "<title>", "</title>"
	var out bytes.Buffer
	out.Grow(len(svg) + len(svg)/8)
	for {
		i := bytes.Index(svg, []byte(open))
		if i < 0 {
			out.Write(svg)
			return out.Bytes()
		}
		out.Write(svg[:i+len(open)])
		svg = svg[i+len(open):]
		end := bytes.IndexByte(svg, '"')
		gt := bytes.IndexByte(svg, '>')
		if end < 0 || gt < end {
			continue
		}
		tip, ok := byID[string(svg[:end])]
		// The title is the group's first child, on the next line.
		rest := svg[gt+1:]
		trimmed := bytes.TrimLeft(rest, "\n")
		if !ok || !bytes.HasPrefix(trimmed, []byte(titleOpen)) {
			continue
		}
		closing := bytes.Index(trimmed, []byte(titleClose))
		if closing < 0 {
			continue
		}
		out.Write(svg[:gt+1+len(rest)-len(trimmed)])
		out.WriteString(titleOpen + xmlText(tip) + titleClose)
		svg = trimmed[closing+len(titleClose):]
	}
}
