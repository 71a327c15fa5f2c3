package render

import (
	"bytes"
	"strings"
)

const xmlDeclaration = `<?xml version="1.0" encoding="UTF-8" standalone="no"?>` + "\n"

// postProcessSVG makes Graphviz's SVG ours: it replaces each node's
// <title> (the DOT name, i.e. the stable id) with a tooltip naming the
// unique_id and description, and the graphs' with the picture's title,
// drops comments (they repeat ids and carry the Graphviz version) and the
// DOCTYPE, and keeps everything else byte for byte.
// Graphviz writes no timestamps or random ids, so the output is deterministic.
//
// Plain scans: with regular expressions this took 60 ms of a 1,400-node
// picture's 2.7 MB.
func postProcessSVG(svg []byte, d *Diagram) []byte {
	tips := make(map[string]string, len(d.Nodes)+3)
	for i := range d.Nodes {
		tips[d.Nodes[i].ID] = tooltip(&d.Nodes[i])
	}
	// The graphs' own titles are DOT names too; a browser shows them over
	// the background, where "cluster_lineage" means nothing to a reader.
	tips["lineage"] = clean(d.Title, 200)
	tips["cluster_lineage"] = clean(d.Title, 200)
	tips["cluster_legend"] = "legend"
	grids, _ := gridFans(d, len(wrapEdges(d)) > 0)
	for _, f := range grids {
		tips[f.clusterName()] = clean(f.label(), 200)
		graphviz, ours := f.edgeTitle()
		tips[graphviz] = clean(ours, 300)
	}
	// Two passes, each into one buffer (a 1,400-node SVG is 2 MB, and
	// every buffer of it costs a first picture 500 page faults); the
	// titles are read once the comments are gone and "&#45;" is "-", as
	// the regular expressions this replaced read them (svg_post_test.go).
	return orderGridsInSVG(withOurTitlesAndFonts(withoutCommentsOrDashEntities(svg), tips), grids)
}

// withoutCommentsOrDashEntities puts an XML declaration where everything
// before <svg was, drops the comments, and writes Graphviz's "&#45;" (for
// the comments) as "-", plainer to read and select on.
func withoutCommentsOrDashEntities(svg []byte) []byte {
	out := make([]byte, 0, len(svg))
	if start := bytes.Index(svg, []byte("<svg")); start >= 0 {
		out = append(out, xmlDeclaration...)
		svg = svg[start:]
	}
	// An "&" the input does not follow with "#45;" may be followed by it
	// once a comment between them is gone ("&<!---->#45;"), as the
	// comment-free text the regular expressions read was: pending is where
	// such an "&" starts the end of out, -1 when none does.
	pending := -1
	emit := func(b []byte) {
		out = append(out, b...)
		if pending < 0 {
			return
		}
		switch tail := out[pending:]; {
		case bytes.HasPrefix(tail, dashEntity):
			out = append(append(out[:pending], '-'), tail[len(dashEntity):]...)
			pending = -1
		case !bytes.HasPrefix(dashEntity, tail):
			pending = -1
		}
	}
	for {
		i := bytes.IndexAny(svg, "<&")
		if i < 0 {
			emit(svg)
			return out
		}
		emit(svg[:i])
		svg = svg[i:]
		switch n := commentLength(svg); {
		case n > 0:
			svg = svg[n:]
		case bytes.HasPrefix(svg, dashEntity):
			emit(dash)
			svg = svg[len(dashEntity):]
		default:
			emit(svg[:1])
			if svg[0] == '&' {
				pending = len(out) - 1
			}
			svg = svg[1:]
		}
	}
}

var (
	dashEntity         = []byte("&#45;")
	dash               = []byte("-")
	graphvizFontFamily = []byte(`font-family="` + fontName + `"`)
	ourFontFamily      = []byte(`font-family="` + fontFamily + `"`)
)

// withOurTitlesAndFonts replaces each <title> naming a node or an edge
// (see ourTitle), and gives every font its fallbacks.
func withOurTitlesAndFonts(svg []byte, tips map[string]string) []byte {
	out := make([]byte, 0, len(svg)+len(svg)/4)
	for {
		i := bytes.IndexAny(svg, "<f")
		if i < 0 {
			return append(out, svg...)
		}
		out, svg = append(out, svg[:i]...), svg[i:]
		if bytes.HasPrefix(svg, graphvizFontFamily) {
			out, svg = append(out, ourFontFamily...), svg[len(graphvizFontFamily):]
		} else if name, n := titleName(svg); n > 0 {
			out = append(out, ourTitle(tips, name, svg[:n])...)
			svg = svg[n:]
		} else {
			out, svg = append(out, svg[0]), svg[1:]
		}
	}
}

// commentLength is the length of the comment s starts with, with the
// newline after it, if s starts with one holding no '>'; else 0.
func commentLength(s []byte) int {
	if !bytes.HasPrefix(s, []byte("<!--")) {
		return 0
	}
	end := bytes.IndexByte(s[4:], '>')
	if end < 2 || !bytes.Equal(s[4+end-2:4+end], []byte("--")) {
		return 0
	}
	n := 4 + end + 1
	if n < len(s) && s[n] == '\n' {
		n++
	}
	return n
}

// titleName returns the name in the <title>NAME</title> s starts with and
// the element's length, if NAME is a DOT id as Graphviz writes it
// (letters, digits, "_-&#;"); else n is 0.
func titleName(s []byte) (name string, n int) {
	const open, closing = "<title>", "</title>"
	if !bytes.HasPrefix(s, []byte(open)) {
		return "", 0
	}
	end := len(open)
	for end < len(s) && isTitleNameByte(s[end]) {
		end++
	}
	if end == len(open) || !bytes.HasPrefix(s[end:], []byte(closing)) {
		return "", 0
	}
	return string(s[len(open):end]), end + len(closing)
}

func isTitleNameByte(c byte) bool {
	return 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9' ||
		c == '_' || c == '&' || c == '#' || c == ';' || c == '-'
}

// ourTitle is the <title> for a node's or an edge's element: its tooltip,
// or "parent → child"; element unchanged when name is neither.
func ourTitle(tips map[string]string, name string, element []byte) []byte {
	if tip, ok := tips[name]; ok {
		return []byte("<title>" + xmlText(tip) + "</title>")
	}
	if from, to, ok := strings.Cut(name, "&gt;"); ok {
		return []byte("<title>" + xmlText(titleOf(tips, from)+" → "+titleOf(tips, to)) + "</title>")
	}
	return element
}

// titleOf returns the first line of a node's tooltip (its unique_id or box).
func titleOf(tips map[string]string, id string) string {
	id = strings.TrimSuffix(id, "-")
	first, _, _ := strings.Cut(tips[id], "\n")
	return first
}
