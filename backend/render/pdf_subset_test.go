package render

import (
	"os"
	"testing"

	"golang.org/x/image/font"
	"golang.org/x/image/font/gofont/goregular"
	"golang.org/x/image/font/sfnt"
	"golang.org/x/image/math/fixed"
)

// TestSubsetTrueType subsets DejaVu Sans (as the PDFs embed it) and the Go
// font: the kept glyphs keep their outlines and advances under the same
// ids (composite ones too, so their parts were kept), the rest are empty.
func TestSubsetTrueType(t *testing.T) {
	dejaVu, err := os.ReadFile("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf")
	if err != nil {
		t.Fatalf("DejaVu Sans (fonts-dejavu-core, make deps): %v", err)
	}
	for name, data := range map[string][]byte{"DejaVu Sans": dejaVu, "Go regular": goregular.TTF} {
		t.Run(name, func(t *testing.T) {
			orig, err := sfnt.Parse(data)
			if err != nil {
				t.Fatal(err)
			}
			var buf sfnt.Buffer
			// Some letters, and the first composite glyph of the font.
			var used []uint16
			for _, r := range "Lineage é Ü ·→" {
				gid, err := orig.GlyphIndex(&buf, r)
				if err != nil || gid == 0 {
					continue
				}
				used = append(used, uint16(gid))
			}
			composite, parts := findComposite(t, data)
			if composite > 0 {
				used = append(used, uint16(composite))
			} else if name == "DejaVu Sans" {
				t.Fatal("DejaVu Sans has composite glyphs, and none was found")
			}

			sub, err := subsetTrueType(data, used)
			if err != nil {
				t.Fatal(err)
			}
			if len(sub) > len(data)/4 {
				t.Errorf("subset is %d bytes of %d", len(sub), len(data))
			}
			got, err := sfnt.Parse(sub)
			if err != nil {
				t.Fatalf("the subset does not parse: %v", err)
			}
			if got.NumGlyphs() != orig.NumGlyphs() {
				t.Fatalf("%d glyphs, want %d: ids must not move", got.NumGlyphs(), orig.NumGlyphs())
			}
			keep := map[sfnt.GlyphIndex]bool{0: true}
			for _, g := range used {
				keep[sfnt.GlyphIndex(g)] = true
			}
			for _, p := range parts {
				keep[sfnt.GlyphIndex(p)] = true
			}
			// A kept composite glyph (é, Ü) loads whole only if the
			// glyphs it is made of were kept too.
			ppem := fixed.I(1000)
			drawn := 0
			for gid := sfnt.GlyphIndex(0); int(gid) < orig.NumGlyphs(); gid++ {
				want, errWant := orig.LoadGlyph(&buf, gid, ppem, nil)
				want = append(sfnt.Segments(nil), want...)
				have, errHave := got.LoadGlyph(&buf, gid, ppem, nil)
				if errWant != nil {
					continue
				}
				switch {
				case errHave != nil:
					t.Fatalf("glyph %d: %v", gid, errHave)
				case keep[gid] && !sameSegments(want, have):
					t.Errorf("kept glyph %d lost its outline", gid)
				}
				if len(have) > 0 {
					drawn++
				}
				a1, _ := orig.GlyphAdvance(&buf, gid, ppem, font.HintingNone)
				a2, _ := got.GlyphAdvance(&buf, gid, ppem, font.HintingNone)
				if a1 != a2 {
					t.Fatalf("glyph %d advance %v, want %v", gid, a2, a1)
				}
			}
			// The used glyphs and the parts of composite ones, no more.
			if drawn > 3*len(keep) {
				t.Errorf("%d glyphs have outlines in the subset of %d", drawn, len(keep))
			}
		})
	}
}

func findComposite(t *testing.T, data []byte) (gid int, parts []int) {
	t.Helper()
	tables, err := readTables(data)
	if err != nil {
		t.Fatal(err)
	}
	head, loca, glyf := tables["head"], tables["loca"], tables["glyf"]
	long := head[51] == 1
	for g := 0; ; g++ {
		var start, end int
		if long {
			if 4*g+8 > len(loca) {
				break
			}
			start, end = int(be32(loca[4*g:])), int(be32(loca[4*g+4:]))
		} else {
			if 2*g+4 > len(loca) {
				break
			}
			start, end = 2*int(be16(loca[2*g:])), 2*int(be16(loca[2*g+2:]))
		}
		if p, err := componentGlyphs(glyf[start:end]); err == nil && len(p) > 0 {
			return g, p
		}
	}
	return 0, nil
}

func be16(b []byte) uint16 { return uint16(b[0])<<8 | uint16(b[1]) }
func be32(b []byte) uint32 { return uint32(be16(b))<<16 | uint32(be16(b[2:])) }

func sameSegments(a, b sfnt.Segments) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

// FuzzSubsetTrueType: a damaged font file is an error, never a panic.
func FuzzSubsetTrueType(f *testing.F) {
	f.Add(goregular.TTF[:4096], uint16(36))
	f.Add(goregular.TTF, uint16(3))
	f.Fuzz(func(t *testing.T, data []byte, gid uint16) {
		_, _ = subsetTrueType(data, []uint16{gid})
	})
}
