package sqlparse

import "strings"

// The parts of an expression that name no column: types after :: and AS,
// interval units, and semi-structured paths.

// interval reads INTERVAL '1 day', INTERVAL '1' DAY [TO SECOND], INTERVAL 3
// DAYS, and BigQuery's INTERVAL n DAY, where n may be a column.
func (p *parser) interval(r *exprReader) error {
	p.next()
	t := p.cur()
	if t.kind == tokOp && (t.text == "-" || t.text == "+") {
		p.next()
		t = p.cur()
	}
	switch {
	case t.isLiteral():
		p.next()
	case t.kind == tokLParen:
		if err := p.call(r, ""); err != nil {
			return err
		}
	case t.isName() && !(t.kind == tokWord && (t.kw.reserved() || isDatePart(t.text))):
		if err := p.nameOperand(r); err != nil {
			return err
		}
	default:
		return nil
	}
	if u := p.cur(); u.kind == tokWord && isDatePart(u.text) {
		p.next()
		if p.at(kwTo) && p.peek(1).kind == tokWord && isDatePart(p.peek(1).text) {
			p.next()
			p.next()
		}
	}
	return nil
}

// path steps over a semi-structured path after ":": field, field.sub,
// "Field", field[0]; expressions in brackets are read.
func (p *parser) path(r *exprReader) error {
	if t := p.cur(); t.isName() || t.kind == tokString {
		p.next()
	}
	for {
		switch {
		case p.cur().kind == tokDot && p.peek(1).isName():
			p.next()
			p.next()
		case p.cur().kind == tokLBracket:
			if err := p.elements(r, ctxBrackets, false); err != nil {
				return err
			}
		default:
			return nil
		}
	}
}

// skipType steps over a type after "::" or AS: numeric(16, 2), double
// precision, timestamp with time zone, varchar[], ARRAY<STRING>,
// pg_catalog.int4, "char".
func (p *parser) skipType() error {
	if !p.cur().isName() {
		return nil
	}
	p.chain(false)
	for t := p.cur(); t.kind == tokWord && (strings.EqualFold(t.text, "precision") || strings.EqualFold(t.text, "varying")); t = p.cur() {
		p.next()
	}
	if p.cur().kind == tokLParen {
		if err := p.skipGroup(); err != nil {
			return err
		}
	}
	if t := p.cur(); t.is(kwWith) || t.kind == tokWord && strings.EqualFold(t.text, "without") {
		i := 1
		if p.peek(1).is(kwLocal) {
			i = 2
		}
		if p.peek(i).is(kwTime) && p.peek(i+1).is(kwZone) {
			p.pos += i + 2
		}
	}
	if t := p.cur(); t.kind == tokOp && t.text == "<" {
		if err := p.skipAngles(); err != nil {
			return err
		}
	}
	for p.cur().kind == tokLBracket {
		if err := p.skipGroup(); err != nil {
			return err
		}
	}
	return nil
}

// skipAngles steps over a type's <...> parameters: ARRAY<STRUCT<a INT64>>.
func (p *parser) skipAngles() error {
	open := p.pos
	depth := 0
	for {
		t := p.cur()
		switch {
		case t.kind == tokOp && t.text == "<":
			depth++
		case t.kind == tokOp && t.text == ">":
			depth--
		case t.kind == tokOp && t.text == ">>":
			depth -= 2
		case t.kind == tokLParen || t.kind == tokLBracket:
			if err := p.skipGroup(); err != nil {
				return err
			}
			continue
		case t.isCloser() || t.kind == tokEOF || t.kind == tokSemicolon:
			line, col := position(p.src, int(p.toks[open].start))
			return p.errorf("expected \">\" to close the \"<\" at %d:%d, found %s", line, col, p.describe(t))
		}
		p.next()
		if depth <= 0 {
			return nil
		}
	}
}

// skipAsTarget steps over what follows AS inside parentheses — a type
// (CAST(x AS numeric(10, 2))) or a field name (STRUCT(x AS f)) — and
// anything after it up to the next "," or ")" (FORMAT 'YYYY').
func (p *parser) skipAsTarget() error {
	if err := p.skipType(); err != nil {
		return err
	}
	for {
		t := p.cur()
		switch {
		case t.kind == tokComma, t.isCloser(), t.kind == tokEOF, t.kind == tokSemicolon:
			return nil
		case t.kind == tokLParen, t.kind == tokLBracket, t.kind == tokLBrace:
			if err := p.skipGroup(); err != nil {
				return err
			}
		default:
			p.next()
		}
	}
}

// isTypeName reports whether word is a common SQL type name (for CONVERT's
// type argument).
func isTypeName(word string) bool {
	switch strings.ToLower(word) {
	case "varchar", "char", "character", "nvarchar", "nchar", "text", "string",
		"int", "integer", "bigint", "smallint", "tinyint", "int2", "int4", "int8",
		"decimal", "numeric", "number", "float", "float4", "float8", "double", "real",
		"boolean", "bool", "date", "time", "timestamp", "datetime", "timestamptz",
		"timestamp_ntz", "timestamp_ltz", "timestamp_tz", "binary", "varbinary",
		"json", "variant", "signed", "unsigned", "money", "uuid":
		return true
	}
	return false
}
