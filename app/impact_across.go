package app

import (
	"context"

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

// impactAcross follows the node id of snap (g holds its lineage both ways,
// down and up its own impact) into the other runs of its mesh, all the way
// each way, and counts what each other run holds beyond what its own
// impact counted (a ref it holds is counted there).
func (a *App) impactAcross(ctx context.Context, snap backend.Snapshot, g *lineage.Graph, id string, down, up []string) (downstream, upstream []ProjectImpact, err error) {
	m, err := a.mesh(ctx, snap)
	if err != nil || len(m.runs) < 2 {
		return nil, nil, err
	}
	known := &backend.GraphData{SnapshotID: snap.ID, Nodes: g.Nodes(), Edges: g.Edges()}
	q := backend.ReachQuery{Terms: []backend.ReachTerm{{Value: id, Parents: -1, Children: -1}}, Tests: true}
	part, ok, err := a.meshPart(ctx, m, q, known)
	if err != nil {
		return nil, nil, err
	}
	if !ok { // too big a part for the reach tables: the whole lineages
		if part, err = a.meshLineage(ctx, m); err != nil {
			return nil, nil, err
		}
	}
	side := func(ids, countedIDs []string, named string) []ProjectImpact {
		counted := make(map[string]bool, len(countedIDs))
		for _, id := range countedIDs {
			counted[id] = true
		}
		byRun := map[int64][]string{}
		for _, id := range ids {
			if s, ok := part.owners[id]; ok && !counted[id] {
				byRun[s.ID] = append(byRun[s.ID], id)
			}
		}
		var out []ProjectImpact
		for _, s := range m.runs[1:] {
			if list := byRun[s.ID]; len(list) > 0 {
				out = append(out, ProjectImpact{Project: s.Project, SnapshotID: s.ID, ImpactSide: impactSide(part.graph, list, named)})
			}
		}
		return out
	}
	across, err := part.graph.Downstream(id, 0)
	if err != nil {
		return nil, nil, err
	}
	downstream = side(across, down, backend.TypeExposure)
	if across, err = part.graph.Upstream(id, 0); err != nil {
		return nil, nil, err
	}
	upstream = side(across, up, backend.TypeSource)
	return downstream, upstream, nil
}
