package render

import (
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
	check(d.Title)
	check(meta.Project)
	check(meta.Snapshot)
	for i := range d.Nodes {
		n := &d.Nodes[i]
		if n.Box != nil {
			check(n.Box.Label)
			continue
		}
		check(n.Resource.Name)
		check(n.Resource.RelationName)
	}
	return count, example, in
}
