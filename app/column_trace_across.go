package app

import (
	"cmp"
	"context"
	"fmt"
	"maps"
	"slices"
	"strings"

	"github.com/lineagedesk/lineagedesk/backend"
	"github.com/lineagedesk/lineagedesk/backend/columnlineage"
)

// traceLeg is a column to trace in one run of a mesh, one way, levels
// steps at most (0: all the way).
type traceLeg struct {
	run    int
	focus  backend.ColumnKey
	way    int // columnlineage.Upstream or Downstream
	levels int
}

// traceAcross follows a column trace (t, in the mesh's first run) through
// cross-project refs (dbt Mesh) into the other runs the store holds:
// upstream from a ref's columns into the project that defines the model,
// downstream from a public model's columns into the projects that ref it,
// as far as the depth asked leaves, and on from there. A ref gives way to
// the model its project defines; each node read from another run says
// which.
func (a *App) traceAcross(ctx context.Context, m *meshRuns, t backend.ColumnTrace, depth int) (backend.ColumnTrace, error) {
	if len(m.runs) < 2 {
		return t, nil
	}
	runOf, refs, refdBy := m.runOf, m.refProject, m.refdBy
	merged := traceMerge{nodes: map[string]backend.ColumnTraceNode{}, run: map[string]int{}, edges: map[[2]string]backend.ColumnEdge{}}
	var queue []traceLeg
	seen := map[string]bool{}
	// cross queues the legs a trace of run i leads to: its columns of refs
	// upstream, its columns of public models downstream, each as far as
	// the depth leaves from where the trace reached it.
	cross := func(i int, tr backend.ColumnTrace, ways int, levels int) {
		for _, w := range []struct {
			way  int
			name string
		}{{columnlineage.Upstream, "upstream"}, {columnlineage.Downstream, "downstream"}} {
			if ways&w.way == 0 {
				continue
			}
			dist := levelsFrom(tr, w.way == columnlineage.Upstream)
			cols := slices.Sorted(maps.Keys(dist)) // in order: a trace cut at its limit is cut the same way each time
			for _, col := range cols {
				node, column, _ := strings.Cut(col, "\x00")
				var to []int
				if j, held := runOf[refs[i][node]]; w.way == columnlineage.Upstream && refs[i][node] != "" && held {
					to = []int{j}
				} else if w.way == columnlineage.Downstream {
					to = slices.DeleteFunc(slices.Clone(refdBy[node]), func(k int) bool { return k == i })
				}
				if len(to) == 0 {
					continue
				}
				left := 0
				if levels > 0 {
					if left = levels - dist[col]; left <= 0 {
						merged.continues(node, w.name) // cut at the depth asked, where the links go on into another project
						continue
					}
				}
				for _, k := range to {
					key := fmt.Sprintf("%d\x00%s\x00%s\x00%d", k, node, strings.ToLower(column), w.way)
					if !seen[key] {
						seen[key] = true
						queue = append(queue, traceLeg{run: k, focus: backend.ColumnKey{Node: node, Column: column}, way: w.way, levels: left})
					}
				}
			}
		}
	}
	merged.add(0, t, refs[0])
	cross(0, t, columnlineage.Upstream|columnlineage.Downstream, depth)
	for len(queue) > 0 && !t.Truncated {
		leg := queue[0]
		queue = queue[1:]
		p := a.columnProject(m.runs[leg.run])
		tr, err := p.Trace(ctx, leg.focus, leg.way, leg.levels, columnTraceLimit-len(merged.edges))
		if err != nil {
			return t, err
		}
		t.Truncated = t.Truncated || tr.Truncated
		merged.add(leg.run, tr, refs[leg.run])
		cross(leg.run, tr, leg.way, leg.levels)
	}
	t.Nodes, t.Edges = merged.result(m)
	counts := map[int]int{}
	for _, n := range t.Nodes {
		if i := merged.run[traceNodeKey(n)]; i > 0 {
			counts[i]++
		}
	}
	for i := 1; i < len(m.runs); i++ {
		if counts[i] > 0 {
			t.AcrossProjects = append(t.AcrossProjects, backend.ProjectRun{Project: m.runs[i].Project, SnapshotID: m.runs[i].ID, Nodes: counts[i]})
		}
	}
	return t, nil
}

// levelsFrom is how many links each column of a trace is from its focus,
// upstream or downstream, keyed node + "\x00" + column.
func levelsFrom(t backend.ColumnTrace, upstream bool) map[string]int {
	key := func(k backend.ColumnKey) string { return k.Node + "\x00" + strings.ToLower(k.Column) }
	next := map[string][]backend.ColumnKey{}
	for _, e := range t.Edges {
		from, to := e.From, e.To
		if upstream {
			from, to = e.To, e.From
		}
		next[key(from)] = append(next[key(from)], to)
	}
	dist := map[string]int{key(t.Focus): 0} // the focus itself may be a ref, or a public model
	frontier := []backend.ColumnKey{t.Focus}
	for level := 1; len(frontier) > 0; level++ {
		var reached []backend.ColumnKey
		for _, c := range frontier {
			for _, n := range next[key(c)] {
				if _, ok := dist[key(n)]; !ok && n.Node != "" && n.Column != "" {
					dist[key(n)] = level
					reached = append(reached, n)
				}
			}
		}
		frontier = reached
	}
	// Keep the column as the trace spells it.
	out := make(map[string]int, len(dist))
	for _, n := range t.Nodes {
		for _, c := range n.Columns {
			if d, ok := dist[n.UniqueID+"\x00"+strings.ToLower(c)]; ok {
				out[n.UniqueID+"\x00"+c] = d
			}
		}
	}
	return out
}

// traceMerge joins the traces of several runs: a node once (a ref gives
// way to the model its project defines), its columns and problems joined,
// each link once.
type traceMerge struct {
	nodes map[string]backend.ColumnTraceNode
	run   map[string]int // the run each node was read from
	stub  map[string]bool
	edges map[[2]string]backend.ColumnEdge
}

func traceNodeKey(n backend.ColumnTraceNode) string { return n.UniqueID + "\x00" + n.Relation }

func (m *traceMerge) add(run int, t backend.ColumnTrace, refs map[string]string) {
	if m.stub == nil {
		m.stub = map[string]bool{}
	}
	for _, n := range t.Nodes {
		if n.UniqueID != "" && n.ResourceType == "" {
			continue // a ref to a model its project's run does not hold: the ref stays
		}
		k := traceNodeKey(n)
		old, ok := m.nodes[k]
		ref := refs[n.UniqueID] != ""
		switch {
		case !ok:
			m.nodes[k], m.run[k], m.stub[k] = n, run, ref
		case m.stub[k] && !ref: // the model its project defines
			n.Columns = unionColumns(n.Columns, old.Columns)
			m.nodes[k], m.run[k], m.stub[k] = n, run, false
		default:
			old.Columns = unionColumns(old.Columns, n.Columns)
			m.nodes[k] = old
		}
	}
	for _, e := range t.Edges {
		k := [2]string{e.From.Node + "\x00" + e.From.Relation + "\x00" + strings.ToLower(e.From.Column), e.To.Node + "\x00" + e.To.Relation + "\x00" + strings.ToLower(e.To.Column)}
		if _, ok := m.edges[k]; !ok {
			m.edges[k] = e
		}
	}
}

// continues notes that the links of a node's columns go on, one way,
// past the depth the trace was cut at.
func (m *traceMerge) continues(node, way string) {
	for k, n := range m.nodes {
		if n.UniqueID == node && !slices.Contains(n.Continues, way) {
			n.Continues = append(n.Continues, way)
			m.nodes[k] = n
		}
	}
}

// unionColumns is a's columns, then those of b it lacks.
func unionColumns(a, b []string) []string {
	out := slices.Clone(a)
	for _, c := range b {
		if !slices.ContainsFunc(out, func(x string) bool { return strings.EqualFold(x, c) }) {
			out = append(out, c)
		}
	}
	return out
}

// result is the joined nodes, those of other runs with their run, by
// unique_id then relation, and the links by from, then to.
func (m *traceMerge) result(mesh *meshRuns) ([]backend.ColumnTraceNode, []backend.ColumnEdge) {
	nodes := make([]backend.ColumnTraceNode, 0, len(m.nodes))
	for k, n := range m.nodes {
		if i := m.run[k]; i > 0 {
			n.SnapshotID = mesh.runs[i].ID
		}
		nodes = append(nodes, n)
	}
	slices.SortFunc(nodes, func(a, b backend.ColumnTraceNode) int {
		return cmp.Or(strings.Compare(a.UniqueID, b.UniqueID), strings.Compare(a.Relation, b.Relation))
	})
	edges := make([]backend.ColumnEdge, 0, len(m.edges))
	for _, e := range m.edges {
		edges = append(edges, e)
	}
	slices.SortFunc(edges, func(a, b backend.ColumnEdge) int {
		return cmp.Or(a.From.Compare(b.From), a.To.Compare(b.To))
	})
	return nodes, edges
}
