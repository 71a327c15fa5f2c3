package render

import (
	"bytes"
	"fmt"
	"math"
	"slices"
	"sort"
	"strings"

	"github.com/lineagedesk/lineagedesk/backend"
)

// fontName is the font Graphviz sizes labels with. It must be one family:
// Graphviz 12 has metrics for DejaVu Sans, Helvetica, Arial, Times, ... but
// falls back to Times (the narrowest) for a comma-separated list, and then
// labels overflow their boxes in a browser. DejaVu Sans is the widest of the
// common sans fonts, so text set in any fallback still fits; the SVG gets
// the fallback list (fontFamily) afterwards.
const (
	fontName   = "DejaVu Sans"
	fontFamily = "DejaVu Sans,Helvetica,Arial,sans-serif"
)

// typeStyle is how a resource type is drawn.
type typeStyle struct {
	shape, style, fill, legend string
}

var typeStyles = map[string]typeStyle{
	backend.TypeSource:        {"cylinder", "filled", "#E8F5E9", "source"},
	backend.TypeSeed:          {"box3d", "filled", "#F3E5F5", "seed"},
	backend.TypeModel:         {"box", "rounded,filled", "#E3F2FD", "model"},
	backend.TypeSnapshot:      {"box", "rounded,filled,diagonals", "#FFF8E1", "snapshot"},
	backend.TypeAnalysis:      {"box", "rounded,filled,dashed", "#ECEFF1", "analysis"},
	backend.TypeExposure:      {"house", "filled", "#FCE4EC", "exposure"},
	backend.TypeMetric:        {"hexagon", "filled", "#EDE7F6", "metric"},
	backend.TypeSemanticModel: {"box", "filled,dashed", "#EDE7F6", "semantic model"},
	backend.TypeSavedQuery:    {"note", "filled", "#EDE7F6", "saved query"},
	backend.TypeTest:          {"note", "filled", "#FAFAFA", "test"},
	backend.TypeUnitTest:      {"note", "filled", "#FAFAFA", "unit test"},
	backend.TypeFunction:      {"box", "filled", "#E0F2F1", "function"},
}

var boxStyle = typeStyle{"folder", "filled", "#FFFDE7", "group"}

// The picture's other colours: a type of no style of its own, edges, and
// the thin grey of group boxes and legend swatches.
const (
	otherTypeFill = "#F5F5F5"
	edgeColor     = "#78909C"
	frameGrey     = "#90A4AE"
	// The title's frame, invisible on the white page: a cluster around
	// the lineage puts the title above it.
	titleFrame = "#FFFFFF"
)

func styleOf(n *Node) typeStyle {
	if n.Box != nil {
		return boxStyle
	}
	if s, ok := typeStyles[n.Resource.ResourceType]; ok {
		return s
	}
	return typeStyle{"box", "filled", otherTypeFill, n.Resource.ResourceType}
}

// statusColors: worst result wins (error/fail red, warn amber, pass green, none grey).
var statusColors = []struct{ status, color, legend string }{
	{"error", "#C62828", "error / fail"},
	{"fail", "#C62828", ""},
	{"warn", "#F9A825", "warn"},
	{"pass", "#2E7D32", "pass"},
	{"skipped", "#9E9E9E", ""},
	{"", "#9E9E9E", "skipped / no results"},
}

// runColors are LensRuns' legend: the same colours, named as dbt names a
// run's statuses.
var runColors = []struct{ status, color, legend string }{
	{"error", "#C62828", "error"},
	{"warn", "#F9A825", "partial success"},
	{"pass", "#2E7D32", "success"},
	{"", "#9E9E9E", "skipped / not run"},
}

// docsColors are LensDocs' legend.
var docsColors = []struct{ status, color, legend string }{
	{"pass", "#2E7D32", "described"},
	{"warn", "#F9A825", "some (a box)"},
	{"fail", "#C62828", "no description"},
}

func statusColor(s string) string {
	for _, c := range statusColors {
		if c.status == s {
			return c.color
		}
	}
	return "#9E9E9E"
}

const focusFill = "#FFF176"

// writeDOT writes the diagram as DOT. Nodes and edges come in sorted order
// and every attribute is written in a fixed order, so the layout is stable.
func writeDOT(d *Diagram, meta Meta) []byte {
	wrap := wrapEdges(d)
	grids, gridEdges := gridFans(d, len(wrap) > 0)
	var b bytes.Buffer
	b.WriteString("digraph lineage {\n")
	fmt.Fprintf(&b, "  graph [rankdir=LR, fontname=%s, fontsize=11, nodesep=0.25, ranksep=0.6, pad=0.3, labelloc=b, labeljust=l, label=<%s>];\n",
		quote(fontName), footerHTML(meta))
	fmt.Fprintf(&b, "  node [fontname=%s, fontsize=11, margin=\"0.12,0.06\", penwidth=1.6];\n", quote(fontName))
	fmt.Fprintf(&b, "  edge [fontname=%s, fontsize=9, color=%s, arrowsize=0.7];\n", quote(fontName), quote(edgeColor))
	if len(grids) > 0 {
		b.WriteString("  graph [compound=true];\n") // the edge to a grid ends on its box
	}
	// Three labels, one per graph: the title above the lineage, the legend
	// under it, the footer at the foot. Two in one label would share an
	// HTML table, and Graphviz widens every column of a nested table to
	// the widest row, spreading the legend's swatches apart.
	fmt.Fprintf(&b, "  subgraph cluster_lineage {\n    graph [label=<%s>, labelloc=t, labeljust=l, color=%s, fontsize=14];\n", titleHTML(d.Title), quote(titleFrame))
	fmt.Fprintf(&b, "    subgraph cluster_legend {\n      graph [id=\"legend\", label=<%s>, labelloc=b, labeljust=l, peripheries=0, margin=4, fontsize=9];\n", legendHTML(d))
	first, last, middle := endRanks(d, len(wrap) > 0)
	if len(grids) > 0 { // a grid's members are declared in its box
		first, last, middle = outsideGrids(grids, first), outsideGrids(grids, last), outsideGrids(grids, middle)
	}
	aligned := alignedWithHubs(grids)
	writeNodes := func(indent string, nodes []*Node) {
		for _, n := range nodes {
			st := styleOf(n)
			fill := fillOf(n)
			pen := 1.6
			if n.Focus {
				pen = 3.2
			}
			extra := ""
			if g, ok := aligned[n]; ok {
				extra = ", group=" + quote(g)
			}
			if ink := inkOn(fill); ink.text != inkOnLight.text {
				extra += ", fontcolor=" + quote(ink.text)
			}
			if fill == n.Fill {
				// The UI's dark theme recolours the fills and inks this
				// package chose, never a project's own (docs.node_color).
				extra += `, class="ld-own-fill"`
			}
			style, border := st.style, statusColor(d.status(n))
			if n.Change.Removed {
				border = removedNodeColor
				if !strings.Contains(style, "dashed") {
					style += ",dashed"
				}
			}
			fmt.Fprintf(&b, "%s%s [id=%s, shape=%s, style=%s, fillcolor=%s, color=%s, penwidth=%s%s, label=<%s>];\n",
				indent, quote(n.ID), quote(n.ID), st.shape, quote(style), quote(fill), quote(border),
				formatFloat(pen), extra, nodeHTML(n))
		}
	}
	// The pinned nodes are declared in their rank groups, first: Graphviz
	// writes a subgraph's nodes before the others, and the order it writes
	// them in (what readXdot numbers) is then the order they were made in.
	for _, group := range []struct {
		rank  string
		nodes []*Node
	}{{"min", first}, {"max", last}} {
		if len(group.nodes) > 0 {
			fmt.Fprintf(&b, "      {\n        rank=%s;\n", group.rank)
			writeNodes("        ", group.nodes)
			b.WriteString("      }\n")
		}
	}
	// A grid's box sits in the legend's cluster, as every node does (the
	// legend is that cluster's label): its border has to be asked for again.
	for _, f := range grids {
		fmt.Fprintf(&b, "      subgraph %s {\n        graph [id=%s, label=<%s>, style=\"dashed,rounded\", peripheries=1, color=%s, fontcolor=%s, fontsize=9, labelloc=t, labeljust=l, margin=10];\n",
			quote(f.clusterName()), quote(f.elementID()), html(f.label(), 120), quote(frameGrey), quote(inkOnLight.grey))
		writeNodes("        ", f.members)
		b.WriteString("      }\n")
	}
	writeNodes("      ", middle)
	counts := countAttr(d)
	for _, e := range d.Edges {
		if gridEdges[[2]string{e.From, e.To}] {
			continue
		}
		attrs := fmt.Sprintf("id=%s", quote(edgeID(e)))
		pen := 0.0
		if e.Count > 1 {
			attrs += fmt.Sprintf(", %s=%s", counts, quote(fmt.Sprint(e.Count)))
			pen = countPenwidth(e.Count)
		}
		switch e.Change {
		case EdgeAdded:
			attrs += fmt.Sprintf(", color=%s", quote(addedColor))
			pen = max(pen, addedPenwidth)
		case EdgeRemoved:
			attrs += fmt.Sprintf(", color=%s, style=dashed", quote(removedColor))
		}
		if e.Critical {
			attrs += fmt.Sprintf(", color=%s", quote(criticalColor))
			pen = max(pen, criticalPenwidth)
		}
		if pen > 0 {
			attrs += ", penwidth=" + formatFloat(pen)
		}
		fmt.Fprintf(&b, "      %s -> %s [%s];\n", quote(e.From), quote(e.To), attrs)
	}
	for _, e := range wrap {
		fmt.Fprintf(&b, "      %s -> %s [style=invis];\n", quote(e[0]), quote(e[1]))
	}
	for _, f := range grids {
		f.writeGridEdges(&b, counts)
	}
	b.WriteString("    }\n  }\n}\n")
	return b.Bytes()
}

// Up to these sizes (in lineage edges) an edge's count is its label,
// which dot gives room at the middle of the edge; beyond, an xlabel,
// placed once the layout is done where room is left, which on a busy
// picture can be on another edge or nearer it than its own. For a label
// dot doubles every rank, so that each edge gets a virtual node to hold
// it. Native dot, labels against xlabels: the 10k project by folder cut
// to 100, 200, 300 and 1,000 edges, 0.09/0.06, 0.44/0.13, 1.05/0.22 and
// 9.5/2.7 s; 128 folder boxes of 253 edges, 0.15/0.09 s (go-graphviz
// 0.21/0.07 s; with xlabels 5 of its 21 counts sat on another edge); the
// 1,377-node picture of a fan, with its one counted edge, 0.80/0.47 s.
// A grouped picture is read by its counts; a lineage picture has one per
// grid at most.
const (
	countLabelMaxEdges        = 100
	groupedCountLabelMaxEdges = 300
)

// countAttr is the attribute d's counted edges carry their count in.
func countAttr(d *Diagram) string {
	limit := countLabelMaxEdges
	if slices.ContainsFunc(d.Nodes, func(n Node) bool { return n.Box != nil }) {
		limit = groupedCountLabelMaxEdges
	}
	if len(d.Edges) < limit {
		return "label"
	}
	return "xlabel"
}

// maxPinnedNodes is the largest diagram whose ends endRanks pins.
// Pinned sources stretch the edges of short chains across the picture, and
// dot lays those long edges out slowly on big pictures: for the synthetic
// project's upstream of exposures, +0.02 s at 410 nodes, +0.12-0.15 s at
// 686 and +0.5 s (0.8 -> 1.3 s) at 1,074.
const maxPinnedNodes = 500

// endRanks splits the nodes (each part in the diagram's order) into the
// sources and seeds to put in the first column, the exposures to put in
// the last, as dbt's lineage reads, left to right, and the rest. dot alone
// ranks each node by the edges it has, so a source feeding a short chain
// lands in the middle of the picture. Only nodes without an edge in, or
// out, are pinned: a pin on any other would fight its own edges. Nodes
// without any edge are not pinned either, nor any node when wrapped (the
// picture's parts are laid out in columns, see wrap.go).
func endRanks(d *Diagram, wrapped bool) (first, last, rest []*Node) {
	pin := len(d.Nodes) <= maxPinnedNodes && !wrapped
	hasParent, hasChild := map[string]bool{}, map[string]bool{}
	for _, e := range d.Edges {
		hasParent[e.To], hasChild[e.From] = true, true
	}
	for i := range d.Nodes {
		n := &d.Nodes[i]
		var kind string
		if n.Resource != nil {
			kind = n.Resource.ResourceType
		}
		switch {
		case !hasParent[n.ID] && !hasChild[n.ID]:
			rest = append(rest, n)
		case pin && (kind == backend.TypeSource || kind == backend.TypeSeed) && !hasParent[n.ID]:
			first = append(first, n)
		case pin && kind == backend.TypeExposure && !hasChild[n.ID]:
			last = append(last, n)
		default:
			rest = append(rest, n)
		}
	}
	return first, last, rest
}

// countPenwidth is the width of an edge standing for count edges.
func countPenwidth(count int) float64 { return 1 + math.Log2(float64(count))/2 }

func edgeID(e Edge) string {
	return stableID("edge", e.From+">"+e.To)
}

func formatFloat(f float64) string { return fmt.Sprintf("%.2f", f) }

// The escapers are built once: building a strings.Replacer costs more than
// using it, and a 1,000-node diagram escapes some 10,000 strings. A
// Replacer is immutable and safe for concurrent use.
var (
	dotEscaper = strings.NewReplacer(`\`, `\\`, `"`, `\"`)
	xmlEscaper = strings.NewReplacer("&", "&amp;", "<", "&lt;", ">", "&gt;", `"`, "&quot;", "'", "&#39;")
	// Graphviz expands \N, \G and the like in HTML-like labels too, even
	// when written &#92;N; a doubled backslash is a literal one.
	htmlLabelEscaper = strings.NewReplacer("&", "&amp;", "<", "&lt;", ">", "&gt;", `"`, "&quot;", "'", "&#39;", `\`, `\\`)
)

// quote writes a DOT double-quoted string. Only " and \ are special, and
// backslash escapes such as \N or \l are neutralised by doubling.
func quote(s string) string {
	s = clean(s, 500)
	return `"` + dotEscaper.Replace(s) + `"`
}

// html escapes text for a Graphviz HTML-like label (which is XML).
func html(s string, max int) string {
	return htmlLabelEscaper.Replace(clean(s, max))
}

// nameOf is how the picture names a node: a resource's name (and
// version), a box's label.
func nameOf(n *Node) string {
	if n.Box != nil {
		return n.Box.Label
	}
	if n.Resource.Version != "" {
		return n.Resource.Name + " v" + n.Resource.Version
	}
	return n.Resource.Name
}

func nodeHTML(n *Node) string {
	var rows []string
	ink := inkOn(fillOf(n))
	grey := func(s string) string {
		return `<TR><TD ALIGN="LEFT"><FONT POINT-SIZE="9" COLOR="` + ink.grey + `">` + s + `</FONT></TD></TR>`
	}
	if n.Box != nil {
		rows = append(rows, `<TR><TD ALIGN="LEFT"><B>`+htmlLabelEscaper.Replace(cleanMiddle(n.Box.Label, 60))+`</B></TD></TR>`)
		rows = append(rows, grey(html(n.Box.Kind+" · "+countsText(n.Box.Counts), 90)))
		if t := summaryText(n.Box.Tests); t != "" {
			rows = append(rows, grey(html(t, 90)))
		}
		if n.Trend != "" {
			rows = append(rows, grey(html("tests: "+n.Trend, 40)))
		}
		if n.Health != nil {
			rows = append(rows, grey(html("health: "+n.Health.State, 40)))
		}
		rows = append(rows, runRows(n, ink, grey)...)
	} else {
		r := n.Resource
		rows = append(rows, `<TR><TD ALIGN="LEFT"><B>`+html(nameOf(n), 60)+`</B></TD></TR>`)
		rows = append(rows, grey(html(kindText(styleOf(n), r), 90)))
		if n.Project != "" {
			rows = append(rows, grey(html("in project "+n.Project, 90)))
		}
		if r.RelationName != "" {
			rows = append(rows, grey(html(strings.ReplaceAll(r.RelationName, "`", ""), 70)))
		}
		if t := summaryText(r.Tests); t != "" {
			rows = append(rows, grey(html(t, 90)))
		}
		if n.Trend != "" { // the border's colour, in words
			rows = append(rows, grey(html("tests: "+n.Trend, 40)))
		}
		if n.Health != nil {
			rows = append(rows, grey(html("health: "+n.Health.State, 40)))
		}
		if text := changeText(n); text != "" {
			rows = append(rows, `<TR><TD ALIGN="LEFT"><FONT POINT-SIZE="9" COLOR="`+ink.change+`"><B>`+html(text, 90)+`</B></FONT></TD></TR>`)
		}
		if text, worse := testsFlipText(n); text != "" {
			colour := ink.text // fewer failing: the label's own ink
			if worse {
				colour = ink.failed
			}
			rows = append(rows, `<TR><TD ALIGN="LEFT"><FONT POINT-SIZE="9" COLOR="`+colour+`"><B>`+html(text, 90)+`</B></FONT></TD></TR>`)
		}
		switch text, failed := lastRunText(r); {
		case failed:
			rows = append(rows, `<TR><TD ALIGN="LEFT"><FONT POINT-SIZE="9" COLOR="`+ink.failed+`"><B>`+html(text, 40)+`</B></FONT></TD></TR>`)
		case text != "":
			rows = append(rows, grey(html(text, 40)))
		}
		rows = append(rows, runRows(n, ink, grey)...)
	}
	return `<TABLE BORDER="0" CELLBORDER="0" CELLSPACING="0" CELLPADDING="1">` + strings.Join(rows, "") + `</TABLE>`
}

// runRows is the label's run time row, in the critical path's colour when
// the node is on it.
func runRows(n *Node, ink labelInk, grey func(string) string) []string {
	text := runText(n)
	switch {
	case text == "":
		return nil
	case n.Critical:
		return []string{`<TR><TD ALIGN="LEFT"><FONT POINT-SIZE="9" COLOR="` + ink.critical + `"><B>` + html(text, 40) + `</B></FONT></TD></TR>`}
	}
	return []string{grey(html(text, 40))}
}

// kindText is a resource's second line: its type and materialization, a
// source's source name, or, for another project's public model that this
// project refs (dbt Mesh), the project: the materialization dbt gives such
// a model is a placeholder, not the other project's.
func kindText(st typeStyle, r *backend.GraphNode) string {
	kind := st.legend
	switch {
	case r.CrossProject():
		kind += " · from project " + r.Package
	case r.Materialized != "" && r.ResourceType == backend.TypeModel: // an analysis or hook says "view" too, which dbt never builds
		kind += " · " + r.Materialized
	case r.ResourceType == backend.TypeSource && r.SourceName != "":
		kind += " · " + r.SourceName
	}
	return kind
}

// changeText says how state: found the node changed: "new" or
// "modified: body, configs"; "" when it did not compare or found nothing.
func changeText(n *Node) string {
	parts := n.Change.Parts()
	switch {
	case len(parts) == 0:
		return ""
	case parts[0] == "new", parts[0] == "removed":
		return parts[0]
	}
	return "modified: " + strings.Join(parts, ", ")
}

// lastRunText says that a node did not build in the run ("last run:
// error", failed, or "last run: skipped"); "" otherwise, and for tests,
// whose outcome the test colours show.
func lastRunText(r *backend.GraphNode) (text string, failed bool) {
	if r.ResourceType == backend.TypeTest || r.ResourceType == backend.TypeUnitTest {
		return "", false
	}
	switch normaliseStatus(r.RunStatus) {
	case "error":
		return "last run: " + r.RunStatus, true
	case "skipped":
		return "last run: skipped", false
	}
	return "", false
}

func countsText(counts map[string]int) string {
	keys := make([]string, 0, len(counts))
	total := 0
	for k, v := range counts {
		keys = append(keys, k)
		total += v
	}
	sort.Strings(keys)
	parts := make([]string, 0, len(keys))
	for _, k := range keys {
		parts = append(parts, fmt.Sprintf("%d %s", counts[k], typeNoun(k, counts[k])))
	}
	noun := "nodes"
	if total == 1 {
		noun = "node"
	}
	return fmt.Sprintf("%d %s: %s", total, noun, strings.Join(parts, ", "))
}

// typeNoun is a resource type as a noun for n of them: 1 model, 2 models,
// 3 semantic models, 2 analyses, 2 saved queries.
func typeNoun(resourceType string, n int) string {
	noun := strings.ReplaceAll(resourceType, "_", " ")
	switch {
	case n == 1:
		return noun
	case strings.HasSuffix(noun, "sis"):
		return strings.TrimSuffix(noun, "is") + "es"
	case strings.HasSuffix(noun, "y") && !strings.HasSuffix(noun, "ey"):
		return strings.TrimSuffix(noun, "y") + "ies"
	}
	return noun + "s"
}

func titleHTML(title string) string {
	return `<B>` + html(title, 200) + `</B>`
}

func footerHTML(m Meta) string {
	var parts []string
	if m.Project != "" {
		parts = append(parts, "project "+m.Project)
	}
	if m.Snapshot != "" {
		parts = append(parts, "snapshot "+m.Snapshot)
	}
	if m.DbtCloudRun != "" {
		parts = append(parts, "dbt Cloud "+m.DbtCloudRun)
	}
	if m.ComparedWith != "" {
		parts = append(parts, "state: against snapshot "+m.ComparedWith)
	}
	if m.AcrossProjects != "" {
		parts = append(parts, "across projects: "+m.AcrossProjects)
	}
	parts = append(parts, "Lineage Desk")
	return `<FONT POINT-SIZE="9" COLOR="` + inkOnLight.grey + `">` + html(strings.Join(parts, "  ·  "), 300) + `</FONT>`
}

// legendHTML is the legend, in one row: the resource types present, the
// focus colour when a node has it, and the test colours.
func legendHTML(d *Diagram) string {
	present := map[string]typeStyle{}
	for i := range d.Nodes {
		st := styleOf(&d.Nodes[i])
		present[st.legend] = st
	}
	names := make([]string, 0, len(present))
	for k := range present {
		names = append(names, k)
	}
	sort.Strings(names)
	var cells strings.Builder
	entry := func(swatch, text string) {
		fmt.Fprintf(&cells, `<TD %s WIDTH="16"></TD><TD ALIGN="LEFT">%s</TD><TD WIDTH="4"></TD>`, swatch, text)
	}
	for _, k := range names {
		entry(fmt.Sprintf(`BGCOLOR="%s" BORDER="1" COLOR="%s"`, present[k].fill, frameGrey), html(k, 40))
	}
	if slices.ContainsFunc(d.Nodes, func(n Node) bool { return n.Focus }) {
		entry(fmt.Sprintf(`BGCOLOR="%s" BORDER="1" COLOR="%s"`, focusFill, frameGrey), "focus")
	}
	// The project's own fills: a swatch of each (six at most), then what
	// they are.
	if fills := customFills(d); len(fills) > 0 {
		for _, f := range fills[:min(6, len(fills))] {
			fmt.Fprintf(&cells, `<TD BGCOLOR="%s" BORDER="1" COLOR="%s" WIDTH="10"></TD>`, f, frameGrey)
		}
		cells.WriteString(`<TD ALIGN="LEFT">docs.node_color</TD><TD WIDTH="4"></TD>`)
	}
	colours, header := statusColors, "tests (border, worst wins):"
	if d.Lens == LensDocs {
		colours, header = docsColors, "description (border):"
		if !slices.ContainsFunc(d.Nodes, func(n Node) bool { return n.Box != nil }) {
			colours = append(colours[:1:1], docsColors[2]) // "some" is a box's only
		}
	}
	if d.Lens == LensTrend {
		colours, header = trendColors, "tests over recent runs (border):"
	}
	if d.Lens == LensHealth {
		colours, header = healthColors, "data health (border):"
	}
	if d.Lens == LensRuns {
		colours, header = runColors, "last run (border):"
		if slices.ContainsFunc(d.Nodes, func(n Node) bool { return n.Freshness != "" }) {
			header = "last run, source freshness (border):"
		}
	}
	if d.Lens != LensNone {
		cells.WriteString(`<TD WIDTH="8"></TD><TD ALIGN="LEFT"><B>` + header + `</B></TD>`)
		for _, c := range colours {
			if c.legend != "" {
				entry(fmt.Sprintf(`BORDER="2" COLOR="%s"`, c.color), c.legend)
			}
		}
	}
	cells.WriteString(diffLegendHTML(d))
	if d.Runtime != nil {
		// An arrow in the path's colour stands for its edges.
		cells.WriteString(`<TD WIDTH="8"></TD><TD ALIGN="LEFT"><FONT COLOR="` + criticalColor + `" POINT-SIZE="13"><B>→</B></FONT></TD><TD ALIGN="LEFT">` +
			html(criticalText(d.Runtime), 120) + `</TD>`)
	}
	return `<TABLE BORDER="0" CELLBORDER="0" CELLSPACING="4" CELLPADDING="1"><TR>` + cells.String() + `</TR></TABLE>`
}
