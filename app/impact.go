package app

import (
	"fmt"

	"github.com/lineagedesk/lineagedesk/backend"
	"github.com/lineagedesk/lineagedesk/backend/lineage"
)

// Impact answers the two questions asked of a node: what breaks if it
// changes (everything downstream of it, and the exposures among them: the
// dashboards and applications that read it), and what it is built from
// (everything upstream, and the sources it reads in the end).
type Impact struct {
	SnapshotID int64  `json:"snapshot_id"`
	UniqueID   string `json:"unique_id"`
	Name       string `json:"name"`
	// Downstream names the exposures downstream; Upstream the sources.
	Downstream ImpactSide `json:"downstream"`
	Upstream   ImpactSide `json:"upstream"`
	// DownstreamAcross and UpstreamAcross are what it reaches beyond its
	// project, in the other projects' runs the store holds, through
	// cross-project refs (dbt Mesh), by project.
	DownstreamAcross []ProjectImpact `json:"downstream_across,omitempty"`
	UpstreamAcross   []ProjectImpact `json:"upstream_across,omitempty"`
}

// ImpactSide is one direction of a node's lineage, all the way.
type ImpactSide struct {
	// Nodes counts the nodes that way, tests aside; ByType splits them by
	// resource_type.
	Nodes  int            `json:"nodes"`
	ByType map[string]int `json:"by_type"`
	// Tests counts the data and unit tests that way: downstream, those a
	// change may fail.
	Tests int `json:"tests"`
	// Named are the exposures (downstream) or sources (upstream), sorted
	// by unique_id.
	Named []ImpactNode `json:"named"`
}

// ImpactNode is an exposure or a source an impact names.
type ImpactNode struct {
	UniqueID string `json:"unique_id"`
	Name     string `json:"name"`
}

// Impact returns what is downstream and upstream of the node ref names (a
// unique_id, or a name only one node carries) in a snapshot (0 = latest).
func (a *App) Impact(snapshotID int64, ref string) (Impact, error) {
	ctx := a.ctx
	snap, err := a.snapshot(ctx, snapshotID)
	if err != nil {
		return Impact{}, err
	}
	// A one-off CLI call on 50k models need not read the whole graph.
	g, err := a.graphHolding(ctx, snap, -1, -1, ref)
	if err != nil {
		return Impact{}, err
	}
	id, err := g.Resolve(ref)
	if err != nil {
		return Impact{}, err
	}
	n, _ := g.Node(id)
	res := Impact{SnapshotID: snap.ID, UniqueID: id, Name: n.Name}
	down, err := g.Downstream(id, 0)
	if err != nil {
		return Impact{}, fmt.Errorf("impact of %s: %w", id, err)
	}
	up, err := g.Upstream(id, 0)
	if err != nil {
		return Impact{}, fmt.Errorf("impact of %s: %w", id, err)
	}
	res.Downstream = impactSide(g, down, backend.TypeExposure)
	res.Upstream = impactSide(g, up, backend.TypeSource)
	if res.DownstreamAcross, res.UpstreamAcross, err = a.impactAcross(ctx, snap, g, id, down, up); err != nil {
		return Impact{}, fmt.Errorf("impact of %s across projects: %w", id, err)
	}
	return res, nil
}

func impactSide(g *lineage.Graph, ids []string, named string) ImpactSide {
	side := ImpactSide{ByType: map[string]int{}, Named: []ImpactNode{}}
	for _, id := range ids { // sorted by unique_id
		n, ok := g.Node(id)
		if !ok {
			continue
		}
		switch n.ResourceType {
		case backend.TypeTest, backend.TypeUnitTest:
			side.Tests++
			continue
		case named:
			side.Named = append(side.Named, ImpactNode{UniqueID: id, Name: n.Name})
		}
		side.Nodes++
		side.ByType[n.ResourceType]++
	}
	return side
}
