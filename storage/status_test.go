package storage_test

import (
	"context"
	"reflect"
	"testing"
	"time"

	"github.com/lineagedesk/lineagedesk/backend"
)

// TestStatusChanges compares each node's last result (a retry later in
// the file wins) between two builds of shop, and leaves out what a docs
// generate reports: its "success" of every node is no outcome.
func TestStatusChanges(t *testing.T) {
	s, _ := openStore(t)
	first := saveShop(t, s)
	later := func(command string, results []backend.RunResult) backend.Snapshot {
		t.Helper()
		b := shopBundle()
		b.Meta.InvocationID, b.Meta.RunCommand = "0b1c-later-"+command, command
		b.Meta.GeneratedAt = b.Meta.GeneratedAt.Add(24 * time.Hour)
		b.RunResults = results
		snap, err := s.SaveSnapshot(context.Background(), backend.NewSnapshot{Name: "shop " + command, Origin: backend.Origin{Kind: backend.OriginPath, Path: "/tmp/shop/target"}, Bundle: b})
		if err != nil {
			t.Fatal(err)
		}
		return snap
	}
	build := later("build", []backend.RunResult{
		{UniqueID: "model.shop.stg_orders", Status: "error"},
		{UniqueID: "test.shop.not_null_stg_orders_order_id.abc", Status: "pass", IsTestOutcome: true},
		{UniqueID: "test.shop.unique_stg_orders_order_id.def", Status: "warn", IsTestOutcome: true},
		// First passed here, and failed in the retry: the retry counts,
		// against the first build's retry that passed.
		{UniqueID: "test.shop.orders_positive", Status: "pass", IsTestOutcome: true},
		{UniqueID: "test.shop.orders_positive", Status: "fail", IsTestOutcome: true},
		{UniqueID: "test.shop.only_now", Status: "fail", IsTestOutcome: true},
	})
	got, err := s.StatusChanges(context.Background(), build.ID, first.ID)
	if err != nil {
		t.Fatal(err)
	}
	want := []backend.StatusChange{
		{UniqueID: "model.shop.stg_orders", Before: "success", After: "error"},
		{UniqueID: "test.shop.not_null_stg_orders_order_id.abc", Before: "fail", After: "pass"},
		{UniqueID: "test.shop.orders_positive", Before: "pass", After: "fail"},
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("StatusChanges = %+v\nwant %+v", got, want)
	}

	docs := later("generate", []backend.RunResult{
		{UniqueID: "model.shop.stg_orders", Status: "success"},
		{UniqueID: "test.shop.not_null_stg_orders_order_id.abc", Status: "success"},
	})
	if got, err := s.StatusChanges(context.Background(), docs.ID, build.ID); err != nil || len(got) != 0 {
		t.Errorf("against a docs generate: %+v, %v; want none", got, err)
	}
}
