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

// fresherAcross makes source_status:fresher compare, across projects, each
// run's source freshness checks (sources.json) with its own project's run
// before, as stateAcross compares state: the first run as the request
// says (own, the one-project comparison), the others with the run before
// them. It gives the sources fresher in any of them. A project with no run
// before, or whose runs checked no freshness, is left uncompared, and
// cmp's notes say so; when no project compares, it is refused as for one.
func (a *App) fresherAcross(ctx context.Context, m *meshRuns, own func() (map[string]bool, error), asked bool, cmp *comparison) func() (map[string]bool, error) {
	var merged map[string]bool
	return func() (map[string]bool, error) {
		if merged != nil {
			return merged, nil
		}
		all := map[string]bool{}
		var refusal error
		compared := 0
		for i, run := range m.runs {
			var fresher map[string]bool
			var err error
			if i == 0 {
				fresher, err = own()
				if backend.ErrorCode(err) == backend.EINVALID && !asked {
					refusal = err
				}
			} else {
				var base backend.Snapshot
				if base, err = a.stateBase(ctx, run, 0); err == nil {
					fresher, err = a.fresherSources(ctx, run.ID, base.ID)
				}
			}
			if backend.ErrorCode(err) == backend.EINVALID && (i > 0 || !asked) {
				cmp.acrossNotes = append(cmp.acrossNotes, fmt.Sprintf("the sources of %s are not compared: %v", run.Project, err))
				continue
			}
			if err != nil {
				return nil, err
			}
			compared++
			for id, f := range fresher {
				if f {
					all[id] = true
				}
			}
		}
		if compared == 0 && refusal != nil {
			return nil, refusal
		}
		merged = all
		cmp.fresher = all
		return merged, nil
	}
}
