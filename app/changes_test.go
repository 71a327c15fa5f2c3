package app_test

import (
	"path/filepath"
	"strings"
	"testing"

	"github.com/lineagedesk/lineagedesk/app"
)

// TestStateAgainstAnotherProject: comparing with a snapshot of another
// project works, as dbt would, and says that every node is then new.
func TestStateAgainstAnotherProject(t *testing.T) {
	a, _, _ := openApp(t)
	bouncer, err := a.ImportPaths([]string{filepath.Join(fixtures, "bouncer-build-v12-dbt1.11-duckdb")}, "")
	if err != nil {
		t.Fatal(err)
	}
	jaffle, err := a.ImportPaths([]string{filepath.Join(fixtures, "jaffle-dap-v12-1.11", "manifest.json.gz")}, "")
	if err != nil {
		t.Fatal(err)
	}
	changes, err := a.Changes(jaffle.SnapshotID, bouncer.SnapshotID)
	if err != nil || len(changes.Warnings) != 1 || !strings.Contains(changes.Warnings[0], "of project dbt_bouncer_test_project, not jaffle_shop") ||
		changes.Counts["modified"] != 0 || changes.Counts["new"] == 0 || changes.Counts["removed"] == 0 {
		t.Errorf("Changes against another project: %+v, %v", changes, err)
	}
	res, err := a.Lineage(app.LineageRequest{Select: "state:new", StateSnapshotID: bouncer.SnapshotID, Format: "json"})
	if err != nil || len(res.Warnings) != 1 || !strings.Contains(res.Warnings[0], "every node counts as new") {
		t.Errorf("state:new against another project: %v, %v", res.Warnings, err)
	}
	if same, err := a.Changes(0, jaffle.SnapshotID); err == nil {
		t.Errorf("a snapshot compared with itself: %+v", same)
	}
}
