package storage_test

import (
	"testing"

	"github.com/lineagedesk/lineagedesk/backend"
)

// TestSearchNamesTheColumn searches the demo project's columns: a hit found
// in its columns names the column, as the manifest documents them
// (jaffle-dap-v12-1.12: customers has lifetime_spend_pretax before
// lifetime_spend; orders documents order_total as "The total amount of
// the order in USD including tax." after order_total_cents, whose name
// holds "total" too).
func TestSearchNamesTheColumn(t *testing.T) {
	s, _, snap, _ := saveFixture(t, "jaffle-dap-v12-1.12")
	cases := []struct{ text, node, column string }{
		{"lifetime_spend", "model.jaffle_shop.customers", "lifetime_spend"},
		{"lifetime_spend_pre", "model.jaffle_shop.customers", "lifetime_spend_pretax"},
		{"total amount", "model.jaffle_shop.orders", "order_total"},
		{"fulfill", "model.jaffle_shop.orders", "order_cost"},
	}
	for _, c := range cases {
		res, err := s.Search(t.Context(), snap.ID, backend.SearchQuery{Text: c.text})
		if err != nil {
			t.Fatal(err)
		}
		found := false
		for _, h := range res.Hits {
			if h.MatchedIn != "column" && h.Column != "" {
				t.Errorf("%q: %s matched in %s names column %q", c.text, h.UniqueID, h.MatchedIn, h.Column)
			}
			if h.UniqueID == c.node {
				found = true
				if h.MatchedIn != "column" || h.Column != c.column {
					t.Errorf("%q: %s matched in %s, column %q, want column %q (%q)", c.text, c.node, h.MatchedIn, h.Column, c.column, h.Snippet)
				}
			}
		}
		if !found {
			t.Errorf("%q: no hit on %s: %+v", c.text, c.node, res.Hits)
		}
	}
}
