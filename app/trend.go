package app

import (
	"context"
	"fmt"
	"slices"
	"strings"

	"github.com/lineagedesk/lineagedesk/backend"
	"github.com/lineagedesk/lineagedesk/backend/render"
)

// testTrends reads, for the resources ids (a selection), how their tests
// fared over the project's last runs up to snap, as their pages' history
// reads it (historyWindow, trend): for each resource the worst of its
// tests' trends (newly failing, flaky, fixed), for each test its own. A
// test counts on the node it is attached to, or, attached to none, on
// each node it reads, as its test summary counts it (TestsOf: a picture
// drawn from the reach tables does not hold the tests it hides).
func (a *App) testTrends(ctx context.Context, snap backend.Snapshot, ids []string) (map[string]string, error) {
	all, err := a.store.Snapshots(ctx)
	if err != nil {
		return nil, err
	}
	window, _ := historyWindow(all, snap)
	drawn := make(map[string]bool, len(ids))
	for _, id := range ids {
		drawn[id] = true
	}
	countsOn, err := a.store.TestsOf(ctx, snap.ID, ids)
	if err != nil {
		return nil, err
	}
	for _, id := range ids { // a test drawn counts on itself too
		if strings.HasPrefix(id, backend.TypeTest+".") || strings.HasPrefix(id, backend.TypeUnitTest+".") {
			countsOn[id] = append(countsOn[id], id)
		}
	}
	tests := make([]string, 0, len(countsOn))
	for id := range countsOn {
		tests = append(tests, id)
	}
	slices.Sort(tests)
	cells := make(map[string][]*HistoryCell, len(tests))
	for _, s := range window {
		results, err := a.store.LatestResults(ctx, s.ID, tests)
		if err != nil {
			return nil, fmt.Errorf("trend of the tests in snapshot %d: %w", s.ID, err)
		}
		for _, id := range tests {
			var cell *HistoryCell
			if rr, ok := results[id]; ok && rr.IsTestOutcome { // a docs generate's "success" is no outcome
				cell = &HistoryCell{Status: rr.Status}
			}
			cells[id] = append(cells[id], cell)
		}
	}
	trends := map[string]string{}
	for _, id := range tests {
		t := trend(cells[id])
		if t == "" {
			continue
		}
		for _, target := range countsOn[id] {
			if drawn[target] {
				trends[target] = render.WorseTrend(trends[target], t)
			}
		}
	}
	return trends, nil
}
