package render

import (
	"bytes"
	"encoding/json"
	"fmt"
	"sort"
	"strings"
	"unicode"
	"unicode/utf16"
)

// Mermaid's default maxEdges and maxTextSize: a renderer with its default
// settings (GitHub, mermaid.live, mmdc) refuses a diagram past either, and
// a diagram's own init directive cannot raise them.
const (
	mermaidMaxEdges    = 500
	mermaidMaxTextSize = 50000
)

// MermaidLimitWarning says when a flowchart Mermaid wrote for d is past
// what Mermaid draws by default, and what to do; "" when it is within.
func MermaidLimitWarning(d *Diagram, flowchart []byte) string {
	chars := mermaidLength(flowchart)
	if len(d.Edges) <= mermaidMaxEdges && chars <= mermaidMaxTextSize {
		return ""
	}
	return fmt.Sprintf("this Mermaid flowchart has %d links and %d characters; Mermaid draws at most %d links and %d characters unless its configuration raises maxEdges and maxTextSize (GitHub and mermaid.live do not): group the picture, narrow the selection, or export SVG or DOT",
		len(d.Edges), chars, mermaidMaxEdges, mermaidMaxTextSize)
}

// mermaidLength is the text's length as Mermaid measures it against
// maxTextSize: JavaScript's, in UTF-16 code units (an emoji is two).
func mermaidLength(text []byte) int {
	n := 0
	for _, r := range string(text) {
		n += max(utf16.RuneLen(r), 1) // an invalid rune is one U+FFFD
	}
	return n
}

// Mermaid returns the diagram as a Mermaid flowchart (left to right).
// Ids are the stable ids with dashes turned into underscores; labels are
// quoted with Mermaid's entity codes for quotes and angle brackets, so
// artifact text cannot close a label or inject markup.
func (r *Renderer) Mermaid(d *Diagram) ([]byte, error) {
	if err := r.CheckSize(d); err != nil {
		return nil, err
	}
	var b bytes.Buffer
	fmt.Fprintf(&b, "---\ntitle: %s\n---\nflowchart LR\n", mermaidTitle(d.Title))
	classes := map[string]string{}
	for i := range d.Nodes {
		n := &d.Nodes[i]
		st := styleOf(n)
		var label []string
		if n.Box != nil {
			label = []string{"<b>" + mermaidText(n.Box.Label) + "</b>", mermaidText(n.Box.Kind + " · " + countsText(n.Box.Counts))}
			if t := summaryText(n.Box.Tests); t != "" {
				label = append(label, mermaidText(t))
			}
			label = append(label, mermaidRunText(n)...)
		} else {
			r := n.Resource
			kind := kindText(st, r)
			name := r.Name
			if r.Version != "" { // as the picture names versions
				name += " v" + r.Version
			}
			label = []string{"<b>" + mermaidText(name) + "</b>", mermaidText(kind)}
			if n.Project != "" {
				label = append(label, mermaidText("in project "+n.Project))
			}
			if r.RelationName != "" {
				label = append(label, mermaidText(r.RelationName))
			}
			if t := summaryText(r.Tests); t != "" {
				label = append(label, mermaidText(t))
			}
			if n.Trend != "" {
				label = append(label, mermaidText("tests: "+n.Trend))
			}
			if n.Health != nil {
				label = append(label, mermaidText("health: "+n.Health.State))
			}
			// As the picture says them, so the export tells the same story.
			if text := changeText(n); text != "" {
				label = append(label, "<i>"+mermaidText(text)+"</i>")
			}
			if text, _ := testsFlipText(n); text != "" {
				label = append(label, "<i>"+mermaidText(text)+"</i>")
			}
			if text, _ := lastRunText(r); text != "" {
				label = append(label, "<i>"+mermaidText(text)+"</i>")
			}
			label = append(label, mermaidRunText(n)...)
		}
		class := mermaidClass(st.legend)
		classes[class] = st.fill
		fmt.Fprintf(&b, "  %s[\"%s\"]:::%s\n", mermaidID(n.ID), strings.Join(label, "<br/>"), class)
		if n.Focus {
			fmt.Fprintf(&b, "  class %s focus\n", mermaidID(n.ID))
		}
		// One style line per node: its border, and its docs.node_color.
		var style []string
		if s := d.status(n); s != "" {
			style = append(style, "stroke:"+statusColor(s), "stroke-width:2px")
		}
		if n.Change.Removed {
			style = append(style, "fill:"+removedFill, "stroke:"+removedNodeColor, "stroke-dasharray:4 3")
		} else if n.Fill != "" && !n.Focus {
			style = append(style, "fill:"+n.Fill)
			if ink := inkOn(n.Fill); ink.text != inkOnLight.text {
				style = append(style, "color:"+ink.text)
			}
		}
		if len(style) > 0 {
			fmt.Fprintf(&b, "  style %s %s\n", mermaidID(n.ID), strings.Join(style, ","))
		}
	}
	var critical, added, removed []string // linkStyle numbers edges in the order they are written
	for i, e := range d.Edges {
		arrow := "-->"
		if e.Change == EdgeRemoved {
			arrow = "-.->" // dotted, as the picture dashes it
		}
		if e.Count > 1 {
			fmt.Fprintf(&b, "  %s %s|%d| %s\n", mermaidID(e.From), arrow, e.Count, mermaidID(e.To))
		} else {
			fmt.Fprintf(&b, "  %s %s %s\n", mermaidID(e.From), arrow, mermaidID(e.To))
		}
		switch {
		case e.Critical:
			critical = append(critical, fmt.Sprint(i))
		case e.Change == EdgeAdded:
			added = append(added, fmt.Sprint(i))
		case e.Change == EdgeRemoved:
			removed = append(removed, fmt.Sprint(i))
		}
	}
	if len(added) > 0 {
		fmt.Fprintf(&b, "  linkStyle %s stroke:%s,stroke-width:%.0fpx\n", strings.Join(added, ","), addedColor, addedPenwidth)
	}
	if len(removed) > 0 {
		fmt.Fprintf(&b, "  linkStyle %s stroke:%s\n", strings.Join(removed, ","), removedColor)
	}
	if rt := d.Runtime; rt != nil {
		fmt.Fprintf(&b, "  %%%% %s\n", mermaidText(criticalText(rt)))
		if len(critical) > 0 {
			fmt.Fprintf(&b, "  linkStyle %s stroke:%s,stroke-width:%.0fpx\n", strings.Join(critical, ","), criticalColor, criticalPenwidth)
		}
	}
	names := make([]string, 0, len(classes))
	for c := range classes {
		names = append(names, c)
	}
	sort.Strings(names)
	for _, c := range names {
		fmt.Fprintf(&b, "  classDef %s fill:%s,stroke:#9E9E9E\n", c, classes[c])
	}
	fmt.Fprintf(&b, "  classDef focus fill:%s,stroke-width:3px\n", focusFill)
	return b.Bytes(), nil
}

// mermaidRunText is the label line with the node's run time, bold on the
// critical path, as the picture writes it.
func mermaidRunText(n *Node) []string {
	text := runText(n)
	switch {
	case text == "":
		return nil
	case n.Critical:
		return []string{"<b>" + mermaidText(text) + "</b>"}
	}
	return []string{mermaidText(text)}
}

func mermaidID(id string) string { return strings.ReplaceAll(id, "-", "_") }

// '%', '{' and '}' too: Mermaid reads a %%{init: ...}%% directive anywhere in
// the text, even inside a quoted label, and it can restyle the picture
// (themeCSS, with url(...) fetches) or break it.
var mermaidEscaper = strings.NewReplacer(`"`, "#quot;", "<", "#lt;", ">", "#gt;", "&", "#amp;", "#", "#35;", "`", "#96;", "|", "#124;",
	"%", "#37;", "{", "#123;", "}", "#125;")

// mermaidTitle writes the title for Mermaid's YAML front matter as a
// double-quoted scalar (a JSON string is one): a selector such as
// @customers, * or "tag:a #b" is not a valid or whole plain YAML scalar,
// and Mermaid refuses a diagram whose front matter does not parse. Angle
// brackets become look-alikes, as no selector needs them.
func mermaidTitle(s string) string {
	quoted, _ := json.Marshal(strings.NewReplacer("<", "‹", ">", "›").Replace(clean(s, 120)))
	return string(quoted)
}

// mermaidText escapes text for a quoted Mermaid label with entity codes.
func mermaidText(s string) string { return mermaidEscaper.Replace(clean(s, 120)) }

// mermaidClass names the class of a resource type. An unknown type's legend
// is the manifest's resource_type, any text: only letters, digits and _
// may reach a statement, or a newline in it would start a line of its own.
func mermaidClass(legend string) string {
	var b strings.Builder
	b.WriteString("t_")
	for _, r := range legend {
		if r < 128 && (unicode.IsLetter(r) || unicode.IsDigit(r)) {
			b.WriteRune(r)
		} else {
			b.WriteByte('_')
		}
	}
	return b.String()
}
