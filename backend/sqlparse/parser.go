package sqlparse

import (
	"math"
	"strconv"
	"strings"
	"unicode/utf8"
)

// maxDepth bounds how deeply brackets and queries may nest, so that hostile
// or broken input cannot exhaust the stack.
const maxDepth = 200

// Parse reads one statement of compiled SQL in dialect d.
//
// A trailing ";" is fine; a second statement is an error. The error is a
// *SyntaxError.
func Parse(sql string, d Dialect) (*Query, error) {
	q, err := parseWith(sql, d.lexOptions())
	if err != nil && d == ANSI && (strings.Contains(sql, `\`) || strings.Contains(sql, "//")) {
		// ANSI covers warehouses that disagree on backslashes in strings
		// and on //; try Snowflake's reading before giving up.
		if q2, err2 := parseWith(sql, snowflakeLexOptions()); err2 == nil {
			return q2, nil
		}
	}
	return q, err
}

func parseWith(sql string, opts lexOptions) (*Query, error) {
	if len(sql) >= math.MaxInt32 {
		return nil, &SyntaxError{Line: 1, Column: 1, Msg: "statement too long"}
	}
	toks, err := lex(sql, opts)
	if err != nil {
		return nil, err
	}
	p := &parser{src: sql, toks: toks, opts: opts}
	return p.statement()
}

// parser reads tokens into a Query. Every method that reads leaves p.pos on
// the first token it did not read.
type parser struct {
	src   string
	toks  []token // ends with a tokEOF token
	pos   int
	opts  lexOptions
	depth int
	// lambdaParams are the parameter names of the lambdas being read: inside
	// x -> x + 1, x is not a column.
	lambdaParams []string
}

// statement reads the whole input: one query, perhaps followed by ";".
func (p *parser) statement() (*Query, error) {
	q, err := p.query()
	if err != nil {
		return nil, err
	}
	if p.cur().kind == tokSemicolon {
		for p.cur().kind == tokSemicolon {
			p.next()
		}
		if p.cur().kind != tokEOF {
			return nil, p.errorf("more than one statement")
		}
	}
	if t := p.cur(); t.kind != tokEOF {
		if t.isCloser() && t.pair < 0 {
			return nil, p.errorf("%s without an opening bracket", p.describe(t))
		}
		return nil, p.errorf("expected the end of the statement, found %s", p.describe(t))
	}
	return q, nil
}

func (p *parser) cur() *token { return &p.toks[p.pos] }

// peek is the token n after the current one (the EOF token past the end).
func (p *parser) peek(n int) *token {
	i := p.pos + n
	if i >= len(p.toks) {
		i = len(p.toks) - 1
	}
	return &p.toks[i]
}

func (p *parser) next() {
	if p.pos < len(p.toks)-1 {
		p.pos++
	}
}

func (p *parser) at(k keyword) bool { return p.cur().is(k) }

func (p *parser) accept(k keyword) bool {
	if p.at(k) {
		p.next()
		return true
	}
	return false
}

func (p *parser) acceptKind(kind tokenKind) bool {
	if p.cur().kind == kind {
		p.next()
		return true
	}
	return false
}

// enter counts one more level of nesting; every enter is paired with a
// leave (deferred), whether the level reads well or not.
func (p *parser) enter() error {
	p.depth++
	if p.depth > maxDepth {
		return p.errorf("brackets or subqueries nested more than %d deep", maxDepth)
	}
	return nil
}

func (p *parser) leave() { p.depth-- }

// errorf is a SyntaxError at the current token.
func (p *parser) errorf(format string, args ...any) error {
	return errorAt(p.src, int(p.cur().start), format, args...)
}

// describe is a token as an error message shows it.
func (p *parser) describe(t *token) string {
	if t.kind == tokEOF {
		return "the end of the statement"
	}
	s := p.src[t.start:t.end]
	if utf8.RuneCountInString(s) > 40 {
		r := []rune(s)
		s = string(r[:37]) + "..."
	}
	return strconv.Quote(s)
}

// closeGroup reads the bracket closing the group opened at token open.
func (p *parser) closeGroup(open int) error {
	t := p.cur()
	if t.isCloser() && int(t.pair) == open {
		p.next()
		return nil
	}
	o := &p.toks[open]
	line, col := position(p.src, int(o.start))
	return p.errorf("expected %q to close the %q at %d:%d, found %s",
		closerOf(o.kind), o.text, line, col, p.describe(t))
}

func closerOf(opener tokenKind) string {
	switch opener {
	case tokLBracket:
		return "]"
	case tokLBrace:
		return "}"
	}
	return ")"
}

// skipGroup steps over the bracketed group opening at the current token.
func (p *parser) skipGroup() error {
	open := p.pos
	if pair := p.cur().pair; pair > 0 {
		p.pos = int(pair)
	} else {
		for p.cur().kind != tokEOF {
			p.next()
		}
	}
	return p.closeGroup(open)
}

// text is the source of tokens [start, end), comments removed and the space
// between tokens collapsed to one blank.
func (p *parser) text(start, end int) string {
	if start >= end {
		return ""
	}
	first, last := &p.toks[start], &p.toks[end-1]
	plain := true
	for i := start + 1; i < end && plain; i++ {
		gap := p.src[p.toks[i-1].end:p.toks[i].start]
		plain = gap == "" || gap == " "
	}
	if plain {
		return p.src[first.start:last.end]
	}
	var b strings.Builder
	b.Grow(int(last.end - first.start))
	for i := start; i < end; i++ {
		t := &p.toks[i]
		if i > start && t.start > p.toks[i-1].end {
			b.WriteByte(' ')
		}
		b.WriteString(p.src[t.start:t.end])
	}
	return b.String()
}

// chain reads a dotted name (a, a.b.c, "a"."b", `proj.ds.t`) starting at a
// name token; split says a quoted part holding dots is several parts
// (BigQuery's `project.dataset.table`). It stops before a "." that is not
// followed by a name.
func (p *parser) chain(split bool) (parts []string, quoted bool) {
	n := 1
	for i := p.pos; p.toks[i+1].kind == tokDot && p.toks[i+2].isName(); i += 2 {
		n++
	}
	parts = make([]string, 0, n)
	for {
		t := p.cur()
		if split && t.kind == tokQuoted && strings.IndexByte(t.text, '.') >= 0 {
			parts = append(parts, strings.Split(t.text, ".")...)
		} else {
			parts = append(parts, t.text)
		}
		quoted = t.kind == tokQuoted
		p.next()
		if p.cur().kind != tokDot || !p.peek(1).isName() {
			return parts, quoted
		}
		p.next()
	}
}

// nameList reads ( name, name, ... ); a qualified name gives its last part.
func (p *parser) nameList() ([]string, error) {
	open := p.pos
	if err := p.enter(); err != nil {
		return nil, err
	}
	defer p.leave()
	p.next()
	var names []string
	for p.cur().isName() {
		parts, _ := p.chain(false)
		names = append(names, parts[len(parts)-1])
		if !p.acceptKind(tokComma) {
			break
		}
	}
	return names, p.closeGroup(open)
}

// parenStartsQuery reports whether the "(" at token i opens a query rather
// than an expression or a join: SELECT, WITH, VALUES or FROM (DuckDB's
// FROM-first) right inside it, or inside further "("s each of which closes
// before a set operator, ORDER BY, LIMIT or a ")" ("((SELECT 1) UNION
// (SELECT 2))" is a query, "((SELECT 1) + 1)" an expression).
func (p *parser) parenStartsQuery(i int) bool {
	k := i + 1
	for p.toks[k].kind == tokLParen {
		if k-i > maxDepth {
			return false
		}
		k++
	}
	switch t := &p.toks[k]; {
	case t.is(kwSelect), t.is(kwWith), t.is(kwValues), t.is(kwFrom):
	default:
		return false
	}
	for level := i + 1; level < k; level++ {
		close := p.toks[level].pair
		if close < 0 {
			return false
		}
		switch after := &p.toks[close+1]; {
		case after.kind == tokRParen, after.is(kwUnion), after.is(kwIntersect),
			after.is(kwExcept), after.is(kwMinus), after.is(kwOrder), after.is(kwLimit),
			after.is(kwOffset), after.is(kwFetch):
		default:
			return false
		}
	}
	return true
}
