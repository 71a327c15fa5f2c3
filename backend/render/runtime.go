package render

import (
	"fmt"

	"github.com/lineagedesk/lineagedesk/backend"
	"github.com/lineagedesk/lineagedesk/backend/lineage"
)

// Runtime is what a diagram drawn with run times shows besides each node's
// time: the critical path and the dbt command whose run timed the nodes.
type Runtime struct {
	Command string // build, run, ...
	Path    lineage.CriticalPath
}

// critical path colours: an orange apart from the test colours and the
// "modified" text (#E65100), dark enough on white and on the fills.
const (
	criticalColor    = "#D84315"
	criticalPenwidth = 3.0
)

// MarkRuntime notes each node's time in the run (a box's is the sum of its
// members') and the nodes and edges the critical path goes through. A box
// holding part of the path is on it; an edge is, when it joins two
// consecutive drawn nodes of the path (or the boxes holding them).
func (d *Diagram) MarkRuntime(times map[string]float64, rt Runtime) {
	d.Runtime = &rt
	drawnAs := map[string]string{} // unique_id -> the ID of the node drawing it
	testDrawn := map[string]bool{} // drawn node IDs that are tests
	for i := range d.Nodes {
		n := &d.Nodes[i]
		if r := n.Resource; r != nil && (r.ResourceType == backend.TypeTest || r.ResourceType == backend.TypeUnitTest) {
			testDrawn[n.ID] = true
		}
		members := []string{}
		if n.Box != nil {
			members = n.Box.Members
		} else {
			members = append(members, n.Resource.UniqueID)
		}
		for _, id := range members {
			drawnAs[id] = n.ID
			if s, ok := times[id]; ok {
				n.Ran = true
				n.RunSeconds += s
			}
		}
	}
	// The path goes through a build's tests, drawn or not, which run
	// between the nodes they test and what comes next, on no edge of the
	// lineage: a step joins the nodes other than tests on either side of
	// them (drawn tests on the path are marked as nodes).
	onPath := map[string]bool{}
	steps := map[[2]string]bool{}
	last := ""
	for _, id := range rt.Path.Nodes {
		drawn, ok := drawnAs[id]
		if !ok {
			continue
		}
		onPath[drawn] = true
		if testDrawn[drawn] {
			continue
		}
		if last != "" {
			steps[[2]string{last, drawn}] = true
		}
		last = drawn
	}
	for i := range d.Nodes {
		d.Nodes[i].Critical = onPath[d.Nodes[i].ID]
	}
	for i := range d.Edges {
		d.Edges[i].Critical = steps[[2]string{d.Edges[i].From, d.Edges[i].To}]
	}
}

// runText is a node's run time as its label says it: "ran 4.2 s" (a box:
// "ran 1 min 03 s in all"); "" for a node the run did not include.
func runText(n *Node) string {
	if !n.Ran {
		return ""
	}
	text := "ran " + backend.FormatSeconds(n.RunSeconds)
	if n.Box != nil {
		text += " in all"
	}
	return text
}

// criticalText describes the critical path for a legend or a caption.
func criticalText(rt *Runtime) string {
	if len(rt.Path.Nodes) == 0 {
		return fmt.Sprintf("no run times in this selection (dbt %s)", rt.Command)
	}
	noun := "nodes"
	if len(rt.Path.Nodes) == 1 {
		noun = "node"
	}
	return fmt.Sprintf("critical path: %s over %d %s (dbt %s)", backend.FormatSeconds(rt.Path.Seconds), len(rt.Path.Nodes), noun, rt.Command)
}
