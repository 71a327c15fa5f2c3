package app

import (
	"slices"
	"strings"
)

// MeshResult is how a project's run is tied to other dbt projects by
// cross-project refs (dbt Mesh), one step each way.
type MeshResult struct {
	SnapshotID int64  `json:"snapshot_id"`
	Project    string `json:"project"`
	// Reads are the projects whose public models this project refs.
	Reads []MeshProject `json:"reads"`
	// ReadBy are the projects the store holds whose run refs this
	// project's public models.
	ReadBy []MeshProject `json:"read_by"`
}

// MeshProject is one project on the other side of cross-project refs.
type MeshProject struct {
	Project string `json:"project"`
	// SnapshotID is its run the lineage across projects reads (see
	// LineageRequest.AcrossProjects); 0 when the store holds none.
	SnapshotID int64 `json:"snapshot_id,omitempty"`
	// Models are the public models referred to, by unique_id.
	Models []MeshModel `json:"models"`
}

// MeshModel is a public model and the nodes of the reading project that
// read it.
type MeshModel struct {
	UniqueID string   `json:"unique_id"`
	Readers  []string `json:"readers"`
}

// Mesh says which projects a snapshot's project reads public models of,
// and which projects the store holds read its own: for the project page,
// a node's page and `lineagedesk mesh`.
func (a *App) Mesh(snapshotID int64) (MeshResult, error) {
	ctx := a.ctx
	snap, err := a.snapshot(ctx, snapshotID)
	if err != nil {
		return MeshResult{}, err
	}
	m, err := a.mesh(ctx, snap)
	if err != nil {
		return MeshResult{}, err
	}
	res := MeshResult{SnapshotID: snap.ID, Project: snap.Project, Reads: []MeshProject{}, ReadBy: []MeshProject{}}
	runID := func(project string) int64 {
		if i, held := m.runOf[project]; held {
			return m.runs[i].ID
		}
		return 0
	}
	// What this project reads: its refs, and the nodes of its own that
	// read each; then who reads it: the runs whose refs name it, and their
	// nodes that read each. Read from the edges, not the whole lineage:
	// the lineage view asks as it opens.
	for i, run := range m.runs {
		var ids []string
		for _, ref := range m.refs[i] {
			if i == 0 || ref.Project == snap.Project {
				ids = append(ids, ref.UniqueID)
			}
		}
		if len(ids) == 0 {
			continue
		}
		readers, err := a.store.CrossProjectReaders(ctx, run.ID, ids)
		if err != nil {
			return MeshResult{}, err
		}
		for _, ref := range m.refs[i] {
			switch {
			case i == 0:
				res.Reads = addMeshModel(res.Reads, ref.Project, runID(ref.Project), ref.UniqueID, readers[ref.UniqueID])
			case ref.Project == snap.Project:
				res.ReadBy = addMeshModel(res.ReadBy, run.Project, run.ID, ref.UniqueID, readers[ref.UniqueID])
			}
		}
	}
	return res, nil
}

// addMeshModel adds a model read across projects to the list, under its
// project, keeping the projects and their models in order.
func addMeshModel(list []MeshProject, project string, snapshotID int64, model string, readers []string) []MeshProject {
	i, found := slices.BinarySearchFunc(list, project, func(p MeshProject, name string) int { return strings.Compare(p.Project, name) })
	if !found {
		list = slices.Insert(list, i, MeshProject{Project: project, SnapshotID: snapshotID})
	}
	if readers == nil {
		readers = []string{}
	}
	list[i].Models = append(list[i].Models, MeshModel{UniqueID: model, Readers: readers})
	return list
}
