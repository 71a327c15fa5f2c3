package app_test

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"strings"
	"testing"

	"github.com/lineagedesk/lineagedesk/app"
	"github.com/lineagedesk/lineagedesk/backend"
)

// exported is a JSON export read back: nodes by unique_id with their
// state_change, edges as "from -> to" with their change.
type exported struct {
	nodes map[string]string
	edges map[string]string
}

func exportJSON(t *testing.T, a *app.App, req app.LineageRequest) exported {
	t.Helper()
	req.Format = "json"
	res, err := a.Lineage(req)
	if err != nil {
		t.Fatalf("lineage %+v: %v", req, err)
	}
	var doc struct {
		Nodes []struct {
			UniqueID    string   `json:"unique_id"`
			StateChange []string `json:"state_change"`
		} `json:"nodes"`
		Edges []struct{ From, To, Change string } `json:"edges"`
	}
	if err := json.Unmarshal([]byte(res.Content), &doc); err != nil {
		t.Fatal(err)
	}
	out := exported{nodes: map[string]string{}, edges: map[string]string{}}
	for _, n := range doc.Nodes {
		out.nodes[n.UniqueID] = strings.Join(n.StateChange, ",")
	}
	for _, e := range doc.Edges {
		out.edges[e.From+" -> "+e.To] = e.Change
	}
	// What the picture shows is what the answer lists, and sums up.
	if len(res.Nodes) != len(out.nodes) || len(res.Edges) != len(out.edges) {
		t.Errorf("%+v: the answer lists %d nodes and %d edges, the export %d and %d", req, len(res.Nodes), len(res.Edges), len(out.nodes), len(out.edges))
	}
	if req.Diff {
		want := app.DiffSummary{RemovedNodes: countValues(out.nodes, "removed"), AddedEdges: countValues(out.edges, "added"), RemovedEdges: countValues(out.edges, "removed")}
		if res.Diff == nil || *res.Diff != want {
			t.Errorf("%+v: the answer sums the diff up as %+v, the export holds %+v", req, res.Diff, want)
		}
	} else if res.Diff != nil {
		t.Errorf("%+v: a diff summary without a diff", req)
	}
	return out
}

// TestLineageDiff draws jaffle_shop 1.12 as a diff against 1.11 and
// checks it against the two snapshots' own pictures: every node and edge
// of either, the ones only 1.11 had marked removed, the edges only 1.12
// has marked added. Between them the semantic model order_item became
// order_items and the seed raw_tweets went.
func TestLineageDiff(t *testing.T) {
	a, _, _ := openApp(t)
	var ids [2]int64
	for i, dataset := range []string{"jaffle-dap-v12-1.11", "jaffle-dap-v12-1.12"} {
		res, err := a.ImportPaths([]string{filepath.Join(fixtures, dataset)}, dataset)
		if err != nil {
			t.Fatal(err)
		}
		ids[i] = res.SnapshotID
	}
	old := exportJSON(t, a, app.LineageRequest{SnapshotID: ids[0], Select: "*"})
	now := exportJSON(t, a, app.LineageRequest{SnapshotID: ids[1], Select: "*"})
	diff := exportJSON(t, a, app.LineageRequest{SnapshotID: ids[1], Select: "*", Diff: true})

	wantNodes := map[string]bool{}
	for id := range now.nodes {
		wantNodes[id] = true
	}
	var removed []string
	for id := range old.nodes {
		if _, ok := now.nodes[id]; !ok {
			wantNodes[id] = true
			removed = append(removed, id)
			if diff.nodes[id] != "removed" {
				t.Errorf("%s, only in 1.11: state_change %q, want removed", id, diff.nodes[id])
			}
		}
	}
	slices.Sort(removed)
	if want := []string{"seed.jaffle_shop.raw_tweets", "semantic_model.jaffle_shop.order_item"}; !reflect.DeepEqual(removed, want) {
		t.Errorf("removed since 1.11: %v, want %v", removed, want)
	}
	if len(diff.nodes) != len(wantNodes) {
		t.Errorf("the diff draws %d nodes, the two snapshots have %d", len(diff.nodes), len(wantNodes))
	}
	for e := range now.edges {
		want := ""
		if _, had := old.edges[e]; !had {
			want = "added"
		}
		if got, ok := diff.edges[e]; !ok || got != want {
			t.Errorf("edge %s of 1.12: change %q (drawn %v), want %q", e, got, ok, want)
		}
	}
	for e := range old.edges {
		if _, kept := now.edges[e]; !kept && diff.edges[e] != "removed" {
			t.Errorf("edge %s, only in 1.11: change %q, want removed", e, diff.edges[e])
		}
	}
	if len(diff.edges) != len(now.edges)+countMissing(old.edges, now.edges) {
		t.Errorf("the diff draws %d edges, want 1.12's %d and the %d only 1.11 had", len(diff.edges), len(now.edges), countMissing(old.edges, now.edges))
	}
	for e, want := range map[string]string{
		"model.jaffle_shop.order_items -> semantic_model.jaffle_shop.order_item":  "removed",
		"model.jaffle_shop.order_items -> semantic_model.jaffle_shop.order_items": "added",
	} {
		if diff.edges[e] != want {
			t.Errorf("edge %s: %q, want %q", e, diff.edges[e], want)
		}
	}

	// A narrow picture draws the removed nodes it touches, not the
	// project's others; the exclude holds for them too.
	near := exportJSON(t, a, app.LineageRequest{SnapshotID: ids[1], Select: "model.jaffle_shop.order_items+1", Diff: true})
	if near.nodes["semantic_model.jaffle_shop.order_item"] != "removed" || strings.Contains(strings.Join(mapKeys(near.nodes), " "), "raw_tweets") {
		t.Errorf("order_items+1 as a diff: %v", near.nodes)
	}
	excluded := exportJSON(t, a, app.LineageRequest{SnapshotID: ids[1], Select: "model.jaffle_shop.order_items+1", Exclude: "resource_type:semantic_model", Diff: true})
	if _, ok := excluded.nodes["semantic_model.jaffle_shop.order_item"]; ok {
		t.Errorf("the excluded semantic models' removed one is drawn: %v", excluded.nodes)
	}

	svg, err := a.Lineage(app.LineageRequest{SnapshotID: ids[1], Select: "model.jaffle_shop.order_items+1", Diff: true})
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"dependency added", "dependency removed (dashed)", "removed (dashed)", `stroke-dasharray`} {
		if !strings.Contains(svg.Content, want) {
			t.Errorf("the diff's SVG lacks %q", want)
		}
	}
	// The export says what it compares, as the picture's footer does.
	if js, err := a.Lineage(app.LineageRequest{SnapshotID: ids[1], Select: "orders", Diff: true, Format: "json"}); err != nil ||
		!strings.Contains(js.Content, fmt.Sprintf("\n\"snapshot\": \"#%d jaffle-dap-v12-1.12, generated ", ids[1])) || !strings.Contains(js.Content, fmt.Sprintf("\n\"compared_with\": \"#%d jaffle-dap-v12-1.11, generated ", ids[0])) {
		t.Errorf("the diff's JSON does not say which snapshots it compares (%v)", err)
	}
	// Two docs generates ran no tests: no summaries compared.
	if docs, err := a.Lineage(app.LineageRequest{SnapshotID: ids[1], Select: "*", Diff: true, Format: "json"}); err != nil || strings.Contains(docs.Content, "tests_before") {
		t.Errorf("a diff of two docs generates compares test summaries (%v)", err)
	}
	if svg.StateSnapshotID != ids[0] {
		t.Errorf("compared with #%d, want #%d", svg.StateSnapshotID, ids[0])
	}

	// A view saved from a diff draws the diff again.
	saved, err := a.SaveView("order items, diffed", app.LineageRequest{SnapshotID: ids[1], Select: "model.jaffle_shop.order_items+1", Diff: true})
	if err != nil || !saved.Diff {
		t.Fatalf("SaveView of a diff: %+v, %v", saved, err)
	}
	viewed := exportJSON(t, a, app.ViewRequest(saved, ids[1]))
	if !reflect.DeepEqual(viewed, near) {
		t.Errorf("the saved view draws %v, the diff it was saved from %v", viewed, near)
	}

	if _, err := a.Lineage(app.LineageRequest{SnapshotID: ids[1], Select: "*", Diff: true, GroupBy: "folder"}); backend.ErrorCode(err) != backend.EINVALID {
		t.Errorf("a grouped diff: %v, want EINVALID", err)
	}
	lone, err := a.ImportPaths([]string{filepath.Join(fixtures, "bouncer-v12-dbt1.10-duckdb")}, "")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := a.Lineage(app.LineageRequest{SnapshotID: lone.SnapshotID, Select: "orders", Diff: true}); backend.ErrorCode(err) != backend.EINVALID || !strings.Contains(err.Error(), "is its first") {
		t.Errorf("a diff of a project's only snapshot: %v, want EINVALID saying there is nothing to compare with", err)
	}
}

func countValues(m map[string]string, value string) int {
	n := 0
	for _, v := range m {
		if v == value {
			n++
		}
	}
	return n
}

func countMissing(from, in map[string]string) int {
	n := 0
	for k := range from {
		if _, ok := in[k]; !ok {
			n++
		}
	}
	return n
}

func mapKeys(m map[string]string) []string {
	var out []string
	for k := range m {
		out = append(out, k)
	}
	return out
}

// TestLineageDiffFailingTests: between two dbt builds whose tests' statuses
// differ, a diff gives each node its test summary in the run compared
// with, and the picture says where the failing tests went up or down.
// Checked against the two run_results.json and the manifest's
// attached_node, for the nodes that no test without one reads.
func TestLineageDiffFailingTests(t *testing.T) {
	dir, second, _ := flippedRuns(t)
	a, _, _ := openApp(t)
	var ids [2]int64
	for i, d := range []string{dir, second} {
		res, err := a.ImportPaths([]string{d}, "")
		if err != nil {
			t.Fatal(err)
		}
		ids[i] = res.SnapshotID
	}
	var manifest manifestNodes
	readJSONFile(t, filepath.Join(dir, "manifest.json"), &manifest)
	failing := func(runDir string) map[string]int {
		var results struct {
			Results []struct {
				UniqueID string `json:"unique_id"`
				Status   string `json:"status"`
			} `json:"results"`
		}
		readJSONFile(t, filepath.Join(runDir, "run_results.json"), &results)
		out := map[string]int{}
		for _, r := range results.Results {
			if n := manifest.Nodes[r.UniqueID]; n.AttachedNode != "" && (r.Status == "fail" || r.Status == "error") {
				out[n.AttachedNode]++
			}
		}
		return out
	}
	before, now := failing(dir), failing(second)
	unattachedReads := map[string]bool{}
	for _, n := range manifest.Nodes {
		if n.ResourceType == "test" && n.AttachedNode == "" {
			for _, d := range n.DependsOn.Nodes {
				unattachedReads[d] = true
			}
		}
	}

	res, err := a.Lineage(app.LineageRequest{SnapshotID: ids[1], Select: "resource_type:model", Diff: true, Format: "json"})
	if err != nil {
		t.Fatal(err)
	}
	flipped := 0
	for _, n := range res.Nodes {
		if n.TestsBefore == nil {
			t.Fatalf("%s: no tests_before in a diff of two builds", n.UniqueID)
		}
		if unattachedReads[n.UniqueID] {
			continue
		}
		gotBefore, gotNow := n.TestsBefore.Fail+n.TestsBefore.Error, n.Tests.Fail+n.Tests.Error
		if gotBefore != before[n.UniqueID] || gotNow != now[n.UniqueID] {
			t.Errorf("%s: failing tests %d → %d, the run results say %d → %d", n.UniqueID, gotBefore, gotNow, before[n.UniqueID], now[n.UniqueID])
		}
		if gotBefore != gotNow {
			flipped++
			want := fmt.Sprintf("failing tests: %d → %d", gotBefore, gotNow)
			if !strings.Contains(res.Content, `"unique_id":"`+n.UniqueID+`"`) {
				t.Errorf("%s is not in the export", n.UniqueID)
			}
			mmd, err := a.Lineage(app.LineageRequest{SnapshotID: ids[1], Select: n.UniqueID, Diff: true, Format: "mermaid"})
			if err != nil || !strings.Contains(mmd.Content, want) {
				t.Errorf("%s's picture lacks %q (%v)", n.UniqueID, want, err)
			}
		}
	}
	if flipped < 3 {
		t.Errorf("only %d models' failing tests changed between the runs: the check checks little", flipped)
	}

	// Without a diff, no node has a summary from another run.
	plain, err := a.Lineage(app.LineageRequest{SnapshotID: ids[1], Select: "resource_type:model", Format: "json"})
	if err != nil {
		t.Fatal(err)
	}
	for _, n := range plain.Nodes {
		if n.TestsBefore != nil {
			t.Fatalf("%s has tests_before without a diff", n.UniqueID)
		}
	}
}

func readJSONFile(t *testing.T, path string, v any) {
	t.Helper()
	raw, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal(raw, v); err != nil {
		t.Fatalf("%s: %v", path, err)
	}
}
