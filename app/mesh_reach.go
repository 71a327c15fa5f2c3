package app

import (
	"context"
	"errors"
	"fmt"

	"github.com/lineagedesk/lineagedesk/backend"
	"github.com/lineagedesk/lineagedesk/backend/lineage"
)

// meshPart is the part of a mesh's joined lineage a selector made of
// names and methods with graph operators can reach (lineage.PlanReach),
// read from each run's reach tables instead of joining whole lineages:
// each run's part around the selector's terms, then, step by step, each
// run's part around the models the parts cross into it by: a ref leads
// into the run of the project that defines it (its ancestors, as deep as
// the terms go up), a public model into the runs that ref it (its
// descendants, as deep as the terms go down); with @, a public model
// leads on as @ does and a ref up all the way. The depths are the
// deepest any term asks, so the part holds all the selector can reach,
// and selecting on it gives what selecting on the joined lineage gives.
// ok is false when the selector needs the whole lineage.
//
// first, when not nil, is the first run's part for q, read already.
func (a *App) meshPart(ctx context.Context, m *meshRuns, q backend.ReachQuery, first *backend.GraphData) (ml *meshLineage, ok bool, err error) {
	up, down, at := 0, 0, false
	deeper := func(have, want int) int {
		if have < 0 || want < 0 {
			return -1
		}
		return max(have, want)
	}
	for _, t := range q.Terms {
		up, down, at = deeper(up, t.Parents), deeper(down, t.Children), at || t.At
	}
	runOf, refdBy := m.runOf, m.refdBy
	pending := make([][]backend.ReachTerm, len(m.runs))
	asked := map[string]bool{}
	ask := func(run int, t backend.ReachTerm) {
		key := fmt.Sprintf("%d %+v", run, t)
		if !asked[key] {
			asked[key] = true
			pending[run] = append(pending[run], t)
		}
	}
	parts := make([]*backend.GraphData, len(m.runs))
	// read reads one run's part around terms; a term that matches nothing
	// there (a ref to a model its project's run no longer holds) gives
	// nothing, and the others what they reach.
	var read func(i int, terms []backend.ReachTerm) (*backend.GraphData, error)
	read = func(i int, terms []backend.ReachTerm) (*backend.GraphData, error) {
		data, err := a.store.Reach(ctx, m.runs[i].ID, backend.ReachQuery{Terms: terms, Tests: q.Tests})
		switch {
		case errors.Is(err, backend.ErrReachNoMatch) && len(terms) > 1:
			all := &backend.GraphData{}
			for _, t := range terms {
				one, err := read(i, []backend.ReachTerm{t})
				if err != nil {
					return nil, err
				}
				all.Nodes, all.Edges = append(all.Nodes, one.Nodes...), append(all.Edges, one.Edges...)
			}
			return all, nil
		case errors.Is(err, backend.ErrReachNoMatch):
			return &backend.GraphData{}, nil
		}
		return data, err
	}
	// absorb adds what a read gave to run i's part, and asks the runs it
	// crosses into for what lies beyond.
	absorb := func(i int, data *backend.GraphData) {
		if parts[i] == nil {
			parts[i] = &backend.GraphData{SnapshotID: m.runs[i].ID}
		}
		parts[i].Nodes = append(parts[i].Nodes, data.Nodes...)
		parts[i].Edges = append(parts[i].Edges, data.Edges...)
		for _, n := range data.Nodes {
			if j, held := runOf[n.Package]; n.CrossProject() && held {
				// Its definition, and what it stands for upstream.
				t := backend.ReachTerm{Value: n.UniqueID, Parents: up}
				if at {
					t.Parents = -1
				}
				ask(j, t)
			}
			for _, k := range refdBy[n.UniqueID] {
				if k != i && down != 0 {
					ask(k, backend.ReachTerm{Value: n.UniqueID, Children: down})
				}
				if k != i && at {
					ask(k, backend.ReachTerm{Value: n.UniqueID, At: true})
				}
			}
		}
	}
	// The selector's own terms, each alone in every run: a name is most
	// often one project's.
	if first != nil {
		absorb(0, first)
	}
	for _, t := range q.Terms {
		matched := first != nil && len(first.Nodes) > 0
		for i := range m.runs {
			if i == 0 && first != nil {
				continue
			}
			data, err := read(i, []backend.ReachTerm{t})
			if errors.Is(err, backend.ErrReachUnknown) {
				return nil, false, nil
			}
			if err != nil {
				return nil, false, err
			}
			if len(data.Nodes) > 0 {
				matched = true
				absorb(i, data)
			}
		}
		if !matched {
			return nil, false, nil // the whole lineage says what matched nothing, with near names
		}
	}
	for more := true; more; {
		more = false
		for i, terms := range pending {
			if len(terms) == 0 {
				continue
			}
			more, pending[i] = true, nil
			data, err := read(i, terms)
			if errors.Is(err, backend.ErrReachUnknown) {
				return nil, false, nil
			}
			if err != nil {
				return nil, false, err
			}
			absorb(i, data)
		}
		if more {
			continue
		}
		// A dependency between projects is a ref's edge in the reading
		// run: where the part holds a model a run refs and that run has a
		// part too, the ref's children there give the edges (config.
		// materialized:table holds bouncer's orders and finance's
		// fct_revenue, not finance's ref between them).
		held := map[string]bool{}
		for _, p := range parts {
			if p != nil {
				for _, n := range p.Nodes {
					held[n.UniqueID] = true
				}
			}
		}
		for i, refs := range m.refs {
			for _, r := range refs {
				if parts[i] != nil && held[r.UniqueID] {
					ask(i, backend.ReachTerm{Value: r.UniqueID, Children: 1})
				}
			}
		}
		for _, terms := range pending {
			more = more || len(terms) > 0
		}
	}
	mg := joinMesh(m, func(i int) []backend.GraphNode {
		if parts[i] == nil {
			return nil
		}
		return parts[i].Nodes
	})
	for _, p := range parts {
		if p != nil {
			mg.data.Edges = append(mg.data.Edges, p.Edges...)
		}
	}
	return &meshLineage{runs: m, graph: lineage.New(&mg.data), owners: mg.owners}, true, nil
}

// sayWhatItSelectsAcross adds to a selection that matched nothing in a
// project's own lineage what it selects across the projects tied to it
// (a name of another project's model), if anything: a user in finance
// who types bouncer's stg_orders is told to draw across projects.
func (a *App) sayWhatItSelectsAcross(ctx context.Context, snap backend.Snapshot, expr string, opts lineage.SelectOptions, err error) error {
	var e *backend.Error
	if !errors.As(err, &e) || e.Code != backend.ENOTFOUND {
		return err
	}
	m, meshErr := a.mesh(ctx, snap)
	if meshErr != nil || len(m.runs) < 2 {
		return err
	}
	q, ok := lineage.PlanReach(expr, opts)
	if !ok {
		return err
	}
	part, ok, partErr := a.meshPart(ctx, m, q, nil)
	if partErr != nil || !ok {
		return err
	}
	configs := func(snapshotID int64, path, ids []string) ([]any, error) {
		return a.store.ConfigValues(ctx, snapshotID, path, ids)
	}
	sel, selErr := part.graph.Select(expr, part.options(opts, configs, opts.StateChanges, opts.FresherSources))
	if selErr != nil || len(sel.Nodes) == 0 {
		return err
	}
	return &backend.Error{Code: e.Code, Err: e.Err, Message: fmt.Sprintf(
		"%s; across the projects tied to %s it selects %d nodes: draw it across projects (--across-projects, the lineage view's Across projects switch)",
		e.Message, snap.Project, len(sel.Nodes))}
}
