package lineage

import (
	"errors"
	"fmt"
	"math"
	"strings"

	"github.com/lineagedesk/lineagedesk/backend"
)

// walk marks in `in` every node reachable from the seeds along adj within
// depth hops (depth < 0: unlimited). Seeds themselves are not marked unless
// reached again; callers mark them as needed.
func walk(adj [][]int32, seeds []int32, depth int, in []bool) {
	frontier := append([]int32(nil), seeds...)
	seen := make([]bool, len(adj))
	for _, s := range seeds {
		seen[s] = true
	}
	for hop := 0; len(frontier) > 0 && (depth < 0 || hop < depth); hop++ {
		var next []int32
		for _, n := range frontier {
			for _, m := range adj[n] {
				in[m] = true
				if !seen[m] {
					seen[m] = true
					next = append(next, m)
				}
			}
		}
		frontier = next
	}
}

// Upstream returns the ancestors of id within depth hops (depth <= 0:
// all), sorted, without id itself.
func (g *Graph) Upstream(id string, depth int) ([]string, error) {
	return g.reach(g.parents, id, depth)
}

// Downstream returns the descendants of id within depth hops (depth <= 0:
// all), sorted, without id itself.
func (g *Graph) Downstream(id string, depth int) ([]string, error) {
	return g.reach(g.children, id, depth)
}

func (g *Graph) reach(adj [][]int32, id string, depth int) ([]string, error) {
	i, ok := g.index[id]
	if !ok {
		return nil, g.unknownNode(id)
	}
	if depth <= 0 {
		depth = -1
	}
	in := make([]bool, len(g.nodes))
	walk(adj, []int32{i}, depth, in)
	in[i] = false
	return g.idsOf(in), nil
}

// Distances returns the fewest hops from id to each node downstream of it
// (down) or upstream, without id itself: how far a change travels before
// it reaches a node, the degrees of an impact analysis.
func (g *Graph) Distances(id string, down bool) (map[string]int, error) {
	i, ok := g.index[id]
	if !ok {
		return nil, g.unknownNode(id)
	}
	adj := g.parents
	if down {
		adj = g.children
	}
	dist := map[string]int{}
	seen := make([]bool, len(g.nodes))
	seen[i] = true
	frontier := []int32{i}
	for hop := 1; len(frontier) > 0; hop++ {
		var next []int32
		for _, n := range frontier {
			for _, m := range adj[n] {
				if !seen[m] {
					seen[m] = true
					dist[g.nodes[m].UniqueID] = hop
					next = append(next, m)
				}
			}
		}
		frontier = next
	}
	return dist, nil
}

// Resolve returns the unique_id of the node ref names: its unique_id, or a
// name only one node other than a test carries. A ref naming nothing gets
// ENOTFOUND with near unique_ids; a name two nodes share, EINVALID listing
// them.
func (g *Graph) Resolve(ref string) (string, error) {
	i, err := g.resolveNode(ref)
	if err != nil {
		return "", err
	}
	return g.nodes[i].UniqueID, nil
}

// resolveNode finds the node ref names: its unique_id, or a name only one
// node other than a test carries; a source also as dbt's source() names it
// (source_name.table, or source:source_name.table), an exposure, metric,
// semantic model or saved query as its selector method does (exposure:name).
func (g *Graph) resolveNode(ref string) (int32, error) {
	if i, ok := g.index[ref]; ok {
		return i, nil
	}
	var named []int32
	name, ofType := ref, ""
	if method, value, ok := strings.Cut(ref, ":"); ok && typedMethods[method] != "" {
		name, ofType = value, typedMethods[method]
	}
	if ofType != backend.TypeSource { // source:X is a source's name, as in dbt, not a table's
		for _, i := range g.byFQNKey.lookup(name) {
			if n := &g.nodes[i]; n.Name == name && !isTest(n) && (ofType == "" || n.ResourceType == ofType) {
				named = append(named, i)
			}
		}
	}
	// source_name.table: its table name is looked up, its source name
	// checked; source:source_name alone, its one table.
	if sourceName, table, ok := strings.Cut(name, "."); ok && len(named) == 0 && (ofType == "" || ofType == backend.TypeSource) {
		for _, i := range g.byFQNKey.lookup(table) {
			if n := &g.nodes[i]; n.ResourceType == backend.TypeSource && n.SourceName == sourceName && n.Name == table {
				named = append(named, i)
			}
		}
	} else if ofType == backend.TypeSource {
		for i := range g.nodes {
			if n := &g.nodes[i]; n.ResourceType == backend.TypeSource && n.SourceName == name {
				named = append(named, int32(i))
			}
		}
	}
	// A model's version, as dbt names it (customers.v2 or customers_v2),
	// or as the app shows it (customers v2).
	if i := max(strings.LastIndex(ref, ".v"), strings.LastIndex(ref, "_v"), strings.LastIndex(ref, " v")); len(named) == 0 && i > 0 {
		name, version := ref[:i], ref[i+2:]
		for _, j := range g.byFQNKey.lookup(name) {
			if n := &g.nodes[j]; n.Name == name && isVersioned(n) && sameVersion(n.Version, version) {
				named = append(named, j)
			}
		}
	}
	switch len(named) {
	case 0:
		if tests := g.testsNamed(ref); len(tests) > 0 {
			return 0, backend.Errorf(backend.EINVALID, "%q names a test, which is taken by its unique_id only: give %s", ref, quoteList(tests))
		}
		return 0, g.notFound(ref, "unique_id or name")
	case 1:
		return named[0], nil
	}
	ids := make([]string, len(named))
	for k, i := range named {
		ids[k] = g.nodes[i].UniqueID
	}
	return 0, backend.Errorf(backend.EINVALID, "%q names %d nodes: give one unique_id of %s", ref, len(ids), quoteList(ids))
}

// typedMethods are the selector methods that name one resource of a type
// by its name, as a node reference may be written.
var typedMethods = map[string]string{
	"source": backend.TypeSource, "exposure": backend.TypeExposure, "metric": backend.TypeMetric,
	"semantic_model": backend.TypeSemanticModel, "saved_query": backend.TypeSavedQuery,
}

// testsNamed returns the unique_ids of the tests called name.
func (g *Graph) testsNamed(name string) []string {
	var ids []string
	for _, i := range g.byFQNKey.lookup(name) {
		if n := &g.nodes[i]; n.Name == name && isTest(n) {
			ids = append(ids, n.UniqueID)
		}
	}
	return ids
}

func (g *Graph) unknownNode(id string) error { return g.notFound(id, "unique_id") }

func (g *Graph) notFound(id, what string) error {
	msg := fmt.Sprintf("no node has %s %q", what, id)
	if near := g.suggest(id); len(near) > 0 {
		msg += fmt.Sprintf("; did you mean %s?", quoteList(near))
	}
	return &backend.Error{Code: backend.ENOTFOUND, Message: msg}
}

// ErrPathsTruncated is returned (wrapped, together with the paths found)
// when Paths stopped at its limit or its work budget: more paths exist.
var ErrPathsTruncated = errors.New("more paths exist than were listed")

// pathWorkBudget caps the nodes Paths visits, so a dense graph with cycles
// cannot make it run away even when few paths complete.
const pathWorkBudget = 2_000_000

// Paths lists the simple paths between from and to, each ordered upstream
// first, so a path answers "why does the later node depend on the earlier".
// Either direction works: when to does not descend from from, paths from
// to down to from are listed. They come shortest first (the most direct
// reasons), then in child order. limit <= 0 means 100. When more paths
// exist the ones found are returned with an error wrapping
// ErrPathsTruncated. Two unrelated nodes give no paths and no error.
//
// from and to are unique_ids, or names that only one node other than a
// test carries (stg_orders for model.shop.stg_orders).
func (g *Graph) Paths(from, to string, limit int) ([][]string, error) {
	a, err := g.resolveNode(from)
	if err != nil {
		return nil, err
	}
	b, err := g.resolveNode(to)
	if err != nil {
		return nil, err
	}
	from, to = g.nodes[a].UniqueID, g.nodes[b].UniqueID
	if limit <= 0 {
		limit = 100
	}
	if a == b {
		return [][]string{{from}}, nil
	}
	paths, truncated := g.pathsDown(a, b, limit)
	if len(paths) == 0 && !truncated {
		paths, truncated = g.pathsDown(b, a, limit)
	}
	if truncated {
		return paths, fmt.Errorf("paths between %s and %s: listed the first %d: %w", from, to, len(paths), ErrPathsTruncated)
	}
	return paths, nil
}

// pathsDown lists the paths from a down to b, shortest first: for each
// length from the fewest hops to the most, a depth-first search along
// child edges that enters only nodes whose fewest and most hops to b
// bracket the hops left (QA: in child order alone, the first 200 of 7,434
// paths left out the shortest). A length between those may have no path
// (a node with paths of 2 and 4 hops has none of 3), so a search can end
// empty-handed; pathWorkBudget bounds the whole. On a cycle, which dbt
// never writes, the paths come in child order.
func (g *Graph) pathsDown(a, b int32, limit int) (paths [][]string, truncated bool) {
	canReach := make([]bool, len(g.nodes))
	walk(g.parents, []int32{b}, -1, canReach)
	if !canReach[a] {
		return nil, false
	}
	fewest, most, ok := g.hopsDownTo(a, b, canReach)
	if !ok {
		return g.pathsInChildOrder(a, b, limit, canReach)
	}
	stack := []int32{a}
	work := 0
	var dfs func(n int32, left int32) bool // false: stop
	dfs = func(n int32, left int32) bool {
		for _, c := range g.children[n] {
			if work++; work > pathWorkBudget {
				truncated = true
				return false
			}
			if c == b {
				if left != 1 {
					continue
				}
				if len(paths) == limit {
					truncated = true
					return false
				}
				paths = append(paths, g.pathOf(stack, b))
				continue
			}
			if !canReach[c] || fewest[c] > left-1 || most[c] < left-1 {
				continue
			}
			stack = append(stack, c)
			ok := dfs(c, left-1)
			stack = stack[:len(stack)-1]
			if !ok {
				return false
			}
		}
		return true
	}
	for hops := fewest[a]; hops <= most[a] && !truncated; hops++ {
		if len(paths) == limit { // the longest paths are still to come
			return paths, true
		}
		dfs(a, hops)
	}
	return paths, truncated
}

// pathOf is the path a search's stack makes down to b, as unique_ids.
func (g *Graph) pathOf(stack []int32, b int32) []string {
	p := make([]string, 0, len(stack)+1)
	for _, n := range stack {
		p = append(p, g.nodes[n].UniqueID)
	}
	return append(p, g.nodes[b].UniqueID)
}

// hopsDownTo gives, for a and each node below it that reaches b (canReach),
// the fewest and the most hops down to b, computed children first; ok is
// false when a cycle runs through them.
func (g *Graph) hopsDownTo(a, b int32, canReach []bool) (fewest, most []int32, ok bool) {
	fewest, most = make([]int32, len(g.nodes)), make([]int32, len(g.nodes))
	const (
		unseen = iota
		open
		done
	)
	state := make([]uint8, len(g.nodes))
	state[b] = done // 0 hops
	type frame struct {
		node int32
		next int
	}
	stack := []frame{{node: a}}
	state[a] = open
	for len(stack) > 0 {
		top := &stack[len(stack)-1]
		if kids := g.children[top.node]; top.next < len(kids) {
			c := kids[top.next]
			top.next++
			if c != b && !canReach[c] {
				continue
			}
			switch state[c] {
			case open:
				return nil, nil, false
			case unseen:
				state[c] = open
				stack = append(stack, frame{node: c})
			}
			continue
		}
		n := top.node
		fewest[n], most[n] = math.MaxInt32, -1
		for _, c := range g.children[n] {
			if c == b || canReach[c] {
				fewest[n], most[n] = min(fewest[n], fewest[c]+1), max(most[n], most[c]+1)
			}
		}
		state[n] = done
		stack = stack[:len(stack)-1]
	}
	return fewest, most, true
}

// pathsInChildOrder is pathsDown on a graph with a cycle: a depth-first
// search in child order that never enters a node twice on one path.
func (g *Graph) pathsInChildOrder(a, b int32, limit int, canReach []bool) (paths [][]string, truncated bool) {
	onPath := make([]bool, len(g.nodes))
	stack := []int32{a}
	onPath[a] = true
	work := 0
	var dfs func(n int32) bool // returns false to stop
	dfs = func(n int32) bool {
		for _, c := range g.children[n] {
			work++
			if work > pathWorkBudget {
				truncated = true
				return false
			}
			if c == b {
				if len(paths) == limit {
					truncated = true
					return false
				}
				paths = append(paths, g.pathOf(stack, b))
				continue
			}
			if !canReach[c] || onPath[c] {
				continue
			}
			onPath[c] = true
			stack = append(stack, c)
			ok := dfs(c)
			stack = stack[:len(stack)-1]
			onPath[c] = false
			if !ok {
				return false
			}
		}
		return true
	}
	dfs(a)
	return paths, truncated
}

// CountPaths counts the simple paths from one node down to another (both
// unique_ids), however many there are: Paths stops listing at its limit,
// and a user wants to know how far beyond. The count saturates at
// math.MaxUint64 (saturated true). Nodes on a cycle, which dbt never
// writes, are not followed.
func (g *Graph) CountPaths(from, to string) (count uint64, saturated bool) {
	a, okA := g.index[from]
	b, okB := g.index[to]
	if !okA || !okB {
		return 0, false
	}
	if a == b {
		return 1, false
	}
	canReach := make([]bool, len(g.nodes))
	walk(g.parents, []int32{b}, -1, canReach)
	const (
		unseen = iota
		visiting
		counted
	)
	state := make(map[int32]int8)
	paths := make(map[int32]uint64)
	var count1 func(n int32) uint64
	count1 = func(n int32) uint64 {
		if n == b {
			return 1
		}
		switch state[n] {
		case counted:
			return paths[n]
		case visiting:
			return 0 // a cycle
		}
		state[n] = visiting
		var sum uint64
		for _, c := range g.children[n] {
			if c != b && !canReach[c] {
				continue
			}
			k := count1(c)
			if sum > math.MaxUint64-k {
				sum, saturated = math.MaxUint64, true
			} else {
				sum += k
			}
		}
		state[n], paths[n] = counted, sum
		return sum
	}
	if !canReach[a] {
		return 0, false
	}
	return count1(a), saturated
}
