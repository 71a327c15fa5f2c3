package app_test

import (
	"path/filepath"
	"reflect"
	"slices"
	"strings"
	"testing"

	"github.com/lineagedesk/lineagedesk/app"
	"github.com/lineagedesk/lineagedesk/backend"
)

// pruneStore imports two projects' runs out of their generation order:
// bouncer 1.8, 1.10, 1.9, jaffle 1.10, jaffle 1.11, bouncer 1.12 get ids
// 1 to 6, while the runs were generated 2025-11-29, 2026-08-07,
// 2026-03-18, 2025-10-11, 2026-03-12 and 2026-08-20 (the manifests'
// metadata.generated_at).
func pruneStore(t *testing.T) *app.App {
	t.Helper()
	a, _, _ := openApp(t)
	for _, dataset := range []string{"bouncer-v12-dbt1.8-duckdb", "bouncer-v12-dbt1.10-duckdb", "bouncer-v12-dbt1.9-duckdb",
		"jaffle-dap-v12-1.10", "jaffle-dap-v12-1.11", "bouncer-v12-dbt1.12-duckdb"} {
		if _, err := a.ImportPaths([]string{filepath.Join(fixtures, dataset)}, dataset); err != nil {
			t.Fatal(err)
		}
	}
	return a
}

func ids(snaps []backend.Snapshot) []int64 {
	out := []int64{}
	for _, s := range snaps {
		out = append(out, s.ID)
	}
	return out
}

func TestSnapshotsToPrune(t *testing.T) {
	a := pruneStore(t)
	latest, err := a.Status()
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		keep    int
		project string
		want    []int64 // oldest run first
	}{
		{1, "", []int64{4, 1, 3, 2}},
		{2, "", []int64{1, 3}},
		{3, "", []int64{1}},
		{4, "", []int64{}},
		{1, "jaffle_shop", []int64{4}},
		{1, "dbt_bouncer_test_project", []int64{1, 3, 2}},
	} {
		got, err := a.SnapshotsToPrune(c.keep, c.project)
		if err != nil || !reflect.DeepEqual(ids(got), c.want) {
			t.Errorf("SnapshotsToPrune(%d, %q) = %v, %v; want %v", c.keep, c.project, ids(got), err, c.want)
		}
		if slices.Contains(ids(got), latest.Latest.ID) {
			t.Errorf("SnapshotsToPrune(%d, %q) would delete the latest snapshot #%d", c.keep, c.project, latest.Latest.ID)
		}
	}
	// The same run imported again (#7, bouncer 1.9's run as #3) counts as
	// one run: kept with #3, or gone with it (QA: --keep 3 kept two runs).
	if _, err := a.ImportPaths([]string{filepath.Join(fixtures, "bouncer-v12-dbt1.9-duckdb")}, "again"); err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		keep int
		want []int64
	}{
		{3, []int64{1}},
		{2, []int64{1, 3, 7}},
	} {
		got, err := a.SnapshotsToPrune(c.keep, "dbt_bouncer_test_project")
		if err != nil || !slices.Equal(slices.Sorted(slices.Values(ids(got))), c.want) {
			t.Errorf("with the run imported twice, SnapshotsToPrune(%d) = %v, %v; want %v", c.keep, ids(got), err, c.want)
		}
	}
	if _, err := a.SnapshotsToPrune(0, ""); backend.ErrorCode(err) != backend.EINVALID {
		t.Errorf("keep 0: %v, want EINVALID", err)
	}
	_, err = a.SnapshotsToPrune(1, "jaffle")
	if backend.ErrorCode(err) != backend.ENOTFOUND || !strings.Contains(err.Error(), "dbt_bouncer_test_project, jaffle_shop") {
		t.Errorf("an unknown project: %v, want ENOTFOUND naming the store's projects", err)
	}
}

// TestCompactStore deletes most of a store and compacts it: the file
// shrinks, and what is left reads as before, its full-text index too
// (VACUUM may renumber rowids the index is keyed by where the table has
// no INTEGER PRIMARY KEY).
func TestCompactStore(t *testing.T) {
	a := pruneStore(t)
	kept := []int64{5, 6}
	type reading struct {
		json   string
		search []string
	}
	read := func() map[int64]reading {
		out := map[int64]reading{}
		for _, id := range kept {
			res, err := a.Lineage(app.LineageRequest{SnapshotID: id, Select: "*", Format: "json", IncludeTests: true})
			if err != nil {
				t.Fatal(err)
			}
			found, err := a.Search(id, backend.SearchQuery{Text: "customer", Limit: 500})
			if err != nil {
				t.Fatal(err)
			}
			var hits []string
			for _, h := range found.Hits {
				hits = append(hits, h.UniqueID+" "+h.MatchedIn+" "+h.Snippet)
			}
			if len(hits) == 0 {
				t.Fatalf("snapshot %d: nothing found for customer", id)
			}
			out[id] = reading{json: res.Content, search: hits}
		}
		return out
	}
	before := read()
	doomed, err := a.SnapshotsToPrune(1, "")
	if err != nil {
		t.Fatal(err)
	}
	for _, s := range doomed {
		if err := a.DeleteSnapshot(s.ID); err != nil {
			t.Fatal(err)
		}
	}
	st, err := a.Status()
	if err != nil {
		t.Fatal(err)
	}
	if st.Disk.FreeBytes == 0 || st.Disk.FreeBytes >= st.Disk.Bytes {
		t.Fatalf("after deleting 4 of 6 snapshots: %+v, want free space within the store", st.Disk)
	}
	c, err := a.CompactStore()
	if err != nil {
		t.Fatal(err)
	}
	if c.Before.FreeBytes != st.Disk.FreeBytes || c.After.FreeBytes != 0 || c.After.Bytes > c.Before.Bytes-c.Before.FreeBytes/2 {
		t.Errorf("compaction %+v: want the free space given back", c)
	}
	// As small as a store that never held the deleted snapshots: the
	// search index's entries for them are gone too.
	fresh, _, _ := openApp(t)
	for _, dataset := range []string{"jaffle-dap-v12-1.11", "bouncer-v12-dbt1.12-duckdb"} {
		if _, err := fresh.ImportPaths([]string{filepath.Join(fixtures, dataset)}, dataset); err != nil {
			t.Fatal(err)
		}
	}
	clean, err := fresh.CompactStore()
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("pruned and compacted: %d bytes; fresh: %d", c.After.Bytes, clean.After.Bytes)
	if c.After.Bytes > clean.After.Bytes+clean.After.Bytes/20 {
		t.Errorf("compacted to %d bytes, more than 5%% over the %d of a store that only ever held what is kept", c.After.Bytes, clean.After.Bytes)
	}
	if after := read(); !reflect.DeepEqual(after, before) {
		t.Errorf("the kept snapshots read otherwise after compacting")
	}
	snaps, err := a.Snapshots()
	if err != nil || !reflect.DeepEqual(ids(snaps), []int64{6, 5}) {
		t.Errorf("snapshots after pruning to 1 each = %v, %v; want 6 and 5", ids(snaps), err)
	}
}
