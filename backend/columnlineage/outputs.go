package columnlineage

import (
	"cmp"
	"fmt"
	"slices"
	"strings"

	"github.com/lineagedesk/lineagedesk/backend"
)

// outputs names the query's columns as the warehouse does and says what
// each is made from. The node's columns (the catalog's, else the
// documented ones) name what the SQL leaves unnamed: the columns a
// wildcard stands for, and expressions without an alias when the SQL has
// as many columns as the node.
func outputs(cols columnList, node backend.CodeNode) []backend.OutputColumn {
	known, _ := columnNames(&node)
	named := map[string]bool{}
	for _, c := range cols {
		if c.wild == nil && c.name != "" {
			named[strings.ToLower(c.name)] = true
		}
	}
	byPosition := !cols.hasWild() && len(cols) == len(known)
	out := make([]backend.OutputColumn, 0, len(cols))
	seen := map[string]int{}
	add := func(c column) {
		key := strings.ToLower(c.name)
		if i, dup := seen[key]; dup {
			// Joined USING a column, SELECT * has it twice; it is one column.
			out[i].Sources = mergeSources(out[i].Sources, sourcesOf(c, node.UniqueID))
			return
		}
		seen[key] = len(out)
		out = append(out, backend.OutputColumn{Name: c.name, Sources: sourcesOf(c, node.UniqueID), Expression: c.expr, Unresolved: dedupe(c.unresolved)})
	}
	for i, c := range cols {
		if c.wild != nil {
			for _, name := range known {
				if named[strings.ToLower(name)] {
					continue
				}
				if found, ok := c.wild(name); ok {
					found.name = name
					named[strings.ToLower(name)] = true
					add(found)
				}
			}
			continue
		}
		if c.name == "" {
			if byPosition {
				c.name = known[i]
			} else {
				c.name = fmt.Sprintf("column %d", i+1)
			}
		}
		c.name = spelling(c.name, known)
		add(c)
	}
	return out
}

// spelling returns the node's own spelling of a column name (Snowflake
// upper-cases unquoted names the SQL writes in lower case).
func spelling(name string, known []string) string {
	for _, k := range known {
		if strings.EqualFold(k, name) {
			return k
		}
	}
	return name
}

// sourcesOf turns a column's sources into what the lineage shows: each
// once, by kind relative to the column's name.
func sourcesOf(c column, self string) []backend.ColumnSource {
	out := make([]backend.ColumnSource, 0, len(c.sources))
	for _, s := range c.sources {
		if s.node == self {
			continue // {{ this }}: an incremental model reading what it built before
		}
		kind := backend.ColumnTransformed
		if !s.transformed {
			kind = backend.ColumnRename
			if strings.EqualFold(s.column, c.name) {
				kind = backend.ColumnPassthrough
			}
		}
		out = append(out, backend.ColumnSource{Node: s.node, Relation: s.relation, Column: s.column, Kind: kind})
	}
	return mergeSources(nil, out)
}

// mergeSources adds sources to a list, each column once: where two paths
// bring the same column, one passing it through and one computing from it,
// the column is transformed.
func mergeSources(list, more []backend.ColumnSource) []backend.ColumnSource {
	rank := map[string]int{backend.ColumnPassthrough: 0, backend.ColumnRename: 1, backend.ColumnTransformed: 2}
	for _, s := range more {
		i := slices.IndexFunc(list, func(o backend.ColumnSource) bool {
			return o.Node == s.Node && o.Relation == s.Relation && strings.EqualFold(o.Column, s.Column)
		})
		if i < 0 {
			list = append(list, s)
		} else if rank[s.Kind] > rank[list[i].Kind] {
			list[i].Kind = s.Kind
		}
	}
	sortSources(list)
	return list
}

func sortSources(list []backend.ColumnSource) {
	slices.SortFunc(list, func(a, b backend.ColumnSource) int {
		return cmp.Or(cmp.Compare(a.Node, b.Node), cmp.Compare(a.Relation, b.Relation), cmp.Compare(a.Column, b.Column))
	})
}

func dedupe(names []string) []string {
	if len(names) == 0 {
		return nil
	}
	out := slices.Clone(names)
	slices.Sort(out)
	return slices.Compact(out)
}
