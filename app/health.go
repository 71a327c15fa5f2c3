package app

import (
	"cmp"
	"context"
	"fmt"
	"maps"
	"slices"
	"strings"

	"github.com/lineagedesk/lineagedesk/backend"
	"github.com/lineagedesk/lineagedesk/backend/health"
	"github.com/lineagedesk/lineagedesk/backend/lineage"
)

// HealthResult is a resource's data health as of a snapshot.
type HealthResult struct {
	SnapshotID int64  `json:"snapshot_id"`
	UniqueID   string `json:"unique_id"`
	// Judged is false for the resource types health is not judged for
	// (tests, metrics, semantic models, ...); Health is then empty.
	Judged bool           `json:"judged"`
	Health backend.Health `json:"health"`
}

// Health returns the data health of a resource (by unique_id or name) as
// of a snapshot (0: the latest), as the health lens draws it.
func (a *App) Health(snapshotID int64, ref string) (HealthResult, error) {
	ctx := a.ctx
	snap, err := a.snapshot(ctx, snapshotID)
	if err != nil {
		return HealthResult{}, err
	}
	// The node and all its ancestors, which is all its health reads (the
	// whole graph words a slip's near names).
	g, err := a.graphHolding(ctx, snap, -1, 0, ref)
	if err != nil {
		return HealthResult{}, fmt.Errorf("health of %s: %w", ref, err)
	}
	id, err := g.Resolve(ref)
	if err != nil {
		// Not in the lineage: a macro, a doc block, a group or a disabled
		// node is a resource health does not judge.
		if r, rerr := a.resource(snap.ID, ref); rerr == nil {
			return HealthResult{SnapshotID: snap.ID, UniqueID: r.UniqueID}, nil
		}
		return HealthResult{}, fmt.Errorf("health of %s: %w", ref, err)
	}
	n, _ := g.Node(id)
	res := HealthResult{SnapshotID: snap.ID, UniqueID: id, Judged: health.Judged(n.ResourceType)}
	if !res.Judged {
		return res, nil
	}
	judged, err := a.healthIn(ctx, snap, g, []string{id})
	if err != nil {
		return HealthResult{}, fmt.Errorf("health of %s: %w", id, err)
	}
	res.Health = judged[id]
	return res, nil
}

// HealthReport is the data health of every resource of a snapshot that
// health judges: the state of the project as of one run.
type HealthReport struct {
	SnapshotID int64  `json:"snapshot_id"`
	Project    string `json:"project"`
	// Counts holds how many resources are in each state.
	Counts map[string]int `json:"counts"`
	// Resources are the degraded first, then caution, unknown and
	// healthy, each by unique_id.
	Resources []HealthEntry `json:"resources"`
}

// HealthEntry is one resource of a HealthReport.
type HealthEntry struct {
	UniqueID     string         `json:"unique_id"`
	ResourceType string         `json:"resource_type"`
	Name         string         `json:"name"`
	Health       backend.Health `json:"health"`
}

// ProjectHealth judges every model, seed, snapshot, source and exposure of
// a snapshot (0: the latest), as the health lens does.
func (a *App) ProjectHealth(snapshotID int64) (HealthReport, error) {
	ctx := a.ctx
	snap, err := a.snapshot(ctx, snapshotID)
	if err != nil {
		return HealthReport{}, err
	}
	g, err := a.graph(ctx, snap)
	if err != nil {
		return HealthReport{}, err
	}
	var ids []string
	for _, n := range g.Nodes() {
		if health.Judged(n.ResourceType) {
			ids = append(ids, n.UniqueID)
		}
	}
	judged, err := a.healthOf(ctx, snap, ids)
	if err != nil {
		return HealthReport{}, fmt.Errorf("health of snapshot %d: %w", snap.ID, err)
	}
	rep := HealthReport{SnapshotID: snap.ID, Project: snap.Project, Counts: map[string]int{}, Resources: make([]HealthEntry, 0, len(judged))}
	for _, id := range ids {
		n, _ := g.Node(id)
		h := judged[id]
		rep.Counts[h.State]++
		rep.Resources = append(rep.Resources, HealthEntry{UniqueID: id, ResourceType: n.ResourceType, Name: n.Name, Health: h})
	}
	slices.SortFunc(rep.Resources, func(x, y HealthEntry) int {
		return cmp.Or(health.CompareWorse(x.Health.State, y.Health.State), strings.Compare(x.UniqueID, y.UniqueID))
	})
	return rep, nil
}

// healthOf judges, as of snap, the resources among ids whose type health
// judges (health.Judged), from the project's runs up to snap (the
// history's window, newest first): each one's latest build, its tests'
// latest outcomes, the latest freshness checks of the sources upstream of
// it within the 30 days before snap, and its description; an exposure by
// what it reads.
func (a *App) healthOf(ctx context.Context, snap backend.Snapshot, ids []string) (map[string]backend.Health, error) {
	g, err := a.ancestorsOf(ctx, snap, ids)
	if err != nil {
		return nil, err
	}
	return a.healthIn(ctx, snap, g, ids)
}

// healthIn is healthOf in g, a lineage graph that holds ids and all their
// ancestors.
func (a *App) healthIn(ctx context.Context, snap backend.Snapshot, g *lineage.Graph, ids []string) (map[string]backend.Health, error) {
	var judge, exposures, built []string
	seen := map[string]bool{}
	add := func(n *backend.GraphNode) {
		if seen[n.UniqueID] {
			return
		}
		seen[n.UniqueID] = true
		judge = append(judge, n.UniqueID)
		if n.ResourceType != backend.TypeSource && n.Materialized != "ephemeral" {
			built = append(built, n.UniqueID)
		}
	}
	for _, id := range ids {
		n, ok := g.Node(id)
		switch {
		case !ok || !health.Judged(n.ResourceType):
		case n.ResourceType == backend.TypeExposure:
			exposures = append(exposures, id)
			for _, p := range g.Parents(id) {
				if pn, ok := g.Node(p); ok && health.Judged(pn.ResourceType) && pn.ResourceType != backend.TypeExposure {
					add(pn)
				}
			}
		default:
			add(n)
		}
	}
	var sources []string // the freshness checks that count: those upstream
	for _, n := range g.Nodes() {
		if n.ResourceType == backend.TypeSource {
			sources = append(sources, n.UniqueID)
		}
	}
	ev, err := a.healthEvidence(ctx, snap, judge, built, sources)
	if err != nil {
		return nil, err
	}
	freshness := make(map[string]string, len(ev.checked))
	for id, f := range ev.checked {
		freshness[id] = f.Status
	}
	stale := health.StaleUpstream(g, freshness, judge)
	out := make(map[string]backend.Health, len(judge)+len(exposures))
	for _, id := range judge {
		n, _ := g.Node(id)
		e := health.Evidence{
			ResourceType: n.ResourceType, Materialized: n.Materialized, Described: strings.TrimSpace(n.Description) != "",
			Build: ev.builds[id], Tests: ev.tests[id], Failing: ev.failing[id], Warning: ev.warning[id], StaleUpstream: stale[id], AsOf: snap.GeneratedAt,
		}
		if n.CrossProject() {
			e.OtherProject = n.Package
		}
		if f, ok := ev.checked[id]; ok {
			e.Freshness = &f
		}
		out[id] = health.Judge(e)
	}
	for _, id := range exposures {
		parents := map[string]backend.Health{}
		for _, p := range g.Parents(id) {
			if h, ok := out[p]; ok {
				pn, _ := g.Node(p)
				name := pn.Name
				if pn.Version != "" {
					name += " v" + pn.Version
				}
				if _, taken := parents[name]; taken { // namesakes of two packages
					name = p
				}
				parents[name] = h
			}
		}
		out[id] = health.JudgeExposure(parents)
	}
	return out, nil
}

// healthRecord is what the runs held recorded of the resources judged.
type healthRecord struct {
	builds  map[string]*health.Outcome     // latest build of each built resource
	tests   map[string]backend.TestSummary // each resource's tests by latest outcome
	failing map[string][]string            // each resource's tests failing or erroring, by name
	warning map[string][]string            // and warning
	checked map[string]health.Outcome      // each source's latest freshness check, 30 days back
}

// healthEvidence reads the project's runs up to snap, newest first, until
// every build and test has its latest outcome: one query per run, most
// often only snap's own. A docs generate's "success" is no build, nor a
// test outcome.
func (a *App) healthEvidence(ctx context.Context, snap backend.Snapshot, judge, built, sources []string) (healthRecord, error) {
	rec := healthRecord{builds: map[string]*health.Outcome{}, tests: map[string]backend.TestSummary{},
		failing: map[string][]string{}, warning: map[string][]string{}, checked: map[string]health.Outcome{}}
	countsOn, err := a.store.TestsOf(ctx, snap.ID, judge)
	if err != nil {
		return rec, fmt.Errorf("tests of the resources judged: %w", err)
	}
	all, err := a.store.Snapshots(ctx)
	if err != nil {
		return rec, err
	}
	window, _ := historyWindow(all, snap)
	pendingBuild := make(map[string]bool, len(built))
	for _, id := range built {
		pendingBuild[id] = true
	}
	pendingTest := make(map[string]bool, len(countsOn))
	for t := range countsOn {
		pendingTest[t] = true
	}
	testStatus := map[string]string{}
	for i := len(window) - 1; i >= 0 && (len(pendingBuild) > 0 || len(pendingTest) > 0 || !tooOld(window[i], snap)); i-- {
		s := window[i]
		if !tooOld(s, snap) {
			if err := a.freshnessOf(ctx, s, sources, &rec); err != nil {
				return rec, err
			}
		}
		if !backend.RunsNodes(s.RunCommand) || len(pendingBuild)+len(pendingTest) == 0 {
			continue
		}
		asked := make([]string, 0, len(pendingBuild)+len(pendingTest))
		for id := range pendingBuild {
			asked = append(asked, id)
		}
		for id := range pendingTest {
			asked = append(asked, id)
		}
		results, err := a.store.LatestResults(ctx, s.ID, asked)
		if err != nil {
			return rec, fmt.Errorf("run results of snapshot %d: %w", s.ID, err)
		}
		for id, rr := range results {
			switch {
			case pendingTest[id] && rr.IsTestOutcome:
				testStatus[id] = rr.Status
				delete(pendingTest, id)
			case pendingBuild[id]:
				rec.builds[id] = &health.Outcome{Status: rr.Status, GeneratedAt: s.GeneratedAt, Message: rr.Message}
				delete(pendingBuild, id)
			}
		}
	}
	tests := slices.Sorted(maps.Keys(countsOn)) // named in a stable order
	slices.SortStableFunc(tests, func(x, y string) int { return strings.Compare(testName(x), testName(y)) })
	for _, t := range tests {
		status := testStatus[t]
		for _, id := range countsOn[t] {
			sum := rec.tests[id]
			sum.Count(status)
			rec.tests[id] = sum
			switch status {
			case "fail", "error", "runtime error":
				rec.failing[id] = append(rec.failing[id], testName(t))
			case "warn":
				rec.warning[id] = append(rec.warning[id], testName(t))
			}
		}
	}
	return rec, nil
}

// testName is how a reason names a test: its name, without the package
// and the hash dbt adds to a generic test's unique_id (test.shop.
// not_null_orders_id.a1b2c3 is not_null_orders_id; unit_test.shop.orders.
// test_totals is test_totals).
func testName(id string) string {
	parts := strings.Split(id, ".")
	switch {
	case parts[0] == backend.TypeUnitTest || len(parts) < 3:
		return parts[len(parts)-1]
	}
	return parts[2]
}

// tooOld reports whether a run is over 30 days older than snap: its
// freshness checks no longer count (dbt Explorer's "ran in the past 30
// days").
func tooOld(s, snap backend.Snapshot) bool {
	return snap.GeneratedAt.Sub(s.GeneratedAt) > health.StaleAfter
}

// freshnessOf notes the freshness checks of run s for those of sources
// that have none from a later run.
func (a *App) freshnessOf(ctx context.Context, s backend.Snapshot, sources []string, rec *healthRecord) error {
	if len(sources) == 0 {
		return nil
	}
	results, err := a.store.LatestFreshness(ctx, s.ID, sources)
	if err != nil {
		return err
	}
	for _, f := range results {
		if _, ok := rec.checked[f.UniqueID]; !ok {
			rec.checked[f.UniqueID] = health.Outcome{Status: f.Status, GeneratedAt: s.GeneratedAt}
		}
	}
	return nil
}

// healthPartMaxNodes is the most resources whose ancestors healthOf reads
// from the reach tables; past it, the whole graph.
const healthPartMaxNodes = 3000

// ancestorsOf returns a lineage graph holding ids and all their
// ancestors: the whole graph when it is loaded already, else that part
// from the reach tables when they answer.
func (a *App) ancestorsOf(ctx context.Context, snap backend.Snapshot, ids []string) (*lineage.Graph, error) {
	if g := a.graphs.loaded(snap); g != nil || len(ids) > healthPartMaxNodes {
		return a.graph(ctx, snap)
	}
	q := backend.ReachQuery{Terms: make([]backend.ReachTerm, 0, len(ids))}
	for _, id := range ids {
		q.Terms = append(q.Terms, backend.ReachTerm{Value: id, Parents: -1})
	}
	data, err := a.store.Reach(ctx, snap.ID, q)
	if err != nil {
		if ctx.Err() != nil {
			return nil, ctx.Err()
		}
		return a.graph(ctx, snap) // the whole graph answers what the reach tables cannot
	}
	return lineage.New(data), nil
}
