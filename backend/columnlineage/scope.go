package columnlineage

import (
	"slices"
	"strings"
)

// scopeRelation is a relation a SELECT reads, with the names the SQL may
// qualify its columns by.
type scopeRelation struct {
	// qualifiers: its alias alone when it has one, else each suffix of its
	// name (orders, dbt.orders, analytics.dbt.orders).
	qualifiers [][]string
	columns    columnList
}

// scope is what a SELECT's expressions can see: its relations, its earlier
// items (Snowflake, BigQuery and DuckDB read an alias defined to the left,
// a lateral column alias), and the scope of the query around a subquery.
type scope struct {
	relations []scopeRelation
	items     []column
	outer     *scope
}

func qualifiersOf(alias string, name []string) [][]string {
	if alias != "" {
		return [][]string{{alias}}
	}
	var out [][]string
	for i := len(name) - 1; i >= 0; i-- {
		out = append(out, name[i:])
	}
	return out
}

func (r *scopeRelation) qualifiedBy(parts []string) bool {
	for _, q := range r.qualifiers {
		if equalParts(q, parts) {
			return true
		}
	}
	return false
}

// equalParts compares names as unquoted SQL does, whatever their case.
func equalParts(a, b []string) bool { return slices.EqualFunc(a, b, strings.EqualFold) }

// resolve finds the column a reference reads, and whether it reaches into
// it (a struct field: t.address.city) rather than reading it whole. ok is
// false when nothing in scope has the column. A qualified name is looked
// for in every scope out to the outermost before it is read as a struct
// column's field: a correlated subquery's t.id is the outer t's.
func (s *scope) resolve(parts []string) (c column, field bool, ok bool) {
	for sc := s; sc != nil; sc = sc.outer {
		if c, field, ok := sc.qualified(parts); ok {
			return c, field, true
		}
	}
	for sc := s; sc != nil; sc = sc.outer {
		if c, ok := sc.unqualified(parts[0], len(parts) == 1); ok {
			return c, len(parts) > 1, true
		}
	}
	return column{}, false, false
}

// qualified finds a name whose first parts name a relation: the longest
// such qualifier wins.
func (s *scope) qualified(parts []string) (column, bool, bool) {
	for k := len(parts) - 1; k >= 1; k-- {
		for i := range s.relations {
			r := &s.relations[i]
			if !r.qualifiedBy(parts[:k]) {
				continue
			}
			if c, ok := r.columns.find(parts[k]); ok {
				return c, k < len(parts)-1, true
			}
		}
	}
	return column{}, false, false
}

// unqualified finds a column by its name alone: a column a relation lists
// (several have it only when joined USING it), an item to the left, or
// the one relation whose columns are not all known. wild is false for a
// struct column's field (address.city): a guess there would read any
// qualifier as a column.
func (s *scope) unqualified(name string, wild bool) (column, bool) {
	var found column
	n := 0
	for i := range s.relations {
		if c, ok := s.relations[i].columns.findNamed(name); ok {
			if n == 0 {
				found = c
			} else {
				found.sources = append(slices.Clip(found.sources), c.sources...)
			}
			n++
		}
	}
	if n > 0 {
		return found, true
	}
	for _, item := range s.items {
		if item.wild == nil && item.name != "" && strings.EqualFold(item.name, name) {
			item.sources = markTransformed(item.sources, true)
			return item, true
		}
	}
	if !wild {
		return column{}, false
	}
	var guesses []column
	for i := range s.relations {
		if c, ok := s.relations[i].columns.findWild(name); ok {
			guesses = append(guesses, c)
		}
	}
	if len(guesses) == 1 {
		return guesses[0], true
	}
	return column{}, false
}

// star lists the columns * or qualifier.* reads, in order.
func (s *scope) star(qualifier []string) (columnList, bool) {
	var out columnList
	matched := false
	for i := range s.relations {
		r := &s.relations[i]
		if len(qualifier) > 0 && !r.qualifiedBy(qualifier) {
			continue
		}
		matched = true
		out = append(out, r.columns...)
	}
	return out, matched
}
