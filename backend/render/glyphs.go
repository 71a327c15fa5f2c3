package render

import (
	"unicode"

	"golang.org/x/image/font/sfnt"
)

// MissingGlyphs counts the characters of a picture's text that its PNG and
// PDF font (DejaVu Sans, or the Go fonts without it) cannot draw: those
// show as empty boxes there, while an SVG is drawn with the viewer's
// fonts. It returns how many distinct characters lack a glyph and the
// first found, with the text it is in.
func MissingGlyphs(d *Diagram, meta Meta) (count int, example rune, in string) {
	f := newFontSet().font(0)
	if f == nil {
		return 0, 0, ""
	}
	var buf sfnt.Buffer
	seen := map[rune]bool{}
	check := func(text string) {
		for _, r := range text {
			if r < 0x80 || seen[r] {
				continue
			}
			seen[r] = true
			if gid, err := f.GlyphIndex(&buf, r); err != nil || gid == 0 {
				if count++; count == 1 {
					example, in = r, text
				}
			}
		}
	}
	eachPaintedText(d, meta, check)
	return count, example, in
}

// RightToLeft returns the first text of a picture written in a
// right-to-left script (Hebrew, Arabic...), "" when none is: the PNG and
// PDF painter lays text out left to right, letter by letter, so such a
// name reads backwards there, its Arabic letters unjoined, while an SVG is
// laid out by the viewer.
func RightToLeft(d *Diagram, meta Meta) string {
	found := ""
	eachPaintedText(d, meta, func(text string) {
		for _, r := range text {
			if found == "" && unicode.In(r, unicode.Hebrew, unicode.Arabic, unicode.Syriac, unicode.Thaana, unicode.Nko, unicode.Samaritan, unicode.Mandaic) {
				found = text
			}
		}
	})
	return found
}

// eachPaintedText calls f with each text the PNG and PDF painter draws
// from the artifacts: the title, the footer's names, the nodes' names and
// relations, the boxes' labels.
func eachPaintedText(d *Diagram, meta Meta, f func(string)) {
	f(d.Title)
	f(meta.Project)
	f(meta.Snapshot)
	for i := range d.Nodes {
		n := &d.Nodes[i]
		if n.Box != nil {
			f(n.Box.Label)
			continue
		}
		f(n.Resource.Name)
		f(n.Resource.RelationName)
	}
}
