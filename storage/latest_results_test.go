package storage_test

import (
	"testing"
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
