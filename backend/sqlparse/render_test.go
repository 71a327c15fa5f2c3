package sqlparse

import (
	"fmt"
	"strings"
)

// render shows a Query one line per fact, for tests to compare with what a
// reader of the SQL expects:
//
//	with name(columns)            a CTE, its query indented below
//	select                        a branch
//	  alias <- [refs] bare        an item ("?" when it has no alias)
//	  o.* except(a) rename(b as c)
//	  from name as alias(cols)    a relation, its subquery indented below
//	  from fn() [refs] as alias   a table function and the refs of its arguments
//	  ... pivot [refs] -> a, b     a PIVOT: what it reads, the columns it makes
//	  filter [refs]               an expression read outside the select list
//
// A quoted last part shows in double quotes; "+n subquery" counts an
// expression's subqueries, shown indented below.
func render(q *Query) string {
	var b strings.Builder
	renderQuery(&b, q, "")
	return b.String()
}

func renderQuery(b *strings.Builder, q *Query, indent string) {
	for _, c := range q.With {
		b.WriteString(indent + "with " + c.Name)
		if c.Columns != nil {
			b.WriteString("(" + strings.Join(c.Columns, ", ") + ")")
		}
		b.WriteString("\n")
		renderQuery(b, c.Query, indent+"  ")
	}
	for _, s := range q.Selects {
		b.WriteString(indent + "select\n")
		in := indent + "  "
		for _, it := range s.Items {
			b.WriteString(in + renderItem(it) + "\n")
			renderSubqueries(b, it.Expr, in+"  ")
		}
		for _, t := range s.From {
			b.WriteString(in + "from " + renderTable(t) + "\n")
			if t.Subquery != nil {
				renderQuery(b, t.Subquery, in+"  ")
			}
			if t.Function != nil {
				renderSubqueries(b, *t.Function, in+"  ")
			}
		}
		for _, f := range s.Filters {
			b.WriteString(in + "filter " + renderExpr(f) + "\n")
			renderSubqueries(b, f, in+"  ")
		}
	}
}

func renderSubqueries(b *strings.Builder, e Expr, indent string) {
	for _, q := range e.Subqueries {
		renderQuery(b, q, indent)
	}
}

func renderItem(it SelectItem) string {
	if it.Star != nil {
		return renderStar(it.Star)
	}
	name := it.Alias
	if name == "" {
		name = "?"
	}
	return name + " <- " + renderExpr(it.Expr)
}

func renderStar(s *Star) string {
	out := "*"
	if s.Qualifier != nil {
		out = strings.Join(s.Qualifier, ".") + ".*"
	}
	if s.Except != nil {
		out += " except(" + strings.Join(s.Except, ", ") + ")"
	}
	if s.Replace != nil {
		var items []string
		for _, it := range s.Replace {
			items = append(items, renderItem(it))
		}
		out += " replace(" + strings.Join(items, ", ") + ")"
	}
	if s.Rename != nil {
		var pairs []string
		for _, r := range s.Rename {
			pairs = append(pairs, r[0]+" as "+r[1])
		}
		out += " rename(" + strings.Join(pairs, ", ") + ")"
	}
	return out
}

func renderExpr(e Expr) string {
	refs := make([]string, len(e.Refs))
	for i, r := range e.Refs {
		parts := append([]string(nil), r.Parts...)
		if r.Quoted {
			parts[len(parts)-1] = `"` + parts[len(parts)-1] + `"`
		}
		refs[i] = strings.Join(parts, ".")
	}
	out := "[" + strings.Join(refs, " ") + "]"
	if e.Bare {
		out += " bare"
	}
	if n := len(e.Subqueries); n > 0 {
		out += fmt.Sprintf(" +%d subquery", n)
	}
	return out
}

func renderTable(t TableRef) string {
	var out string
	switch {
	case t.Subquery != nil:
		out = "(subquery)"
	case t.Function != nil:
		out = t.FunctionName + "() " + renderExpr(*t.Function)
	default:
		out = strings.Join(t.Name, ".")
	}
	if t.Alias != "" {
		out += " as " + t.Alias
	}
	if t.ColumnAliases != nil {
		out += "(" + strings.Join(t.ColumnAliases, ", ") + ")"
	}
	if t.Using != nil {
		out += " using(" + strings.Join(t.Using, ", ") + ")"
	}
	if t.Offset != "" {
		out += " offset " + t.Offset
	}
	if t.Unpivot != nil {
		out += " unpivot " + t.Unpivot.Value + ", " + t.Unpivot.Name + " <- " + renderExpr(t.Unpivot.Reads)
	}
	if t.Pivot != nil {
		out += " pivot " + renderExpr(t.Pivot.Reads) + " -> " + strings.Join(t.Pivot.Values, ", ")
	}
	return out
}
