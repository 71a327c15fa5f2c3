package sqlparse

import (
	"errors"
	"strings"
	"testing"
)

// TestSyntaxErrors checks that broken structure is refused, at the token
// that breaks it, with a message saying what was expected.
func TestSyntaxErrors(t *testing.T) {
	for _, c := range []struct {
		sql     string
		dialect Dialect
		want    string // SyntaxError.Error()
	}{
		{"select a from t; select b from u", ANSI,
			`line 1, column 18: more than one statement`},
		{"select a,\n  coalesce(b,\n  c from t", ANSI,
			`line 3, column 5: expected ")" to close the "(" at 2:11, found "from"`},
		{"select (a from t", ANSI,
			`line 1, column 11: expected ")" to close the "(" at 1:8, found "from"`},
		{"select a from t where (b = 1", ANSI,
			`line 1, column 29: expected ")" to close the "(" at 1:23, found the end of the statement`},
		{"select f(a] from t", ANSI,
			`line 1, column 11: expected ")" to close the "(" at 1:9, found "]"`},
		{"select f(a union select b)", ANSI,
			`line 1, column 12: expected ")" to close the "(" at 1:9, found "union"`},
		{"select a from t)", ANSI,
			`line 1, column 16: ")" without an opening bracket`},
		{"select from t", ANSI,
			`line 1, column 8: expected a select item, found "from"`},
		{"select a from", ANSI,
			`line 1, column 14: expected a table name or subquery, found the end of the statement`},
		{"select a b c from t", ANSI,
			`line 1, column 12: expected the end of the statement, found "c"`},
		{"with x as select 1 select 2", ANSI,
			`line 1, column 11: expected AS (query) after the name of "x", found "select"`},
		{"with x as (select 1) update t", ANSI,
			`line 1, column 22: expected SELECT, VALUES or a parenthesised query, found "update"`},
		{"select * from (select 1", ANSI,
			`line 1, column 24: expected ")" to close the "(" at 1:15, found the end of the statement`},
		{"select a from t left x join u", ANSI,
			`line 1, column 22: expected JOIN, found "x"`},
		{"select 'abc from t", ANSI,
			`line 1, column 8: unterminated string`},
		{`select "abc from t`, ANSI,
			`line 1, column 8: unterminated quoted identifier`},
		{"select a /* b from t", ANSI,
			`line 1, column 10: unterminated comment`},
		{"select $$a from t", ANSI,
			`line 1, column 8: unterminated dollar-quoted string`},
		{"values 1", ANSI,
			`line 1, column 8: expected ( after VALUES, found "1"`},
		{"select cast(a as ARRAY<INT64) from t", BigQuery,
			`line 1, column 29: expected ">" to close the "<" at 1:23, found ")"`},
		{"", ANSI,
			`line 1, column 1: expected SELECT, VALUES or a parenthesised query, found the end of the statement`},
		{"select 1 from t where a = 'é' and ( b", ANSI,
			`line 1, column 38: expected ")" to close the "(" at 1:35, found the end of the statement`},
	} {
		_, err := Parse(c.sql, c.dialect)
		var se *SyntaxError
		if !errors.As(err, &se) {
			t.Errorf("Parse(%q) = %v, want a *SyntaxError", c.sql, err)
			continue
		}
		if got := se.Error(); got != c.want {
			t.Errorf("Parse(%q)\n got %s\nwant %s", c.sql, got, c.want)
		}
	}
}

// TestNestingDepth checks that deep nesting is refused rather than
// recursed into, and that ordinary depth reads.
func TestNestingDepth(t *testing.T) {
	nested := func(n int) string {
		return "select " + strings.Repeat("(", n) + "a" + strings.Repeat(")", n) + " from t"
	}
	if _, err := Parse(nested(50), ANSI); err != nil {
		t.Errorf("50 parentheses: %v", err)
	}
	for _, sql := range []string{
		nested(100000),
		strings.Repeat("select * from (", 5000) + "select 1" + strings.Repeat(")", 5000),
		"select " + strings.Repeat("f(", 300) + strings.Repeat(")", 300),
		"select " + strings.Repeat("[", 300) + strings.Repeat("]", 300),
		"select * from " + strings.Repeat("(", 300) + "t" + strings.Repeat(")", 300),
	} {
		_, err := Parse(sql, ANSI)
		var se *SyntaxError
		if !errors.As(err, &se) || !strings.Contains(se.Msg, "nested more than 200 deep") {
			t.Errorf("Parse(%.40q...) = %v, want the nesting refused", sql, err)
		}
	}
}

// TestAnsiFallsBackToSnowflakeStrings checks that a Snowflake string with a
// backslash-escaped quote, which a Postgres reading ends early, still reads.
func TestAnsiFallsBackToSnowflakeStrings(t *testing.T) {
	q, err := Parse(`select replace(a, 'it\'s', '') as b, c // a comment ' here
	from t`, ANSI)
	if err != nil {
		t.Fatal(err)
	}
	want := "select\n  b <- [a]\n  ? <- [c] bare\n  from t\n"
	if got := render(q); got != want {
		t.Errorf("got\n%s\nwant\n%s", got, want)
	}
	// Postgres keeps the backslash: 'C:\' is a whole string.
	if _, err := Parse(`select 'C:\' as dir, x from t`, ANSI); err != nil {
		t.Errorf("Postgres string with a trailing backslash: %v", err)
	}
}
