package app_test

import (
	"encoding/json"
	"fmt"
	"path/filepath"
	"reflect"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/lineagedesk/lineagedesk/app"
	"github.com/lineagedesk/lineagedesk/backend"
	"github.com/lineagedesk/lineagedesk/backend/artifact/artifacttest"
	"github.com/lineagedesk/lineagedesk/backend/synth"
)

// TestHistoryChangesAgreeWithChanges: hubspot's dbt 1.8 and 1.11 runs,
// imported one after the other. For every node of the 1.11 run, its
// history's change since the 1.8 run is what the whole comparison
// (Changes) says of it: the parts state: compares, and its columns
// added, removed, retyped and redefined.
func TestHistoryChangesAgreeWithChanges(t *testing.T) {
	a, _, _ := openApp(t)
	var ids []int64
	for _, dataset := range []string{"hubspot-v12-dbt1.8-postgres", "hubspot-v12-dbt1.11-postgres"} {
		res, err := a.ImportPaths([]string{filepath.Join(fixtures, dataset)}, dataset)
		if err != nil {
			t.Fatal(err)
		}
		ids = append(ids, res.SnapshotID)
	}
	whole, err := a.Changes(ids[1], ids[0])
	if err != nil {
		t.Fatal(err)
	}
	parts := map[string][]string{}
	for _, c := range whole.Changed {
		parts[c.UniqueID] = c.Parts
	}
	columns := map[string][]backend.ColumnChange{}
	for _, c := range whole.Columns {
		// The history says what changed, not what reads it.
		c.ReadBy, c.Reach = nil, nil
		columns[c.Node] = append(columns[c.Node], c)
	}
	nodes, err := a.Resources(ids[1], backend.ResourceFilter{ResourceTypes: []string{backend.TypeModel, backend.TypeSource, backend.TypeSeed}})
	if err != nil {
		t.Fatal(err)
	}
	kinds := map[string]int{}
	for _, n := range nodes {
		h, err := a.History(ids[1], n.UniqueID)
		if err != nil {
			t.Fatal(err)
		}
		if len(h.Snapshots) != 2 || len(h.Changes) != 2 || h.Changes[0] != nil {
			t.Fatalf("%s: %d snapshots, changes %v", n.UniqueID, len(h.Snapshots), h.Changes)
		}
		var gotParts []string
		var gotColumns []backend.ColumnChange
		if c := h.Changes[1]; c != nil {
			gotParts, gotColumns = c.Parts, c.Columns
			if len(c.Parts) == 0 && len(c.Columns) == 0 {
				t.Errorf("%s: an empty change", n.UniqueID)
			}
		}
		for _, p := range gotParts {
			kinds[p]++
		}
		// Descriptions dbt does not persist are the history's own part: state: leaves them out.
		gotParts = slices.DeleteFunc(slices.Clone(gotParts), func(p string) bool { return p == "descriptions" })
		if !slices.Equal(gotParts, parts[n.UniqueID]) {
			t.Errorf("%s: parts %v, Changes says %v", n.UniqueID, gotParts, parts[n.UniqueID])
		}
		if !reflect.DeepEqual(gotColumns, columns[n.UniqueID]) {
			t.Errorf("%s: columns %+v, Changes says %+v", n.UniqueID, gotColumns, columns[n.UniqueID])
		}
		for _, c := range gotColumns {
			kinds[c.Change]++
		}
	}
	t.Logf("%d nodes: %v", len(nodes), kinds)
	for _, kind := range []string{"new", "body", "configs", "macros", backend.ColumnAdded, backend.ColumnRemoved, backend.ColumnRetyped, backend.ColumnRedefined} {
		if kinds[kind] == 0 {
			t.Errorf("no node's history shows %s; the test needs every kind (%v)", kind, kinds)
		}
	}
	// Read by hand from the two manifests: engagement_calls' owner_id was
	// coalesce(engagements.owner_id, base.owner_id) and is now passed
	// through from stg_hubspot__engagement_call.
	h, err := a.History(ids[1], "hubspot__engagement_calls")
	if err != nil {
		t.Fatal(err)
	}
	i := slices.IndexFunc(h.Changes[1].Columns, func(c backend.ColumnChange) bool { return c.Column == "owner_id" })
	if i < 0 || h.Changes[1].Columns[i].Change != backend.ColumnRedefined ||
		h.Changes[1].Columns[i].OldDefinition != "coalesce(engagements.owner_id, base.owner_id) as owner_id" ||
		h.Changes[1].Columns[i].Definition != "stg_hubspot__engagement_call.owner_id" {
		t.Errorf("hubspot__engagement_calls since 1.8: %+v", h.Changes[1])
	}
}

// TestHistoryOfASourceIsItsFreshness: a source runs in no run; its history
// row is its freshness check in each run that checked it (sources.json):
// three runs of a generated project, the second with the first source's
// check failed, the third with no check of it at all, the expectation read
// from the files written.
func TestHistoryOfASourceIsItsFreshness(t *testing.T) {
	first := filepath.Join(t.TempDir(), "first")
	if _, err := synth.Write(first, synth.Spec{Models: 200, Seed: 4, WithSources: true}); err != nil {
		t.Fatal(err)
	}
	doc, results := readSources(t, filepath.Join(first, "sources.json"))
	source, loaded := str(results[0]["unique_id"]), str(results[0]["max_loaded_at"])
	if str(results[0]["status"]) != "pass" || loaded == "" {
		t.Fatalf("the generated first check: %v", results[0])
	}
	runs := []string{first}
	for i, change := range []func([]map[string]any) []map[string]any{
		func(rs []map[string]any) []map[string]any {
			rs[0]["status"], rs[0]["error"] = "runtime error", "Database Error: relation does not exist"
			delete(rs[0], "max_loaded_at")
			return rs
		},
		func(rs []map[string]any) []map[string]any { return rs[1:] },
	} {
		dir := filepath.Join(t.TempDir(), fmt.Sprint("run", i+2))
		for _, name := range []string{"manifest.json", "catalog.json", "run_results.json"} {
			copyInto(t, filepath.Join(first, name), dir)
		}
		_, rs := readSources(t, filepath.Join(first, "sources.json"))
		writeSources(t, filepath.Join(dir, "sources.json"), doc, change(rs))
		asNewRun(t, dir, fmt.Sprintf("0c0c0c0c-0000-4000-8000-00000000000%d", i+2), fmt.Sprintf("2031-0%d-01T00:00:00.000000Z", i+2))
		runs = append(runs, dir)
	}
	a, _, _ := openApp(t)
	for _, dir := range runs {
		if _, err := a.ImportPaths([]string{dir}, filepath.Base(dir)); err != nil {
			t.Fatal(err)
		}
	}
	h, err := a.History(0, source)
	if err != nil {
		t.Fatal(err)
	}
	own := h.Rows[0].Results
	if len(own) != 3 || own[0] == nil || own[0].Status != "pass" || own[0].Message != "loaded last at "+loaded ||
		own[1] == nil || own[1].Status != "runtime error" || own[1].Message != "Database Error: relation does not exist" || own[2] != nil {
		t.Errorf("%s's freshness over the three runs: %s", source, cellsText(own))
	}
	if h.Rows[0].Trend != "newly failing" {
		t.Errorf("trend %q, want newly failing (the failed check is the last one)", h.Rows[0].Trend)
	}
	// Another source, checked and passing each time, has no trend.
	other := str(results[1]["unique_id"])
	if h, err := a.History(0, other); err != nil || len(h.Rows[0].Results) != 3 || h.Rows[0].Results[2] == nil || h.Rows[0].Trend != "" {
		t.Errorf("%s: %s, trend %q, %v", other, cellsText(h.Rows[0].Results), h.Rows[0].Trend, err)
	}
}

func cellsText(cells []*app.HistoryCell) string {
	var out []string
	for _, c := range cells {
		if c == nil {
			out = append(out, "-")
		} else {
			out = append(out, c.Status+" "+c.Message)
		}
	}
	return strings.Join(out, " | ")
}

// TestHistorySaysWhenADescriptionChanged: bouncer's exposure customers
// had no description under dbt 1.8 and has one under 1.12 (read from the
// two manifests); dbt persists no exposure's description, so state: does
// not count it, and the history names it apart.
func TestHistorySaysWhenADescriptionChanged(t *testing.T) {
	a, _, _ := openApp(t)
	for _, dataset := range []string{"bouncer-v12-dbt1.8-duckdb", "bouncer-v12-dbt1.12-duckdb"} {
		if _, err := a.ImportPaths([]string{filepath.Join(fixtures, dataset)}, dataset); err != nil {
			t.Fatal(err)
		}
	}
	h, err := a.History(0, "exposure.dbt_bouncer_test_project.customers")
	if err != nil {
		t.Fatal(err)
	}
	if len(h.Changes) != 2 || h.Changes[1] == nil || !slices.Contains(h.Changes[1].Parts, "descriptions") || slices.Contains(h.Changes[1].Parts, "persisted_descriptions") {
		t.Errorf("the exposure's history: %+v", h.Changes)
	}
}

// TestHistoryComparesItsOldestRunWithTheOneBefore: 21 runs of bouncer's
// project (its manifest only, a new invocation and time each), the second
// with stg_orders' code changed. The history shows the last 20; its
// oldest, that second run, is compared with the first, which it leaves out.
func TestHistoryComparesItsOldestRunWithTheOneBefore(t *testing.T) {
	const model = "model.dbt_bouncer_test_project.stg_orders"
	var manifest map[string]any
	if err := json.Unmarshal(artifacttest.Gunzip(t, filepath.Join(fixtures, "bouncer-v12-dbt1.11-duckdb", "manifest.json.gz")), &manifest); err != nil {
		t.Fatal(err)
	}
	node := manifest["nodes"].(map[string]any)[model].(map[string]any)
	code := node["raw_code"].(string)
	a, _, _ := openApp(t)
	for i := range 21 {
		node["raw_code"] = code
		if i == 1 {
			node["raw_code"] = code + "\n-- changed in the second run"
		}
		meta := manifest["metadata"].(map[string]any)
		meta["generated_at"] = time.Date(2031, 1, 1+i, 0, 0, 0, 0, time.UTC).Format(time.RFC3339Nano)
		meta["invocation_id"] = fmt.Sprintf("0c0c0c0c-0000-4000-8000-%012d", i)
		dir := t.TempDir()
		writeJSONFile(t, filepath.Join(dir, "manifest.json"), manifest)
		if _, err := a.ImportPaths([]string{dir}, fmt.Sprint("run", i)); err != nil {
			t.Fatal(err)
		}
	}
	h, err := a.History(0, model)
	if err != nil {
		t.Fatal(err)
	}
	if len(h.Snapshots) != 20 || len(h.Changes) != 20 {
		t.Fatalf("%d snapshots, %d changes", len(h.Snapshots), len(h.Changes))
	}
	if c := h.Changes[0]; c == nil || !slices.Equal(c.Parts, []string{"body"}) {
		t.Errorf("the oldest run shown against the one before: %+v", c)
	}
	if c := h.Changes[1]; c == nil || !slices.Equal(c.Parts, []string{"body"}) {
		t.Errorf("the third run (the code back as it was) against the second: %+v", c)
	}
	for i, c := range h.Changes[2:] {
		if c != nil {
			t.Errorf("run %d changed nothing, yet %+v", i+3, c)
		}
	}
}
