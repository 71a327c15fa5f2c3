package sqlparse

import "strings"

// fromClause reads FROM's list: relations separated by commas, each with its
// joins. Every relation goes to s.From in reading order, join conditions to
// s.Filters.
func (p *parser) fromClause(s *Select) error {
	for {
		if err := p.tableExpr(s); err != nil {
			return err
		}
		if !p.acceptKind(tokComma) {
			return nil
		}
	}
}

// tableExpr reads a relation and the joins and LATERAL VIEWs after it.
func (p *parser) tableExpr(s *Select) error {
	if err := p.tablePrimary(s); err != nil {
		return err
	}
	for {
		if p.at(kwLateral) && p.peek(1).is(kwView) {
			if err := p.lateralView(s); err != nil {
				return err
			}
			continue
		}
		join, err := p.joinStart()
		if err != nil || !join {
			return err
		}
		if err := p.tablePrimary(s); err != nil {
			return err
		}
		if err := p.joinCondition(s); err != nil {
			return err
		}
	}
}

// joinStart reads the words of a join up to JOIN (or APPLY: CROSS APPLY,
// OUTER APPLY), reporting whether there was a join.
func (p *parser) joinStart() (bool, error) {
	start := p.pos
	for t := p.cur(); t.kind == tokWord && t.kw.joinWord(); t = p.cur() {
		p.next()
	}
	if p.accept(kwJoin) || p.accept(kwApply) {
		return true, nil
	}
	if p.pos == start {
		return false, nil
	}
	return false, p.errorf("expected JOIN, found %s", p.describe(p.cur()))
}

// joinCondition reads ON expr or USING (columns).
func (p *parser) joinCondition(s *Select) error {
	switch {
	case p.accept(kwOn):
		return p.clauseExpr(&s.Filters, "ON")
	case p.at(kwUsing) && p.peek(1).kind == tokLParen:
		p.next()
		names, err := p.nameList()
		s.From[len(s.From)-1].Using = names
		return err
	}
	return nil
}

// tablePrimary reads one relation: a table name, a subquery, a VALUES list,
// a table function or a parenthesised join, with what may follow it.
func (p *parser) tablePrimary(s *Select) error {
	if err := p.enter(); err != nil {
		return err
	}
	defer p.leave()
	p.accept(kwLateral)
	var ref TableRef
	switch t := p.cur(); {
	case t.kind == tokLParen && p.parenStartsQuery(p.pos):
		open := p.pos
		p.next()
		q, err := p.query()
		if err != nil {
			return err
		}
		if err := p.closeGroup(open); err != nil {
			return err
		}
		ref.Subquery = q
	case t.kind == tokLParen:
		// A parenthesised join: its relations are this SELECT's. An alias
		// for the join as a whole (Postgres: (a JOIN b) AS j) is rare and
		// has no place in TableRef: it is read and dropped.
		open := p.pos
		p.next()
		if err := p.fromClause(s); err != nil {
			return err
		}
		if err := p.closeGroup(open); err != nil {
			return err
		}
		var whole TableRef
		return p.tableSuffix(&whole)
	case t.is(kwValues):
		sel, err := p.values()
		if err != nil {
			return err
		}
		ref.Subquery = &Query{Selects: []*Select{sel}}
	case t.isRelationName():
		parts, _ := p.chain(p.opts.splitQuotedOnDots)
		if p.cur().kind == tokLParen {
			if err := p.tableFunction(&ref, parts); err != nil {
				return err
			}
		} else {
			ref.Name = parts
		}
	case t.kind == tokString:
		// DuckDB reads a file named by a string: FROM 'orders.csv'.
		ref.Name = []string{stringValue(t.text)}
		p.next()
	default:
		return p.errorf("expected a table name or subquery, found %s", p.describe(t))
	}
	if err := p.tableSuffix(&ref); err != nil {
		return err
	}
	s.From = append(s.From, ref)
	return nil
}

// tableFunction reads a table function's arguments: UNNEST(x),
// FLATTEN(input => x), generate_series(...), and Snowflake's TABLE(f(...)),
// which is recorded as f.
func (p *parser) tableFunction(ref *TableRef, parts []string) error {
	var r exprReader
	name := parts[len(parts)-1]
	if strings.EqualFold(name, "table") && len(parts) == 1 && p.peek(1).isName() {
		open := p.pos
		p.next()
		inner, _ := p.chain(p.opts.splitQuotedOnDots)
		if p.cur().kind == tokLParen {
			if err := p.call(&r, inner[len(inner)-1]); err != nil {
				return err
			}
			if err := p.closeGroup(open); err != nil {
				return err
			}
			parts = inner
		} else {
			p.pos = open
			if err := p.call(&r, name); err != nil {
				return err
			}
		}
	} else if err := p.call(&r, name); err != nil {
		return err
	}
	fn := r.expr()
	ref.Function = &fn
	ref.FunctionName = strings.ToLower(strings.Join(parts, "."))
	return nil
}

// lateralView reads Spark's LATERAL VIEW [OUTER] f(args) alias [AS] col, ...
func (p *parser) lateralView(s *Select) error {
	p.next()
	p.next()
	p.accept(kwOuter)
	if !p.cur().isName() {
		return p.errorf("expected a function after LATERAL VIEW, found %s", p.describe(p.cur()))
	}
	parts, _ := p.chain(p.opts.splitQuotedOnDots)
	if p.cur().kind != tokLParen {
		return p.errorf("expected ( after %q, found %s", strings.Join(parts, "."), p.describe(p.cur()))
	}
	var ref TableRef
	if err := p.tableFunction(&ref, parts); err != nil {
		return err
	}
	if t := p.cur(); t.isName() && !t.is(kwAs) && !(t.kind == tokWord && t.kw.startsClause()) {
		ref.Alias = t.text
		p.next()
	}
	if p.accept(kwAs) || p.cur().isName() && !(p.cur().kind == tokWord && (p.cur().kw.startsClause() || p.cur().kw.reserved())) {
		for p.cur().isName() {
			ref.ColumnAliases = append(ref.ColumnAliases, p.cur().text)
			p.next()
			if p.cur().kind != tokComma || !p.peek(1).isName() || p.peek(2).kind == tokDot {
				break
			}
			p.next()
		}
	}
	s.From = append(s.From, ref)
	return nil
}

// tableSuffix reads what may follow a relation, in any order: its alias and
// column aliases, time travel, sampling, PIVOT / UNPIVOT, MATCH_RECOGNIZE
// and WITH OFFSET / WITH ORDINALITY.
func (p *parser) tableSuffix(ref *TableRef) error {
	for {
		if p.at(kwPivot) && p.peek(1).kind == tokLParen {
			p.next()
			pivot, err := p.pivot()
			if err != nil {
				return err
			}
			ref.Pivot = pivot
			continue
		}
		if p.at(kwUnpivot) {
			unpivot, err := p.unpivot()
			if err != nil {
				return err
			}
			ref.Unpivot = unpivot
			continue
		}
		skipped, err := p.skipTableModifier()
		if err != nil {
			return err
		}
		if skipped {
			continue
		}
		t := p.cur()
		switch {
		case t.is(kwWith) && p.peek(1).is(kwOrdinality):
			p.next()
			p.next()
		case t.is(kwWith) && p.peek(1).is(kwOffset):
			// BigQuery: UNNEST(x) [AS] e WITH OFFSET [AS] position.
			p.next()
			p.next()
			if p.accept(kwAs) || p.cur().isName() && !(p.cur().kind == tokWord && (p.cur().kw.startsClause() || p.cur().kw.reserved())) {
				if !p.cur().isName() {
					return p.errorf("expected a name after WITH OFFSET AS, found %s", p.describe(p.cur()))
				}
				ref.Offset = p.cur().text
				p.next()
			} else {
				ref.Offset = "offset"
			}
		case t.is(kwAs):
			p.next()
			if !p.cur().isName() {
				return p.errorf("expected an alias after AS, found %s", p.describe(p.cur()))
			}
			if err := p.tableAlias(ref); err != nil {
				return err
			}
		case ref.Alias == "" && (t.kind == tokQuoted || t.kind == tokWord && !t.kw.startsClause() && !t.kw.reserved() && !p.peek(1).is(kwBy)):
			// (A word before BY starts Spark's CLUSTER / DISTRIBUTE / SORT BY.)
			if err := p.tableAlias(ref); err != nil {
				return err
			}
		default:
			return nil
		}
	}
}

// tableAlias reads an alias and its column list: t (a, b).
func (p *parser) tableAlias(ref *TableRef) error {
	ref.Alias = p.cur().text
	p.next()
	if p.cur().kind == tokLParen {
		cols, err := p.nameList()
		if err != nil {
			return err
		}
		ref.ColumnAliases = cols
	}
	return nil
}

// skipTableModifier steps over a clause after a relation that changes which
// rows it has but not which columns: time travel (FOR SYSTEM_TIME AS OF,
// AT (...), BEFORE (...), CHANGES (...), TIMESTAMP / VERSION AS OF),
// sampling (TABLESAMPLE, SAMPLE, USING SAMPLE) and MATCH_RECOGNIZE. PIVOT
// and UNPIVOT are read: pivot, unpivot.
func (p *parser) skipTableModifier() (bool, error) {
	t, next := p.cur(), p.peek(1)
	switch {
	case t.is(kwFor) && next.kind == tokWord:
		// FOR SYSTEM_TIME AS OF expr (BigQuery), FOR TIMESTAMP / VERSION AS OF (Databricks).
		p.next()
		p.next()
		return true, p.skipAsOf()
	case (t.is(kwTimestamp) || t.is(kwVersion)) && next.is(kwAs) && p.peek(2).is(kwOf):
		p.next()
		return true, p.skipAsOf()
	case (t.is(kwAt) || t.is(kwBefore) || t.is(kwChanges) || t.is(kwMatchRecognize)) && next.kind == tokLParen:
		p.next()
		return true, p.skipGroup()
	case t.is(kwTablesample), t.is(kwSample) && p.sampleFollows(1), t.is(kwUsing) && next.is(kwSample):
		return true, p.skipSample()
	}
	return false, nil
}

// sampleFollows reports whether the tokens from n on look like the rest of
// a SAMPLE clause, [method] (...) or a number, so that a table aliased
// "sample" still reads.
func (p *parser) sampleFollows(n int) bool {
	t := p.peek(n)
	return t.kind == tokLParen || t.kind == tokNumber || t.kind == tokWord && p.peek(n+1).kind == tokLParen
}

// skipAsOf steps over AS OF expr.
func (p *parser) skipAsOf() error {
	if p.accept(kwAs) && !p.accept(kwOf) {
		return p.errorf("expected AS OF, found %s", p.describe(p.cur()))
	}
	var discard exprReader
	return p.expr(&discard, ctxClause)
}

// skipSample steps over TABLESAMPLE [method] (...) [REPEATABLE (n)],
// SAMPLE [method] (...) [SEED (n)] and DuckDB's USING SAMPLE n [% | ROWS |
// PERCENT] [(method)].
func (p *parser) skipSample() error {
	p.accept(kwUsing)
	p.next() // TABLESAMPLE or SAMPLE
	if p.cur().kind == tokWord && p.peek(1).kind == tokLParen {
		p.next()
	}
	if p.cur().kind == tokNumber {
		p.next()
		if t := p.cur(); t.kind == tokOp && t.text == "%" || t.is(kwPercent) || t.is(kwRows) {
			p.next()
		}
	}
	if p.cur().kind == tokLParen {
		if err := p.skipGroup(); err != nil {
			return err
		}
	}
	if (p.at(kwRepeatable) || p.at(kwSeed)) && p.peek(1).kind == tokLParen {
		p.next()
		return p.skipGroup()
	}
	return nil
}

// pivot reads PIVOT's parentheses, at its "(": what the aggregates and the
// FOR column read (the expression scanner steps over FOR and IN as words
// it does not know, and reads no column in a list of literals), then the
// names of the columns it makes from the IN list.
func (p *parser) pivot() (*Pivot, error) {
	open := p.pos
	closing := int(p.cur().pair)
	if closing <= open {
		return nil, p.errorf("expected \")\" to close PIVOT's \"(\"")
	}
	if err := p.enter(); err != nil {
		return nil, err
	}
	defer p.leave()
	var r exprReader
	p.next()
	for p.pos < closing {
		before := p.pos
		if err := p.expr(&r, ctxGroup); err != nil {
			return nil, err
		}
		if !p.acceptKind(tokComma) && p.pos == before {
			p.next() // a token the scanner stops at without reading: step over it
		}
	}
	p.pos = closing
	if err := p.closeGroup(open); err != nil {
		return nil, err
	}
	return &Pivot{Reads: r.expr(), Values: p.pivotValues(open+1, closing)}, nil
}

// pivotValues finds the IN list among tokens [from, to) and returns the
// names its values give columns.
func (p *parser) pivotValues(from, to int) []string {
	for i := from; i < to; i++ {
		t := p.toks[i]
		if t.kind == tokLParen && t.pair > 0 {
			i = int(t.pair)
			continue
		}
		if !t.is(kwIn) || p.toks[i+1].kind != tokLParen {
			continue
		}
		var values []string
		end := int(p.toks[i+1].pair)
		for j := i + 2; j < end; j++ {
			switch v := p.toks[j]; {
			case v.kind == tokLParen && v.pair > 0:
				j = int(v.pair) // an expression or a subquery: not a name
			case v.kind == tokString:
				values = append(values, stringValue(v.text))
			case v.kind == tokNumber:
				values = append(values, v.text)
			case v.is(kwAs) && len(values) > 0 && j+1 < end && p.toks[j+1].isName():
				values[len(values)-1] = p.toks[j+1].text
				j++
			}
		}
		return values
	}
	return nil
}

// unpivot reads UNPIVOT [INCLUDE | EXCLUDE NULLS] (value FOR name IN
// (column [AS label], ...)), at UNPIVOT. Several value columns, (v1, v2)
// FOR ..., are read as the first: their columns are what it reads.
func (p *parser) unpivot() (*Unpivot, error) {
	p.next()
	for p.cur().kind == tokWord && !p.at(kwFor) {
		p.next() // INCLUDE NULLS, EXCLUDE NULLS
	}
	if p.cur().kind != tokLParen {
		return nil, p.errorf("expected \"(\" after UNPIVOT, found %s", p.describe(p.cur()))
	}
	open := p.pos
	closing := int(p.cur().pair)
	if closing <= open {
		return nil, p.errorf("expected \")\" to close UNPIVOT's \"(\"")
	}
	if err := p.enter(); err != nil {
		return nil, err
	}
	defer p.leave()
	u := &Unpivot{}
	p.next()
	if p.cur().kind == tokLParen { // (v1, v2): the first names it
		names, err := p.nameList()
		if err != nil {
			return nil, err
		}
		if len(names) > 0 {
			u.Value = names[0]
		}
	} else if p.cur().isName() {
		u.Value = p.cur().text
		p.next()
	}
	if p.accept(kwFor) && p.cur().isName() {
		u.Name = p.cur().text
		p.next()
	}
	var r exprReader
	for p.pos < closing {
		before := p.pos
		if p.at(kwIn) || p.at(kwAs) {
			p.next()
			if p.toks[before].is(kwAs) && p.pos < closing {
				p.next() // a label: a name or a string, not a column
			}
			continue
		}
		if err := p.expr(&r, ctxGroup); err != nil {
			return nil, err
		}
		if !p.acceptKind(tokComma) && p.pos == before {
			p.next()
		}
	}
	p.pos = closing
	if err := p.closeGroup(open); err != nil {
		return nil, err
	}
	u.Reads = r.expr()
	return u, nil
}
