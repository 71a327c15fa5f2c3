package storage_test

import (
	"fmt"
	"strings"
	"testing"

	"github.com/lineagedesk/lineagedesk/backend"
)

// TestColumnTests sums up each column's tests of a dbt build (its
// run_results hold every test's outcome) against the same sums computed
// here from the bundle: each enabled generic test with a column, counted on
// its attached node, with the status of its last outcome in the run.
func TestColumnTests(t *testing.T) {
	s, _, snap, b := saveFixture(t, "bouncer-build-v12-dbt1.11-duckdb")
	status := map[string]string{}
	for _, rr := range b.RunResults {
		if rr.IsTestOutcome {
			status[rr.UniqueID] = rr.Status
		}
	}
	want := map[string]map[string]backend.TestSummary{}
	var ids []string
	for _, r := range b.Resources {
		ids = append(ids, r.UniqueID)
		if !r.Enabled || r.ResourceType != backend.TypeTest || r.Test == nil || r.Test.ColumnName == "" || r.Test.AttachedNode == "" {
			continue
		}
		if want[r.Test.AttachedNode] == nil {
			want[r.Test.AttachedNode] = map[string]backend.TestSummary{}
		}
		sum := want[r.Test.AttachedNode][strings.ToLower(r.Test.ColumnName)]
		sum.Count(status[r.UniqueID])
		want[r.Test.AttachedNode][strings.ToLower(r.Test.ColumnName)] = sum
	}
	got, err := s.ColumnTests(t.Context(), snap.ID, ids)
	if err != nil {
		t.Fatal(err)
	}
	if fmt.Sprint(got) != fmt.Sprint(want) {
		t.Errorf("column tests:\n got %v\nwant %v", got, want)
	}
	passed := 0
	for _, cols := range want {
		for _, sum := range cols {
			passed += sum.Pass
		}
	}
	if len(want) < 5 || passed < 10 {
		t.Errorf("the fixture's column tests (%d nodes, %d passed) do not exercise the sums", len(want), passed)
	}
	if none, err := s.ColumnTests(t.Context(), snap.ID, nil); err != nil || len(none) != 0 {
		t.Errorf("no nodes: %v, %v", none, err)
	}
	if _, err := s.ColumnTests(t.Context(), snap.ID+100, ids[:1]); backend.ErrorCode(err) != backend.ENOTFOUND {
		t.Errorf("a snapshot that is not there: %v", err)
	}
}
