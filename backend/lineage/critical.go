package lineage

import "github.com/lineagedesk/lineagedesk/backend"

// CriticalPath is the slowest chain of dependencies in a selection, timed by
// each node's execution in the snapshot's run. However many threads dbt
// had, it could not have finished the selection in less time than this
// chain took, so its nodes are where a faster model shortens the run.
type CriticalPath struct {
	Nodes   []string  `json:"nodes"`   // unique_ids, upstream first
	Times   []float64 `json:"times"`   // each node's seconds, as Nodes
	Seconds float64   `json:"seconds"` // the chain's summed execution time
}

// CriticalPathOf returns the chain, following edges among nodes, whose
// summed seconds is the greatest. A node without a time counts zero, and
// the chain starts and ends at nodes with one; with no time above zero
// there is no chain (Nodes empty). Ties go to the chain ending at, then
// coming from, the unique_id that sorts first, so the answer does not
// depend on the order of nodes or edges. Nodes on a
// cycle (dbt refuses those; a hand-edited manifest may not) are left out.
func CriticalPathOf(nodes []string, edges []backend.Edge, seconds map[string]float64) CriticalPath {
	in := make(map[string]bool, len(nodes))
	for _, id := range nodes {
		in[id] = true
	}
	parents := make(map[string][]string, len(nodes))
	children := make(map[string][]string, len(nodes))
	waiting := make(map[string]int, len(nodes)) // parents not yet timed
	for _, e := range edges {
		if !in[e.Parent] || !in[e.Child] || e.Parent == e.Child {
			continue
		}
		parents[e.Child] = append(parents[e.Child], e.Parent)
		children[e.Parent] = append(children[e.Parent], e.Child)
		waiting[e.Child]++
	}

	// finish[id] is the longest chain's time ending at id, from[id] the
	// parent it came through (Kahn's order: every parent before its child).
	finish := make(map[string]float64, len(nodes))
	from := make(map[string]string, len(nodes))
	ready := make([]string, 0, len(nodes))
	for id := range in {
		if waiting[id] == 0 {
			ready = append(ready, id)
		}
	}
	for len(ready) > 0 {
		id := ready[len(ready)-1]
		ready = ready[:len(ready)-1]
		best, via := 0.0, ""
		for _, p := range parents[id] {
			if f := finish[p]; via == "" || f > best || (f == best && p < via) {
				best, via = f, p
			}
		}
		finish[id], from[id] = best+positive(seconds[id]), via
		for _, c := range children[id] {
			if waiting[c]--; waiting[c] == 0 {
				ready = append(ready, c)
			}
		}
	}

	// The chain ends and starts at nodes that took time: an exposure after
	// the last model, or a source before the first, adds nothing to it.
	end, longest := "", 0.0
	for id, f := range finish {
		if positive(seconds[id]) > 0 && (f > longest || (f == longest && id < end)) {
			end, longest = id, f
		}
	}
	if end == "" {
		return CriticalPath{Nodes: []string{}, Times: []float64{}}
	}
	var chain []string
	for id := end; id != ""; id = from[id] {
		chain = append(chain, id)
	}
	for positive(seconds[chain[len(chain)-1]]) == 0 {
		chain = chain[:len(chain)-1]
	}
	for i, j := 0, len(chain)-1; i < j; i, j = i+1, j-1 {
		chain[i], chain[j] = chain[j], chain[i]
	}
	times := make([]float64, len(chain))
	for i, id := range chain {
		times[i] = positive(seconds[id])
	}
	return CriticalPath{Nodes: chain, Times: times, Seconds: longest}
}

// positive drops negative and NaN times, which no run reports but a
// hand-edited run_results.json might.
func positive(s float64) float64 {
	if s > 0 {
		return s
	}
	return 0
}
