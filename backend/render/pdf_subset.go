package render

import (
	"encoding/binary"
	"errors"
	"fmt"
	"sort"
)

// subsetTrueType keeps, of a TrueType font file, only what a PDF viewer
// draws the given glyphs with: their outlines (and those of the parts of
// composite glyphs), with every other glyph left empty so glyph ids stay
// as they are, and only the tables a PDF's embedded TrueType needs, and
// cmap (no names, kerning or layout tables: the page addresses glyphs by
// id). DejaVu Sans goes from 740 kB to some 20 kB for a picture's labels.
func subsetTrueType(font []byte, used []uint16) ([]byte, error) {
	tables, err := readTables(font)
	if err != nil {
		return nil, err
	}
	head, maxp, loca, glyf := tables["head"], tables["maxp"], tables["loca"], tables["glyf"]
	if len(head) < 54 || len(maxp) < 6 || loca == nil || glyf == nil {
		return nil, errors.New("not a TrueType font with outlines (head, maxp, loca, glyf)")
	}
	numGlyphs := int(binary.BigEndian.Uint16(maxp[4:]))
	longLoca := binary.BigEndian.Uint16(head[50:]) == 1
	offset := func(gid int) (int, int, error) {
		var start, end int
		if longLoca {
			if len(loca) < 4*(gid+2) {
				return 0, 0, errors.New("loca too short")
			}
			start, end = int(binary.BigEndian.Uint32(loca[4*gid:])), int(binary.BigEndian.Uint32(loca[4*gid+4:]))
		} else {
			if len(loca) < 2*(gid+2) {
				return 0, 0, errors.New("loca too short")
			}
			start, end = 2*int(binary.BigEndian.Uint16(loca[2*gid:])), 2*int(binary.BigEndian.Uint16(loca[2*gid+2:]))
		}
		if start > end || end > len(glyf) {
			return 0, 0, fmt.Errorf("glyph %d lies outside glyf", gid)
		}
		return start, end, nil
	}

	keep := map[int]bool{0: true} // .notdef, which a missing character shows
	queue := []int{0}
	for _, gid := range used {
		if int(gid) < numGlyphs && !keep[int(gid)] {
			keep[int(gid)] = true
			queue = append(queue, int(gid))
		}
	}
	for len(queue) > 0 {
		gid := queue[len(queue)-1]
		queue = queue[:len(queue)-1]
		start, end, err := offset(gid)
		if err != nil {
			return nil, err
		}
		parts, err := componentGlyphs(glyf[start:end])
		if err != nil {
			return nil, fmt.Errorf("glyph %d: %w", gid, err)
		}
		for _, p := range parts {
			if p < numGlyphs && !keep[p] {
				keep[p] = true
				queue = append(queue, p)
			}
		}
	}

	var newGlyf []byte
	newLoca := make([]byte, 4*(numGlyphs+1))
	for gid := 0; gid < numGlyphs; gid++ {
		binary.BigEndian.PutUint32(newLoca[4*gid:], uint32(len(newGlyf)))
		if keep[gid] {
			start, end, err := offset(gid)
			if err != nil {
				return nil, err
			}
			newGlyf = append(newGlyf, glyf[start:end]...)
			for len(newGlyf)%4 != 0 {
				newGlyf = append(newGlyf, 0)
			}
		}
	}
	binary.BigEndian.PutUint32(newLoca[4*numGlyphs:], uint32(len(newGlyf)))
	newHead := append([]byte(nil), head...)
	binary.BigEndian.PutUint16(newHead[50:], 1) // long loca offsets
	binary.BigEndian.PutUint32(newHead[8:], 0)  // checkSumAdjustment, set below

	out := map[string][]byte{"head": newHead, "loca": newLoca, "glyf": newGlyf}
	// cmap is not read through a PDF (the page addresses glyphs by id) but
	// keeps the file a whole font for any other reader.
	for _, tag := range []string{"cmap", "hhea", "hmtx", "maxp", "cvt ", "fpgm", "prep"} {
		if t, ok := tables[tag]; ok {
			out[tag] = t
		}
	}
	// post without glyph names (version 3), which readers want present.
	if post := tables["post"]; len(post) >= 32 {
		out["post"] = append([]byte{0, 3, 0, 0}, post[4:32]...)
	}
	return writeTables(font[:4], out), nil
}

// readTables reads a font file's table directory.
func readTables(font []byte) (map[string][]byte, error) {
	if len(font) < 12 {
		return nil, errors.New("too short for a font file")
	}
	n := int(binary.BigEndian.Uint16(font[4:]))
	if len(font) < 12+16*n {
		return nil, errors.New("table directory cut short")
	}
	tables := map[string][]byte{}
	for i := 0; i < n; i++ {
		rec := font[12+16*i:]
		off, length := binary.BigEndian.Uint32(rec[8:]), binary.BigEndian.Uint32(rec[12:])
		if uint64(off)+uint64(length) > uint64(len(font)) {
			return nil, fmt.Errorf("table %q lies outside the file", rec[:4])
		}
		tables[string(rec[:4])] = font[off : off+length]
	}
	return tables, nil
}

// componentGlyphs lists the glyphs a composite glyph is made of; none for
// a simple (or empty) glyph.
func componentGlyphs(g []byte) ([]int, error) {
	if len(g) < 10 || int16(binary.BigEndian.Uint16(g)) >= 0 {
		return nil, nil
	}
	const (
		argsAreWords   = 0x0001
		haveScale      = 0x0008
		moreComponents = 0x0020
		haveXYScale    = 0x0040
		haveTwoByTwo   = 0x0080
	)
	var parts []int
	for p := 10; ; {
		if p+4 > len(g) {
			return nil, errors.New("composite glyph cut short")
		}
		flags := binary.BigEndian.Uint16(g[p:])
		parts = append(parts, int(binary.BigEndian.Uint16(g[p+2:])))
		p += 4
		if flags&argsAreWords != 0 {
			p += 4
		} else {
			p += 2
		}
		switch {
		case flags&haveScale != 0:
			p += 2
		case flags&haveXYScale != 0:
			p += 4
		case flags&haveTwoByTwo != 0:
			p += 8
		}
		if flags&moreComponents == 0 {
			return parts, nil
		}
	}
}

// writeTables writes a font file of the given tables, in tag order, each
// 4-byte aligned with its checksum, and head's whole-file adjustment.
func writeTables(version []byte, tables map[string][]byte) []byte {
	tags := make([]string, 0, len(tables))
	for tag := range tables {
		tags = append(tags, tag)
	}
	sort.Strings(tags)
	n := len(tags)
	entrySelector := 0
	for 1<<(entrySelector+1) <= n {
		entrySelector++
	}
	searchRange := 16 << entrySelector
	out := make([]byte, 12+16*n)
	copy(out, version)
	binary.BigEndian.PutUint16(out[4:], uint16(n))
	binary.BigEndian.PutUint16(out[6:], uint16(searchRange))
	binary.BigEndian.PutUint16(out[8:], uint16(entrySelector))
	binary.BigEndian.PutUint16(out[10:], uint16(16*n-searchRange))
	headAt := 0
	for i, tag := range tags {
		data := tables[tag]
		rec := out[12+16*i:]
		copy(rec, tag)
		binary.BigEndian.PutUint32(rec[4:], checksum(data))
		binary.BigEndian.PutUint32(rec[8:], uint32(len(out)))
		binary.BigEndian.PutUint32(rec[12:], uint32(len(data)))
		if tag == "head" {
			headAt = len(out)
		}
		out = append(out, data...)
		for len(out)%4 != 0 {
			out = append(out, 0)
		}
	}
	binary.BigEndian.PutUint32(out[headAt+8:], 0xB1B0AFBA-checksum(out))
	return out
}

func checksum(data []byte) uint32 {
	var sum uint32
	for i := 0; i < len(data); i += 4 {
		var word [4]byte
		copy(word[:], data[i:])
		sum += binary.BigEndian.Uint32(word[:])
	}
	return sum
}
