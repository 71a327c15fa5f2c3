package sqlparse

import "strings"

// query reads a query: its WITH clause, the branches of its set operation,
// and the ORDER BY / LIMIT / OFFSET / FETCH at its end.
func (p *parser) query() (*Query, error) {
	if err := p.enter(); err != nil {
		return nil, err
	}
	defer p.leave()
	q := &Query{}
	if p.at(kwWith) {
		if err := p.with(q); err != nil {
			return nil, err
		}
	}
	for {
		if err := p.queryTerm(q); err != nil {
			return nil, err
		}
		if !p.setOperator() {
			break
		}
	}
	return q, p.queryTail(q.Selects[len(q.Selects)-1])
}

// with reads WITH [RECURSIVE] name [(columns)] AS [NOT] [MATERIALIZED]
// (query), ...
func (p *parser) with(q *Query) error {
	p.next()
	p.accept(kwRecursive)
	for {
		t := p.cur()
		if !t.isRelationName() {
			return p.errorf("expected the name of a common table expression, found %s", p.describe(t))
		}
		cte := CTE{Name: t.text}
		p.next()
		if p.cur().kind == tokLParen && !p.parenStartsQuery(p.pos) {
			cols, err := p.nameList()
			if err != nil {
				return err
			}
			cte.Columns = cols
		}
		// AS is optional in Spark.
		p.accept(kwAs)
		if p.at(kwNot) && p.peek(1).is(kwMaterialized) {
			p.next()
		}
		p.accept(kwMaterialized)
		if p.cur().kind != tokLParen {
			return p.errorf("expected AS (query) after the name of %q, found %s", cte.Name, p.describe(p.cur()))
		}
		open := p.pos
		p.next()
		inner, err := p.query()
		if err != nil {
			return err
		}
		if err := p.closeGroup(open); err != nil {
			return err
		}
		cte.Query = inner
		q.With = append(q.With, cte)
		if !p.acceptKind(tokComma) {
			return nil
		}
	}
}

// queryTerm reads one branch of a set operation: a SELECT, a VALUES list,
// DuckDB's FROM-first SELECT, or a parenthesised query, whose branches and
// WITH clause join q's.
func (p *parser) queryTerm(q *Query) error {
	t := p.cur()
	var s *Select
	var err error
	switch {
	case t.is(kwSelect):
		s, err = p.selectCore()
	case t.is(kwValues):
		s, err = p.values()
	case t.is(kwFrom):
		s, err = p.fromFirst()
	case t.kind == tokLParen:
		open := p.pos
		p.next()
		inner, err := p.query()
		if err != nil {
			return err
		}
		q.With = append(q.With, inner.With...)
		q.Selects = append(q.Selects, inner.Selects...)
		return p.closeGroup(open)
	default:
		return p.errorf("expected SELECT, VALUES or a parenthesised query, found %s", p.describe(t))
	}
	if err != nil {
		return err
	}
	q.Selects = append(q.Selects, s)
	return nil
}

// setOperator reads UNION [ALL | DISTINCT] [BY NAME], INTERSECT, EXCEPT or
// MINUS, reporting whether there was one.
func (p *parser) setOperator() bool {
	switch t := p.cur(); {
	case t.is(kwUnion), t.is(kwIntersect), t.is(kwExcept), t.is(kwMinus):
		p.next()
		if !p.accept(kwAll) {
			p.accept(kwDistinct)
		}
		if p.at(kwBy) && p.peek(1).is(kwName) { // DuckDB: UNION [ALL] BY NAME
			p.next()
			p.next()
		}
		return true
	}
	return false
}

// queryTail reads ORDER BY, LIMIT, OFFSET and FETCH after a query; what
// they read goes to the last branch's Filters.
func (p *parser) queryTail(last *Select) error {
	for {
		var err error
		switch {
		case p.at(kwOrder) && p.peek(1).is(kwBy):
			p.next()
			p.next()
			err = p.exprList(&last.Filters, "ORDER BY")
		case p.cur().kind == tokWord && p.peek(1).is(kwBy) && isSparkOrdering(p.cur().text):
			// Spark: CLUSTER BY, DISTRIBUTE BY, SORT BY.
			p.next()
			p.next()
			err = p.exprList(&last.Filters, "BY")
		case p.at(kwLimit):
			p.next()
			if p.accept(kwAll) {
				continue
			}
			err = p.exprList(&last.Filters, "LIMIT") // LIMIT n or MySQL's LIMIT offset, n
			p.accept(kwPercent)
		case p.at(kwOffset):
			p.next()
			err = p.clauseExpr(&last.Filters, "OFFSET")
			if !p.accept(kwRow) {
				p.accept(kwRows)
			}
		case p.at(kwFetch):
			// FETCH {FIRST | NEXT} [n] {ROW | ROWS} {ONLY | WITH TIES}
			p.next()
			if !p.accept(kwFirst) {
				p.accept(kwNext)
			}
			if !p.at(kwRow) && !p.at(kwRows) {
				err = p.clauseExpr(&last.Filters, "FETCH")
			}
			if !p.accept(kwRow) {
				p.accept(kwRows)
			}
			if !p.accept(kwOnly) && p.at(kwWith) && p.peek(1).is(kwTies) {
				p.next()
				p.next()
			}
		default:
			return nil
		}
		if err != nil {
			return err
		}
	}
}

func isSparkOrdering(word string) bool {
	return strings.EqualFold(word, "cluster") || strings.EqualFold(word, "distribute") || strings.EqualFold(word, "sort")
}

// values reads VALUES (a, b), (c, d): a Select whose items are the first
// row's values (with no names; a column alias list names them).
func (p *parser) values() (*Select, error) {
	p.next()
	s := &Select{}
	for row := 0; ; row++ {
		if p.cur().kind != tokLParen {
			return nil, p.errorf("expected ( after VALUES, found %s", p.describe(p.cur()))
		}
		if err := p.valuesRow(s, row == 0); err != nil {
			return nil, err
		}
		// Another row, unless the comma separates relations in a FROM list.
		if p.cur().kind != tokComma || p.peek(1).kind != tokLParen {
			return s, nil
		}
		p.next()
	}
}

// valuesRow reads one ( value, ... ) of VALUES; the first row's values
// become s's items.
func (p *parser) valuesRow(s *Select, first bool) error {
	if err := p.enter(); err != nil {
		return err
	}
	defer p.leave()
	open := p.pos
	p.next()
	for p.cur().kind != tokRParen {
		start := p.pos
		var r exprReader
		if err := p.expr(&r, ctxGroup); err != nil {
			return err
		}
		if first {
			s.Items = append(s.Items, SelectItem{Expr: p.itemExpr(&r, start, p.pos), Text: p.text(start, p.pos)})
		}
		if !p.acceptKind(tokComma) {
			break
		}
	}
	return p.closeGroup(open)
}

// exprList reads comma-separated expressions into filters.
func (p *parser) exprList(filters *[]Expr, clause string) error {
	for {
		if err := p.clauseExpr(filters, clause); err != nil {
			return err
		}
		if !p.acceptKind(tokComma) {
			return nil
		}
	}
}

// clauseExpr reads one expression of a clause other than the select list,
// adding it to filters when it reads anything.
func (p *parser) clauseExpr(filters *[]Expr, clause string) error {
	start := p.pos
	var r exprReader
	if err := p.expr(&r, ctxClause); err != nil {
		return err
	}
	if p.pos == start {
		return p.errorf("expected an expression after %s, found %s", clause, p.describe(p.cur()))
	}
	if r.readsAnything() {
		*filters = append(*filters, r.expr())
	}
	return nil
}
