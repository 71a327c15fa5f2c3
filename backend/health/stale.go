package health

import (
	"fmt"
	"math/bits"
	"slices"
	"strings"

	"github.com/lineagedesk/lineagedesk/backend"
)

// StaleSources counts the sources upstream of a resource whose latest
// freshness check errored or warned, and names the first few of each by
// name.
type StaleSources struct {
	Errored, Warned           int
	ErroredNames, WarnedNames []string
}

// Lineage is what StaleUpstream reads of a lineage graph (lineage.Graph).
type Lineage interface {
	Parents(id string) []string
	Node(id string) (*backend.GraphNode, bool)
}

// StaleUpstream returns, for each of ids, the sources upstream of it in g
// (at any distance; a source itself not counted) whose latest freshness
// status, in freshness by unique_id, is error, runtime error or warn. g
// must hold the ancestors of ids. Each stale source is a bit, and a
// node's set is its parents' sets ORed, each node visited once: a
// 1,000-node picture over a project with hundreds of stale sources costs
// a few bitsets, not a walk per node.
func StaleUpstream(g Lineage, freshness map[string]string, ids []string) map[string]StaleSources {
	var stale []string // the stale sources g holds, by name then unique_id
	for id, status := range freshness {
		if status != "pass" && status != "" {
			if _, ok := g.Node(id); ok {
				stale = append(stale, id)
			}
		}
	}
	out := make(map[string]StaleSources, len(ids))
	if len(stale) == 0 {
		return out
	}
	name := func(id string) string {
		n, _ := g.Node(id)
		if n.SourceName != "" {
			return n.SourceName + "." + n.Name
		}
		return n.Name
	}
	slices.SortFunc(stale, func(a, b string) int {
		if c := strings.Compare(name(a), name(b)); c != 0 {
			return c
		}
		return strings.Compare(a, b)
	})
	bit := make(map[string]int, len(stale))
	for i, id := range stale {
		bit[id] = i
	}
	words := (len(stale) + 63) / 64
	memo := map[string][]uint64{}
	onPath := map[string]bool{} // a cycle (dbt refuses them) ends the walk
	var upstream func(id string) []uint64
	upstream = func(id string) []uint64 {
		if set, ok := memo[id]; ok {
			return set
		}
		set := make([]uint64, words)
		if onPath[id] {
			return set
		}
		onPath[id] = true
		for _, p := range g.Parents(id) {
			if i, ok := bit[p]; ok {
				set[i/64] |= 1 << (i % 64)
			}
			for w, v := range upstream(p) {
				set[w] |= v
			}
		}
		delete(onPath, id)
		memo[id] = set
		return set
	}
	for _, id := range ids {
		var s StaleSources
		for w, v := range upstream(id) {
			for v != 0 {
				i := w*64 + bits.TrailingZeros64(v)
				v &= v - 1
				if isError(freshness[stale[i]]) {
					s.Errored++
					if len(s.ErroredNames) < namedFirst {
						s.ErroredNames = append(s.ErroredNames, name(stale[i]))
					}
				} else {
					s.Warned++
					if len(s.WarnedNames) < namedFirst {
						s.WarnedNames = append(s.WarnedNames, name(stale[i]))
					}
				}
			}
		}
		if s.Errored+s.Warned > 0 {
			out[id] = s
		}
	}
	return out
}

// staleText words stale upstream sources for a reason. An error is a
// source past its error_after or a check that could not run (runtime
// error), which says nothing of its age (QA: it read "is stale").
func staleText(count int, names []string, status string) string {
	list := firstFew(names, count)
	if status == "error" {
		if count == 1 {
			return "upstream source " + list + " failed its freshness check (stale past error_after, or the check could not run)"
		}
		return fmt.Sprintf("%d upstream sources failed their freshness checks (stale past error_after, or the check could not run): %s", count, list)
	}
	if count == 1 {
		return "upstream source " + list + " is stale (freshness " + status + ")"
	}
	return fmt.Sprintf("%d upstream sources are stale (freshness %s): %s", count, status, list)
}
