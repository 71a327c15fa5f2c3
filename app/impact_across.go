package app

import (
	"context"
	"slices"

	"github.com/lineagedesk/lineagedesk/backend"
	"github.com/lineagedesk/lineagedesk/backend/lineage"
)

// ProjectImpact is what a node reaches in another project's run through
// cross-project refs (dbt Mesh): downstream, the models of other projects
// that ref it (or what it feeds) and all that follows from them;
// upstream, the lineage of the other projects' public models it reads.
type ProjectImpact struct {
	Project    string `json:"project"`
	SnapshotID int64  `json:"snapshot_id"`
	ImpactSide
}

// impactAcross follows the node id of the mesh's first run into the other
// runs, all the way one way: downstream from each public model a run's
// part holds into the runs that ref it, upstream from each ref a part
// holds into the run of the project that defines it. Each run's part is
// read from its reach tables, one step at a time, without loading whole
// lineages. A ref is the model its project defines, so a part leaves out
// the model it was entered by, counted where it is defined.
func (a *App) impactAcross(ctx context.Context, m *meshRuns, id string, downstream bool) ([]ProjectImpact, error) {
	if len(m.runs) < 2 {
		return nil, nil
	}
	runOf := map[string]int{} // project → its run's index
	for i, s := range m.runs {
		runOf[s.Project] = i
	}
	refdBy := map[string][]int{} // public model → the runs that ref it
	for i, refs := range m.refs {
		for _, r := range refs {
			refdBy[r.UniqueID] = append(refdBy[r.UniqueID], i)
		}
	}
	type entry struct {
		run int
		id  string
	}
	// counted: the model an entry enters a run by is counted elsewhere
	// (the node itself, a ref the first run holds, or a downstream ref
	// standing for a model its own run counts).
	type step struct {
		entry
		counted bool
	}
	seen := map[entry]bool{{0, id}: true}
	queue := []step{{entry{0, id}, true}}
	reached := make([]map[string]bool, len(m.runs))
	parts := make([]*lineage.Graph, len(m.runs))
	for len(queue) > 0 {
		e := queue[0]
		queue = queue[1:]
		term := backend.ReachTerm{Value: e.id, Parents: -1}
		if downstream {
			term = backend.ReachTerm{Value: e.id, Children: -1}
		}
		// Tests count downstream only, as a node's own impact counts them.
		data, err := a.store.Reach(ctx, m.runs[e.run].ID, backend.ReachQuery{Terms: []backend.ReachTerm{term}, Tests: downstream})
		if err != nil {
			return nil, err
		}
		part := lineage.New(data)
		if parts[e.run] == nil {
			parts[e.run], reached[e.run] = part, map[string]bool{}
		} else {
			parts[e.run] = lineage.New(&backend.GraphData{Nodes: append(slices.Clone(parts[e.run].Nodes()), part.Nodes()...)})
		}
		for _, n := range part.Nodes() {
			if e.run != 0 && (n.UniqueID != e.id || !e.counted) {
				reached[e.run][n.UniqueID] = true
			}
			var next []step
			switch {
			case downstream:
				for _, k := range refdBy[n.UniqueID] {
					next = append(next, step{entry{k, n.UniqueID}, true})
				}
			case n.CrossProject():
				if j, held := runOf[n.Package]; held {
					next = append(next, step{entry{j, n.UniqueID}, e.run == 0})
				}
			}
			for _, x := range next {
				if x.run != e.run && !seen[x.entry] {
					seen[x.entry] = true
					queue = append(queue, x)
				}
			}
		}
	}
	var out []ProjectImpact
	named := backend.TypeSource
	if downstream {
		named = backend.TypeExposure
	}
	for i := 1; i < len(m.runs); i++ {
		if len(reached[i]) == 0 {
			continue
		}
		ids := make([]string, 0, len(reached[i]))
		for id := range reached[i] {
			n, ok := parts[i].Node(id)
			if _, defined := runOf[n.Package]; ok && !(n.CrossProject() && defined) { // a ref is counted where it is defined
				ids = append(ids, id)
			}
		}
		slices.Sort(ids)
		if len(ids) > 0 {
			out = append(out, ProjectImpact{Project: m.runs[i].Project, SnapshotID: m.runs[i].ID, ImpactSide: impactSide(parts[i], ids, named)})
		}
	}
	return out, nil
}
