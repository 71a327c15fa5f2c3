package app

import (
	"fmt"
	"slices"
	"testing"

	"github.com/lineagedesk/lineagedesk/backend"
	"github.com/lineagedesk/lineagedesk/backend/lineage"
)

// TestGraphCacheKeepsTheRecentlyUsed: past its budget of nodes the cache
// drops the graphs used least recently, never the one just used nor one
// still loading.
func TestGraphCacheKeepsTheRecentlyUsed(t *testing.T) {
	c := newGraphCache()
	c.keep = 25
	graphOf := func(n int) *lineage.Graph {
		d := &backend.GraphData{}
		for i := range n {
			d.Nodes = append(d.Nodes, backend.GraphNode{UniqueID: fmt.Sprintf("model.p.m%d", i), ResourceType: backend.TypeModel})
		}
		return lineage.New(d)
	}
	// As App.graph's load does: the graph set and evict run, then done closes.
	loaded := func(id int64, nodes int) {
		l := &graphLoad{done: make(chan struct{})}
		c.graphs[id] = l
		l.g = graphOf(nodes)
		c.touch(l)
		c.evict()
		close(l.done)
	}
	kept := func() []int64 {
		var ids []int64
		for id := range c.graphs {
			ids = append(ids, id)
		}
		slices.Sort(ids)
		return ids
	}
	loaded(1, 10)
	loaded(2, 10)
	c.graphs[3] = &graphLoad{done: make(chan struct{})} // loading
	c.touch(c.graphs[1])                                // 1 used again: 2 is the oldest
	loaded(4, 10)
	if got := kept(); !slices.Equal(got, []int64{1, 3, 4}) {
		t.Fatalf("kept %v, want 1, 3 (loading) and 4", got)
	}
	loaded(5, 40) // over the budget alone: kept, as the one in use
	if got := kept(); !slices.Equal(got, []int64{3, 5}) {
		t.Fatalf("kept %v, want 3 (loading) and 5", got)
	}
}
