package render

import (
	"cmp"
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"
)

// readXdot reads Graphviz's xdot output (DOT with the draw operations as
// attributes) into the same xdotGraph its json output decodes to. Graphviz
// writes xdot in a quarter of the time it takes to write json (235 vs
// 850 ms for 1,000 nodes), since json spells every operation out as an
// object.
// Only Graphviz's own output needs reading; anything unexpected is an
// error, and the caller falls back to json.
func readXdot(src []byte) (*xdotGraph, error) {
	p := &dotParser{lx: dotLexer{src: src}}
	g := &xdotGraph{}
	p.g = g
	p.nodes = map[string]int{}
	if err := p.graph(); err != nil {
		return nil, fmt.Errorf("read graphviz xdot: %w", err)
	}
	// json numbers the clusters first, then the nodes, and its edges name
	// nodes by those numbers.
	slices.SortStableFunc(g.Objects, func(a, b xdotObject) int {
		return cmp.Compare(min(len(a.Pos), 1), min(len(b.Pos), 1)) // clusters first, as painted
	})
	clusters := 0
	for _, o := range g.Objects {
		if o.Pos == "" {
			clusters++
		}
	}
	for i := range g.Objects {
		if g.Objects[i].Pos != "" {
			g.Objects[i].GVID += clusters
		}
	}
	for i := range g.Edges {
		g.Edges[i].Tail += clusters
		g.Edges[i].Head += clusters
	}
	return g, nil
}

type dotParser struct {
	lx    dotLexer
	g     *xdotGraph
	nodes map[string]int // node name -> index among Objects with a Pos
	depth int            // 0 in the root graph
}

func (p *dotParser) graph() error {
	t := p.lx.next()
	if t.text == "strict" {
		t = p.lx.next()
	}
	if t.text != "digraph" && t.text != "graph" {
		return fmt.Errorf("expected a graph, found %q", t.text)
	}
	if t = p.lx.next(); t.kind == tokID {
		t = p.lx.next()
	}
	if t.text != "{" || t.kind != tokPunct {
		return fmt.Errorf("expected {, found %q", t.text)
	}
	return p.statements()
}

// statements reads up to and including the closing brace.
func (p *dotParser) statements() error {
	for {
		t := p.lx.next()
		switch {
		case t.kind == tokEOF:
			return errors.New("unexpected end of input")
		case t.kind == tokPunct && t.text == "}":
			return nil
		case t.kind == tokPunct && t.text == ";":
		case t.kind == tokID && (t.text == "node" || t.text == "edge"):
			if _, err := p.attributes(); err != nil {
				return err
			}
		case t.kind == tokID && t.text == "graph":
			attrs, err := p.attributes()
			if err != nil {
				return err
			}
			if err := p.graphAttributes(attrs); err != nil {
				return err
			}
		case t.kind == tokID && t.text == "subgraph":
			if n := p.lx.next(); n.kind == tokID {
				if b := p.lx.next(); b.text != "{" {
					return fmt.Errorf("expected { after subgraph %s", n.text)
				}
			} else if n.text != "{" {
				return errors.New("expected { after subgraph")
			}
			if err := p.subgraph(); err != nil {
				return err
			}
		case t.kind == tokPunct && t.text == "{": // an anonymous subgraph: the end ranks
			if err := p.subgraph(); err != nil {
				return err
			}
		case t.kind == tokID:
			if err := p.nodeOrEdge(t.text); err != nil {
				return err
			}
		default:
			return fmt.Errorf("unexpected %q", t.text)
		}
	}
}

func (p *dotParser) subgraph() error {
	p.depth++
	defer func() { p.depth-- }()
	return p.statements()
}

func (p *dotParser) graphAttributes(attrs map[string]string) error {
	draws, err := readDraws(attrs)
	if err != nil {
		return err
	}
	if p.depth == 0 {
		p.g.BB, p.g.Pad, p.g.xdotDraws = attrs["bb"], attrs["pad"], draws
		return nil
	}
	// A cluster: painted before the nodes, as json lists subgraphs first.
	p.g.Objects = append(p.g.Objects, xdotObject{GVID: -1, xdotDraws: draws})
	return nil
}

func (p *dotParser) nodeOrEdge(first string) error {
	names := []string{first}
	for p.lx.peek().text == ":" { // a port
		p.lx.next()
		p.lx.next()
	}
	for p.lx.peek().text == "->" || p.lx.peek().text == "--" {
		p.lx.next()
		t := p.lx.next()
		if t.kind != tokID {
			return fmt.Errorf("expected a node after an edge operator, found %q", t.text)
		}
		names = append(names, t.text)
		for p.lx.peek().text == ":" {
			p.lx.next()
			p.lx.next()
		}
	}
	attrs := map[string]string{}
	if p.lx.peek().text == "[" {
		var err error
		if attrs, err = p.attributes(); err != nil {
			return err
		}
	}
	draws, err := readDraws(attrs)
	if err != nil {
		return err
	}
	if len(names) == 1 {
		if _, seen := p.nodes[first]; seen {
			return fmt.Errorf("node %q twice", first)
		}
		p.nodes[first] = len(p.nodes)
		p.g.Objects = append(p.g.Objects, xdotObject{GVID: p.nodes[first], Name: first, Pos: attrs["pos"], xdotDraws: draws})
		return nil
	}
	if len(names) != 2 {
		return errors.New("an edge chain: Graphviz writes one edge per statement")
	}
	tail, okT := p.nodes[names[0]]
	head, okH := p.nodes[names[1]]
	if !okT || !okH {
		return fmt.Errorf("edge %s -> %s before its nodes", names[0], names[1])
	}
	p.g.Edges = append(p.g.Edges, xdotEdge{Tail: tail, Head: head, xdotDraws: draws})
	return nil
}

// attributes reads one or more [a=b, ...] lists.
func (p *dotParser) attributes() (map[string]string, error) {
	attrs := map[string]string{}
	for p.lx.peek().text == "[" {
		p.lx.next()
		for {
			t := p.lx.next()
			if t.kind == tokPunct && t.text == "]" {
				break
			}
			if t.kind == tokPunct && (t.text == "," || t.text == ";") {
				continue
			}
			if t.kind != tokID {
				return nil, fmt.Errorf("expected an attribute name, found %q", t.text)
			}
			if eq := p.lx.next(); eq.text != "=" {
				return nil, fmt.Errorf("expected = after %s", t.text)
			}
			v := p.lx.next()
			if v.kind != tokID {
				return nil, fmt.Errorf("expected a value for %s, found %q", t.text, v.text)
			}
			attrs[t.text] = v.text
		}
	}
	return attrs, nil
}

func readDraws(attrs map[string]string) (xdotDraws, error) {
	var d xdotDraws
	for _, f := range []struct {
		name string
		ops  *[]xdotOp
	}{{"_draw_", &d.Draw}, {"_ldraw_", &d.LabelDraw}, {"_hdraw_", &d.HeadDraw}, {"_tdraw_", &d.TailDraw},
		{"_hldraw_", &d.HeadLabel}, {"_tldraw_", &d.TailLabel}} {
		if s, ok := attrs[f.name]; ok {
			ops, err := parseXdotOps(s)
			if err != nil {
				return d, fmt.Errorf("%s: %w", f.name, err)
			}
			*f.ops = ops
		}
	}
	return d, nil
}

type tokKind int

const (
	tokEOF tokKind = iota
	tokID          // a name, number, quoted string (unquoted) or HTML string
	tokPunct
)

type dotToken struct {
	kind tokKind
	text string
}

type dotLexer struct {
	src    []byte
	at     int
	peeked *dotToken
}

func (l *dotLexer) peek() dotToken {
	if l.peeked == nil {
		t := l.scan()
		l.peeked = &t
	}
	return *l.peeked
}

func (l *dotLexer) next() dotToken {
	t := l.peek()
	l.peeked = nil
	return t
}

func (l *dotLexer) scan() dotToken {
	for l.at < len(l.src) && strings.IndexByte(" \t\r\n", l.src[l.at]) >= 0 {
		l.at++
	}
	if l.at >= len(l.src) {
		return dotToken{kind: tokEOF}
	}
	c := l.src[l.at]
	switch {
	case c == '"':
		return l.quoted()
	case c == '<':
		return l.html()
	case c == '-' && l.at+1 < len(l.src) && (l.src[l.at+1] == '>' || l.src[l.at+1] == '-'):
		l.at += 2
		return dotToken{tokPunct, string(l.src[l.at-2 : l.at])}
	case strings.IndexByte("{}[]=;,:", c) >= 0:
		l.at++
		return dotToken{tokPunct, string(c)}
	}
	start := l.at
	for l.at < len(l.src) && (isIDByte(l.src[l.at]) || l.src[l.at] == '-' && !(l.at+1 < len(l.src) && l.src[l.at+1] == '>')) {
		l.at++
	}
	if l.at == start {
		l.at++
		return dotToken{tokPunct, string(c)}
	}
	return dotToken{tokID, string(l.src[start:l.at])}
}

func isIDByte(c byte) bool {
	return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '_' || c == '.' || c >= 0x80
}

// quoted reads a DOT string as Graphviz writes it: \" is a quote, \\ a
// backslash, a backslash before a newline continues the line, and every
// other character stands for itself.
func (l *dotLexer) quoted() dotToken {
	var b strings.Builder
	l.at++
	for l.at < len(l.src) {
		c := l.src[l.at]
		switch {
		case c == '"':
			l.at++
			return dotToken{tokID, b.String()}
		case c == '\\' && l.at+1 < len(l.src) && (l.src[l.at+1] == '"' || l.src[l.at+1] == '\\'):
			b.WriteByte(l.src[l.at+1])
			l.at += 2
		case c == '\\' && l.at+1 < len(l.src) && l.src[l.at+1] == '\n':
			l.at += 2
		case c == '\\' && l.at+2 < len(l.src) && l.src[l.at+1] == '\r' && l.src[l.at+2] == '\n':
			l.at += 3
		default:
			b.WriteByte(c)
			l.at++
		}
	}
	return dotToken{kind: tokEOF}
}

// html reads a <...> string with nested angle brackets.
func (l *dotLexer) html() dotToken {
	start, depth := l.at, 0
	for l.at < len(l.src) {
		switch l.src[l.at] {
		case '<':
			depth++
		case '>':
			depth--
		}
		l.at++
		if depth == 0 {
			return dotToken{tokID, string(l.src[start+1 : l.at-1])}
		}
	}
	return dotToken{kind: tokEOF}
}

// parseXdotOps reads an xdot draw attribute: operations of one letter,
// numbers, and strings written as "n -" then n bytes.
func parseXdotOps(s string) ([]xdotOp, error) {
	r := &xdotReader{s: s}
	var ops []xdotOp
	for r.skipSpace() {
		op := xdotOp{Op: string(r.s[r.at])}
		r.at++
		switch op.Op {
		case "E", "e":
			for i := range op.Rect {
				op.Rect[i] = r.float()
			}
		case "P", "p", "L", "B", "b":
			// Graphviz's json swaps the bezier letters of its xdot text
			// (there b is filled, in json B is), and the painter follows
			// json.
			switch op.Op {
			case "b":
				op.Op = "B"
			case "B":
				op.Op = "b"
			}
			n := r.int()
			if n < 0 || n > len(r.s) {
				return nil, fmt.Errorf("op %s: %d points", op.Op, n)
			}
			op.Points = make([][2]float64, n)
			for i := range op.Points {
				op.Points[i] = [2]float64{r.float(), r.float()}
			}
		case "T":
			op.Pt = [2]float64{r.float(), r.float()}
			switch r.int() {
			case -1:
				op.Align = "l"
			case 1:
				op.Align = "r"
			default:
				op.Align = "c"
			}
			r.float() // width
			op.Text = r.str()
		case "F":
			op.Size = r.float()
			op.Face = r.str()
		case "t":
			op.FontChar = r.int()
		case "C", "c":
			color := r.str()
			if strings.HasPrefix(color, "[") || strings.HasPrefix(color, "(") {
				op.Grad = "gradient"
				op.Stops = []xdotStop{{Color: firstStopColor(color)}}
			} else {
				op.Color, op.Grad = color, "none"
			}
		case "S":
			op.Style = r.str()
		case "I":
			for range 4 {
				r.float()
			}
			r.str()
		default:
			return nil, fmt.Errorf("unknown op %q at %d", op.Op, r.at-1)
		}
		if r.err != nil {
			return nil, fmt.Errorf("op %s: %w", op.Op, r.err)
		}
		ops = append(ops, op)
	}
	return ops, nil
}

// firstStopColor takes the first colour of a gradient "[x0 y0 x1 y1 n
// pos1 len -col1 ...]": the painter fills with it, as with json's stops.
func firstStopColor(grad string) string {
	r := &xdotReader{s: strings.Trim(grad, "[]()")}
	n := 4
	if strings.HasPrefix(grad, "(") {
		n = 6
	}
	for range n {
		r.float()
	}
	if r.int() < 1 {
		return ""
	}
	r.float()
	c := r.str()
	if r.err != nil {
		return ""
	}
	return c
}

type xdotReader struct {
	s   string
	at  int
	err error
}

func (r *xdotReader) skipSpace() bool {
	for r.at < len(r.s) && (r.s[r.at] == ' ' || r.s[r.at] == '\t' || r.s[r.at] == '\n') {
		r.at++
	}
	return r.at < len(r.s) && r.err == nil
}

func (r *xdotReader) word() string {
	r.skipSpace()
	start := r.at
	for r.at < len(r.s) && r.s[r.at] != ' ' && r.s[r.at] != '\t' && r.s[r.at] != '\n' {
		r.at++
	}
	if start == r.at && r.err == nil {
		r.err = errors.New("missing value")
	}
	return r.s[start:r.at]
}

func (r *xdotReader) float() float64 {
	w := r.word()
	f, err := strconv.ParseFloat(w, 64)
	if err != nil && r.err == nil {
		r.err = fmt.Errorf("number %q", w)
	}
	return f
}

func (r *xdotReader) int() int {
	w := r.word()
	n, err := strconv.Atoi(w)
	if err != nil && r.err == nil {
		r.err = fmt.Errorf("integer %q", w)
	}
	return n
}

// str reads "n -" and then n bytes.
func (r *xdotReader) str() string {
	n := r.int()
	r.skipSpace()
	if r.err != nil || n < 0 || r.at >= len(r.s) || r.s[r.at] != '-' || r.at+1+n > len(r.s) {
		if r.err == nil {
			r.err = fmt.Errorf("string of %d bytes at %d", n, r.at)
		}
		return ""
	}
	s := r.s[r.at+1 : r.at+1+n]
	r.at += 1 + n
	return s
}
