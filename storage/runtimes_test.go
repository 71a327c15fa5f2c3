package storage_test

import (
	"maps"
	"testing"
)

func TestRunTimes(t *testing.T) {
	s, _ := openStore(t)
	snap := saveShop(t, s)
	got, err := s.RunTimes(t.Context(), snap.ID, []string{"model.shop.stg_orders", "test.shop.orders_positive", "model.shop.orders", "nothing.at.all"})
	if err != nil {
		t.Fatal(err)
	}
	// orders_positive ran twice (a retry): the later result counts. The
	// run did not include model.shop.orders.
	want := map[string]float64{"model.shop.stg_orders": 0.25, "test.shop.orders_positive": 0.75}
	if !maps.Equal(got, want) {
		t.Errorf("got %v, want %v", got, want)
	}
	if got, err := s.RunTimes(t.Context(), snap.ID+1, []string{"model.shop.stg_orders"}); err != nil || len(got) != 0 {
		t.Errorf("another snapshot: %v, %v", got, err)
	}
}
