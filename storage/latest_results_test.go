package storage_test

import (
	"maps"
	"testing"

	"github.com/lineagedesk/lineagedesk/backend"
)

func TestLatestResults(t *testing.T) {
	s, _ := openStore(t)
	snap := saveShop(t, s)
	got, err := s.LatestResults(t.Context(), snap.ID, []string{"model.shop.stg_orders", "test.shop.orders_positive", "test.shop.not_null_stg_orders_order_id.abc", "model.shop.orders", "nothing.at.all"})
	if err != nil {
		t.Fatal(err)
	}
	// orders_positive ran twice (a retry): the later result counts. The
	// run did not include model.shop.orders.
	if len(got) != 3 {
		t.Errorf("%d results, want 3: %v", len(got), got)
	}
	if r := got["model.shop.stg_orders"]; r.Status != "success" || r.ExecutionTime != 0.25 || r.Message != "OK" || r.IsTestOutcome || r.Failures != nil {
		t.Errorf("stg_orders: %+v", r)
	}
	if r := got["test.shop.orders_positive"]; r.Status != "pass" || r.ExecutionTime != 0.75 || !r.IsTestOutcome || r.Failures == nil || *r.Failures != 0 {
		t.Errorf("orders_positive, retried: %+v", r)
	}
	if r := got["test.shop.not_null_stg_orders_order_id.abc"]; r.Status != "fail" || r.Failures == nil || *r.Failures != 4 {
		t.Errorf("not_null: %+v", r)
	}
	if got, err := s.LatestResults(t.Context(), snap.ID+1, []string{"model.shop.stg_orders"}); err != nil || len(got) != 0 {
		t.Errorf("another snapshot: %v, %v", got, err)
	}
}

// TestBuildTimes: the models, seeds and snapshots of a run with their
// latest status and time (a retry's later entry), and nothing else.
func TestBuildTimes(t *testing.T) {
	s, _ := openStore(t)
	b := shopBundle()
	b.RunResults = append(b.RunResults,
		backend.RunResult{UniqueID: "seed.shop.raw_orders", Status: "success", ExecutionTime: 0.5},
		backend.RunResult{UniqueID: "snapshot.shop.orders_snapshot", Status: "error", ExecutionTime: 3},
		backend.RunResult{UniqueID: "snapshot.shop.orders_snapshot", Status: "success", ExecutionTime: 4},
		backend.RunResult{UniqueID: "model.shop.orders.v2", Status: "success", ExecutionTime: 1.5})
	snap, err := s.SaveSnapshot(t.Context(), backend.NewSnapshot{Name: "times", Origin: backend.Origin{Kind: backend.OriginPath}, Bundle: b})
	if err != nil {
		t.Fatal(err)
	}
	got, err := s.BuildTimes(t.Context(), snap.ID)
	want := map[string]backend.BuildTime{
		"model.shop.stg_orders":         {Status: "success", Seconds: 0.25},
		"seed.shop.raw_orders":          {Status: "success", Seconds: 0.5},
		"snapshot.shop.orders_snapshot": {Status: "success", Seconds: 4},
		"model.shop.orders.v2":          {Status: "success", Seconds: 1.5},
	}
	if err != nil || !maps.Equal(got, want) {
		t.Errorf("BuildTimes = %v, %v; want %v", got, err, want)
	}
}
