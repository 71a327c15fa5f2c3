package render

import (
	"bytes"
	"compress/zlib"
	"fmt"
	"hash/fnv"
	"unicode/utf16"
)

// pdfFile writes numbered objects and the cross-reference table that finds them.
type pdfFile struct {
	buf     bytes.Buffer
	offsets []int // of object i+1
}

// reserve numbers an object to be written later, so others can refer to it.
func (f *pdfFile) reserve() int {
	f.offsets = append(f.offsets, -1)
	return len(f.offsets)
}

func (f *pdfFile) object(id int, body string) {
	f.offsets[id-1] = f.buf.Len()
	fmt.Fprintf(&f.buf, "%d 0 obj\n%s\nendobj\n", id, body)
}

// stream writes a Flate-compressed stream with extra dictionary entries.
func (f *pdfFile) stream(id int, dict string, data []byte) error {
	var z bytes.Buffer
	w, err := zlib.NewWriterLevel(&z, zlib.BestCompression)
	if err != nil {
		return err
	}
	if _, err := w.Write(data); err != nil {
		return err
	}
	if err := w.Close(); err != nil {
		return err
	}
	f.offsets[id-1] = f.buf.Len()
	fmt.Fprintf(&f.buf, "%d 0 obj\n<< /Length %d /Filter /FlateDecode%s >>\nstream\n", id, z.Len(), dict)
	f.buf.Write(z.Bytes())
	f.buf.WriteString("\nendstream\nendobj\n")
	return nil
}

// assemblePDF wraps a page's content stream into a PDF file of one page
// w x h points, with the fonts the content uses and title as its title.
// Nothing in it depends on the time, so the same drawing gives the same bytes.
func assemblePDF(content []byte, fonts *pdfFonts, w, h float64, title string) ([]byte, error) {
	f := &pdfFile{}
	f.buf.WriteString("%PDF-1.7\n%\xe2\xe3\xcf\xd3\n")
	catalog, pages, page, contents, info := f.reserve(), f.reserve(), f.reserve(), f.reserve(), f.reserve()
	var fontRefs bytes.Buffer
	for _, font := range fonts.order {
		id, err := writePDFFont(f, font)
		if err != nil {
			return nil, fmt.Errorf("pdf font %s: %w", font.resource, err)
		}
		fmt.Fprintf(&fontRefs, " /%s %d 0 R", font.resource, id)
	}
	f.object(catalog, fmt.Sprintf("<< /Type /Catalog /Pages %d 0 R >>", pages))
	f.object(pages, fmt.Sprintf("<< /Type /Pages /Kids [%d 0 R] /Count 1 >>", page))
	f.object(page, fmt.Sprintf("<< /Type /Page /Parent %d 0 R /MediaBox [0 0 %s %s] /Resources << /Font <<%s >> >> /Contents %d 0 R >>",
		pages, num(w), num(h), fontRefs.String(), contents))
	if err := f.stream(contents, "", content); err != nil {
		return nil, err
	}
	f.object(info, fmt.Sprintf("<< /Title %s /Producer (Lineage Desk) /Creator (Lineage Desk) >>", pdfText(title)))

	xref := f.buf.Len()
	fmt.Fprintf(&f.buf, "xref\n0 %d\n0000000000 65535 f \n", len(f.offsets)+1)
	for _, off := range f.offsets {
		fmt.Fprintf(&f.buf, "%010d 00000 n \n", off)
	}
	fmt.Fprintf(&f.buf, "trailer\n<< /Size %d /Root %d 0 R /Info %d 0 R >>\nstartxref\n%d\n%%%%EOF\n", len(f.offsets)+1, catalog, info, xref)
	return f.buf.Bytes(), nil
}

// writePDFFont writes a Type0 font with Identity-H encoding (character
// codes are glyph ids), its CIDFontType2 descendant with the widths of the
// glyphs used, the descriptor, the TrueType file and the ToUnicode map.
func writePDFFont(f *pdfFile, font *pdfFont) (int, error) {
	type0, cid, descriptor, file, toUnicode := f.reserve(), f.reserve(), f.reserve(), f.reserve(), f.reserve()
	used := font.usedGlyphs()
	gids := make([]uint16, len(used))
	for i, gid := range used {
		gids[i] = uint16(gid)
	}
	data, err := subsetTrueType(font.data, gids)
	name := font.postScriptName()
	if err != nil {
		data = font.data // embedded whole: bigger, and as good
	} else {
		name = subsetTag(gids) + "+" + name // how PDF marks a subset font
	}
	bbox, ascent, descent := font.metrics()
	var widths bytes.Buffer
	for _, gid := range font.usedGlyphs() {
		fmt.Fprintf(&widths, " %d [%s]", gid, num(font.widths[gid]))
	}
	f.object(type0, fmt.Sprintf("<< /Type /Font /Subtype /Type0 /BaseFont /%s /Encoding /Identity-H /DescendantFonts [%d 0 R] /ToUnicode %d 0 R >>",
		name, cid, toUnicode))
	f.object(cid, fmt.Sprintf("<< /Type /Font /Subtype /CIDFontType2 /BaseFont /%s /CIDSystemInfo << /Registry (Adobe) /Ordering (Identity) /Supplement 0 >> /FontDescriptor %d 0 R /CIDToGIDMap /Identity /DW 1000 /W [%s ] >>",
		name, descriptor, widths.String()))
	f.object(descriptor, fmt.Sprintf("<< /Type /FontDescriptor /FontName /%s /Flags 32 /FontBBox [%s %s %s %s] /ItalicAngle 0 /Ascent %s /Descent %s /CapHeight %s /StemV 80 /FontFile2 %d 0 R >>",
		name, num(bbox[0]), num(bbox[1]), num(bbox[2]), num(bbox[3]), num(ascent), num(descent), num(ascent), file))
	if err := f.stream(file, fmt.Sprintf(" /Length1 %d", len(data)), data); err != nil {
		return 0, err
	}
	if err := f.stream(toUnicode, "", toUnicodeCMap(font)); err != nil {
		return 0, err
	}
	return type0, nil
}

// subsetTag is the six capital letters a subset font's name starts with,
// from the glyphs it keeps, so different subsets have different names.
func subsetTag(gids []uint16) string {
	h := fnv.New64a()
	for _, g := range gids {
		h.Write([]byte{byte(g >> 8), byte(g)})
	}
	sum := h.Sum64()
	tag := make([]byte, 6)
	for i := range tag {
		tag[i] = 'A' + byte(sum%26)
		sum /= 26
	}
	return string(tag)
}

// toUnicodeCMap maps each glyph used back to its character, so a viewer
// can search and copy the text.
func toUnicodeCMap(font *pdfFont) []byte {
	var b bytes.Buffer
	b.WriteString("/CIDInit /ProcSet findresource begin\n12 dict begin\nbegincmap\n" +
		"/CIDSystemInfo << /Registry (Adobe) /Ordering (UCS) /Supplement 0 >> def\n" +
		"/CMapName /Adobe-Identity-UCS def\n/CMapType 2 def\n1 begincodespacerange\n<0000> <FFFF>\nendcodespacerange\n")
	var mapped []string
	for _, gid := range font.usedGlyphs() {
		r, ok := font.text[gid]
		if !ok {
			continue
		}
		var hex string
		for _, u := range utf16.Encode([]rune{r}) {
			hex += fmt.Sprintf("%04X", u)
		}
		mapped = append(mapped, fmt.Sprintf("<%04X> <%s>", gid, hex))
	}
	for len(mapped) > 0 { // at most 100 entries per block
		n := min(len(mapped), 100)
		fmt.Fprintf(&b, "%d beginbfchar\n", n)
		for _, m := range mapped[:n] {
			b.WriteString(m + "\n")
		}
		b.WriteString("endbfchar\n")
		mapped = mapped[n:]
	}
	b.WriteString("endcmap\nCMapName currentdict /CMap defineresource pop\nend\nend\n")
	return b.Bytes()
}
