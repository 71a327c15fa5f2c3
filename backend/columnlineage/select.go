package columnlineage

import (
	"slices"
	"strings"

	"github.com/lineagedesk/lineagedesk/backend"
	"github.com/lineagedesk/lineagedesk/backend/sqlparse"
)

// maxDepth bounds how deep subqueries nest before the rest is left unread.
const maxDepth = 100

// selectColumns evaluates one SELECT: the relations it reads, then its
// items left to right, and what it reads outside its select list.
func (a *analyzer) selectColumns(sel *sqlparse.Select, env *ctes, outer *scope) columnList {
	a.depth++
	defer func() { a.depth-- }()
	if a.depth > maxDepth {
		return nil
	}
	sc := &scope{outer: outer}
	for i := range sel.From {
		// Relations are added as read: a LATERAL function's arguments see
		// the ones before it.
		sc.relations = append(sc.relations, a.relation(&sel.From[i], env, sc))
	}
	var out columnList
	for i := range sel.Items {
		item := &sel.Items[i]
		if item.Star != nil {
			out = append(out, a.star(item.Star, env, sc)...)
			continue
		}
		c := a.expression(item.Expr, env, sc)
		c.name = item.Alias
		if c.name == "" && item.Expr.Bare && len(item.Expr.Refs) == 1 {
			parts := item.Expr.Refs[0].Parts
			c.name = parts[len(parts)-1]
		}
		if !item.Expr.Bare {
			c.expr = item.Text
		}
		out = append(out, c)
		sc.items = append(sc.items, c)
	}
	for _, f := range sel.Filters {
		c := a.expression(f, env, sc)
		a.read(c.sources)
	}
	for i := range sel.From {
		if from := &sel.From[i]; len(from.Using) > 0 {
			for _, name := range from.Using {
				if c, _, ok := sc.resolve([]string{name}); ok {
					a.read(c.sources)
				}
			}
		}
	}
	return out
}

// expression evaluates what an expression reads: its column references and
// its subqueries' columns, all transformed unless it is one bare column.
func (a *analyzer) expression(e sqlparse.Expr, env *ctes, sc *scope) column {
	var c column
	for _, ref := range e.Refs {
		read, field, ok := sc.resolve(ref.Parts)
		if !ok {
			c.unresolved = append(c.unresolved, strings.Join(ref.Parts, "."))
			continue
		}
		c.sources = append(c.sources, markTransformed(read.sources, field)...)
		if e.Bare && !field {
			// Passed through: it is still computed as it was where it was made.
			c.expr, c.unresolved = read.expr, append(c.unresolved, read.unresolved...)
		}
	}
	for _, sub := range e.Subqueries {
		for _, col := range a.query(sub, env, sc) {
			if col.wild == nil {
				c.sources = append(c.sources, col.sources...)
			}
		}
	}
	if !e.Bare || len(e.Subqueries) > 0 {
		c.sources = markTransformed(c.sources, true)
	}
	return c
}

// relation evaluates one relation a SELECT reads.
func (a *analyzer) relation(t *sqlparse.TableRef, env *ctes, sc *scope) scopeRelation {
	r := scopeRelation{qualifiers: qualifiersOf(t.Alias, t.Name)}
	switch {
	case t.Subquery != nil:
		r.columns = a.query(t.Subquery, env, sc.outer)
	case t.Function != nil:
		var args []source
		for _, ref := range t.Function.Refs {
			if c, _, ok := sc.resolve(ref.Parts); ok {
				args = append(args, c.sources...)
			}
		}
		r.columns = functionColumns(args)
	default:
		r.columns = a.named(t.Name, env)
	}
	if t.Pivot != nil {
		r.columns = a.pivoted(r, t.Pivot, env)
	}
	if t.Unpivot != nil {
		r.columns = a.unpivoted(r, t.Unpivot, env)
	}
	r.columns = r.columns.renamed(t.ColumnAliases)
	return r
}

// unpivoted is a relation's columns after an UNPIVOT: its value column
// made from the columns it unpivots, its name column from none (it holds
// their names), the others passed through.
func (a *analyzer) unpivoted(r scopeRelation, unpivot *sqlparse.Unpivot, env *ctes) columnList {
	read := a.expression(unpivot.Reads, env, &scope{relations: []scopeRelation{r}})
	return append(unconsumed(r.columns, unpivot.Reads),
		column{name: unpivot.Value, sources: markTransformed(read.sources, true)},
		column{name: unpivot.Name, sources: []source{}})
}

// pivoted is a relation's columns after a PIVOT: the columns it makes,
// computed from what its aggregates and FOR column read; the relation's
// other columns passed through.
func (a *analyzer) pivoted(r scopeRelation, pivot *sqlparse.Pivot, env *ctes) columnList {
	made := a.expression(pivot.Reads, env, &scope{relations: []scopeRelation{r}})
	sources := markTransformed(made.sources, true)
	out := unconsumed(r.columns, pivot.Reads)
	for _, v := range pivot.Values {
		out = append(out, column{name: v, sources: sources})
	}
	if pivot.Values == nil {
		// IN (ANY) or a subquery: any other name is a column it makes.
		out = append(out, column{wild: func(name string) (column, bool) {
			return column{name: name, sources: sources}, true
		}})
	}
	return out
}

// unconsumed is a relation's columns but those a PIVOT or UNPIVOT reads,
// which it consumes.
func unconsumed(columns columnList, reads sqlparse.Expr) columnList {
	consumed := map[string]bool{}
	for _, ref := range reads.Refs {
		consumed[strings.ToLower(ref.Parts[len(ref.Parts)-1])] = true
	}
	var out columnList
	for _, c := range columns {
		switch {
		case c.wild != nil:
			inner := c.wild
			out = append(out, column{wild: func(name string) (column, bool) {
				if consumed[strings.ToLower(name)] {
					return column{}, false
				}
				return inner(name)
			}})
		case !consumed[strings.ToLower(c.name)]:
			out = append(out, c)
		}
	}
	return out
}

// named evaluates a relation the SQL names: a CTE, an ephemeral model's
// CTE, a node of the project (a parent, or the node itself: {{ this }} in
// an incremental model), or a relation outside the project.
func (a *analyzer) named(name []string, env *ctes) columnList {
	if len(name) == 1 {
		if cols, ok := a.cte(env, name[0]); ok {
			if model, ok := strings.CutPrefix(strings.ToLower(name[0]), ephemeralPrefix); ok {
				if p := a.parentNamed(model); p != nil {
					return cols.asNode(p.UniqueID)
				}
			}
			return cols
		}
	}
	if n := a.nodeOfRelation(name); n != nil {
		// Read-only once made: a CTE per parent and the joins read it again.
		if cols, ok := a.nodeCols[n.UniqueID]; ok {
			return cols
		}
		names, complete := columnNames(n)
		cols := nodeColumns(n.UniqueID, names, complete)
		a.nodeCols[n.UniqueID] = cols
		return cols
	}
	relation := strings.Join(name, ".")
	if strings.Trim(relation, ".") == "" {
		relation = `""` // FROM "": a relation named by an empty quoted name
	}
	return externalColumns(relation)
}

func (a *analyzer) parentNamed(name string) *backend.CodeNode {
	for i := range a.parents {
		if p := &a.parents[i]; strings.EqualFold(p.Name, name) && p.Materialized == "ephemeral" {
			return p
		}
	}
	return nil
}

// nodeOfRelation finds the parent (or the node itself) a relation name
// names: the name's parts are the end of its database.schema.identifier.
func (a *analyzer) nodeOfRelation(name []string) *backend.CodeNode {
	if len(name) == 0 {
		return nil
	}
	matches := func(n *backend.CodeNode) bool {
		ident := n.Identifier
		if ident == "" {
			ident = n.Name
		}
		full := []string{n.Database, n.Schema, ident}
		if len(name) > len(full) {
			return false
		}
		return equalParts(full[len(full)-len(name):], name)
	}
	for i := range a.parents {
		if matches(&a.parents[i]) {
			return &a.parents[i]
		}
	}
	if matches(&a.self) {
		return &a.self
	}
	return nil
}

// columnNames are a node's columns as the warehouse has them: the
// catalog's, when it has the node (complete; columns only the YAML
// documents are then stale docs), else the documented ones.
func columnNames(n *backend.CodeNode) (names []string, complete bool) {
	complete = slices.ContainsFunc(n.Columns, func(c backend.CodeColumn) bool { return c.InCatalog })
	names = make([]string, 0, len(n.Columns))
	for _, c := range n.Columns {
		if c.InCatalog || !complete {
			names = append(names, c.Name)
		}
	}
	return names, complete
}

// star expands *, t.* and their EXCEPT, REPLACE and RENAME.
func (a *analyzer) star(st *sqlparse.Star, env *ctes, sc *scope) columnList {
	cols, _ := sc.star(st.Qualifier)
	except := map[string]bool{}
	for _, n := range st.Except {
		except[strings.ToLower(n)] = true
	}
	renames := map[string]string{} // old -> new
	for _, r := range st.Rename {
		renames[strings.ToLower(r[0])] = r[1]
	}
	replaced := map[string]column{}
	for _, item := range st.Replace {
		c := a.expression(item.Expr, env, sc)
		c.name, c.expr = item.Alias, item.Text
		replaced[strings.ToLower(item.Alias)] = c
	}
	var out columnList
	for _, c := range cols {
		if c.wild != nil {
			out = append(out, column{wild: starWildcard(c.wild, except, renames, replaced)})
			continue
		}
		key := strings.ToLower(c.name)
		if except[key] {
			continue
		}
		if r, ok := replaced[key]; ok {
			c = r
		}
		if n, ok := renames[key]; ok {
			c.name = n
		}
		out = append(out, c)
	}
	return out
}

// starWildcard is a wildcard seen through a star's EXCEPT, RENAME and
// REPLACE.
func starWildcard(inner wildcard, except map[string]bool, renames map[string]string, replaced map[string]column) wildcard {
	return func(name string) (column, bool) {
		key := strings.ToLower(name)
		for old, n := range renames {
			if strings.EqualFold(n, name) {
				c, ok := inner(old)
				c.name = name
				return c, ok
			}
			if old == key {
				return column{}, false // renamed away
			}
		}
		if except[key] {
			return column{}, false
		}
		if c, ok := replaced[key]; ok {
			return c, true
		}
		return inner(name)
	}
}
