package app

import (
	"context"
	"fmt"

	"github.com/lineagedesk/lineagedesk/backend"
)

// stateAcross makes state: compare, across projects, each run of the mesh
// with its own project's run before, as it compares one project's: the
// first run as the request says (own, the one-project comparison, which
// keeps its base in cmp), the others with the run before them. It gives
// the changes of them all by unique_id, a ref's being those of the model
// its project defines. A project with no run before is left uncompared,
// and cmp's notes say so; cmp keeps which run each other one was compared
// with.
//
// asked says the request named the snapshot to compare the first run
// with: then it must be one, as for one project.
func (a *App) stateAcross(ctx context.Context, m *meshRuns, own func() (map[string]backend.StateChange, error), asked bool, cmp *comparison) func() (map[string]backend.StateChange, error) {
	var merged map[string]backend.StateChange
	return func() (map[string]backend.StateChange, error) {
		if merged != nil {
			return merged, nil
		}
		all := map[string]backend.StateChange{}
		cmp.across = map[int64]int64{}
		for i, run := range m.runs {
			first := func() string {
				return fmt.Sprintf("state: compares each project with its run before, and snapshot #%d is %s's first: its nodes are not compared", run.ID, run.Project)
			}
			var changes map[string]backend.StateChange
			if i == 0 {
				var err error
				changes, err = own()
				if backend.ErrorCode(err) == backend.EINVALID && !asked && cmp.base.ID == 0 {
					cmp.acrossNotes = append(cmp.acrossNotes, first())
					continue
				}
				if err != nil {
					return nil, err
				}
			} else {
				base, err := a.stateBase(ctx, run, 0)
				if backend.ErrorCode(err) == backend.EINVALID {
					cmp.acrossNotes = append(cmp.acrossNotes, first())
					continue
				}
				if err != nil {
					return nil, err
				}
				if changes, err = a.store.StateChanges(ctx, run.ID, base.ID); err != nil {
					return nil, err
				}
				cmp.across[run.ID] = base.ID
			}
			for id, c := range changes {
				if _, held := m.runOf[m.refProject[i][id]]; !held { // a ref's changes are its project's run's
					all[id] = c
				}
			}
		}
		merged = all
		cmp.changes = all
		return merged, nil
	}
}
