package storage_test

import (
	"testing"

	"github.com/lineagedesk/lineagedesk/backend"
)

// Lists carry each resource's own run status (from a run that built
// nodes) and a source's freshness, so a failure shows in them: the shop
// build ran stg_orders, a test of it retried to a pass, and its raw orders
// source warned.
func TestListsCarryRunStatesAndFreshness(t *testing.T) {
	s, _ := openStore(t)
	snap := saveShop(t, s)
	list, err := s.Resources(t.Context(), snap.ID, backend.ResourceFilter{})
	if err != nil {
		t.Fatal(err)
	}
	got := map[string][2]string{}
	for _, r := range list {
		got[r.UniqueID] = [2]string{r.RunStatus, r.FreshnessStatus}
	}
	for id, want := range map[string][2]string{
		"model.shop.stg_orders":     {"success", ""},
		"test.shop.orders_positive": {"pass", ""}, // its later result
		"source.shop.raw.orders":    {"", "warn"},
		"model.shop.orders":         {"", ""}, // not in the run
	} {
		if got[id] != want {
			t.Errorf("%s: run %q, freshness %q; want %q", id, got[id][0], got[id][1], want)
		}
	}
	detail, err := s.Resource(t.Context(), snap.ID, "model.shop.stg_orders")
	if err != nil {
		t.Fatal(err)
	}
	// A docs generate's "success" is no run: no run status from it.
	b := shopBundle()
	b.Meta.RunCommand, b.Meta.InvocationID = "generate", "0b1c-docs"
	docs, err := s.SaveSnapshot(t.Context(), backend.NewSnapshot{Name: "docs", Origin: backend.Origin{Kind: backend.OriginPath}, Bundle: b})
	if err != nil {
		t.Fatal(err)
	}
	generated, err := s.Resources(t.Context(), docs.ID, backend.ResourceFilter{})
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range generated {
		if r.RunStatus != "" {
			t.Errorf("%s after a docs generate: run status %q, want none", r.UniqueID, r.RunStatus)
		}
	}
	found := false
	for _, p := range detail.Parents {
		if p.UniqueID == "source.shop.raw.orders" {
			found = p.FreshnessStatus == "warn"
		}
	}
	if !found {
		t.Errorf("stg_orders' upstream: %+v, want the raw orders source with its freshness warn", detail.Parents)
	}
}
