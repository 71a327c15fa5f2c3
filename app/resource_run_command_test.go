package app_test

import (
	"testing"
)

// A resource's run result says which dbt command wrote it: a docs
// generate's "success" is a compile, not a run.
func TestResourceSaysWhichCommandItsResultIsOf(t *testing.T) {
	a := appWith(t, "jaffle-dap-v12-1.12")
	r, err := a.Resource(0, "model.jaffle_shop.orders")
	if err != nil {
		t.Fatal(err)
	}
	if r.RunResult == nil || r.RunCommand != "generate" {
		t.Errorf("run result %+v of command %q, want the docs generate's", r.RunResult, r.RunCommand)
	}
}
