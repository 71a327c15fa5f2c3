package app_test

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/lineagedesk/lineagedesk/backend"
	"github.com/lineagedesk/lineagedesk/backend/artifact/artifacttest"
)

// TestHistory imports bouncer's dbt build four times with its results
// changed in known ways (and a docs generate and another project among
// them), then reads the run-to-run trend of stg_payments and its tests.
func TestHistory(t *testing.T) {
	const (
		dataset  = "bouncer-build-v12-dbt1.11-duckdb"
		model    = "model.dbt_bouncer_test_project.stg_payments"
		accepted = "test.dbt_bouncer_test_project.accepted_values_stg_payments_payment_method__credit_card__coupon__bank_transfer__gift_card.3c3820f278"
		notNull  = "test.dbt_bouncer_test_project.not_null_stg_payments_payment_id.c19cc50075"
		unique   = "test.dbt_bouncer_test_project.unique_stg_payments_payment_id.3744510712"
	)
	a, dir, _ := openApp(t)
	var manifest, rr map[string]any
	if err := json.Unmarshal(artifacttest.Gunzip(t, filepath.Join(fixtures, dataset, "manifest.json.gz")), &manifest); err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal(artifacttest.Gunzip(t, filepath.Join(fixtures, dataset, "run_results.json.gz")), &rr); err != nil {
		t.Fatal(err)
	}
	write := func(path string, doc map[string]any) {
		t.Helper()
		raw, _ := json.Marshal(doc)
		if err := os.WriteFile(path, raw, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	// build imports the build generated at the given time, with the given
	// statuses changed.
	build := func(name, generatedAt string, statuses map[string]string) int64 {
		t.Helper()
		for _, r := range rr["results"].([]any) {
			r := r.(map[string]any)
			if s, ok := statuses[r["unique_id"].(string)]; ok {
				r["status"] = s
			} else if r["unique_id"] == model {
				r["status"] = "success"
			} else if _, test := map[string]bool{accepted: true, notNull: true, unique: true}[r["unique_id"].(string)]; test {
				r["status"] = "pass"
			}
		}
		manifest["metadata"].(map[string]any)["generated_at"] = generatedAt
		rr["metadata"].(map[string]any)["generated_at"] = generatedAt
		os.MkdirAll(filepath.Join(dir, name), 0o755)
		write(filepath.Join(dir, name, "manifest.json"), manifest)
		write(filepath.Join(dir, name, "run_results.json"), rr)
		res, err := a.ImportPaths([]string{filepath.Join(dir, name)}, name)
		if err != nil {
			t.Fatal(err)
		}
		return res.SnapshotID
	}
	first := build("first", "2026-03-01T10:00:00Z", nil)
	second := build("second", "2026-04-01T10:00:00Z", map[string]string{model: "error", accepted: "fail"})
	// Another project's snapshot is not part of the history.
	if _, err := a.ImportPaths([]string{filepath.Join(fixtures, "jaffle-dap-v12-1.11")}, "other"); err != nil {
		t.Fatal(err)
	}
	fourth := build("fourth", "2026-09-01T10:00:00Z", map[string]string{notNull: "fail"})
	fifth := build("fifth", "2026-10-01T10:00:00Z", map[string]string{accepted: "fail", unique: "warn"})
	// A docs generate of the project, generated 2026-08-07 and imported
	// last: a column of gaps, in the order of generation.
	docs, err := a.ImportPaths([]string{filepath.Join(fixtures, "bouncer-v12-dbt1.11-duckdb")}, "docs")
	if err != nil {
		t.Fatal(err)
	}
	ids := []int64{first, second, docs.SnapshotID, fourth, fifth}
	// The latest is the project's most recent run, not the docs generate
	// imported after it.
	if c, err := a.Changes(0, 0); err != nil || c.SnapshotID != fifth {
		t.Errorf("the latest snapshot is #%d (%v), want the fifth run, #%d", c.SnapshotID, err, fifth)
	}

	h, err := a.History(fifth, "stg_payments") // by name
	if err != nil {
		t.Fatal(err)
	}
	var got []int64
	for _, s := range h.Snapshots {
		got = append(got, s.ID)
	}
	if !slices.Equal(got, ids) || h.SnapshotID != fifth || h.UniqueID != model {
		t.Fatalf("history of %s over snapshots %v, want %s over %v", h.UniqueID, got, model, ids)
	}
	want := map[string]struct {
		statuses []string // "" where the snapshot has no outcome
		trend    string
	}{
		model:    {[]string{"success", "error", "", "success", "success"}, ""},
		accepted: {[]string{"pass", "fail", "", "pass", "fail"}, "flaky"}, // failed twice
		notNull:  {[]string{"pass", "pass", "", "fail", "pass"}, "fixed"},
		unique:   {[]string{"pass", "pass", "", "pass", "warn"}, ""},
	}
	if len(h.Rows) != len(want) || h.Rows[0].UniqueID != model || h.Rows[0].Test {
		t.Fatalf("rows %+v: want the model first, then its three tests", h.Rows)
	}
	for _, row := range h.Rows {
		w := want[row.UniqueID]
		var statuses []string
		for _, c := range row.Results {
			if c == nil {
				statuses = append(statuses, "")
			} else {
				statuses = append(statuses, c.Status)
			}
		}
		if !slices.Equal(statuses, w.statuses) || row.Trend != w.trend {
			t.Errorf("%s: %q %q, want %q %q", row.Name, statuses, row.Trend, w.statuses, w.trend)
		}
	}

	// As of the fourth snapshot: not_null failing for the first time.
	h, err = a.History(fourth, model)
	if err != nil {
		t.Fatal(err)
	}
	if len(h.Snapshots) != 4 {
		t.Fatalf("history as of snapshot %d: %d snapshots", fourth, len(h.Snapshots))
	}
	trends := map[string]string{}
	for _, row := range h.Rows {
		trends[row.UniqueID] = row.Trend
	}
	if trends[notNull] != "newly failing" || trends[model] != "fixed" || trends[accepted] != "fixed" || trends[unique] != "" {
		t.Errorf("trends as of the fourth snapshot: %v", trends)
	}

	if h.Later != 1 {
		t.Errorf("as of the fourth snapshot, %d later ones, want 1 (the fifth)", h.Later)
	}
	// By default, the project's most recent run: the fifth, though the
	// docs generate was imported after it.
	h, err = a.History(0, "stg_payments")
	if err != nil {
		t.Fatal(err)
	}
	if h.SnapshotID != fifth || len(h.Snapshots) != len(ids) || h.Later != 0 {
		t.Errorf("history by default ends at snapshot %d over %d snapshots (%d later), want %d over %d", h.SnapshotID, len(h.Snapshots), h.Later, fifth, len(ids))
	}
	// state: and changes compare with the run before, by generation time
	// too: the docs generate is the fourth's, the second the docs generate's.
	for snap, want := range map[int64]int64{fourth: docs.SnapshotID, docs.SnapshotID: second, fifth: fourth} {
		c, err := a.Changes(snap, 0)
		backwards := slices.ContainsFunc(c.Warnings, func(w string) bool { return strings.Contains(w, "was generated after") })
		if err != nil || c.StateSnapshotID != want || backwards {
			t.Errorf("snapshot %d is compared with %d (%v, warnings %q), want %d", snap, c.StateSnapshotID, err, c.Warnings, want)
		}
	}
	// The earliest run has none before it (imported after the second): a
	// later one read backwards is no "before", unless asked for.
	if _, err := a.Changes(first, 0); backend.ErrorCode(err) != backend.EINVALID || !strings.Contains(err.Error(), "is its first run") {
		t.Errorf("the first run, compared by default: %v, want EINVALID saying it is the first", err)
	}
	c, err := a.Changes(first, second)
	if backwards := slices.ContainsFunc(c.Warnings, func(w string) bool { return strings.Contains(w, "was generated after") }); err != nil || !backwards {
		t.Errorf("the first run against the second, asked for: %v, warnings %q, want one saying it reads backwards", err, c.Warnings)
	}

	// The docs generate between the second and fourth runs ran nothing:
	// the fourth's statuses compare with the second's, and it says so.
	c, err = a.Changes(fourth, 0)
	if err != nil {
		t.Fatal(err)
	}
	wantChange := backend.StatusChange{UniqueID: model, Before: "error", After: "success"}
	if c.StateSnapshotID != docs.SnapshotID || c.ResultsSnapshotID != second || !slices.Contains(c.Results, wantChange) ||
		!slices.ContainsFunc(c.Warnings, func(w string) bool {
			return strings.Contains(w, fmt.Sprintf("compared with snapshot #%d, the last run before #%d that ran", second, fourth))
		}) {
		t.Errorf("changes of the fourth run: state against #%d, results against #%d, %v, warnings %q", c.StateSnapshotID, c.ResultsSnapshotID, c.Results, c.Warnings)
	}

	// The fifth run imported again: said at import, and counted once.
	again, err := a.ImportPaths([]string{filepath.Join(dir, "fifth")}, "fifth again")
	if err != nil {
		t.Fatal(err)
	}
	snaps, err := a.Snapshots()
	if err != nil {
		t.Fatal(err)
	}
	warned := false
	for _, s := range snaps {
		if s.ID == again.SnapshotID {
			warned = slices.ContainsFunc(s.Warnings, func(w string) bool {
				return strings.HasPrefix(w, fmt.Sprintf("snapshot #%d holds the same dbt run", fifth))
			})
		}
	}
	if !warned {
		t.Errorf("importing the fifth run again says nothing of it")
	}
	h, err = a.History(0, model)
	if err != nil {
		t.Fatal(err)
	}
	got = got[:0]
	for _, s := range h.Snapshots {
		got = append(got, s.ID)
	}
	if want := append(slices.Clone(ids[:len(ids)-1]), again.SnapshotID); !slices.Equal(got, want) {
		t.Errorf("history after the same run imported twice: %v, want %v (the run once, from the later import)", got, want)
	}
	// Compared with the run before, not with its own copy.
	if c, err := a.Changes(again.SnapshotID, 0); err != nil || c.StateSnapshotID != fourth {
		t.Errorf("the fifth run imported again is compared with #%d (%v), want the fourth run #%d", c.StateSnapshotID, err, fourth)
	}
	for _, row := range h.Rows {
		if row.UniqueID == accepted && row.Trend != "flaky" {
			t.Errorf("accepted_values: trend %q after the run imported twice, want flaky as before", row.Trend)
		}
	}

	if _, err := a.History(0, "no_such_model"); err == nil {
		t.Error("the history of a resource that does not exist")
	}
}
