package app_test

import (
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/lineagedesk/lineagedesk/app"
	"github.com/lineagedesk/lineagedesk/backend"
)

// TestLineageBeforeAndAfterTheGraphLoads checks that a selection answered
// before the snapshot's whole graph is in memory (from the store's reach
// tables) is the very picture the whole graph gives afterwards, in every
// format, and that a name that matches nothing still gets the whole
// graph's near-name suggestions.
func TestLineageBeforeAndAfterTheGraphLoads(t *testing.T) {
	dataset := "bouncer-build-v12-dbt1.11-duckdb"
	render := func() map[string]string {
		a, _, _ := openApp(t)
		if _, err := a.ImportPaths([]string{filepath.Join(fixtures, dataset)}, ""); err != nil {
			t.Fatal(err)
		}
		out := map[string]string{}
		for _, sel := range []string{"+orders+", "1+stg_orders+2", "model.dbt_bouncer_test_project.stg_customers+"} {
			for _, format := range []string{"json", "dot", "mermaid", "svg"} {
				res, err := a.Lineage(app.LineageRequest{Select: sel, Format: format, GroupBy: "none"})
				if err != nil {
					t.Fatalf("%s as %s: %v", sel, format, err)
				}
				out[sel+" "+format] = res.Content
			}
		}
		_, err := a.Lineage(app.LineageRequest{Select: "+ordres+", Format: "json"})
		if backend.ErrorCode(err) != backend.ENOTFOUND || !strings.Contains(err.Error(), "orders") {
			t.Errorf("a misspelt name: %v, want ENOTFOUND suggesting orders", err)
		}
		return out
	}
	first := render() // a fresh app: no whole graph in memory yet

	a, _, _ := openApp(t)
	if _, err := a.ImportPaths([]string{filepath.Join(fixtures, dataset)}, ""); err != nil {
		t.Fatal(err)
	}
	// Paths loads the whole graph; Lineage then selects on it.
	if _, err := a.Paths(0, "model.dbt_bouncer_test_project.orders", "model.dbt_bouncer_test_project.stg_orders"); err != nil {
		t.Fatal(err)
	}
	renderedAt := regexp.MustCompile(`rendered [^<"\n]*`)
	for key, want := range first {
		sel, format, _ := strings.Cut(key, " ")
		res, err := a.Lineage(app.LineageRequest{Select: sel, Format: format, GroupBy: "none"})
		if err != nil {
			t.Fatal(err)
		}
		if renderedAt.ReplaceAllString(res.Content, "") != renderedAt.ReplaceAllString(want, "") {
			t.Errorf("%s as %s differs once the whole graph is loaded", sel, format)
		}
	}
}
