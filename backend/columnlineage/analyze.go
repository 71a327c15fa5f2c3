package columnlineage

import (
	"fmt"
	"strings"

	"github.com/lineagedesk/lineagedesk/backend"
	"github.com/lineagedesk/lineagedesk/backend/sqlparse"
)

// ephemeralPrefix names the CTE dbt injects for an ephemeral model.
const ephemeralPrefix = "__dbt__cte__"

// Analyze reads how node's columns are made from the columns of the nodes
// it reads. parents are those nodes (the CodeNodes of node.DependsOn); a
// relation the SQL reads that is none of them is read as a relation
// outside the project. It never fails: what it cannot read, its Problem
// says.
func Analyze(node backend.CodeNode, parents []backend.CodeNode, dialect sqlparse.Dialect) backend.NodeColumns {
	out := backend.NodeColumns{Node: node.UniqueID, Columns: []backend.OutputColumn{}}
	switch {
	case strings.EqualFold(node.Language, "python"):
		out.Problem = "a Python model: dbt does not compile its code to SQL, so its columns' sources are unknown"
		return out
	case node.CrossProject() && strings.TrimSpace(node.CompiledCode) == "":
		out.Problem = fmt.Sprintf("a public model of project %s, which this project refs (dbt Mesh): its SQL is in that project's runs; trace its columns there", node.Package)
		return out
	case strings.TrimSpace(node.CompiledCode) == "":
		out.Problem = "no compiled SQL: the dbt command that wrote this manifest did not compile it (docs generate, compile, run and build do)"
		return out
	}
	q, err := sqlparse.Parse(node.CompiledCode, dialect)
	if err != nil {
		out.Problem = fmt.Sprintf("its compiled SQL could not be read: %v", err)
		return out
	}
	a := &analyzer{self: node, parents: parents, readSet: map[source]bool{}, nodeCols: map[string]columnList{}}
	cols := a.query(q, nil, nil)
	out.Columns = outputs(cols, node)
	out.Reads = a.readList()
	return out
}

// analyzer holds what reading one node's SQL needs and gathers.
type analyzer struct {
	self    backend.CodeNode
	parents []backend.CodeNode
	reads   []source
	readSet map[source]bool
	depth   int
	// nodeCols are the columns of each node read as a relation.
	nodeCols map[string]columnList
}

// ctes are the common table expressions a query sees, evaluated once each,
// on first use.
type ctes struct {
	defs  map[string]*sqlparse.CTE
	done  map[string]columnList
	busy  map[string]bool
	outer *ctes
}

func (c *ctes) lookup(name string) (*ctes, *sqlparse.CTE) {
	for e := c; e != nil; e = e.outer {
		if def, ok := e.defs[strings.ToLower(name)]; ok {
			return e, def
		}
	}
	return nil, nil
}

// query evaluates a query's output columns: its first branch's names, each
// made from the same position of every branch.
func (a *analyzer) query(q *sqlparse.Query, env *ctes, outer *scope) columnList {
	if len(q.With) > 0 {
		inner := &ctes{defs: map[string]*sqlparse.CTE{}, done: map[string]columnList{}, busy: map[string]bool{}, outer: env}
		for i := range q.With {
			inner.defs[strings.ToLower(q.With[i].Name)] = &q.With[i]
		}
		env = inner
	}
	var result columnList
	for i, sel := range q.Selects {
		cols := a.selectColumns(sel, env, outer)
		if i == 0 {
			result = cols
			continue
		}
		result = mergeBranch(result, cols)
	}
	return result
}

// mergeBranch adds a set operation's later branch to its first: by
// position, or by name where a wildcard makes positions unknown.
func mergeBranch(first, next columnList) columnList {
	byPosition := !first.hasWild() && !next.hasWild() && len(first) == len(next)
	out := make(columnList, len(first))
	for i, c := range first {
		if c.wild != nil {
			inner := c.wild
			c.wild = func(name string) (column, bool) {
				found, ok := inner(name)
				if other, ok2 := next.find(name); ok2 {
					found.sources = append(append([]source(nil), found.sources...), other.sources...)
					ok = true
				}
				return found, ok
			}
			out[i] = c
			continue
		}
		var other column
		var ok bool
		if byPosition {
			other, ok = next[i], true
		} else {
			other, ok = next.find(c.name)
		}
		if ok {
			c.sources = append(append([]source(nil), c.sources...), other.sources...)
			if c.expr == "" {
				c.expr = other.expr
			}
			c.unresolved = append(append([]string(nil), c.unresolved...), other.unresolved...)
		}
		out[i] = c
	}
	return out
}

// cte evaluates a CTE the query names, once.
func (a *analyzer) cte(env *ctes, name string) (columnList, bool) {
	owner, def := env.lookup(name)
	if def == nil {
		return nil, false
	}
	key := strings.ToLower(name)
	if cols, ok := owner.done[key]; ok {
		return cols, true
	}
	if owner.busy[key] {
		// A recursive CTE reading itself: its columns are its first
		// branch's, which the caller is evaluating.
		return columnList{{wild: func(string) (column, bool) { return column{}, false }}}, true
	}
	owner.busy[key] = true
	// A CTE sees the CTEs defined with it (and, recursive, itself).
	cols := a.query(def.Query, owner, nil).renamed(def.Columns)
	owner.busy[key] = false
	owner.done[key] = cols
	return cols, true
}

// read records columns read outside a select list.
func (a *analyzer) read(sources []source) {
	for _, s := range sources {
		s.transformed = false
		if s.node == a.self.UniqueID || a.readSet[s] {
			continue
		}
		a.readSet[s] = true
		a.reads = append(a.reads, s)
	}
}

func (a *analyzer) readList() []backend.ColumnSource {
	out := make([]backend.ColumnSource, 0, len(a.reads))
	for _, s := range a.reads {
		out = append(out, backend.ColumnSource{Node: s.node, Relation: s.relation, Column: s.column})
	}
	sortSources(out)
	return out
}
