package app_test

import (
	"encoding/json"
	"maps"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/lineagedesk/lineagedesk/app"
	"github.com/lineagedesk/lineagedesk/backend"
	"github.com/lineagedesk/lineagedesk/backend/synth"
)

// TestLineageSourceStatusFresher: source_status:fresher selects the
// sources whose data was loaded later than in the snapshot compared with,
// as dbt compares two sources.json. The second run's sources.json is the
// first's with known changes: sources loaded an hour later, an hour
// earlier, an hour later on the clock but written two zones east (so in
// fact earlier), checks that failed, and a source the first run had no
// result for; the expectation is computed here from the two files.
func TestLineageSourceStatusFresher(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "first")
	if _, err := synth.Write(dir, synth.Spec{Models: 600, Seed: 1, WithSources: true}); err != nil {
		t.Fatal(err)
	}
	second := filepath.Join(t.TempDir(), "second")
	manifestOnly := filepath.Join(t.TempDir(), "manifest-only")
	for _, name := range []string{"manifest.json", "catalog.json", "run_results.json"} {
		copyInto(t, filepath.Join(dir, name), second)
	}
	copyInto(t, filepath.Join(dir, "manifest.json"), manifestOnly)

	doc, results := readSources(t, filepath.Join(dir, "sources.json"))
	firstRun := make([]map[string]any, len(results)) // the results before the changes below
	for i, r := range results {
		firstRun[i] = maps.Clone(r)
	}
	for i, r := range results {
		at, err := time.Parse(time.RFC3339Nano, str(r["max_loaded_at"]))
		if err != nil {
			continue // a failed check
		}
		switch i % 6 {
		case 0:
			r["max_loaded_at"] = at.Add(time.Hour).Format("2006-01-02T15:04:05.000000+00:00")
		case 1:
			u := at.Add(time.Hour).UTC() // the same clock time, two hours east
			east := time.Date(u.Year(), u.Month(), u.Day(), u.Hour(), u.Minute(), u.Second(), u.Nanosecond(), time.FixedZone("", 2*3600))
			r["max_loaded_at"] = east.Format("2006-01-02T15:04:05.000000-07:00")
		case 2:
			r["max_loaded_at"] = at.Add(-time.Hour).Format(time.RFC3339)
		case 3:
			delete(r, "max_loaded_at")
			r["status"], r["error"] = "runtime error", "Database Error: relation does not exist"
		case 4:
			firstRun[i] = nil // the first run has no result for it
		}
	}
	firstRun = slices.DeleteFunc(firstRun, func(r map[string]any) bool { return r == nil })
	writeSources(t, filepath.Join(second, "sources.json"), doc, results)
	writeSources(t, filepath.Join(dir, "sources.json"), doc, firstRun)
	asNewRun(t, second, "0b0b0b0b-0000-4000-8000-000000000002", "2031-01-01T00:00:00.000000Z")

	a, _, _ := openApp(t)
	if _, err := a.ImportPaths([]string{manifestOnly}, ""); err != nil {
		t.Fatal(err)
	}
	first, err := a.ImportPaths([]string{dir}, "")
	if err != nil {
		t.Fatal(err)
	}
	_, err = a.Lineage(app.LineageRequest{Select: "source_status:fresher", Format: "json"})
	if backend.ErrorCode(err) != backend.EINVALID || !strings.Contains(err.Error(), "has none") {
		t.Errorf("against a snapshot without sources.json: %v", err)
	}
	if _, err := a.ImportPaths([]string{second}, ""); err != nil {
		t.Fatal(err)
	}

	// Expected: loaded later than before, or no result before; neither
	// check failed.
	loaded := func(results []map[string]any) map[string]time.Time {
		out := map[string]time.Time{}
		for _, r := range results {
			if at, err := time.Parse(time.RFC3339Nano, str(r["max_loaded_at"])); err == nil {
				out[str(r["unique_id"])] = at
			} else {
				out[str(r["unique_id"])] = time.Time{}
			}
		}
		return out
	}
	before, after := loaded(firstRun), loaded(results)
	var want []string
	for id, now := range after {
		prev, had := before[id]
		if !now.IsZero() && (!had || !prev.IsZero() && now.After(prev)) {
			want = append(want, id)
		}
	}
	slices.Sort(want)
	res, err := a.Lineage(app.LineageRequest{Select: "source_status:fresher", Format: "json"})
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, n := range res.Nodes {
		got = append(got, n.UniqueID)
	}
	if len(want) < 5 || !slices.Equal(got, want) {
		t.Errorf("source_status:fresher: %d sources %v\nwant %d %v", len(got), got, len(want), want)
	}
	if res.StateSnapshotID != first.SnapshotID {
		t.Errorf("compared with snapshot %d, want %d", res.StateSnapshotID, first.SnapshotID)
	}
	// And what they feed, as dbt's source_status:fresher+ builds.
	plus, err := a.Lineage(app.LineageRequest{Select: "source_status:fresher+", Format: "json"})
	if err != nil || len(plus.Nodes) <= len(got) {
		t.Errorf("source_status:fresher+: %d nodes, %v", len(plus.Nodes), err)
	}
	if _, err := a.Lineage(app.LineageRequest{Select: "source_status:stale", Format: "json"}); backend.ErrorCode(err) != backend.EINVALID {
		t.Errorf("source_status:stale: %v", err)
	}
}

func str(v any) string { s, _ := v.(string); return s }

// asNewRun makes the artifacts in dir read as another dbt run's: a new
// invocation_id and generation time in each file's metadata, as a second
// run writes them (the same ones would be the same run imported twice).
func asNewRun(t *testing.T, dir, invocation, generatedAt string) {
	t.Helper()
	for _, name := range []string{"manifest.json", "run_results.json", "sources.json", "catalog.json"} {
		path := filepath.Join(dir, name)
		raw, err := os.ReadFile(path)
		if os.IsNotExist(err) {
			continue
		}
		if err != nil {
			t.Fatal(err)
		}
		var doc map[string]any
		if err := json.Unmarshal(raw, &doc); err != nil {
			t.Fatal(err)
		}
		meta := doc["metadata"].(map[string]any)
		meta["invocation_id"], meta["generated_at"] = invocation, generatedAt
		if raw, err = json.Marshal(doc); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, raw, 0o644); err != nil {
			t.Fatal(err)
		}
	}
}

func copyInto(t *testing.T, file, dir string) {
	t.Helper()
	data, err := os.ReadFile(file)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, filepath.Base(file)), data, 0o644); err != nil {
		t.Fatal(err)
	}
}

func readSources(t *testing.T, path string) (map[string]any, []map[string]any) {
	t.Helper()
	raw, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	var doc struct {
		Metadata map[string]any   `json:"metadata"`
		Results  []map[string]any `json:"results"`
		Elapsed  float64          `json:"elapsed_time"`
	}
	if err := json.Unmarshal(raw, &doc); err != nil {
		t.Fatal(err)
	}
	return map[string]any{"metadata": doc.Metadata, "elapsed_time": doc.Elapsed}, doc.Results
}

func writeSources(t *testing.T, path string, doc map[string]any, results []map[string]any) {
	t.Helper()
	out := map[string]any{"results": results}
	for k, v := range doc {
		out[k] = v
	}
	raw, err := json.Marshal(out)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, raw, 0o644); err != nil {
		t.Fatal(err)
	}
}
