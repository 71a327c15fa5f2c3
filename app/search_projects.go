package app

import (
	"fmt"
	"slices"

	"github.com/lineagedesk/lineagedesk/backend"
)

// SearchProjects searches, as Search does, every project the store holds:
// the snapshot at hand (0: the latest) for its own project, and for each
// other project the run read with it across projects (runsAsOf: its latest,
// or, for an older snapshot, its run as of then). projects, when not
// empty, keeps the hits of those projects alone; ByProject counts the
// matches of every project searched, so the others can be offered.
//
// A cross-project ref is found as the model it stands for, in the run of
// the project that defines it, when that run is searched too.
//
// Each project's hits keep their own order, merged as one search orders
// them: exact names, then names starting with the text (shortest first),
// then the rest, each project's best of a tier before anyone's second,
// the project at hand first on a tie. Hits of another project carry its
// snapshot id, to open them there.
func (a *App) SearchProjects(snapshotID int64, q backend.SearchQuery, projects []string) (backend.SearchResult, error) {
	if err := knownResourceTypes(q.ResourceTypes); err != nil {
		return backend.SearchResult{}, err
	}
	snap, err := a.snapshot(a.ctx, snapshotID)
	if err != nil {
		return backend.SearchResult{}, err
	}
	all, err := a.store.Snapshots(a.ctx)
	if err != nil {
		return backend.SearchResult{}, fmt.Errorf("list snapshots: %w", err)
	}
	runs := runsAsOf(all, snap)
	for _, p := range projects {
		if _, held := runs[p]; !held {
			return backend.SearchResult{}, backend.Errorf(backend.ENOTFOUND,
				"the store holds no snapshot of project %q; its projects: %s", p, projectNames(all))
		}
	}
	order := make([]string, 0, len(runs))
	for p := range runs {
		if p != snap.Project {
			order = append(order, p)
		}
	}
	slices.Sort(order)
	order = append([]string{snap.Project}, order...)

	res := backend.SearchResult{Hits: []backend.SearchHit{}, ByType: map[string]int{}, ByProject: map[string]int{}}
	var lists [][]backend.SearchHit
	for _, p := range order {
		run := runs[p]
		pq := q
		if pq.WithoutRefsOf, err = a.refsHeldElsewhere(run.ID, runs); err != nil {
			return backend.SearchResult{}, err
		}
		found, err := a.store.Search(a.ctx, run.ID, pq)
		if err != nil {
			return backend.SearchResult{}, fmt.Errorf("search %q in project %s (snapshot %d): %w", q.Text, p, run.ID, err)
		}
		if found.Total > 0 {
			res.ByProject[p] = found.Total
		}
		if len(projects) > 0 && !slices.Contains(projects, p) {
			continue
		}
		res.Total += found.Total
		for t, n := range found.ByType {
			res.ByType[t] += n
		}
		for i := range found.Hits {
			found.Hits[i].Project = p
			if run.ID != snap.ID {
				found.Hits[i].SnapshotID = run.ID
			}
		}
		lists = append(lists, found.Hits)
	}
	limit := min(q.Limit, backend.MaxSearchLimit)
	if limit <= 0 {
		limit = backend.DefaultSearchLimit
	}
	res.Hits = mergeSearchHits(lists, limit)
	return res, nil
}

// refsHeldElsewhere lists the projects whose public models the run refs
// and whose own runs the store holds: their refs are found there, as the
// models themselves (whether a project filter keeps those or not).
func (a *App) refsHeldElsewhere(runID int64, runs map[string]backend.Snapshot) ([]string, error) {
	refs, err := a.store.CrossProjectRefs(a.ctx, runID)
	if err != nil {
		return nil, fmt.Errorf("cross-project refs of snapshot %d: %w", runID, err)
	}
	var held []string
	for _, r := range refs {
		if _, ok := runs[r.Project]; ok {
			held = append(held, r.Project)
		}
	}
	slices.Sort(held)
	return slices.Compact(held), nil
}

// mergeSearchHits merges each project's hits, lists in project order, into
// at most limit, keeping each list's order: it takes the best of the lists'
// next hits each time, by the tier its search ranked it in, names of the
// first two tiers as one search orders them (shortest, then by name), the
// rest by their place among their own project's hits of that tier, then by
// project.
func mergeSearchHits(lists [][]backend.SearchHit, limit int) []backend.SearchHit {
	type head struct {
		tier  backend.SearchTier
		place int
	}
	next := make([]int, len(lists))
	places := make([]map[backend.SearchTier]int, len(lists))
	for l := range lists {
		places[l] = map[backend.SearchTier]int{}
	}
	headOf := func(l int) head {
		tier := lists[l][next[l]].Tier
		return head{tier: tier, place: places[l][tier]}
	}
	var merged []backend.SearchHit
	for len(merged) < limit {
		best := -1
		var bestHead head
		for l := range lists {
			if next[l] == len(lists[l]) {
				continue
			}
			h := headOf(l)
			if best < 0 || searchBefore(h.tier, h.place, lists[l][next[l]], bestHead.tier, bestHead.place, lists[best][next[best]]) {
				best, bestHead = l, h
			}
		}
		if best < 0 {
			break
		}
		merged = append(merged, lists[best][next[best]])
		places[best][bestHead.tier]++
		next[best]++
	}
	return merged
}

// searchBefore reports whether hit x of a later list goes before hit y of
// an earlier one (the earlier list wins a tie).
func searchBefore(xTier backend.SearchTier, xPlace int, x backend.SearchHit, yTier backend.SearchTier, yPlace int, y backend.SearchHit) bool {
	if xTier != yTier {
		return xTier < yTier
	}
	if xTier <= backend.TierNamePrefix {
		if len(x.Name) != len(y.Name) {
			return len(x.Name) < len(y.Name)
		}
		return x.Name < y.Name
	}
	return xPlace < yPlace
}
