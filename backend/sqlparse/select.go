package sqlparse

import "strings"

// selectCore reads one SELECT through its WINDOW clause; ORDER BY and
// LIMIT belong to the query (queryTail).
func (p *parser) selectCore() (*Select, error) {
	s := &Select{}
	p.next() // SELECT
	if err := p.selectModifiers(s); err != nil {
		return nil, err
	}
	if err := p.selectList(s); err != nil {
		return nil, err
	}
	return s, p.selectClauses(s)
}

// fromFirst reads DuckDB's FROM t [SELECT ...]: without SELECT it reads
// every column.
func (p *parser) fromFirst() (*Select, error) {
	s := &Select{}
	p.next() // FROM
	if err := p.fromClause(s); err != nil {
		return nil, err
	}
	if p.accept(kwSelect) {
		if err := p.selectModifiers(s); err != nil {
			return nil, err
		}
		if err := p.selectList(s); err != nil {
			return nil, err
		}
	} else {
		s.Items = []SelectItem{{Star: &Star{}, Text: "*"}}
	}
	return s, p.selectClauses(s)
}

// selectModifiers reads DISTINCT [ON (...)] or ALL, BigQuery's AS STRUCT /
// AS VALUE, and TOP n.
func (p *parser) selectModifiers(s *Select) error {
	switch {
	case p.at(kwDistinct):
		p.next()
		if p.at(kwOn) && p.peek(1).kind == tokLParen {
			p.next()
			var r exprReader
			if err := p.call(&r, ""); err != nil {
				return err
			}
			if r.readsAnything() {
				s.Filters = append(s.Filters, r.expr())
			}
		}
	case p.at(kwAll):
		p.next()
	}
	if p.at(kwAs) && (p.peek(1).is(kwStruct) || p.peek(1).is(kwValue)) {
		p.next()
		p.next()
	}
	if p.at(kwTop) && (p.peek(1).kind == tokNumber || p.peek(1).kind == tokLParen) {
		p.next()
		if p.cur().kind == tokLParen {
			if err := p.skipGroup(); err != nil {
				return err
			}
		} else {
			p.next()
		}
		p.accept(kwPercent)
		if p.at(kwWith) && p.peek(1).is(kwTies) {
			p.next()
			p.next()
		}
	}
	return nil
}

// selectList reads the select items.
func (p *parser) selectList(s *Select) error {
	s.Items = make([]SelectItem, 0, p.countItems())
	for {
		item, err := p.selectItem()
		if err != nil {
			return err
		}
		s.Items = append(s.Items, item)
		if !p.acceptKind(tokComma) || p.endsSelectList() {
			return nil
		}
	}
}

// countItems counts the select items ahead, roughly (the commas outside
// brackets before FROM or the end of the list), to size the list once.
func (p *parser) countItems() int {
	n := 1
	for i := p.pos; ; i++ {
		switch t := &p.toks[i]; {
		case t.kind == tokComma:
			n++
		case t.kind == tokLParen || t.kind == tokLBracket || t.kind == tokLBrace:
			if t.pair < 0 {
				return n
			}
			i = int(t.pair)
		case t.kind == tokEOF || t.kind == tokSemicolon || t.isCloser() || t.is(kwFrom):
			return n
		}
	}
}

// endsSelectList reports whether the current token, after a comma, ends the
// select list: BigQuery, DuckDB and Snowflake allow a trailing comma.
func (p *parser) endsSelectList() bool {
	t := p.cur()
	switch t.kind {
	case tokEOF, tokSemicolon, tokRParen:
		return true
	case tokWord:
		return t.kw.startsClause() && !p.isCall()
	}
	return false
}

// isCall reports whether the current token names a function: it is followed
// by "(" and is not a reserved word that takes a parenthesised operand
// (FROM (...), IN (...), EXISTS (...)) — LEFT and RIGHT are reserved but
// also string functions, and CURRENT_DATE() and the like are calls too.
func (p *parser) isCall() bool {
	if p.peek(1).kind != tokLParen {
		return false
	}
	t := p.cur()
	if t.kind != tokWord {
		return true
	}
	switch t.kw {
	case kwLeft, kwRight:
		return true
	}
	return !t.kw.reserved() || t.kw.niladic()
}

// selectItem reads one select item: a star with its modifiers, or an
// expression with its alias.
func (p *parser) selectItem() (SelectItem, error) {
	start := p.pos
	star, err := p.star()
	if err != nil {
		return SelectItem{}, err
	}
	if star != nil {
		return SelectItem{Star: star, Text: p.text(start, p.pos)}, nil
	}
	var r exprReader
	if err := p.expr(&r, ctxItem); err != nil {
		return SelectItem{}, err
	}
	if p.pos == start {
		return SelectItem{}, p.errorf("expected a select item, found %s", p.describe(p.cur()))
	}
	item := SelectItem{Expr: p.itemExpr(&r, start, p.pos)}
	alias, err := p.alias()
	if err != nil {
		return SelectItem{}, err
	}
	item.Alias = alias
	item.Text = p.text(start, p.pos)
	return item, nil
}

// alias reads AS name, or a name right after an expression.
func (p *parser) alias() (string, error) {
	t := p.cur()
	if t.is(kwAs) {
		p.next()
		t = p.cur()
		if !t.isName() && t.kind != tokString {
			return "", p.errorf("expected a name after AS, found %s", p.describe(t))
		}
		p.next()
		if t.kind == tokString {
			return stringValue(t.text), nil
		}
		return t.text, nil
	}
	if t.kind == tokQuoted || t.kind == tokWord && !t.kw.startsClause() && !t.kw.reserved() && !p.peek(1).is(kwBy) {
		p.next()
		return t.text, nil
	}
	return "", nil
}

// stringValue is the text of a 'string' literal used as a name (Spark and
// MySQL allow AS 'alias'; DuckDB reads FROM 'file.csv'), without its quotes.
func stringValue(lit string) string {
	lit = strings.TrimLeft(lit, "EeNnRrBbXxUu&") // a prefix: E'...', r'...'
	if len(lit) < 2 {
		return lit
	}
	q := lit[0]
	return strings.ReplaceAll(lit[1:len(lit)-1], string([]byte{q, q}), string(q))
}

// star reads *, t.* or s.t.* and its modifiers; it returns nil, reading
// nothing, when the item is not a star.
func (p *parser) star() (*Star, error) {
	i := p.pos
	for p.toks[i].isName() && p.toks[i+1].kind == tokDot {
		i += 2
	}
	if p.toks[i].kind != tokStar {
		return nil, nil
	}
	star := &Star{}
	if i > p.pos {
		star.Qualifier, _ = p.chain(p.opts.splitQuotedOnDots)
	}
	p.pos = i + 1
	for {
		var err error
		t := p.cur()
		switch {
		case t.is(kwExcept) && p.peek(1).kind == tokLParen && !p.parenStartsQuery(p.pos+1):
			// BigQuery, Spark: * EXCEPT (a, b). EXCEPT (SELECT ...) is a set operation.
			p.next()
			var names []string
			names, err = p.nameList()
			star.Except = append(star.Except, names...)
		case t.is(kwExclude):
			// Snowflake, DuckDB: * EXCLUDE (a, b), * EXCLUDE a.
			p.next()
			var names []string
			names, err = p.namesOrName()
			star.Except = append(star.Except, names...)
		case t.is(kwReplace) && p.peek(1).kind == tokLParen:
			p.next()
			err = p.starReplace(star)
		case t.is(kwRename):
			p.next()
			err = p.starRename(star)
		case (t.is(kwIlike) || t.is(kwLike)) && p.peek(1).kind == tokString:
			// Snowflake * ILIKE '%_id', DuckDB * LIKE: a filter on names.
			p.next()
			p.next()
		default:
			return star, nil
		}
		if err != nil {
			return nil, err
		}
	}
}

// namesOrName reads (a, b) or a single name.
func (p *parser) namesOrName() ([]string, error) {
	if p.cur().kind == tokLParen {
		return p.nameList()
	}
	if !p.cur().isName() {
		return nil, p.errorf("expected a column name, found %s", p.describe(p.cur()))
	}
	parts, _ := p.chain(false)
	return parts[len(parts)-1:], nil
}

// starReplace reads REPLACE (expr AS name, ...).
func (p *parser) starReplace(star *Star) error {
	open := p.pos
	if err := p.enter(); err != nil {
		return err
	}
	defer p.leave()
	p.next()
	for p.cur().kind != tokRParen {
		item, err := p.selectItem()
		if err != nil {
			return err
		}
		star.Replace = append(star.Replace, item)
		if !p.acceptKind(tokComma) {
			break
		}
	}
	return p.closeGroup(open)
}

// starRename reads RENAME (a AS b, ...) or RENAME a AS b.
func (p *parser) starRename(star *Star) error {
	open := -1
	if p.cur().kind == tokLParen {
		open = p.pos
		p.next()
	}
	for {
		if !p.cur().isName() {
			return p.errorf("expected a column name after RENAME, found %s", p.describe(p.cur()))
		}
		parts, _ := p.chain(false)
		if !p.accept(kwAs) {
			return p.errorf("expected AS in RENAME, found %s", p.describe(p.cur()))
		}
		if !p.cur().isName() {
			return p.errorf("expected a new column name after AS, found %s", p.describe(p.cur()))
		}
		star.Rename = append(star.Rename, [2]string{parts[len(parts)-1], p.cur().text})
		p.next()
		if open < 0 || !p.acceptKind(tokComma) {
			break
		}
	}
	if open < 0 {
		return nil
	}
	return p.closeGroup(open)
}

// selectClauses reads what follows the select list up to ORDER BY: INTO,
// FROM, WHERE, GROUP BY, HAVING, QUALIFY and WINDOW, in any order
// (warehouses differ on where QUALIFY and WINDOW go).
func (p *parser) selectClauses(s *Select) error {
	if p.at(kwInto) {
		p.skipInto()
	}
	if p.accept(kwFrom) {
		if err := p.fromClause(s); err != nil {
			return err
		}
	}
	for {
		var err error
		switch {
		case p.at(kwWhere):
			p.next()
			err = p.clauseExpr(&s.Filters, "WHERE")
		case p.at(kwGroup) && p.peek(1).is(kwBy):
			p.next()
			p.next()
			err = p.groupBy(s)
		case p.at(kwHaving):
			p.next()
			err = p.clauseExpr(&s.Filters, "HAVING")
		case p.at(kwQualify):
			p.next()
			err = p.clauseExpr(&s.Filters, "QUALIFY")
		case p.at(kwWindow):
			p.next()
			err = p.windowClause(s)
		default:
			return nil
		}
		if err != nil {
			return err
		}
	}
}

// skipInto steps over SELECT ... INTO [TEMP] table: the statement's target,
// not something it reads.
func (p *parser) skipInto() {
	p.next()
	for t := p.cur(); t.kind == tokDot || t.isName() && !(t.kind == tokWord && t.kw.startsClause()); t = p.cur() {
		p.next()
	}
}

// groupBy reads GROUP BY's list: expressions, positions, ALL, ROLLUP (...),
// CUBE (...), GROUPING SETS (...), and MySQL's WITH ROLLUP.
func (p *parser) groupBy(s *Select) error {
	if p.at(kwAll) && p.peek(1).kind != tokLParen {
		p.next()
		return nil
	}
	p.accept(kwDistinct)
	for {
		if p.at(kwGrouping) && p.peek(1).is(kwSets) {
			p.next()
			p.next()
		}
		if err := p.clauseExpr(&s.Filters, "GROUP BY"); err != nil {
			return err
		}
		if !p.acceptKind(tokComma) {
			break
		}
	}
	if p.at(kwWith) && (p.peek(1).is(kwRollup) || p.peek(1).is(kwCube)) {
		p.next()
		p.next()
	}
	return nil
}

// windowClause reads WINDOW w AS (spec), ...
func (p *parser) windowClause(s *Select) error {
	for {
		if !p.cur().isName() || !p.peek(1).is(kwAs) || p.peek(2).kind != tokLParen {
			return p.errorf("expected name AS (window) after WINDOW, found %s", p.describe(p.cur()))
		}
		p.next()
		p.next()
		var r exprReader
		if err := p.windowSpec(&r); err != nil {
			return err
		}
		if r.readsAnything() {
			s.Filters = append(s.Filters, r.expr())
		}
		if !p.acceptKind(tokComma) {
			return nil
		}
	}
}
