package app_test

import (
	"bytes"
	"encoding/csv"
	"maps"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/lineagedesk/lineagedesk/backend"
	"github.com/lineagedesk/lineagedesk/backend/synth"
)

// TestImpactList: on a generated project with dbt groups, meta owners and
// exposures' owners, each node's list both ways holds every node the
// manifest's depends_on reaches, at the fewest hops a walk written here
// finds, with the owner the manifest gives (an exposure's own, else its
// group's, else config.meta.owner); its CSV reads back as the same rows.
func TestImpactList(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "project")
	if _, err := synth.Write(dir, synth.Spec{Models: 200, Seed: 5}); err != nil {
		t.Fatal(err)
	}
	var m map[string]any
	readJSONFile(t, filepath.Join(dir, "manifest.json"), &m)
	a, _, _ := openApp(t)
	if _, err := a.ImportPaths([]string{dir}, ""); err != nil {
		t.Fatal(err)
	}

	parents, children := map[string][]string{}, map[string][]string{}
	owner, kind := map[string]string{}, map[string]string{}
	groupOwner := map[string]string{}
	tests := map[string]int{} // the tests attached to each node
	for _, g := range m["groups"].(map[string]any) {
		g := g.(map[string]any)
		o := g["owner"].(map[string]any)
		name, _ := o["name"].(string)
		email, _ := o["email"].(string)
		groupOwner[g["name"].(string)] = strings.TrimSpace(name + map[bool]string{true: " <" + email + ">", false: email}[name != "" && email != ""])
	}
	for _, section := range []string{"nodes", "sources", "exposures", "metrics", "semantic_models", "saved_queries", "unit_tests"} {
		objs, _ := m[section].(map[string]any)
		for id, raw := range objs {
			obj := raw.(map[string]any)
			kind[id], _ = obj["resource_type"].(string)
			cfg, _ := obj["config"].(map[string]any)
			if o, ok := obj["owner"].(map[string]any); ok && kind[id] == "exposure" {
				name, _ := o["name"].(string)
				email, _ := o["email"].(string)
				owner[id] = strings.TrimSpace(name + map[bool]string{true: " <" + email + ">", false: email}[name != "" && email != ""])
			} else if g, _ := cfg["group"].(string); g != "" {
				owner[id] = groupOwner[g]
			} else if meta, _ := cfg["meta"].(map[string]any); meta != nil {
				owner[id], _ = meta["owner"].(string)
			}
			deps, _ := obj["depends_on"].(map[string]any)
			list, _ := deps["nodes"].([]any)
			// A test is about its attached_node; a source's test (attached_node
			// null) about its one dependency.
			if an, _ := obj["attached_node"].(string); an != "" && kind[id] == "test" {
				tests[an]++
			} else if kind[id] == "test" && len(list) == 1 {
				tests[list[0].(string)]++
			}
			if kind[id] == "unit_test" && len(list) > 0 {
				tests[list[0].(string)]++ // a unit test tests the model it depends on first
			}
			for _, p := range list {
				parents[id] = append(parents[id], p.(string))
				children[p.(string)] = append(children[p.(string)], id)
			}
		}
	}
	hops := func(adj map[string][]string, from string) map[string]int {
		dist := map[string]int{}
		queue := []string{from}
		for len(queue) > 0 {
			n := queue[0]
			queue = queue[1:]
			for _, next := range adj[n] {
				if _, seen := dist[next]; !seen && next != from && kind[next] != "" {
					dist[next] = dist[n] + 1
					queue = append(queue, next)
				}
			}
		}
		return dist
	}

	var checked, owned, grouped, far, tested int
	ids := slices.Sorted(maps.Keys(kind))
	for i, id := range ids {
		if kind[id] == "test" || kind[id] == "unit_test" || kind[id] == "macro" || i%3 != 0 {
			continue
		}
		for direction, adj := range map[string]map[string][]string{"downstream": children, "upstream": parents} {
			list, err := a.ImpactList(0, id, direction)
			if err != nil {
				t.Fatalf("%s %s: %v", id, direction, err)
			}
			want := hops(adj, id)
			got := map[string]int{}
			for k, r := range list.Rows {
				got[r.UniqueID] = r.Distance
				if k > 0 && r.Distance < list.Rows[k-1].Distance {
					t.Fatalf("%s %s: row %d (%s) is nearer than the one before it", id, direction, k, r.UniqueID)
				}
				if r.Owner != owner[r.UniqueID] {
					t.Fatalf("%s %s: %s owner %q, the manifest says %q", id, direction, r.UniqueID, r.Owner, owner[r.UniqueID])
				}
				if r.Owner != "" {
					owned++
				}
				if r.TestsDefined != tests[r.UniqueID] {
					t.Fatalf("%s %s: %s has %d tests defined, the manifest %d", id, direction, r.UniqueID, r.TestsDefined, tests[r.UniqueID])
				}
				if r.TestsDefined > 0 {
					tested++
				}
				if r.Group != "" && r.Owner != "" {
					grouped++
				}
				far = max(far, r.Distance)
			}
			if !maps.Equal(got, want) {
				t.Fatalf("%s %s: %d rows, want %d (%v / %v)", id, direction, len(got), len(want), got, want)
			}
			// The owners sum up the rows that are not tests, the most first.
			counted := map[string]map[string]int{}
			for _, r := range list.Rows {
				if o := owner[r.UniqueID]; o != "" && kind[r.UniqueID] != "test" && kind[r.UniqueID] != "unit_test" {
					if counted[o] == nil {
						counted[o] = map[string]int{}
					}
					counted[o][kind[r.UniqueID]]++
				}
			}
			if len(list.Owners) != len(counted) {
				t.Fatalf("%s %s: %d owners, the rows have %d", id, direction, len(list.Owners), len(counted))
			}
			for k, o := range list.Owners {
				n := 0
				for _, c := range counted[o.Owner] {
					n += c
				}
				if !maps.Equal(o.ByType, counted[o.Owner]) || o.Nodes != n || k > 0 && o.Nodes > list.Owners[k-1].Nodes {
					t.Fatalf("%s %s: owner %d %+v, the rows count %v", id, direction, k, o, counted[o.Owner])
				}
			}
			checked++
		}
	}
	if checked < 100 || owned == 0 || grouped == 0 || far < 4 || tested == 0 {
		t.Fatalf("checked %d lists, %d rows with an owner, %d of them a group's, farthest %d hops: the test checks too little", checked, owned, grouped, far)
	}

	// The CSV of one list reads back as its rows.
	hub := ids[slices.IndexFunc(ids, func(id string) bool { return kind[id] == "source" })]
	list, err := a.ImpactList(0, hub, "downstream")
	if err != nil {
		t.Fatal(err)
	}
	file, err := a.ImpactCSV(0, hub, "downstream")
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasSuffix(file.Filename, "-downstream.csv") {
		t.Errorf("file name %q", file.Filename)
	}
	records, err := csv.NewReader(bytes.NewReader([]byte(file.Content))).ReadAll()
	if err != nil || len(records) != len(list.Rows)+1 || len(list.Rows) < 10 {
		t.Fatalf("CSV of %d rows: %d records, %v", len(list.Rows), len(records), err)
	}
	for k, r := range list.Rows {
		rec := records[k+1]
		if rec[0] != strconv.Itoa(r.Distance) || rec[1] != r.UniqueID || rec[3] != r.ResourceType || rec[6] != r.RelationName ||
			rec[10] != r.Owner || rec[12] != strconv.Itoa(r.Tests.Total) || rec[15] != strconv.Itoa(r.Tests.Fail) {
			t.Fatalf("CSV row %d = %q, the list's %+v", k+1, rec, r)
		}
	}

	// A name is resolved as Impact resolves it, whichever side is listed.
	for _, direction := range []string{"downstream", "upstream"} {
		listed, err := a.ImpactList(0, list.Name, direction)
		counted, cerr := a.Impact(0, list.Name)
		if (err == nil) != (cerr == nil) || err == nil && listed.UniqueID != counted.UniqueID {
			t.Errorf("%s by name %q: %s, %v; Impact: %s, %v", direction, list.Name, listed.UniqueID, err, counted.UniqueID, cerr)
		}
	}
	if _, err := a.ImpactList(0, hub, "sideways"); backend.ErrorCode(err) != backend.EINVALID {
		t.Errorf("a direction of sideways: %v, want EINVALID", err)
	}
	if _, err := a.ImpactList(0, "model.nope.nothing", "upstream"); backend.ErrorCode(err) != backend.ENOTFOUND {
		t.Errorf("an unknown node: %v, want ENOTFOUND", err)
	}
}

// TestImpactListOfAnAmbiguousName: in the demo, orders names a model, its
// semantic model and a metric; listed either way the name is ambiguous, as
// for Impact, and the error names the nodes.
func TestImpactListOfAnAmbiguousName(t *testing.T) {
	a, _, _ := openApp(t)
	if _, err := a.EnsureDemo(); err != nil {
		t.Fatal(err)
	}
	for _, direction := range []string{"upstream", "downstream"} {
		if _, err := a.ImpactList(0, "orders", direction); backend.ErrorCode(err) != backend.EINVALID || !strings.Contains(err.Error(), "model.jaffle_shop.orders") {
			t.Errorf("ImpactList of orders %s: %v, want EINVALID naming the nodes", direction, err)
		}
	}
	if list, err := a.ImpactList(0, "model.jaffle_shop.orders", "upstream"); err != nil || len(list.Rows) == 0 {
		t.Errorf("by unique_id: %d rows, %v", len(list.Rows), err)
	}
}
