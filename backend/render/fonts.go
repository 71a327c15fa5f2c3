package render

import (
	"math"
	"os"
	"path/filepath"

	"golang.org/x/image/font"
	"golang.org/x/image/font/basicfont"
	"golang.org/x/image/font/gofont/gobold"
	"golang.org/x/image/font/gofont/gobolditalic"
	"golang.org/x/image/font/gofont/goitalic"
	"golang.org/x/image/font/gofont/goregular"
	"golang.org/x/image/font/opentype"
	"golang.org/x/image/font/sfnt"
	"golang.org/x/image/math/fixed"
)

// fontSet gives faces for the DOT's font, DejaVu Sans, when the system has
// it, else for the embedded Go fonts; fonts are read once per picture.
type fontSet struct {
	fonts map[int]*opentype.Font // by style: 1 bold, 2 italic
	data  map[int][]byte         // each font's file, which a PDF embeds
	faces map[faceKey]font.Face
}

type faceKey struct {
	style int
	size  float64
}

func newFontSet() *fontSet {
	return &fontSet{fonts: map[int]*opentype.Font{}, data: map[int][]byte{}, faces: map[faceKey]font.Face{}}
}

func (fs *fontSet) face(bold, italic bool, sizePx float64) font.Face {
	style := 0
	if bold {
		style |= 1
	}
	if italic {
		style |= 2
	}
	key := faceKey{style, sizePx}
	if f, ok := fs.faces[key]; ok {
		return f
	}
	otf := fs.font(style)
	if otf == nil {
		return basicfont.Face7x13 // the embedded fonts cannot fail to parse; this keeps text anyway
	}
	f, err := opentype.NewFace(otf, &opentype.FaceOptions{Size: sizePx, DPI: 72, Hinting: font.HintingNone})
	if err != nil {
		return basicfont.Face7x13
	}
	kerned := &kernedFace{Face: f, font: otf, ppem: fixed.Int26_6(math.Round(sizePx * 64))}
	fs.faces[key] = kerned
	return kerned
}

// kernedFace kerns at the face's size. opentype.Face asks sfnt for the
// kerning at a size of the em's units in 26.6 pixels (x/image v0.41), which
// comes out the same few pixels whatever the size: 4.7 px between "r" and
// "," of DejaVu Sans Bold, which drew the legend's "border," comma into
// the r at the default scale (2 px is right at 14 px).
type kernedFace struct {
	font.Face
	font *opentype.Font
	ppem fixed.Int26_6
	buf  sfnt.Buffer
}

func (k *kernedFace) Kern(r0, r1 rune) fixed.Int26_6 {
	x0, err0 := k.font.GlyphIndex(&k.buf, r0)
	x1, err1 := k.font.GlyphIndex(&k.buf, r1)
	if err0 != nil || err1 != nil {
		return 0
	}
	kern, err := k.font.Kern(&k.buf, x0, x1, k.ppem, font.HintingNone)
	if err != nil {
		return 0
	}
	return kern
}

func (fs *fontSet) font(style int) *opentype.Font {
	if f, ok := fs.fonts[style]; ok {
		return f
	}
	file, embedded := fontFiles(style)
	for _, dir := range []string{"/usr/share/fonts/truetype/dejavu", "/usr/share/fonts/dejavu", "/usr/share/fonts/TTF", "/usr/local/share/fonts/dejavu"} {
		if data, err := os.ReadFile(filepath.Join(dir, file)); err == nil {
			if f, err := opentype.Parse(data); err == nil {
				fs.fonts[style], fs.data[style] = f, data
				return f
			}
		}
	}
	f, err := opentype.Parse(embedded)
	if err != nil {
		f, embedded = nil, nil
	}
	fs.fonts[style], fs.data[style] = f, embedded
	return f
}

// fontFiles names DejaVu Sans's file for a style and the Go font that stands in for it.
func fontFiles(style int) (dejaVu string, embedded []byte) {
	switch style {
	case 1:
		return "DejaVuSans-Bold.ttf", gobold.TTF
	case 2:
		return "DejaVuSans-Oblique.ttf", goitalic.TTF
	case 3:
		return "DejaVuSans-BoldOblique.ttf", gobolditalic.TTF
	}
	return "DejaVuSans.ttf", goregular.TTF
}

func (fs *fontSet) close() {
	for _, f := range fs.faces {
		f.Close()
	}
}
