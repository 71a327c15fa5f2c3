package render

import (
	"sort"
	"strings"

	"golang.org/x/image/font"
	"golang.org/x/image/font/sfnt"
	"golang.org/x/image/math/fixed"
)

// pdfFonts are the fonts a PDF uses, one per style, each embedded once
// as a CID-keyed TrueType font whose character codes are glyph ids.
type pdfFonts struct {
	set    *fontSet
	byKind map[int]*pdfFont
	order  []*pdfFont // in the order first used: F0, F1, ...
}

func newPDFFonts() *pdfFonts {
	return &pdfFonts{set: newFontSet(), byKind: map[int]*pdfFont{}}
}

// pdfFont is one embedded font and the glyphs the page uses from it.
type pdfFont struct {
	resource string // F0, F1, ...
	sfnt     *sfnt.Font
	data     []byte
	buf      sfnt.Buffer
	unitsEm  float64
	widths   map[sfnt.GlyphIndex]float64 // advance in 1/1000 em
	text     map[sfnt.GlyphIndex]rune    // for ToUnicode
}

// font returns the font of a style (1 bold, 2 italic); nil when there is
// none to embed.
func (fs *pdfFonts) font(style int) *pdfFont {
	if f, ok := fs.byKind[style]; ok {
		return f
	}
	otf := fs.set.font(style)
	data := fs.set.data[style]
	if otf == nil || len(data) == 0 {
		fs.byKind[style] = nil
		return nil
	}
	f := &pdfFont{resource: "F" + string(rune('0'+len(fs.order))), sfnt: otf, data: data,
		unitsEm: float64(otf.UnitsPerEm()), widths: map[sfnt.GlyphIndex]float64{}, text: map[sfnt.GlyphIndex]rune{}}
	fs.byKind[style] = f
	fs.order = append(fs.order, f)
	return f
}

// encode turns text into two-byte glyph ids and its width in 1/1000 em.
// A character the font lacks becomes its .notdef glyph.
func (f *pdfFont) encode(s string) (glyphs []byte, width float64) {
	for _, r := range s {
		gid, err := f.sfnt.GlyphIndex(&f.buf, r)
		if err != nil {
			gid = 0
		}
		w, ok := f.widths[gid]
		if !ok {
			adv, err := f.sfnt.GlyphAdvance(&f.buf, gid, fixed.Int26_6(f.unitsEm*64), font.HintingNone)
			if err == nil {
				w = float64(adv) / 64 * 1000 / f.unitsEm
			}
			f.widths[gid] = w
		}
		if _, seen := f.text[gid]; !seen && gid != 0 {
			f.text[gid] = r
		}
		glyphs = append(glyphs, byte(gid>>8), byte(gid))
		width += w
	}
	return glyphs, width
}

// postScriptName is the font's name in the PDF: its PostScript name, or a
// generic one, without characters a PDF name cannot hold.
func (f *pdfFont) postScriptName() string {
	name, err := f.sfnt.Name(&f.buf, sfnt.NameIDPostScript)
	if err != nil || name == "" {
		name = "LineageDeskFont" + f.resource
	}
	return strings.Map(func(r rune) rune {
		if r > ' ' && r < 0x7f && !strings.ContainsRune("()<>[]{}/%#", r) {
			return r
		}
		return -1
	}, name)
}

// metrics are the font descriptor's numbers, in 1/1000 em.
func (f *pdfFont) metrics() (bbox [4]float64, ascent, descent float64) {
	ppem := fixed.Int26_6(f.unitsEm * 64)
	scale := func(v fixed.Int26_6) float64 { return float64(v) / 64 * 1000 / f.unitsEm }
	if b, err := f.sfnt.Bounds(&f.buf, ppem, font.HintingNone); err == nil {
		// sfnt's y axis points down; PDF's up.
		bbox = [4]float64{scale(b.Min.X), -scale(b.Max.Y), scale(b.Max.X), -scale(b.Min.Y)}
	}
	if m, err := f.sfnt.Metrics(&f.buf, ppem, font.HintingNone); err == nil {
		ascent, descent = scale(m.Ascent), -scale(m.Descent)
	}
	return bbox, ascent, descent
}

// usedGlyphs lists the glyphs the page uses, ascending.
func (f *pdfFont) usedGlyphs() []sfnt.GlyphIndex {
	ids := make([]sfnt.GlyphIndex, 0, len(f.widths))
	for gid := range f.widths {
		ids = append(ids, gid)
	}
	sort.Slice(ids, func(i, j int) bool { return ids[i] < ids[j] })
	return ids
}
