package render

import (
	"bytes"
	"cmp"
	"math"
	"slices"
	"strconv"
	"strings"
)

// dot orders the nodes of a rank to spare crossings, and a grid's members
// (fan.go) give it nothing to order by: no drawn edge of their own, only
// the invisible ones holding the rows. It read a column bottom to top, or
// from its middle round to its middle (the 22 children of tuva's
// service_category__stg_medical_claim: 1, 0, 10, 9 ... 2 from the top).
// Chains of invisible edges within a column (rank=same) did not hold in
// Graphviz 12 either. Since the members are alike to dot, each is moved,
// once laid out, into the slot its place in the members' order (by name,
// namesInOrder) gives it: top to bottom, column by column. A column keeps
// its members, so a move is vertical. dot also leaves gaps in a short
// column and starts it lower; every column is stacked from the grid's top.

// namesInOrder compares names as a reader orders them: letters whatever
// their case, and runs of digits by their value (dim_9 before dim_29),
// the bytes deciding between names that are otherwise equal.
func namesInOrder(a, b string) int {
	i, j := 0, 0
	for i < len(a) && j < len(b) {
		ca, cb := a[i], b[j]
		if isDigit(ca) && isDigit(cb) {
			ei, ej := i, j
			for ei < len(a) && isDigit(a[ei]) {
				ei++
			}
			for ej < len(b) && isDigit(b[ej]) {
				ej++
			}
			na, nb := strings.TrimLeft(a[i:ei], "0"), strings.TrimLeft(b[j:ej], "0")
			if c := cmp.Or(cmp.Compare(len(na), len(nb)), strings.Compare(na, nb)); c != 0 {
				return c
			}
			i, j = ei, ej
			continue
		}
		if c := cmp.Compare(lowerASCII(ca), lowerASCII(cb)); c != 0 {
			return c
		}
		i, j = i+1, j+1
	}
	return cmp.Or(cmp.Compare(len(a)-i, len(b)-j), strings.Compare(a, b))
}

func isDigit(c byte) bool { return c >= '0' && c <= '9' }

func lowerASCII(c byte) byte {
	if c >= 'A' && c <= 'Z' {
		return c + 'a' - 'A'
	}
	return c
}

// span is a laid-out node's vertical extent, y growing downwards, and its
// horizontal centre.
type span struct{ top, bottom, x float64 }

// gridMoves returns how far each grid member moves down (negative: up),
// by node id, given where each was laid out. A column of members not all
// found, or not all in one column of the picture, is left as it is.
func gridMoves(grids []*fan, laid map[string]span) map[string]float64 {
	moves := map[string]float64{}
	for _, f := range grids {
		var columns [][]*Node
		var spans [][]span
		top, gap := math.Inf(1), math.Inf(1)
		for start := 0; start < len(f.members); start += f.rows {
			column := f.members[start:min(start+f.rows, len(f.members))]
			laidOut := make([]span, len(column))
			found := true
			for i, m := range column {
				laidOut[i], found = laid[m.ID]
				if !found || math.Abs(laidOut[i].x-laidOut[0].x) > 1 {
					found = false
					break
				}
			}
			if !found {
				continue
			}
			columns, spans = append(columns, column), append(spans, laidOut)
			slots := slices.Clone(laidOut)
			slices.SortFunc(slots, func(a, b span) int { return cmp.Compare(a.top, b.top) })
			top = min(top, slots[0].top)
			for i := 1; i < len(slots); i++ {
				gap = min(gap, slots[i].top-slots[i-1].bottom)
			}
		}
		if math.IsInf(gap, 1) || gap < 0 {
			gap = 0
		}
		for c, column := range columns {
			y := top
			for i, m := range column {
				if dy := y - spans[c][i].top; math.Abs(dy) > 0.005 {
					moves[m.ID] = dy
				}
				y += spans[c][i].bottom - spans[c][i].top + gap
			}
		}
	}
	return moves
}

// orderGridsInSVG moves the grids' members of a Graphviz SVG into their
// slots, with a transform on each member's group.
func orderGridsInSVG(svg []byte, grids []*fan) []byte {
	if len(grids) == 0 {
		return svg
	}
	members := map[string]bool{}
	for _, f := range grids {
		for _, m := range f.members {
			members[m.ID] = true
		}
	}
	laid := map[string]span{}
	groups := map[string]int{} // where each member's <g ...> tag ends (at its '>')
	for i := 0; ; {
		at := bytes.Index(svg[i:], []byte(`<g id="`))
		if at < 0 {
			break
		}
		i += at + len(`<g id="`)
		end := bytes.IndexByte(svg[i:], '"')
		if end < 0 {
			break
		}
		id := string(svg[i : i+end])
		tagEnd := bytes.IndexByte(svg[i:], '>')
		// A node in its project's own colour is class="node ld-own-fill".
		if !members[id] || tagEnd < 0 || !bytes.Contains(svg[i:i+tagEnd], []byte(`class="node`)) {
			continue
		}
		if s, ok := svgShapeSpan(svg[i+tagEnd:]); ok {
			laid[id], groups[id] = s, i+tagEnd
		}
	}
	moves := gridMoves(grids, laid)
	if len(moves) == 0 {
		return svg
	}
	at := make([]int, 0, len(moves))
	byAt := map[int]float64{}
	for id, dy := range moves {
		at = append(at, groups[id])
		byAt[groups[id]] = dy
	}
	slices.Sort(at)
	out := make([]byte, 0, len(svg)+len(at)*32)
	last := 0
	for _, pos := range at {
		out = append(out, svg[last:pos]...)
		out = append(out, ` transform="translate(0,`...)
		out = strconv.AppendFloat(out, byAt[pos], 'f', 2, 64)
		out = append(out, `)"`...)
		last = pos
	}
	return append(out, svg[last:]...)
}

// svgShapeSpan is the vertical extent of the first shape in a node's
// group (Graphviz writes the node's outline first): a path's or polygon's
// points, or an ellipse.
func svgShapeSpan(group []byte) (span, bool) {
	end := bytes.Index(group, []byte("</g>"))
	if end < 0 {
		return span{}, false
	}
	group = group[:end]
	first, tag := len(group), ""
	for _, t := range []string{"<path", "<polygon", "<ellipse"} {
		if at := bytes.Index(group, []byte(t)); at >= 0 && at < first {
			first, tag = at, t
		}
	}
	switch shape := group[min(first, len(group)):]; tag {
	case "<path":
		return pointsSpan(attrValue(shape, ` d="`))
	case "<polygon":
		return pointsSpan(attrValue(shape, ` points="`))
	case "<ellipse":
		var v [4]float64
		for i, attr := range []string{` cx="`, ` cy="`, ` rx="`, ` ry="`} {
			f, err := strconv.ParseFloat(string(attrValue(shape, attr)), 64)
			if err != nil {
				return span{}, false
			}
			v[i] = f
		}
		return span{top: v[1] - v[3], bottom: v[1] + v[3], x: v[0]}, true
	}
	return span{}, false
}

func attrValue(tag []byte, attr string) []byte {
	at := bytes.Index(tag, []byte(attr))
	if at < 0 {
		return nil
	}
	v := tag[at+len(attr):]
	if end := bytes.IndexByte(v, '"'); end >= 0 {
		return v[:end]
	}
	return nil
}

// pointsSpan reads "x,y x,y" or a path's "Mx,yCx,y ..." (absolute
// coordinates, as Graphviz writes them) and returns their extent.
func pointsSpan(v []byte) (span, bool) {
	s := span{top: math.Inf(1), bottom: math.Inf(-1)}
	left, right := math.Inf(1), math.Inf(-1)
	n := 0
	for len(v) > 0 {
		i := 0
		for i < len(v) && !isNumberByte(v[i]) {
			i++
		}
		j := i
		for j < len(v) && isNumberByte(v[j]) {
			j++
		}
		if i == j {
			break
		}
		f, err := strconv.ParseFloat(string(v[i:j]), 64)
		if err != nil {
			return span{}, false
		}
		if n%2 == 1 {
			s.top, s.bottom = min(s.top, f), max(s.bottom, f)
		} else {
			left, right = min(left, f), max(right, f)
		}
		n++
		v = v[j:]
	}
	s.x = (left + right) / 2
	return s, n >= 4 && n%2 == 0
}

func isNumberByte(c byte) bool { return c >= '0' && c <= '9' || c == '.' || c == '-' }

// orderGridsInDrawing moves the grids' members of a Graphviz drawing (the
// PNG's and PDF's) into their slots.
func orderGridsInDrawing(g *xdotGraph, grids []*fan) {
	if len(grids) == 0 {
		return
	}
	objects := map[string]*xdotObject{}
	for i := range g.Objects {
		if g.Objects[i].Name != "" {
			objects[g.Objects[i].Name] = &g.Objects[i]
		}
	}
	laid := map[string]span{}
	for _, f := range grids {
		for _, m := range f.members {
			if o, ok := objects[m.ID]; ok {
				if s, ok := drawnSpan(o.Draw); ok {
					laid[m.ID] = s
				}
			}
		}
	}
	for id, dy := range gridMoves(grids, laid) {
		o := objects[id]
		for _, ops := range [][]xdotOp{o.Draw, o.LabelDraw} {
			for i := range ops {
				shiftOp(&ops[i], -dy) // xdot's y grows upwards
			}
		}
	}
}

// drawnSpan is the vertical extent of a node's outline, y growing
// downwards (xdot's grows upwards).
func drawnSpan(ops []xdotOp) (span, bool) {
	s := span{top: math.Inf(1), bottom: math.Inf(-1)}
	left, right := math.Inf(1), math.Inf(-1)
	for _, op := range ops {
		switch op.Op {
		case "p", "P", "b", "B", "L":
			for _, pt := range op.Points {
				s.top, s.bottom = min(s.top, -pt[1]), max(s.bottom, -pt[1])
				left, right = min(left, pt[0]), max(right, pt[0])
			}
		case "e", "E":
			s.top, s.bottom = min(s.top, -op.Rect[1]-op.Rect[3]), max(s.bottom, -op.Rect[1]+op.Rect[3])
			left, right = min(left, op.Rect[0]-op.Rect[2]), max(right, op.Rect[0]+op.Rect[2])
		}
	}
	s.x = (left + right) / 2
	return s, s.top <= s.bottom
}

func shiftOp(op *xdotOp, dy float64) {
	switch op.Op {
	case "e", "E":
		op.Rect[1] += dy
	case "T":
		op.Pt[1] += dy
	default:
		for i := range op.Points {
			op.Points[i][1] += dy
		}
	}
}
