package render

import (
	"fmt"
	"image/color"
	"math"
	"slices"
	"strconv"
	"strings"

	"golang.org/x/image/colornames"
)

// MarkColors gives nodes the fill their project asks dbt Docs to draw them
// with (docs.node_color, by unique_id): a hex code (#rgb, #rrggbb) or a CSS
// colour name, as dbt accepts them. Anything else leaves the resource
// type's fill, so a value from the artifacts reaches the picture only as
// a colour this package wrote. A box keeps its own fill.
func (d *Diagram) MarkColors(colors map[string]string) {
	for i := range d.Nodes {
		n := &d.Nodes[i]
		if n.Box != nil {
			continue
		}
		if c, ok := cssColor(colors[n.Resource.UniqueID]); ok {
			n.Fill = c
		}
	}
}

// cssColor is a CSS colour as "#RRGGBB": a hex code of 3 or 6 digits, or
// one of CSS's named colours (any case).
func cssColor(s string) (string, bool) {
	s = strings.ToLower(strings.TrimSpace(s))
	if hex, ok := strings.CutPrefix(s, "#"); ok {
		if len(hex) == 3 {
			hex = string([]byte{hex[0], hex[0], hex[1], hex[1], hex[2], hex[2]})
		}
		if _, err := strconv.ParseUint(hex, 16, 32); err != nil || len(hex) != 6 {
			return "", false
		}
		return "#" + strings.ToUpper(hex), true
	}
	if s == "rebeccapurple" { // CSS 4; colornames holds SVG 1.1's list
		return "#663399", true
	}
	if c, ok := colornames.Map[s]; ok {
		return fmt.Sprintf("#%02X%02X%02X", c.R, c.G, c.B), true
	}
	return "", false
}

// customFills are the docs.node_color fills the picture shows, sorted.
func customFills(d *Diagram) []string {
	var fills []string
	for i := range d.Nodes {
		if n := &d.Nodes[i]; n.Fill != "" && !n.Focus && !slices.Contains(fills, n.Fill) {
			fills = append(fills, n.Fill)
		}
	}
	slices.Sort(fills)
	return fills
}

// fillOf is what a node is filled with: the focus highlight, its
// docs.node_color, or its resource type's colour.
func fillOf(n *Node) string {
	switch {
	case n.Change.Removed:
		return removedFill
	case n.Focus:
		return focusFill
	case n.Fill != "":
		return n.Fill
	}
	return styleOf(n).fill
}

// labelInk are the colours a node's label is written in: dark on the
// light fills of the resource types, light on a dark docs.node_color
// (most projects that set one pick dark shades, as dbt Docs writes white
// on them).
type labelInk struct {
	text, grey, change, failed, critical string
}

var (
	inkOnLight = labelInk{text: "#000000", grey: "#546E7A", change: "#E65100", failed: "#C62828", critical: criticalColor}
	inkOnDark  = labelInk{text: "#FFFFFF", grey: "#CFD8DC", change: "#FFCC80", failed: "#FF8A80", critical: "#FFAB91"}
)

// inkOn picks the label's colours for a fill ("#RRGGBB"): light ones when
// white reads better on it than black, by WCAG's relative luminance; and
// on a mid-tone fill (a project's red, grey or orange docs.node_color),
// where the lighter lines' colours read badly, each of those moved toward
// the label's black or white until it reads (minLabelContrast).
func inkOn(fill string) labelInk {
	c, ok := parseHex(fill)
	if !ok {
		return inkOnLight
	}
	ink := inkOnLight
	if luminance(c) < 0.179 { // where black's and white's contrast ratios meet
		ink = inkOnDark
	}
	text, _ := parseHex(ink.text)
	for _, line := range []*string{&ink.grey, &ink.change, &ink.failed, &ink.critical} {
		*line = readableOn(*line, text, c)
	}
	return ink
}

// minLabelContrast is the contrast a label's lighter lines keep with the
// fill: WCAG's for large text and graphics, as the names are in bold.
const minLabelContrast = 3.0

// readableOn returns ink when it reads on fill, else ink mixed toward text
// (black or white) in tenths until it does.
func readableOn(ink string, text, fill color.RGBA) string {
	c, ok := parseHex(ink)
	if !ok || contrastRatio(c, fill) >= minLabelContrast {
		return ink
	}
	mixed := text // all the way, if nothing before it reads
	for step := 1; step < 10; step++ {
		t := float64(step) / 10
		try := color.RGBA{R: mix(c.R, text.R, t), G: mix(c.G, text.G, t), B: mix(c.B, text.B, t)}
		if contrastRatio(try, fill) >= minLabelContrast {
			mixed = try
			break
		}
	}
	return fmt.Sprintf("#%02X%02X%02X", mixed.R, mixed.G, mixed.B)
}

func mix(a, b uint8, t float64) uint8 {
	return uint8(math.Round(float64(a)*(1-t) + float64(b)*t))
}

// contrastRatio is WCAG's contrast ratio of two colours.
func contrastRatio(a, b color.RGBA) float64 {
	la, lb := luminance(a), luminance(b)
	return (max(la, lb) + 0.05) / (min(la, lb) + 0.05)
}

// parseHex reads "#RRGGBB".
func parseHex(s string) (color.RGBA, bool) {
	v, err := strconv.ParseUint(strings.TrimPrefix(s, "#"), 16, 32)
	if err != nil || len(s) != 7 || s[0] != '#' {
		return color.RGBA{}, false
	}
	return color.RGBA{R: uint8(v >> 16), G: uint8(v >> 8), B: uint8(v), A: 255}, true
}

func luminance(c color.RGBA) float64 {
	channel := func(v uint8) float64 {
		x := float64(v) / 255
		if x <= 0.04045 {
			return x / 12.92
		}
		return math.Pow((x+0.055)/1.055, 2.4)
	}
	return 0.2126*channel(c.R) + 0.7152*channel(c.G) + 0.0722*channel(c.B)
}
