package lineage

import (
	"slices"

	"github.com/lineagedesk/lineagedesk/backend"
)

// FindCycle returns a dependency cycle among nodes, as the unique_ids along
// it with the first repeated at the end (a -> b -> a), or nil when there is
// none. dbt refuses a project whose graph has one ("Found a cycle"), so a
// manifest holding one was edited or written by another tool; timing,
// ordering and grouping all assume there is none. Edges to or from nodes
// not listed are ignored. The cycle found is the same whatever the order
// of nodes and edges.
func FindCycle(nodes []backend.GraphNode, edges []backend.Edge) []string {
	children := make(map[string][]string, len(nodes))
	ids := make([]string, 0, len(nodes))
	listed := make(map[string]bool, len(nodes))
	for i := range nodes {
		listed[nodes[i].UniqueID] = true
		ids = append(ids, nodes[i].UniqueID)
	}
	for _, e := range edges {
		if listed[e.Parent] && listed[e.Child] {
			children[e.Parent] = append(children[e.Parent], e.Child)
		}
	}
	slices.Sort(ids)
	for _, kids := range children {
		slices.Sort(kids)
	}
	const (
		unseen = iota
		onStack
		done
	)
	state := make(map[string]int, len(nodes))
	type frame struct {
		id   string
		next int // the next child to visit
	}
	for _, root := range ids {
		if state[root] != unseen {
			continue
		}
		stack := []frame{{id: root}}
		state[root] = onStack
		for len(stack) > 0 {
			top := &stack[len(stack)-1]
			if top.next == len(children[top.id]) {
				state[top.id] = done
				stack = stack[:len(stack)-1]
				continue
			}
			child := children[top.id][top.next]
			top.next++
			switch state[child] {
			case onStack:
				var cycle []string
				for i := range stack {
					if stack[i].id == child || len(cycle) > 0 {
						cycle = append(cycle, stack[i].id)
					}
				}
				return append(cycle, child)
			case unseen:
				state[child] = onStack
				stack = append(stack, frame{id: child})
			}
		}
	}
	return nil
}
