package sqlparse

import "strings"

// Dialect is the family of SQL a warehouse speaks, as far as reading its
// tokens goes: how identifiers and strings are quoted, which comments exist.
// The statement grammar is shared: the parser accepts the union of the
// dialects' syntax.
type Dialect int

const (
	// ANSI is Postgres, Redshift, Snowflake, DuckDB, Trino and the like:
	// "identifier", 'string', $$dollar-quoted string$$, E'escaped string'.
	ANSI Dialect = iota
	// BigQuery: `identifier` (`project.dataset.table` is one name of three
	// parts), 'string' and "string", r'raw', b'bytes', '''triple''' and
	// """triple""" strings, backslash escapes, # comments.
	BigQuery
	// Backtick is Databricks, Spark, Hive and MySQL: `identifier`, 'string'
	// and "string", backslash escapes, # comments.
	Backtick
)

// String names the dialect, for messages and test names.
func (d Dialect) String() string {
	switch d {
	case BigQuery:
		return "bigquery"
	case Backtick:
		return "backtick"
	default:
		return "ansi"
	}
}

// DialectOf is the dialect of a dbt adapter, by its adapter_type (the
// manifest's metadata.adapter_type).
func DialectOf(adapterType string) Dialect {
	switch strings.ToLower(strings.TrimSpace(adapterType)) {
	case "bigquery":
		return BigQuery
	case "databricks", "spark", "mysql", "hive":
		return Backtick
	default:
		return ANSI
	}
}

// lexOptions are the token rules of one dialect.
type lexOptions struct {
	doubleQuotedStrings bool // "x" is a string, not an identifier
	backslashEscapes    bool // \' inside a string does not end it
	hashComments        bool // # starts a line comment
	slashComments       bool // // starts a line comment (Snowflake)
	prefixedStrings     bool // r'..', b'..', rb'..' (BigQuery, Spark)
	tripleQuotes        bool // '''..''' and """..""" (BigQuery)
	dollarQuotes        bool // $$..$$ and $tag$..$tag$ (Postgres, Snowflake, DuckDB)
	backslashInBacktick bool // \` inside `..` does not end it (BigQuery); else `` doubles
	splitQuotedOnDots   bool // `a.b.c` is three name parts in FROM (BigQuery, Backtick)
	splitQuotedColumns  bool // `t.col` is two name parts in expressions too (BigQuery)
	numberSuffixes      bool // 1L, 2.5D, 1BD are numbers (Spark)
}

func (d Dialect) lexOptions() lexOptions {
	switch d {
	case BigQuery:
		return lexOptions{
			doubleQuotedStrings: true, backslashEscapes: true, hashComments: true,
			prefixedStrings: true, tripleQuotes: true, backslashInBacktick: true,
			splitQuotedOnDots: true, splitQuotedColumns: true,
		}
	case Backtick:
		return lexOptions{
			doubleQuotedStrings: true, backslashEscapes: true, hashComments: true,
			prefixedStrings: true, splitQuotedOnDots: true, numberSuffixes: true,
		}
	default:
		return lexOptions{dollarQuotes: true}
	}
}

// snowflakeLexOptions are ANSI's rules with Snowflake's additions, which
// other ANSI warehouses read differently: backslash escapes in strings
// (Postgres keeps the backslash) and // comments (DuckDB's integer
// division). Parse falls back to them when the ANSI reading fails.
func snowflakeLexOptions() lexOptions {
	o := ANSI.lexOptions()
	o.backslashEscapes = true
	o.slashComments = true
	return o
}
