package render

import (
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"
)

// The UI's dark theme recolours the pictures in its stylesheet, colour by
// colour (frontend/src/styles.css): a colour this package starts using
// without a dark counterpart there would be drawn as it is, a light fill
// under light labels. Kept colours must read on the dark pane as they are.
const (
	darkPanel = "#1C2027" // --panel in the dark theme
	darkText  = "#E4E7EC" // --text in the dark theme, the labels' colour
)

// keptInDark are the colours drawn as they are in the dark theme.
var keptInDark = []string{"#9E9E9E", "#F9A825", "#E57373"}

var darkRule = regexp.MustCompile(`\[(fill|stroke)="(#[0-9a-fA-F]{6})" i\][^{]*\{ (?:fill|stroke): (#[0-9a-fA-F]{6}); \}`)

func darkCounterparts(t *testing.T) (fills, inks map[string]string) {
	t.Helper()
	css, err := os.ReadFile(filepath.Join("..", "..", "frontend", "src", "styles.css"))
	if err != nil {
		t.Fatal(err)
	}
	fills, inks = map[string]string{}, map[string]string{}
	for _, m := range darkRule.FindAllStringSubmatch(string(css), -1) {
		from, to := strings.ToUpper(m[2]), strings.ToUpper(m[3])
		if m[1] == "fill" {
			fills[from] = to
		} else {
			inks[from] = to
		}
	}
	if len(fills) < 10 || len(inks) < 8 {
		t.Fatalf("found %d fill and %d stroke rules for the dark theme in styles.css: has their form changed?", len(fills), len(inks))
	}
	return fills, inks
}

func TestDarkThemeRecoloursEveryColourOfThePictures(t *testing.T) {
	fills, inks := darkCounterparts(t)
	backgrounds := []string{boxStyle.fill, otherTypeFill, focusFill, removedFill, columnRowFill}
	for _, st := range typeStyles {
		backgrounds = append(backgrounds, st.fill)
	}
	// Text is read at 4.5:1 (WCAG 1.4.3), lines at 3:1 (1.4.11).
	texts := []string{inkOnLight.grey, inkOnLight.change, inkOnLight.failed, inkOnLight.critical}
	lines := []string{edgeColor, frameGrey, addedColor, removedColor, removedNodeColor, criticalColor}
	for _, table := range [][]struct{ status, color, legend string }{statusColors, runColors, docsColors, healthColors, trendColors} {
		for _, c := range table {
			lines = append(lines, c.color)
		}
	}
	for _, s := range columnEdgeStyles { // their legend is written in them
		texts = append(texts, s.color)
	}
	for _, m := range columnTestMarks {
		texts = append(texts, m.color)
	}

	for _, c := range backgrounds {
		dark, ok := fills[c]
		if !ok {
			t.Errorf("fill %s has no dark counterpart in styles.css", c)
			continue
		}
		if r := contrast(dark, darkText); r < 4.5 {
			t.Errorf("fill %s: the labels on its dark counterpart %s read at %.1f:1, under 4.5", c, dark, r)
		}
	}
	for i, c := range append(texts, lines...) {
		least := 3.0
		if i < len(texts) {
			least = 4.5
		}
		if slices.Contains(keptInDark, c) {
			if r := contrast(c, darkPanel); r < least {
				t.Errorf("%s is kept in the dark theme but reads at %.1f:1 on its pane, under %.1f", c, r, least)
			}
			continue
		}
		// A line colour is a stroke (borders, edges) and a fill (arrow
		// heads, the legend's text), so it needs both rules, alike.
		stroke, fill := inks[c], fills[c]
		if stroke == "" || stroke != fill {
			t.Errorf("line colour %s: dark stroke %q and fill %q in styles.css, want one colour for both", c, stroke, fill)
			continue
		}
		if r := contrast(stroke, darkPanel); r < least {
			t.Errorf("colour %s: its dark counterpart %s reads at %.1f:1 on the pane, under %.1f", c, stroke, r, least)
		}
	}
}

// TestPictureColoursAreNamed keeps the list above whole: a colour written
// inline in the package's code would escape it.
func TestPictureColoursAreNamed(t *testing.T) {
	files, err := filepath.Glob("*.go")
	if err != nil {
		t.Fatal(err)
	}
	literal := regexp.MustCompile(`"(#[0-9A-Fa-f]{6})"|COLOR="(#[0-9A-Fa-f]{6})"`)
	known := map[string]bool{}
	// The inks on a project's own fills (the default, black, is never
	// written), and CSS's rebeccapurple.
	for _, c := range []string{inkOnLight.text, inkOnDark.text, inkOnDark.grey, inkOnDark.change, inkOnDark.failed, inkOnDark.critical, "#663399"} {
		known[c] = true
	}
	fills, inks := darkCounterparts(t)
	for _, f := range files {
		if strings.HasSuffix(f, "_test.go") {
			continue
		}
		src, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		for _, m := range literal.FindAllStringSubmatch(string(src), -1) {
			c := strings.ToUpper(m[1] + m[2])
			if _, ok := fills[c]; !ok && inks[c] == "" && !known[c] && !slices.Contains(keptInDark, c) {
				t.Errorf("%s writes colour %s, which the dark theme does not know: add it to styles.css's dark rules (or to keptInDark)", f, c)
			}
		}
	}
}

// contrast is contrastRatio of two "#RRGGBB" colours (any case).
func contrast(a, b string) float64 {
	ca, _ := parseHex(a)
	cb, _ := parseHex(b)
	return contrastRatio(ca, cb)
}
