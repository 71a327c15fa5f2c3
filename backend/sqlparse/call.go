package sqlparse

// Bracketed groups inside an expression: function arguments (with the
// functions whose arguments are not all expressions), lists, struct
// literals, lambdas and window specifications.

// call reads the parenthesised group at the current token: the arguments of
// function name, or ("" for name) a parenthesised expression or tuple; and
// a subquery when the group holds a query.
func (p *parser) call(r *exprReader, name string) error {
	if err := p.enter(); err != nil {
		return err
	}
	defer p.leave()
	open := p.pos
	if p.parenStartsQuery(open) {
		p.next()
		q, err := p.query()
		if err != nil {
			return err
		}
		r.subqueries = append(r.subqueries, q)
		return p.closeGroup(open)
	}
	kind := funcPlain
	if name != "" {
		kind = lookupFunctionKind(name)
	}
	ctx := ctxGroup
	if kind == funcExtract || kind == funcTrim || kind == funcFromArgs {
		ctx = ctxFromGroup
	}
	p.next()
	for arg := 0; ; arg++ {
		if t := p.cur(); t.isCloser() || t.kind == tokEOF || t.kind == tokSemicolon {
			break
		}
		p.argumentStart(kind, arg)
		if err := p.argument(r, ctx); err != nil {
			return err
		}
		if !p.acceptKind(tokComma) {
			break
		}
	}
	return p.closeGroup(open)
}

// elements reads the elements of [ ] or (keyed, for a struct literal) { }.
func (p *parser) elements(r *exprReader, ctx exprCtx, keyed bool) error {
	if err := p.enter(); err != nil {
		return err
	}
	defer p.leave()
	open := p.pos
	p.next()
	for {
		t := p.cur()
		if t.isCloser() || t.kind == tokEOF || t.kind == tokSemicolon {
			break
		}
		if keyed && (t.isName() || t.kind == tokString) && p.peek(1).kind == tokColon {
			p.next() // the key
			p.next()
		}
		if err := p.argument(r, ctx); err != nil {
			return err
		}
		if !p.acceptKind(tokComma) {
			break
		}
	}
	return p.closeGroup(open)
}

// argumentStart steps over an argument's leading words that are not
// expressions, for the functions that take them.
func (p *parser) argumentStart(kind funcKind, arg int) {
	t := p.cur()
	switch kind {
	case funcDate:
		// DATEDIFF(day, a, b), DATE_TRUNC(d, MONTH), DATE_TRUNC(d, WEEK(MONDAY)).
		if t.kind != tokWord || !isDatePart(t.text) {
			return
		}
		next := p.peek(1)
		switch {
		case next.kind == tokLParen && next.pair > 0 && p.toks[next.pair+1].kind == tokRParen:
			p.pos = int(next.pair) + 1
		case next.kind == tokRParen, arg == 0 && next.kind == tokComma:
			p.next()
		}
	case funcExtract:
		// EXTRACT(part FROM expr): the part may be a word, WEEK(MONDAY), a string.
		if arg != 0 {
			return
		}
		for i := p.pos; ; i++ {
			switch tk := &p.toks[i]; {
			case tk.is(kwFrom):
				p.pos = i + 1
				return
			case tk.kind == tokLParen && tk.pair > 0:
				i = int(tk.pair)
			case tk.isCloser(), tk.kind == tokComma, tk.kind == tokEOF, tk.kind == tokSemicolon:
				return
			}
		}
	case funcTrim:
		if arg == 0 && (t.is(kwBoth) || t.is(kwLeading) || t.is(kwTrailing)) {
			p.next()
		}
	case funcConvert:
		// CONVERT(varchar(20), x) (Redshift, SQL Server).
		if arg != 0 || t.kind != tokWord || !isTypeName(t.text) {
			return
		}
		switch next := p.peek(1); {
		case next.kind == tokComma:
			p.next()
		case next.kind == tokLParen && next.pair > 0 && p.toks[next.pair+1].kind == tokComma:
			p.pos = int(next.pair) + 1
		}
	}
}

// argument reads one argument, which may be a lambda.
func (p *parser) argument(r *exprReader, ctx exprCtx) error {
	params, body, ok := p.lambdaHead()
	if !ok {
		return p.expr(r, ctx)
	}
	saved := len(p.lambdaParams)
	p.lambdaParams = append(p.lambdaParams, params...)
	p.pos = body
	err := p.expr(r, ctx)
	p.lambdaParams = p.lambdaParams[:saved]
	return err
}

// lambdaHead recognises a lambda's parameters at the current token — x ->
// body, (x, y) -> body, DuckDB's lambda x, y: body — and returns them with
// the index of the body's first token. An arrow followed by a string or a
// number is Postgres's JSON operator, not a lambda.
func (p *parser) lambdaHead() (params []string, body int, ok bool) {
	t := p.cur()
	switch {
	case t.kind == tokWord && !t.kw.reserved() && p.peek(1).kind == tokArrow:
		if after := p.peek(2); after.kind == tokString || after.kind == tokNumber {
			return nil, 0, false
		}
		return []string{t.text}, p.pos + 2, true
	case t.kind == tokLParen && t.pair > 0 && p.toks[t.pair+1].kind == tokArrow:
		close := int(t.pair)
		if after := &p.toks[close+2]; after.kind == tokString || after.kind == tokNumber {
			return nil, 0, false
		}
		for i := p.pos + 1; i < close; i += 2 {
			if !p.toks[i].isName() || i+1 < close && p.toks[i+1].kind != tokComma {
				return nil, 0, false
			}
			params = append(params, p.toks[i].text)
		}
		return params, close + 2, true
	case t.is(kwLambda) && p.peek(1).isName():
		for i := p.pos + 1; p.toks[i].isName(); i += 2 {
			params = append(params, p.toks[i].text)
			switch p.toks[i+1].kind {
			case tokColon:
				return params, i + 2, true
			case tokComma:
			default:
				return nil, 0, false
			}
		}
	}
	return nil, 0, false
}

// windowSpec reads OVER's ( [window] [PARTITION BY ...] [ORDER BY ...]
// [frame] ); the frame is skipped, it reads no columns.
func (p *parser) windowSpec(r *exprReader) error {
	if err := p.enter(); err != nil {
		return err
	}
	defer p.leave()
	open := p.pos
	p.next()
	// OVER (w ORDER BY x): w names a window this one extends.
	if t, next := p.cur(), p.peek(1); t.isName() && !(t.kind == tokWord && t.kw.reserved()) &&
		(next.kind == tokRParen || next.is(kwPartition) || next.is(kwOrder) ||
			next.is(kwRows) || next.is(kwRange) || next.is(kwGroups)) {
		p.next()
	}
	for {
		t := p.cur()
		switch {
		case (t.is(kwPartition) || t.is(kwOrder)) && p.peek(1).is(kwBy):
			p.next()
			p.next()
		case p.frameStart():
			if pair := p.toks[open].pair; pair > 0 {
				p.pos = int(pair)
			}
			return p.closeGroup(open)
		case t.kind == tokComma:
			p.next()
		case t.isCloser() || t.kind == tokEOF || t.kind == tokSemicolon:
			return p.closeGroup(open)
		default:
			before := p.pos
			if err := p.expr(r, ctxWindow); err != nil {
				return err
			}
			if p.pos == before { // a word that cannot be in a window: the ")" is missing
				return p.closeGroup(open)
			}
		}
	}
}

// frameStart reports whether a window frame starts at the current token:
// ROWS / RANGE / GROUPS followed by BETWEEN, UNBOUNDED, CURRENT or a bound.
func (p *parser) frameStart() bool {
	t := p.cur()
	if !t.is(kwRows) && !t.is(kwRange) && !t.is(kwGroups) {
		return false
	}
	n := p.peek(1)
	return n.is(kwBetween) || n.is(kwUnbounded) || n.is(kwCurrent) || n.is(kwInterval) ||
		n.kind == tokNumber || n.kind == tokString || n.kind == tokParam
}
