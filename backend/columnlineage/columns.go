// Package columnlineage tells which columns of its parents each column of a
// dbt node is made from, by reading the SQL dbt compiled the node to, and
// follows that column by column up and down the project's lineage.
package columnlineage

import (
	"strings"
)

// source is a column a column is made from, as far up as one node's SQL
// sees: a parent's column, or a column of a relation outside the project.
type source struct {
	node, relation, column string
	// transformed: some step between the two computes rather than passes
	// the value through.
	transformed bool
}

// column is a column of a relation in scope: a parent, a CTE, a subquery,
// or the query being read.
type column struct {
	name    string // "" for an expression without an alias
	sources []source
	// expr is the select item that computes it, when it does not just
	// pass a column through.
	expr       string
	unresolved []string
	// wild stands for the columns of a relation whose names the SQL does
	// not list and the catalog does not know: SELECT * from it, read on.
	wild wildcard
}

// wildcard answers for a column of unknown name, or says it has none by
// that name.
type wildcard func(name string) (column, bool)

// columnList is a relation's columns in order; wildcards answer for the
// names not listed.
type columnList []column

// find returns the listed column named name (case-insensitively), else
// what the first wildcard that knows the name says.
func (l columnList) find(name string) (column, bool) {
	for _, c := range l {
		if c.wild == nil && strings.EqualFold(c.name, name) {
			return c, true
		}
	}
	return l.findWild(name)
}

func (l columnList) findNamed(name string) (column, bool) {
	for _, c := range l {
		if c.wild == nil && strings.EqualFold(c.name, name) {
			return c, true
		}
	}
	return column{}, false
}

func (l columnList) findWild(name string) (column, bool) {
	for _, c := range l {
		if c.wild != nil {
			if found, ok := c.wild(name); ok {
				return found, true
			}
		}
	}
	return column{}, false
}

func (l columnList) hasWild() bool {
	for _, c := range l {
		if c.wild != nil {
			return true
		}
	}
	return false
}

// markTransformed returns the columns a column with those sources is made from
// when read through an expression: all transformed unless bare.
func markTransformed(sources []source, transformed bool) []source {
	out := make([]source, len(sources))
	for i, s := range sources {
		s.transformed = s.transformed || transformed
		out[i] = s
	}
	return out
}

// nodeColumns are the columns of a node read as a relation: each its own
// source. Unless the catalog listed them (complete), the YAML may document
// some columns only: the node then answers for any other name too.
func nodeColumns(id string, names []string, complete bool) columnList {
	l := make(columnList, 0, len(names)+1)
	for _, n := range names {
		l = append(l, column{name: n, sources: []source{{node: id, column: n}}})
	}
	if !complete {
		l = append(l, column{wild: func(name string) (column, bool) {
			return column{name: name, sources: []source{{node: id, column: name}}}, true
		}})
	}
	return l
}

// externalColumns are the columns of a relation that no node of the
// project is: named as the SQL names them.
func externalColumns(relation string) columnList {
	return columnList{{wild: func(name string) (column, bool) {
		return column{name: name, sources: []source{{relation: relation, column: name}}}, true
	}}}
}

// functionColumns are the columns of a table function (UNNEST, FLATTEN,
// generate_series): each computed from what its arguments read.
func functionColumns(args []source) columnList {
	return columnList{{wild: func(name string) (column, bool) {
		return column{name: name, sources: markTransformed(args, true)}, true
	}}}
}

// renamed returns the list with its first columns renamed (AS t (a, b)).
func (l columnList) renamed(names []string) columnList {
	if len(names) == 0 {
		return l
	}
	out := make(columnList, 0, len(l))
	next := 0
	for _, c := range l {
		if c.wild == nil && next < len(names) {
			c.name = names[next]
			next++
		}
		out = append(out, c)
	}
	return out
}

// asNode reads a list of columns as the columns of node id: an ephemeral
// model, whose SQL its readers hold as a CTE, is a node of the lineage.
func (l columnList) asNode(id string) columnList {
	out := make(columnList, 0, len(l))
	for _, c := range l {
		if c.wild != nil {
			inner := c.wild
			out = append(out, column{wild: func(name string) (column, bool) {
				if _, ok := inner(name); !ok {
					return column{}, false
				}
				return column{name: name, sources: []source{{node: id, column: name}}}, true
			}})
			continue
		}
		out = append(out, column{name: c.name, sources: []source{{node: id, column: c.name}}})
	}
	return out
}
