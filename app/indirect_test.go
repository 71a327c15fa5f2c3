package app_test

import (
	"path/filepath"
	"testing"

	"github.com/lineagedesk/lineagedesk/app"
	"github.com/lineagedesk/lineagedesk/backend"
)

// TestLineageIndirectSelection: --indirect-selection reaches the engine
// and shows tests: on the dbt-bouncer project, eager shows the
// relationships tests of orders that cautious leaves out (their other
// parent is not selected), and empty shows none.
func TestLineageIndirectSelection(t *testing.T) {
	a, _, _ := openApp(t)
	if _, err := a.ImportPaths([]string{filepath.Join(fixtures, "bouncer-build-v12-dbt1.11-duckdb")}, ""); err != nil {
		t.Fatal(err)
	}
	tests := func(mode string) int {
		t.Helper()
		res, err := a.Lineage(app.LineageRequest{Select: "orders", IndirectSelection: mode, Format: "json"})
		if err != nil {
			t.Fatalf("%s: %v", mode, err)
		}
		n := 0
		for _, node := range res.Nodes {
			if node.ResourceType == backend.TypeTest || node.ResourceType == backend.TypeUnitTest {
				n++
			}
		}
		return n
	}
	cautious, eager, empty := tests("cautious"), tests("eager"), tests("empty")
	if cautious == 0 || eager <= cautious || empty != 0 {
		t.Errorf("tests shown: cautious %d, eager %d, empty %d", cautious, eager, empty)
	}
	if _, err := a.Lineage(app.LineageRequest{Select: "orders", IndirectSelection: "lazy", Format: "json"}); backend.ErrorCode(err) != backend.EINVALID {
		t.Errorf("an unknown mode: %v", err)
	}
}
