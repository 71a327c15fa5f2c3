package storage_test

import (
	"slices"
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
	cases := []struct{ text, node, matchedIn, column string }{
		{"lifetime_spend", "model.jaffle_shop.customers", "column", "lifetime_spend"},
		{"lifetime_spend_pre", "model.jaffle_shop.customers", "column", "lifetime_spend_pretax"},
		{"total amount", "model.jaffle_shop.orders", "column", "order_total"},
		{"fulfill", "model.jaffle_shop.orders", "column", "order_cost"},
		// A semantic model is found by its entities, dimensions and
		// measures, as a model by its columns: order_total_dim's
		// description is order_total's.
		{"customer_type", "semantic_model.jaffle_shop.customers", "dimension", "customer_type"},
		{"total amount", "semantic_model.jaffle_shop.orders", "dimension", "order_total_dim"},
		{"who placed", "semantic_model.jaffle_shop.orders", "entity", "customer"},
	}
	elementKinds := map[string]bool{"entity": true, "dimension": true, "measure": true}
	for _, c := range cases {
		res, err := s.Search(t.Context(), snap.ID, backend.SearchQuery{Text: c.text})
		if err != nil {
			t.Fatal(err)
		}
		found := false
		for _, h := range res.Hits {
			if h.MatchedIn != "column" && !elementKinds[h.MatchedIn] && h.Column != "" {
				t.Errorf("%q: %s matched in %s names column %q", c.text, h.UniqueID, h.MatchedIn, h.Column)
			}
			if elementKinds[h.MatchedIn] && h.ResourceType != backend.TypeSemanticModel {
				t.Errorf("%q: %s, a %s, matched in a %s", c.text, h.UniqueID, h.ResourceType, h.MatchedIn)
			}
			if h.UniqueID == c.node {
				found = true
				if h.MatchedIn != c.matchedIn || h.Column != c.column {
					t.Errorf("%q: %s matched in %s, column %q, want %s %q (%q)", c.text, c.node, h.MatchedIn, h.Column, c.matchedIn, c.column, h.Snippet)
				}
			}
		}
		if !found {
			t.Errorf("%q: no hit on %s: %+v", c.text, c.node, res.Hits)
		}
	}
}

// TestSemanticElementsOf reads elements from JSON as the manifest holds
// them and from JSON it must not fail on.
func TestSemanticElementsOf(t *testing.T) {
	got := backend.SemanticElementsOf([]byte(`{"measures": [{"name": "revenue", "description": "Sum."}],
		"dimensions": [{"name": "tier", "description": null}, {"name": ""}, {"name": "plan", "description": 3}],
		"entities": [{"name": "customer", "type": "primary"}]}`))
	want := []backend.SemanticElement{{Kind: "entity", Name: "customer"}, {Kind: "dimension", Name: "tier"},
		{Kind: "dimension", Name: "plan"}, {Kind: "measure", Name: "revenue", Description: "Sum."}}
	if !slices.Equal(got, want) {
		t.Errorf("elements = %+v, want %+v", got, want)
	}
	for _, raw := range []string{``, `null`, `[]`, `{"dimensions": {"name": "x"}}`, `{"entities": [1, 2]}`, `{"measures": null}`} {
		if got := backend.SemanticElementsOf([]byte(raw)); got != nil {
			t.Errorf("%s: elements %+v, want none", raw, got)
		}
	}
}
