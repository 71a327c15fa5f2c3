package sqlparse

import (
	"errors"
	"strings"
	"testing"
)

// FuzzParse feeds arbitrary text in every dialect to Parse: it may not
// panic or recurse without bound; a refusal is a *SyntaxError pointing
// inside the text; a success is a Query with at least one Select, and so
// is every query inside it.
func FuzzParse(f *testing.F) {
	for _, c := range parseCases {
		f.Add(c.sql, uint8(c.dialect))
	}
	for _, seed := range []string{
		"select (a from t", "select a from t; select b", "with x as (select 1) select * from x",
		"select " + strings.Repeat("(", 250) + "1" + strings.Repeat(")", 250),
		"select cast(a as ARRAY<STRUCT<b INT64>>) from t", "select $tag$ x $tag$, e'\\'' from t",
		"select x -> x + 1, (a, b) -> a, lambda c: c from t", "select {'a': [1, {b: c}]} from t",
	} {
		for d := ANSI; d <= Backtick; d++ {
			f.Add(seed, uint8(d))
		}
	}
	f.Fuzz(func(t *testing.T, sql string, dialect uint8) {
		d := Dialect(int(dialect) % 3)
		q, err := Parse(sql, d)
		if err != nil {
			var se *SyntaxError
			if !errors.As(err, &se) {
				t.Fatalf("Parse(%q, %s): error %v is not a *SyntaxError", sql, d, err)
			}
			if lines := strings.Count(sql, "\n") + 1; se.Line < 1 || se.Line > lines || se.Column < 1 || se.Msg == "" {
				t.Fatalf("Parse(%q, %s): error %+v points outside the text (%d lines)", sql, d, se, lines)
			}
			return
		}
		checkQuery(t, sql, q)
	})
}

// checkQuery fails unless q and every query inside it have a Select.
func checkQuery(t *testing.T, sql string, q *Query) {
	t.Helper()
	if q == nil || len(q.Selects) == 0 {
		t.Fatalf("Parse(%q): a query without a SELECT: %+v", sql, q)
	}
	checkExpr := func(e *Expr) {
		for _, sub := range e.Subqueries {
			checkQuery(t, sql, sub)
		}
		for _, r := range e.Refs {
			if len(r.Parts) == 0 {
				t.Fatalf("Parse(%q): a column reference without a name", sql)
			}
		}
	}
	for _, c := range q.With {
		checkQuery(t, sql, c.Query)
	}
	for _, s := range q.Selects {
		if s == nil {
			t.Fatalf("Parse(%q): a nil Select", sql)
		}
		for i := range s.Items {
			checkExpr(&s.Items[i].Expr)
		}
		for i := range s.Filters {
			checkExpr(&s.Filters[i])
		}
		for _, ref := range s.From {
			if ref.Subquery != nil {
				checkQuery(t, sql, ref.Subquery)
			}
			if ref.Function != nil {
				checkExpr(ref.Function)
			}
		}
	}
}
