package backend

import (
	"fmt"
	"testing"
)

// A term reads in messages as its selector does (QA: a cancelled
// selection's error printed the struct, "[{dim_orders true    0 0 true}]").
func TestReachTermReadsAsASelector(t *testing.T) {
	for want, term := range map[string]ReachTerm{
		"@dim_orders":            {Value: "dim_orders", Bare: true, At: true},
		"+dim_orders+":           {Value: "dim_orders", Bare: true, Parents: -1, Children: -1},
		"2+model.p.orders+1":     {Value: "model.p.orders", Parents: 2, Children: 1},
		"exposure:weekly_jaffle": {Value: "weekly_jaffle", Method: "exposure", ResourceType: "exposure"},
		"tag:nightly+":           {Value: "nightly", Method: "tag", Attribute: "tags", Children: -1},
	} {
		if got := term.String(); got != want {
			t.Errorf("%+v reads %q, want %q", term, got, want)
		}
	}
	if got := fmt.Sprintf("%v", []ReachTerm{{Value: "a", Bare: true}, {Value: "b", Bare: true, Parents: -1}}); got != "[a +b]" {
		t.Errorf("a list of terms reads %q", got)
	}
}
