package render

import (
	"math"
	"testing"
)

// TestKerningScalesWithTheSize: a kerning pair narrows in proportion to the
// face's size, as in the font's own units (opentype.Face kerned the same
// pixels at every size, so "border," lost its comma into the r in the
// default PNG's legend).
func TestKerningScalesWithTheSize(t *testing.T) {
	fs := newFontSet()
	defer fs.close()
	small := float64(fs.face(true, false, 14).Kern('r', ',')) / 64
	large := float64(fs.face(true, false, 42).Kern('r', ',')) / 64
	if small >= 0 {
		t.Fatalf("no kerning between r and , at 14 px (%v): the test checks nothing", small)
	}
	if math.Abs(large/small-3) > 0.1 {
		t.Errorf("kerning of r and , is %.2f px at 14 px and %.2f px at 42 px, want three times as much", small, large)
	}
	if math.Abs(small) > 0.3*14 {
		t.Errorf("kerning of r and , at 14 px is %.2f px: more than a third of the em", small)
	}
}
