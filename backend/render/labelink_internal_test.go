package render

import "testing"

// TestLabelInkReadsOnEveryFill: each line of a label (the name, the grey
// type and relation, a change, failed tests, the critical path) keeps at
// least minLabelContrast with the fill, on the renderer's own fills and on
// a project's docs.node_color, mid-tones too (on red, the change note was
// 1.06:1: invisible).
func TestLabelInkReadsOnEveryFill(t *testing.T) {
	fills := []string{"#FF0000", "#FF6347", "#808080", "#FFA500", "#008000", "#0000FF", "#800080",
		"#000000", "#FFFFFF", "#FFFF00", "#00FFFF", "#1565C0", focusFill, removedFill}
	for _, style := range typeStyles {
		fills = append(fills, style.fill)
	}
	fills = append(fills, boxStyle.fill, otherTypeFill)
	for _, fill := range fills {
		ink := inkOn(fill)
		for line, c := range map[string]string{"name": ink.text, "grey": ink.grey, "change": ink.change, "failed": ink.failed, "critical": ink.critical} {
			if r := contrast(c, fill); r < minLabelContrast {
				t.Errorf("on %s the %s line (%s) has contrast %.2f, want %.1f at least", fill, line, c, r, minLabelContrast)
			}
		}
	}
	if got := inkOn("#E3F2FD"); got != inkOnLight {
		t.Errorf("on a model's pale fill the ink is %+v, want the usual %+v", got, inkOnLight)
	}
}
