package columnlineage

import (
	"cmp"
	"context"
	"math"
	"slices"
	"strings"

	"github.com/lineagedesk/lineagedesk/backend"
)

// Directions a trace follows.
const (
	Upstream   = 1 << iota // the columns the focus is made from, up to the sources
	Downstream             // the columns made from it, down to the last models
)

// traceKey is a column, compared case-insensitively.
type traceKey struct{ node, relation, column string }

func keyOf(k backend.ColumnKey) traceKey {
	return traceKey{k.Node, k.Relation, strings.ToLower(k.Column)}
}

// tracer gathers one trace.
type tracer struct {
	p       *Project
	limit   int
	edges   map[[2]traceKey]backend.ColumnEdge
	columns map[traceKey]backend.ColumnKey // each column reached, as spelt first
	trunc   bool
	// continues holds, for a trace cut at a depth, the nodes whose columns
	// have links past it, and which way.
	continues map[string][]string
}

// Trace follows a column of a node up to what it is made from and down to
// what is made from it, level by level, depth levels each way at most (0:
// all the way), until limit edges.
func (p *Project) Trace(ctx context.Context, focus backend.ColumnKey, directions, depth, limit int) (backend.ColumnTrace, error) {
	t := &tracer{p: p, limit: limit, edges: map[[2]traceKey]backend.ColumnEdge{},
		columns: map[traceKey]backend.ColumnKey{keyOf(focus): focus}, continues: map[string][]string{}}
	if directions&Upstream != 0 {
		if err := t.walk(ctx, focus, depth, true, depth > 0, t.upstreamStep); err != nil {
			return backend.ColumnTrace{}, err
		}
	}
	if directions&Downstream != 0 {
		if err := t.walk(ctx, focus, depth, false, depth > 0, t.downstreamStep); err != nil {
			return backend.ColumnTrace{}, err
		}
	}
	out, err := t.result(ctx, focus)
	out.Depth = depth
	return out, err
}

func (t *tracer) full() bool {
	if len(t.edges) >= t.limit {
		t.trunc = true
	}
	return t.trunc
}

func (t *tracer) add(e backend.ColumnEdge) {
	k := [2]traceKey{keyOf(e.From), keyOf(e.To)}
	if _, ok := t.edges[k]; ok {
		return
	}
	t.edges[k] = e
	for _, c := range []backend.ColumnKey{e.From, e.To} {
		if _, ok := t.columns[keyOf(c)]; !ok {
			t.columns[keyOf(c)] = c
		}
	}
}

// A step returns the links between the frontier's columns and the next
// level's: what they are made from, or what is made from them.
type step func(ctx context.Context, frontier []backend.ColumnKey) ([]backend.ColumnEdge, error)

// walk follows focus one way, levels steps at most (0: all the way). When
// probe is set and the walk stops at its depth, one more step says which
// of the last level's nodes have links past it (continues).
func (t *tracer) walk(ctx context.Context, focus backend.ColumnKey, levels int, upstream, probe bool, next step) error {
	way := "downstream"
	if upstream {
		way = "upstream"
	}
	frontier := []backend.ColumnKey{focus}
	seen := map[traceKey]bool{keyOf(focus): true}
	for level := 1; len(frontier) > 0 && !t.full(); level++ {
		if levels > 0 && level > levels && !probe {
			return nil
		}
		edges, err := next(ctx, frontier)
		if err != nil {
			return err
		}
		if levels > 0 && level > levels {
			for _, e := range edges {
				node := e.From.Node
				if upstream {
					node = e.To.Node
				}
				if !slices.Contains(t.continues[node], way) {
					t.continues[node] = append(t.continues[node], way)
				}
			}
			return nil
		}
		frontier = nil
		for _, e := range edges {
			t.add(e)
			reached := e.To
			if upstream {
				reached = e.From
			}
			// A relation outside the project, or a whole node (a filter,
			// an exposure), is where the walk stops.
			if reached.Node != "" && reached.Column != "" && !seen[keyOf(reached)] {
				seen[keyOf(reached)] = true
				frontier = append(frontier, reached)
			}
		}
	}
	return nil
}

// upstreamStep returns the links from what the frontier's columns are made of.
func (t *tracer) upstreamStep(ctx context.Context, frontier []backend.ColumnKey) ([]backend.ColumnEdge, error) {
	analysed, err := t.p.Columns(ctx, nodesOf(frontier))
	if err != nil {
		return nil, err
	}
	var edges []backend.ColumnEdge
	for _, col := range frontier {
		oc := outputNamed(analysed, col)
		if oc == nil {
			continue
		}
		for _, s := range oc.Sources {
			e := backend.ColumnEdge{From: backend.ColumnKey{Node: s.Node, Relation: s.Relation, Column: s.Column}, To: col, Kind: s.Kind}
			if s.Kind == backend.ColumnTransformed {
				e.Expression = oc.Expression
			}
			edges = append(edges, e)
		}
	}
	return edges, nil
}

// downstreamStep returns the links to the columns made from the
// frontier's, and to the nodes that join or filter on them or expose them.
func (t *tracer) downstreamStep(ctx context.Context, frontier []backend.ColumnKey) ([]backend.ColumnEdge, error) {
	if err := t.p.ensure(ctx, nodesOf(frontier)); err != nil {
		return nil, err
	}
	var readers []string
	for _, col := range frontier {
		n := t.p.node(col.Node)
		if n == nil {
			continue
		}
		for _, r := range n.ReadBy {
			// dbt's unique_ids start with the resource type: a test makes
			// no columns, and a hub has thousands.
			if !strings.HasPrefix(r, "test.") && !strings.HasPrefix(r, "unit_test.") {
				readers = append(readers, r)
			}
		}
		if n.ResourceType == backend.TypeSemanticModel {
			more, err := t.p.semanticReaders(ctx)
			if err != nil {
				return nil, err
			}
			readers = append(readers, more...)
		}
	}
	slices.Sort(readers)
	analysed, err := t.p.Columns(ctx, slices.Compact(readers))
	if err != nil {
		return nil, err
	}
	var edges []backend.ColumnEdge
	for _, col := range frontier {
		for _, nc := range analysed {
			n := t.p.node(nc.Node)
			// The semantic layer's readers name what they read without
			// depending on it (see semanticReaders).
			if n == nil || !slices.Contains(n.DependsOn, col.Node) && !readsSemanticLayer(n.ResourceType) {
				continue
			}
			if n.ResourceType == backend.TypeExposure {
				edges = append(edges, backend.ColumnEdge{From: col, To: backend.ColumnKey{Node: nc.Node}, Kind: backend.ColumnExposed})
				continue
			}
			if !madeFromParents(n.ResourceType) {
				continue
			}
			for _, oc := range nc.Columns {
				for _, s := range oc.Sources {
					if s.Node != col.Node || !strings.EqualFold(s.Column, col.Column) {
						continue
					}
					e := backend.ColumnEdge{From: col, To: backend.ColumnKey{Node: nc.Node, Column: oc.Name}, Kind: s.Kind}
					if s.Kind == backend.ColumnTransformed {
						e.Expression = oc.Expression
					}
					edges = append(edges, e)
				}
			}
			for _, r := range nc.Reads {
				if r.Node == col.Node && strings.EqualFold(r.Column, col.Column) {
					edges = append(edges, backend.ColumnEdge{From: col, To: backend.ColumnKey{Node: nc.Node}, Kind: backend.ColumnFilter})
				}
			}
		}
	}
	return edges, nil
}

// Readers returns the columns made from a column one step downstream, and
// the nodes that join or filter on it or expose it (To.Column empty), in a
// stable order.
func (p *Project) Readers(ctx context.Context, col backend.ColumnKey) ([]backend.ColumnKey, error) {
	t := &tracer{p: p, limit: math.MaxInt, edges: map[[2]traceKey]backend.ColumnEdge{}, columns: map[traceKey]backend.ColumnKey{}}
	if err := t.walk(ctx, col, 1, false, false, t.downstreamStep); err != nil {
		return nil, err
	}
	out := make([]backend.ColumnKey, 0, len(t.edges))
	for _, e := range t.edges {
		out = append(out, e.To)
	}
	slices.SortFunc(out, backend.ColumnKey.Compare)
	return out, nil
}

func nodesOf(cols []backend.ColumnKey) []string {
	var ids []string
	for _, c := range cols {
		if c.Node != "" && !slices.Contains(ids, c.Node) {
			ids = append(ids, c.Node)
		}
	}
	return ids
}

func outputNamed(analysed []*backend.NodeColumns, col backend.ColumnKey) *backend.OutputColumn {
	for _, nc := range analysed {
		if nc.Node != col.Node {
			continue
		}
		for i := range nc.Columns {
			if strings.EqualFold(nc.Columns[i].Name, col.Column) {
				return &nc.Columns[i]
			}
		}
	}
	return nil
}

// result lays the trace out: its nodes with their columns, its edges, in
// a stable order.
func (t *tracer) result(ctx context.Context, focus backend.ColumnKey) (backend.ColumnTrace, error) {
	out := backend.ColumnTrace{Focus: focus, Nodes: []backend.ColumnTraceNode{}, Edges: make([]backend.ColumnEdge, 0, len(t.edges)), Truncated: t.trunc}
	var ids []string
	for _, c := range t.columns {
		if c.Node != "" {
			ids = append(ids, c.Node)
		}
	}
	if err := t.p.ensure(ctx, ids); err != nil {
		return out, err
	}
	byNode := map[[2]string]*backend.ColumnTraceNode{}
	for _, c := range t.columns {
		k := [2]string{c.Node, c.Relation}
		tn := byNode[k]
		if tn == nil {
			tn = &backend.ColumnTraceNode{UniqueID: c.Node, Relation: c.Relation, Name: c.Relation, Columns: []string{}}
			if n := t.p.node(c.Node); n != nil {
				tn.ResourceType, tn.Name, tn.RelationName = n.ResourceType, n.Name, n.RelationName
				if n.Version != "" {
					tn.Name += " v" + n.Version // as the lineage picture names it
				}
				if madeFromParents(n.ResourceType) {
					if nc := t.p.analyzedOf(c.Node); nc != nil {
						tn.Problem = nc.Problem
					}
				}
			}
			tn.Continues = t.continues[c.Node]
			byNode[k] = tn
		}
		if c.Column != "" {
			tn.Columns = append(tn.Columns, c.Column)
		}
	}
	for _, tn := range byNode {
		order := columnOrder(t.p.node(tn.UniqueID))
		slices.SortFunc(tn.Columns, func(a, b string) int {
			return cmp.Or(cmp.Compare(order(a), order(b)), cmp.Compare(strings.ToLower(a), strings.ToLower(b)))
		})
		out.Nodes = append(out.Nodes, *tn)
	}
	slices.SortFunc(out.Nodes, func(a, b backend.ColumnTraceNode) int {
		return cmp.Or(cmp.Compare(a.UniqueID, b.UniqueID), cmp.Compare(a.Relation, b.Relation))
	})
	for _, e := range t.edges {
		out.Edges = append(out.Edges, e)
	}
	slices.SortFunc(out.Edges, func(a, b backend.ColumnEdge) int {
		return cmp.Or(a.From.Compare(b.From), a.To.Compare(b.To))
	})
	return out, nil
}

func (p *Project) analyzedOf(id string) *backend.NodeColumns {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.analyzed[id]
}

// columnOrder ranks a node's columns in its own order; others after.
func columnOrder(n *backend.CodeNode) func(string) int {
	return func(name string) int {
		if n != nil {
			for i, c := range n.Columns {
				if strings.EqualFold(c.Name, name) {
					return i
				}
			}
			return len(n.Columns)
		}
		return 0
	}
}
