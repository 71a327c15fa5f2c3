package sqlparse

import "strings"

// The expression scanner does not build expression trees: lineage needs
// only the columns an expression reads, its subqueries, and whether it is a
// bare column. It walks the tokens, tells names that are columns from
// keywords, functions, types, date parts and the like, and finds where the
// expression ends, which in a select list is where its alias begins.

// exprCtx is where an expression stands, which decides what ends it.
type exprCtx uint8

const (
	// ctxItem is a select item: a clause keyword ends it, and so does a
	// name right after a complete operand, which is its alias.
	ctxItem exprCtx = iota
	// ctxClause is WHERE, ON, GROUP BY, ORDER BY...: a clause keyword, or
	// any word right after a complete operand, ends it.
	ctxClause
	// ctxGroup is inside ( ) or { }: only "," and the closing bracket end
	// it, and words of syntax the scanner does not know are skipped; a
	// clause of the enclosing query (FROM, GROUP BY, UNION, JOIN...) means
	// the ")" is missing.
	ctxGroup
	// ctxFromGroup is inside the parentheses of EXTRACT, TRIM, SUBSTRING
	// and OVERLAY, where FROM separates arguments.
	ctxFromGroup
	// ctxBrackets is inside [ ]: as ctxGroup, but ":" is a slice.
	ctxBrackets
	// ctxWindow is inside OVER ( ): as ctxGroup, but a frame (ROWS
	// BETWEEN ...) ends it.
	ctxWindow
)

func (c exprCtx) grouped() bool { return c >= ctxGroup }

// exprReader collects what an expression reads while it is scanned.
type exprReader struct {
	refs       []ColumnRef
	subqueries []*Query
	// firstRefStart and firstRefEnd are the token range of the first
	// reference, to tell whether it is the whole expression (Bare).
	firstRefStart, firstRefEnd int
}

// addRef records a column reference read from tokens [start, end), unless
// it names a parameter of a lambda being read.
func (p *parser) addRef(r *exprReader, parts []string, quoted bool, start, end int) {
	for _, param := range p.lambdaParams {
		if strings.EqualFold(parts[0], param) {
			return
		}
	}
	if len(r.refs) == 0 {
		r.firstRefStart, r.firstRefEnd = start, end
	}
	r.refs = append(r.refs, ColumnRef{Parts: parts, Quoted: quoted})
}

// expr is what r read.
func (r *exprReader) expr() Expr {
	return Expr{Refs: r.refs, Subqueries: r.subqueries}
}

// itemExpr is what r read from a select item's tokens [start, end), with
// Bare set when one column reference, perhaps in parentheses, is all of it.
func (p *parser) itemExpr(r *exprReader, start, end int) Expr {
	e := r.expr()
	if len(r.refs) == 1 && len(r.subqueries) == 0 {
		for end-start >= 2 && p.toks[start].kind == tokLParen && int(p.toks[start].pair) == end-1 {
			start++
			end--
		}
		e.Bare = start == r.firstRefStart && end == r.firstRefEnd
	}
	return e
}

// readsAnything reports whether r read a column or a subquery.
func (r *exprReader) readsAnything() bool {
	return len(r.refs) > 0 || len(r.subqueries) > 0
}

// expr reads one expression into r, stopping before the token that ends it
// (see exprCtx).
func (p *parser) expr(r *exprReader, ctx exprCtx) error {
	// afterOperand says the tokens read so far end with a complete operand,
	// so a name next is an alias or a keyword, and "*" multiplies.
	afterOperand := false
	for {
		var err error
		stop := false
		switch t := p.cur(); t.kind {
		case tokEOF, tokSemicolon, tokComma, tokRParen, tokRBracket, tokRBrace:
			return nil
		case tokLParen:
			err = p.call(r, "")
			afterOperand = true
		case tokLBracket:
			// A subscript (a[0], a[OFFSET(1)], a['key']) or an array literal.
			err = p.elements(r, ctxBrackets, false)
			afterOperand = true
		case tokLBrace:
			// A struct or object literal: {'key': value}.
			err = p.elements(r, ctxGroup, true)
			afterOperand = true
		case tokDot:
			// A field of a value that is not a name: (x).f, a[0].f, f(x).f.
			p.next()
			if t := p.cur(); t.isName() || t.kind == tokStar {
				p.next()
			}
			afterOperand = true
		case tokColon:
			p.next()
			if afterOperand && ctx != ctxBrackets {
				// Snowflake's (and Databricks') semi-structured path:
				// value:customer.id reads value only.
				err = p.path(r)
			} else {
				afterOperand = false
			}
		case tokDoubleColon:
			p.next()
			err = p.skipType()
			afterOperand = true
		case tokString, tokNumber, tokParam:
			p.next()
			afterOperand = true
		case tokStar:
			// After an operand "*" multiplies; otherwise it is count(*)'s star.
			p.next()
			afterOperand = !afterOperand
		case tokWord, tokQuoted:
			if afterOperand {
				stop, afterOperand, err = p.wordAfterOperand(r, ctx)
			} else {
				stop, afterOperand, err = p.operand(r, ctx)
			}
		default: // operators, ->, =>
			p.next()
			afterOperand = false
		}
		if err != nil || stop {
			return err
		}
	}
}

// operand reads a word or quoted name where an operand is expected. stop
// says the expression ended before it; end, that what was read completes an
// operand.
func (p *parser) operand(r *exprReader, ctx exprCtx) (stop, end bool, err error) {
	t := p.cur()
	if p.peek(1).kind == tokNamedArg {
		// name => value: the name is the parameter's (OUTER => TRUE too).
		p.next()
		p.next()
		return false, false, nil
	}
	if t.kind == tokWord && t.kw != kwNone {
		switch k := t.kw; {
		case k.niladic() && p.peek(1).kind == tokDot:
			// current_schema.col: a relation named like a niladic keyword
			// (a CTE may be); read below as a name.
		case k == kwInterval:
			return false, true, p.interval(r)
		case k == kwNull, k == kwTrue, k == kwFalse, k == kwEnd:
			p.next()
			return false, true, nil
		case k.niladic():
			p.next()
			if p.cur().kind == tokLParen {
				return false, true, p.call(r, t.text)
			}
			return false, true, nil
		case k == kwArray, k == kwStruct, k == kwMap:
			// ARRAY[...], ARRAY(SELECT ...), STRUCT<a INT64>(...),
			// ARRAY<INT64>[...], MAP {...}: the brackets are read next.
			next := p.peek(1)
			if next.kind == tokOp && next.text == "<" {
				p.next()
				return false, false, p.skipAngles()
			}
			if next.kind == tokLParen || next.kind == tokLBracket || next.kind == tokLBrace || k != kwMap {
				p.next()
				return false, false, nil
			}
		case k.reserved():
			if p.isCall() { // LEFT(s, 2), RIGHT(s, 2)
				break
			}
			if k.startsClause() && !ctx.grouped() || p.breaksGroup(ctx) {
				return true, false, nil
			}
			// CASE, WHEN, NOT, DISTINCT, EXISTS, ...; and inside
			// parentheses FROM, ORDER BY, FOR (EXTRACT, ARRAY_AGG,
			// SUBSTRING): none is a column.
			p.next()
			return false, false, nil
		}
	}
	next := p.peek(1)
	switch {
	case p.isCall():
		p.next()
		return false, true, p.call(r, t.text)
	case t.kind == tokWord && next.kind == tokString:
		// A typed literal: DATE '2020-01-01', TIMESTAMP '...', JSON '{}'.
		p.next()
		return false, false, nil
	}
	return false, true, p.nameOperand(r)
}

// nameOperand reads a name chain: a column reference, a function call
// (SAFE.PARSE_DATE(...), db.schema.udf(...)), or t.* as an argument.
func (p *parser) nameOperand(r *exprReader) error {
	start := p.pos
	parts, quoted := p.chain(p.opts.splitQuotedColumns)
	switch {
	case p.cur().kind == tokLParen:
		return p.call(r, parts[len(parts)-1])
	case p.cur().kind == tokDot && p.peek(1).kind == tokStar:
		// COUNT(t.*), TO_JSON(t.*): all of t's columns, not one.
		p.next()
		p.next()
		return nil
	}
	p.addRef(r, parts, quoted, start, p.pos)
	return nil
}

// wordAfterOperand reads a word or quoted name right after a complete
// operand: an operator word that continues the expression, or the end of
// the expression (an alias, a clause). stop says the expression ended
// before it; end, that the expression read so far ends with an operand.
func (p *parser) wordAfterOperand(r *exprReader, ctx exprCtx) (stop, end bool, err error) {
	t := p.cur()
	if t.kind == tokQuoted {
		if ctx.grouped() {
			p.next() // syntax we do not know
			return false, true, nil
		}
		return true, true, nil
	}
	next := p.peek(1)
	switch t.kw {
	case kwAnd, kwOr, kwNot, kwIn, kwLike, kwIlike, kwRlike, kwRegexp, kwGlob,
		kwBetween, kwEscape, kwDiv, kwXor, kwWhen, kwThen, kwElse:
		p.next()
		return false, false, nil
	case kwIs:
		// IS [NOT] NULL / TRUE / UNKNOWN, IS [NOT] DISTINCT FROM x.
		p.next()
		p.accept(kwNot)
		if p.accept(kwDistinct) {
			p.accept(kwFrom)
		} else if p.accept(kwUnknown) {
			return false, true, nil
		}
		return false, false, nil
	case kwSimilar:
		p.next()
		p.accept(kwTo)
		return false, false, nil
	case kwEnd, kwIsnull, kwNotnull, kwAsc, kwDesc:
		p.next()
		return false, true, nil
	case kwNulls:
		if next.is(kwFirst) || next.is(kwLast) { // NULLS FIRST / LAST
			p.next()
			p.next()
			return false, true, nil
		}
	case kwIgnore, kwRespect:
		if next.is(kwNulls) { // IGNORE / RESPECT NULLS
			p.next()
			p.next()
			return false, true, nil
		}
	case kwCollate:
		p.next()
		if p.cur().isName() {
			p.chain(false)
		} else if p.cur().kind == tokString {
			p.next()
		}
		return false, true, nil
	case kwAt:
		if next.is(kwTime) && p.peek(2).is(kwZone) { // AT TIME ZONE 'UTC'
			p.pos += 3
			return false, false, nil
		}
		if next.is(kwLocal) {
			p.next()
			p.next()
			return false, true, nil
		}
	case kwOver:
		if next.kind == tokLParen {
			p.next()
			return false, true, p.windowSpec(r)
		}
		if next.isName() && !(next.kind == tokWord && next.kw.reserved()) { // OVER w: a named window, not a column
			p.next()
			p.next()
			return false, true, nil
		}
	case kwFilter:
		if next.kind == tokLParen { // FILTER (WHERE ...): read as a group
			p.next()
			return false, false, nil
		}
	case kwWithin:
		if next.is(kwGroup) { // WITHIN GROUP (ORDER BY ...)
			p.next()
			p.next()
			return false, false, nil
		}
	case kwAs:
		if ctx.grouped() {
			// CAST(x AS type), STRUCT(x AS name): what follows AS is not
			// read as an expression.
			p.next()
			return false, true, p.skipAsTarget()
		}
		return true, true, nil
	}
	switch {
	case ctx == ctxWindow && p.frameStart(), p.breaksGroup(ctx):
		return true, true, nil
	case ctx.grouped():
		// Inside parentheses a reserved word is followed by an operand
		// (EXTRACT(x FROM y), SUBSTRING(x FOR 2), ARRAY_AGG(x ORDER BY
		// y)); another word is syntax we do not know, skipped.
		p.next()
		return false, !t.kw.reserved(), nil
	}
	return true, true, nil
}

// breaksGroup reports whether the current word, inside brackets (ctx),
// cannot belong there: a clause of the enclosing query, so the closing
// bracket is missing before it. FROM is such a clause except in EXTRACT,
// TRIM, SUBSTRING and OVERLAY (IS DISTINCT FROM is read with IS).
func (p *parser) breaksGroup(ctx exprCtx) bool {
	if !ctx.grouped() {
		return false
	}
	switch p.cur().kw {
	case kwFrom:
		return ctx != ctxFromGroup
	case kwGroup:
		return p.peek(1).is(kwBy)
	case kwLeft, kwRight:
		return !p.isCall()
	case kwSelect, kwHaving, kwQualify, kwWindow, kwUnion, kwIntersect, kwExcept,
		kwMinus, kwInto, kwJoin, kwInner, kwFull, kwOuter, kwCross, kwNatural:
		return true
	}
	return false
}
