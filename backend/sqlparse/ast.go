// Package sqlparse reads the SQL dbt compiled a model to (compiled_code) far
// enough to tell which columns each output column is made from: the CTEs,
// the branches of a set operation, each SELECT's items, the relations and
// subqueries it reads, and the column references in each expression.
//
// It is tolerant rather than exact: it does not check the SQL (the warehouse
// ran it), it reads the dialects dbt's adapters write (Postgres, Redshift,
// Snowflake, BigQuery, DuckDB, Databricks/Spark), and what it does not
// understand inside an expression it skips, keeping the column references it
// can see. It fails only when it cannot find the statement's structure.
package sqlparse

// Query is a statement: its WITH clause and one or more SELECTs combined by
// UNION, INTERSECT or EXCEPT. Parenthesised branches are flattened into
// Selects in reading order, and their own WITH clauses into With: a set
// operation's output columns are its first branch's names, each made from
// the same position in every branch.
type Query struct {
	With    []CTE
	Selects []*Select
}

// CTE is one common table expression: WITH Name [(Columns)] AS (Query).
type CTE struct {
	Name    string   // unquoted
	Columns []string // the optional column list, unquoted
	Query   *Query
}

// Select is one SELECT (or one VALUES list, as items without references).
type Select struct {
	Items []SelectItem
	// From holds every relation the SELECT reads, in reading order: the FROM
	// list, comma joins, JOINs, LATERAL views and table functions.
	From []TableRef
	// Filters are the expressions read outside the select list: JOIN ON,
	// WHERE, GROUP BY, HAVING, QUALIFY and named WINDOW clauses (ORDER BY
	// and LIMIT too; they never change which rows a column holds, but a
	// reader may want them). GROUP BY ALL and positional GROUP BY 1, 2
	// read no columns.
	Filters []Expr
}

// SelectItem is one entry of a select list: a star, or an expression with
// its optional alias.
type SelectItem struct {
	Star  *Star // non-nil for *, t.*, * EXCEPT (...), * EXCLUDE (...), * REPLACE (...), * RENAME (...)
	Expr  Expr  // the expression, when Star is nil
	Alias string
	// Text is the item as written, whitespace collapsed to single spaces
	// (comments removed), for showing how a column is computed.
	Text string
}

// Star is *, or qualifier.* with its modifiers.
type Star struct {
	Qualifier []string     // ["o"] for o.*, nil for *
	Except    []string     // EXCEPT (BigQuery) and EXCLUDE (Snowflake, DuckDB) column names
	Replace   []SelectItem // REPLACE (expr AS name): each item's Alias names the replaced column
	Rename    [][2]string  // RENAME (old AS new) (Snowflake)
}

// Expr is what column lineage needs of an expression.
type Expr struct {
	// Refs are the column references the expression reads, in reading
	// order, outside its subqueries. A reference is a chain of names
	// (o.order_id, "analytics"."orders"."id", t.address.city): whether the
	// first parts name a relation or a struct column is for the reader to
	// decide against its scope.
	Refs []ColumnRef
	// Subqueries are the queries inside the expression: a scalar
	// subquery, EXISTS (...), x IN (SELECT ...), ARRAY(SELECT ...).
	Subqueries []*Query
	// Bare says the expression is exactly one column reference, perhaps in
	// parentheses: the column passes through (or is renamed by the alias).
	// It is set for select items (and REPLACE items) only: Filters and
	// table functions pass no column through.
	Bare bool
}

// ColumnRef is a column reference: its name parts, unquoted, as written.
type ColumnRef struct {
	Parts []string
	// Quoted says the last part was quoted, so it keeps its case.
	Quoted bool
}

// TableRef is one relation a SELECT reads.
type TableRef struct {
	// Name is the relation's name parts, unquoted ("analytics", "dbt",
	// "orders"), or a CTE's name; nil for a subquery or a table function.
	Name []string
	// Alias is the name the SELECT refers to it by ("" when none: then the
	// last part of Name is).
	Alias string
	// ColumnAliases renames its columns: AS t (a, b).
	ColumnAliases []string
	// Subquery is a derived table: FROM (SELECT ...) AS t.
	Subquery *Query
	// Function is a table function (UNNEST(x), LATERAL FLATTEN(input =>
	// x), generate_series(...), TABLE(...)), with the references its
	// arguments read; FunctionName is its name, lower case.
	Function     *Expr
	FunctionName string
	// Using lists the columns of a JOIN ... USING (a, b).
	Using []string
	// Pivot is a PIVOT applied to the relation (Snowflake, BigQuery,
	// Databricks, DuckDB): the columns it makes, one per value of its FOR
	// column, are computed from what it reads; the others pass through.
	Pivot *Pivot
	// Unpivot is an UNPIVOT applied to the relation: its value column is
	// made from the columns its IN list reads, which it consumes.
	Unpivot *Unpivot
	// Offset names the column of each element's position that BigQuery's
	// UNNEST(...) WITH OFFSET [AS name] adds ("offset" when unnamed).
	Offset string
}

// Pivot is PIVOT (aggregate, ... FOR column IN (value [AS name], ...)).
type Pivot struct {
	// Reads are the aggregates' and the FOR column's references.
	Reads Expr
	// Values name the columns it makes: the IN list's values, unquoted,
	// or their aliases; nil for IN (ANY) or a subquery.
	Values []string
}

// Unpivot is UNPIVOT (value FOR name IN (column, ...)).
type Unpivot struct {
	Value string // the column holding the values
	Name  string // the column holding the names of the columns unpivoted
	Reads Expr   // the columns unpivoted
}
