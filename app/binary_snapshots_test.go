package app_test

import (
	"encoding/json"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
)

// TestBinaryDeleteSnapshots drives delete-snapshot and compact through the
// binary: a dry run and a wrong id delete nothing, --keep keeps each
// project's latest runs, and compact gives the space back.
func TestBinaryDeleteSnapshots(t *testing.T) {
	dir := t.TempDir()
	c := cli{t: t, bin: buildBinary(t), db: filepath.Join(dir, "d.db"), env: []string{"XDG_CONFIG_HOME=" + dir}}
	for _, dataset := range []string{"bouncer-v12-dbt1.8-duckdb", "bouncer-v12-dbt1.10-duckdb", "jaffle-dap-v12-1.10", "bouncer-v12-dbt1.9-duckdb", "jaffle-dap-v12-1.11"} {
		if _, stderr, code := c.run("", "import", filepath.Join(fixtures, dataset)); code != 0 {
			t.Fatalf("import %s: exit %d: %s", dataset, code, stderr)
		}
	}
	listed := func() string {
		out, stderr, code := c.run("", "snapshots", "--json")
		if code != 0 {
			t.Fatalf("snapshots: exit %d: %s", code, stderr)
		}
		var snaps []struct{ ID int64 }
		if err := json.Unmarshal([]byte(out), &snaps); err != nil {
			t.Fatal(err)
		}
		var ids []string
		for _, s := range snaps {
			ids = append(ids, strconv.FormatInt(s.ID, 10))
		}
		return strings.Join(ids, " ")
	}
	all := listed()
	if all != "5 4 3 2 1" {
		t.Fatalf("snapshots %q after five imports", all)
	}

	out, _, code := c.run("", "delete-snapshot", "--keep", "1", "--dry-run")
	if code != 0 || !strings.Contains(out, "Would delete snapshot #3") || !strings.Contains(out, "3 snapshots would be deleted; nothing was.") || listed() != all {
		t.Errorf("--dry-run: exit %d:\n%s", code, out)
	}
	if _, stderr, code := c.run("", "delete-snapshot", "1", "9"); code == 0 || !strings.Contains(stderr, "there is no snapshot 9") || listed() != all {
		t.Errorf("an id of no snapshot: exit %d: %s; snapshots %s", code, stderr, listed())
	}
	for _, bad := range [][]string{{"delete-snapshot"}, {"delete-snapshot", "1", "--keep", "1"}, {"delete-snapshot", "--project", "jaffle_shop"}, {"delete-snapshot", "x"}} {
		if _, stderr, code := c.run("", bad...); code != 2 || !strings.Contains(stderr, "usage: lineagedesk delete-snapshot") {
			t.Errorf("%v: exit %d: %s", bad, code, stderr)
		}
	}
	if out, stderr, code := c.run("", "delete-snapshot", "4"); code != 0 || !strings.Contains(out, `Deleted snapshot #4 "dbt_bouncer_test_project" (dbt_bouncer_test_project, generated 2026-03-18 10:10:27).`) || listed() != "5 3 2 1" {
		t.Errorf("delete-snapshot 4: exit %d: %s%s; snapshots %s", code, out, stderr, listed())
	}
	// Each project's latest run stays: bouncer's 1.10 (#2, generated
	// 2026-08-07, after 1.8's #1), jaffle's 1.11 (#5, after 1.10's #3). The
	// oldest run goes first: #3 (2025-10-11), then #1 (2025-11-29).
	out, stderr, code := c.run("", "delete-snapshot", "--keep", "1", "--compact", "--json")
	var res struct {
		Deleted []struct{ ID int64 } `json:"deleted"`
	}
	if err := json.Unmarshal([]byte(out), &res); err != nil || code != 0 {
		t.Fatalf("--keep 1 --compact --json: exit %d, %v: %s%s", code, err, out, stderr)
	}
	if len(res.Deleted) != 2 || res.Deleted[0].ID != 3 || res.Deleted[1].ID != 1 || listed() != "5 2" || !strings.Contains(out, `"free_bytes": 0`) {
		t.Errorf("--keep 1 deleted %+v, left %s:\n%s", res.Deleted, listed(), out)
	}
	out, _, code = c.run("", "delete-snapshot", "--keep", "1")
	if code != 0 || !strings.Contains(out, "Nothing to delete: no project has more than 1 snapshot.") {
		t.Errorf("--keep 1 again: exit %d: %s", code, out)
	}
	if out, stderr, code := c.run("", "compact"); code != 0 || !strings.HasPrefix(out, "Compacted the store from ") {
		t.Errorf("compact: exit %d: %s%s", code, out, stderr)
	}
}
