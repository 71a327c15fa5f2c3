package app_test

import (
	"encoding/json"
	"path/filepath"
	"strings"
	"testing"

	"github.com/lineagedesk/lineagedesk/backend"
	"github.com/lineagedesk/lineagedesk/backend/artifact/artifacttest"
)

// TestSQLDiff: hubspot__engagements' compiled SQL under dbt 1.8 against
// 1.11. The diff's unchanged and removed lines are the 1.8 manifest's
// compiled_code, its unchanged and added lines the 1.11 one's (read from
// the files here), and it counts what it marks. By default it compares with
// the run before; the first run has none.
func TestSQLDiff(t *testing.T) {
	const model = "model.hubspot.hubspot__engagements"
	a, _, _ := openApp(t)
	var ids []int64
	compiled := map[int64]string{}
	for _, dataset := range []string{"hubspot-v12-dbt1.8-postgres", "hubspot-v12-dbt1.11-postgres"} {
		res, err := a.ImportPaths([]string{filepath.Join(fixtures, dataset)}, dataset)
		if err != nil {
			t.Fatal(err)
		}
		ids = append(ids, res.SnapshotID)
		raw := artifacttest.Gunzip(t, filepath.Join(fixtures, dataset, "manifest.json.gz"))
		var m struct {
			Nodes map[string]struct {
				CompiledCode string `json:"compiled_code"`
			} `json:"nodes"`
		}
		if err := json.Unmarshal(raw, &m); err != nil {
			t.Fatal(err)
		}
		compiled[res.SnapshotID] = strings.TrimRight(m.Nodes[model].CompiledCode, " \t\r\n")
	}
	d, err := a.SQLDiff(ids[1], "hubspot__engagements", 0)
	if err != nil {
		t.Fatal(err)
	}
	var before, after []string
	marked := 0
	for _, l := range d.Lines {
		if l.Op != "+" {
			before = append(before, l.Text)
		}
		if l.Op != "-" {
			after = append(after, l.Text)
		}
		if l.Op != " " {
			marked++
		}
	}
	if d.Kind != "compiled" || d.AgainstID != ids[0] || d.UniqueID != model ||
		strings.Join(before, "\n") != compiled[ids[0]] || strings.Join(after, "\n") != compiled[ids[1]] ||
		d.Added+d.Removed != marked || d.Added == 0 || d.Removed == 0 {
		t.Errorf("diff: kind %s against #%d, %d added, %d removed, %d marked; gives back the 1.8 SQL %v, the 1.11 SQL %v",
			d.Kind, d.AgainstID, d.Added, d.Removed, marked, strings.Join(before, "\n") == compiled[ids[0]], strings.Join(after, "\n") == compiled[ids[1]])
	}
	if _, err := a.SQLDiff(ids[0], model, 0); backend.ErrorCode(err) != backend.ENOTFOUND || !strings.Contains(err.Error(), "no run before it") {
		t.Errorf("the first run against the one before: %v", err)
	}
	if _, err := a.SQLDiff(ids[0], "model.hubspot.hubspot__engagement_calls", ids[1]); err != nil {
		t.Errorf("1.8 against the later 1.11, by choice: %v", err)
	}

}

// TestSQLDiffSaysWhatChanged: what changed of each model between two runs
// (stateManifests' known changes) is what Changes says of it, the same
// text or not; nothing for the models neither changed.
func TestSQLDiffSaysWhatChanged(t *testing.T) {
	a, _, _ := openApp(t)
	first, second, _ := stateManifests(t)
	var ids []int64
	for _, path := range []string{first, second} {
		res, err := a.ImportPaths([]string{path}, "")
		if err != nil {
			t.Fatal(err)
		}
		ids = append(ids, res.SnapshotID)
	}
	changes, err := a.Changes(ids[1], ids[0])
	if err != nil {
		t.Fatal(err)
	}
	parts := map[string]string{}
	for _, c := range changes.Changed {
		parts[c.UniqueID] = strings.Join(c.Parts, ",")
	}
	models, err := a.Resources(ids[1], backend.ResourceFilter{ResourceTypes: []string{backend.TypeModel}})
	if err != nil {
		t.Fatal(err)
	}
	kinds := map[string]int{}
	for _, m := range models {
		d, err := a.SQLDiff(ids[1], m.UniqueID, 0)
		if parts[m.UniqueID] == "new" {
			if backend.ErrorCode(err) != backend.ENOTFOUND {
				t.Errorf("%s, new: %v, want ENOTFOUND", m.UniqueID, err)
			}
			continue
		}
		if err != nil {
			t.Fatal(err)
		}
		got := strings.Join(d.Changed, ",")
		if got != parts[m.UniqueID] {
			t.Errorf("%s: changed %q, Changes says %q", m.UniqueID, got, parts[m.UniqueID])
		}
		switch {
		case got == "" && d.Added+d.Removed != 0:
			t.Errorf("%s: unchanged, but %d lines added and %d removed", m.UniqueID, d.Added, d.Removed)
		case got == "":
			kinds["unchanged"]++
		case d.Added+d.Removed == 0:
			kinds["the same text"]++
		default:
			kinds["another text"]++
		}
	}
	if len(kinds) != 3 {
		t.Errorf("models by what changed: %v; the check needs all three kinds", kinds)
	}
	// A node dbt holds no SQL of has nothing to diff.
	for _, id := range []string{"source.jaffle_shop.ecom.raw_stores", "seed.jaffle_shop.raw_items", "metric.jaffle_shop.revenue"} {
		_, err := a.SQLDiff(ids[1], id, 0)
		if backend.ErrorCode(err) != backend.EINVALID || !strings.Contains(err.Error(), "holds no SQL of it") {
			t.Errorf("%s: %v, want EINVALID saying it has no SQL", id, err)
		}
	}
}
