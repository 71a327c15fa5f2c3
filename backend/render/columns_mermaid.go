package render

import (
	"bytes"
	"fmt"
	"strings"

	"github.com/lineagedesk/lineagedesk/backend"
)

// ColumnMermaid writes a column trace as a Mermaid flowchart, left to
// right as the picture reads: each node a subgraph of its traced columns
// (the focus highlighted, a tested column with its mark), a link per
// column made from another labelled by how, and a link to a whole node (a
// filter, an exposure) drawn dashed to its subgraph. Labels are escaped
// as the lineage's Mermaid escapes them.
func ColumnMermaid(t backend.ColumnTrace) []byte {
	var b bytes.Buffer
	fmt.Fprintf(&b, "---\ntitle: %s\n---\nflowchart LR\n", mermaidTitle(ColumnTitle(t)))
	ids := map[[2]string]string{}
	ports := map[[2]string]map[string]int{}
	for _, n := range t.Nodes {
		key := [2]string{n.UniqueID, n.Relation}
		id := mermaidID(columnNodeID(n))
		ids[key] = id
		ports[key] = map[string]int{}
		kind := "outside the project"
		if st, ok := typeStyles[n.ResourceType]; ok {
			kind = st.legend
		} else if n.ResourceType != "" {
			kind = n.ResourceType
		}
		fmt.Fprintf(&b, "  subgraph %s[\"<b>%s</b> · %s\"]\n", id, mermaidText(n.Name), mermaidText(kind))
		for i, c := range n.Columns {
			ports[key][strings.ToLower(c)] = i
			label := mermaidText(c)
			if m := testMarkText(n.Tests[c]); m != "" {
				label += " " + mermaidText(m)
			}
			fmt.Fprintf(&b, "    %s_c%d[\"%s\"]\n", id, i, label)
		}
		b.WriteString("  end\n")
	}
	end := func(k backend.ColumnKey) string {
		key := [2]string{k.Node, k.Relation}
		if k.Column == "" {
			return ids[key]
		}
		return fmt.Sprintf("%s_c%d", ids[key], ports[key][strings.ToLower(k.Column)])
	}
	byKind := map[string][]string{}
	for i, e := range t.Edges {
		arrow := "-->"
		if e.To.Column == "" {
			arrow = "-.->"
		}
		fmt.Fprintf(&b, "  %s %s|%s| %s\n", end(e.From), arrow, mermaidText(columnLinkWords(e.Kind)), end(e.To))
		byKind[e.Kind] = append(byKind[e.Kind], fmt.Sprint(i))
	}
	for _, s := range columnEdgeStyles { // linkStyle numbers links in the order written
		if n := byKind[s.kind]; len(n) > 0 {
			fmt.Fprintf(&b, "  linkStyle %s stroke:%s\n", strings.Join(n, ","), s.color)
		}
	}
	key := [2]string{t.Focus.Node, t.Focus.Relation}
	if _, ok := ids[key]; ok {
		fmt.Fprintf(&b, "  class %s focus\n", end(t.Focus))
	}
	fmt.Fprintf(&b, "  classDef focus fill:%s,stroke-width:2px\n", focusFill)
	return b.Bytes()
}

// columnLinkWords says a link's kind as it reads from its source to its
// end: "passed through", "computed" (the legend's "computed from" reads
// the other way).
func columnLinkWords(kind string) string {
	if kind == backend.ColumnTransformed {
		return "computed"
	}
	for _, s := range columnEdgeStyles {
		if s.kind == kind {
			return s.legend
		}
	}
	return kind
}

// ColumnMermaidLimitWarning says when a column trace's flowchart is past
// what Mermaid draws by default, and what to do; "" when it is within.
func ColumnMermaidLimitWarning(t backend.ColumnTrace, flowchart []byte) string {
	chars := mermaidLength(flowchart)
	if len(t.Edges) <= mermaidMaxEdges && chars <= mermaidMaxTextSize {
		return ""
	}
	return fmt.Sprintf("this Mermaid flowchart has %d links and %d characters; Mermaid draws at most %d links and %d characters unless its configuration raises maxEdges and maxTextSize (GitHub and mermaid.live do not): trace one way, a few levels, or export SVG or DOT",
		len(t.Edges), chars, mermaidMaxEdges, mermaidMaxTextSize)
}

// testMarkText is a column's test mark as text: "✓2", "✗1"; "" untested.
func testMarkText(s backend.TestSummary) string {
	if s.Total == 0 {
		return ""
	}
	m := testMarkOf(s)
	return fmt.Sprintf("%s%d", m.mark, s.Total)
}
