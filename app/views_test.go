package app_test

import (
	"encoding/json"
	"fmt"
	"path/filepath"
	"strings"
	"testing"

	"github.com/lineagedesk/lineagedesk/app"
	"github.com/lineagedesk/lineagedesk/backend"
)

// picture is what a lineage answer shows, as DOT (which carries the
// lens's colours too), without the time it took nor the minute it was drawn.
func picture(t *testing.T, a *app.App, req app.LineageRequest) string {
	t.Helper()
	req.Format = "dot"
	res, err := a.Lineage(req)
	if err != nil {
		t.Fatal(err)
	}
	res.RenderMS = 0
	data, err := json.Marshal(res)
	if err != nil {
		t.Fatal(err)
	}
	return string(data)
}

// TestViewsDrawWhatWasSaved: a saved view draws the picture it was saved
// from, on the snapshot it was saved on and on the project's later ones,
// and keeps neither the snapshot nor the format.
func TestViewsDrawWhatWasSaved(t *testing.T) {
	a, _, _ := openApp(t)
	first, err := a.ImportPaths([]string{filepath.Join(fixtures, "bouncer-v12-dbt1.10-duckdb")}, "")
	if err != nil {
		t.Fatal(err)
	}
	asked := app.LineageRequest{
		SnapshotID: first.SnapshotID, Select: " +orders+ ", Exclude: "stg_payments", GroupBy: "schema",
		Open: []string{"dbt.main_marts"}, Lens: "runs", IncludeTests: true, IndirectSelection: "eager", Format: "png", Scale: 3,
	}
	saved, err := a.SaveView("Orders by schema", asked)
	if err != nil {
		t.Fatal(err)
	}
	if saved.Project != "dbt_bouncer_test_project" || saved.Select != "+orders+" || saved.SavedAt.IsZero() {
		t.Errorf("saved %+v", saved)
	}
	views, err := a.Views(first.SnapshotID)
	if err != nil || len(views) != 1 || views[0].Name != "Orders by schema" {
		t.Fatalf("views: %+v, %v", views, err)
	}
	req := app.ViewRequest(views[0], first.SnapshotID)
	asked.Select, asked.Scale = "+orders+", 0
	if got, want := picture(t, a, req), picture(t, a, asked); got != want {
		t.Errorf("the view draws another picture than the one it was saved from:\n%s", firstDifference(got, want))
	}

	// A later snapshot of the project (a resync) has the view too, and it
	// draws the same question there.
	later, err := a.ImportPaths([]string{filepath.Join(fixtures, "bouncer-build-v12-dbt1.11-duckdb")}, "")
	if err != nil {
		t.Fatal(err)
	}
	v, err := a.View(later.SnapshotID, "Orders by schema")
	if err != nil {
		t.Fatal(err)
	}
	asked.SnapshotID = later.SnapshotID
	if got, want := picture(t, a, app.ViewRequest(v, later.SnapshotID)), picture(t, a, asked); got != want {
		t.Errorf("on the later snapshot the view draws another picture:\n%s", firstDifference(got, want))
	}

	// Saving under the same name replaces; the defaults are not stored.
	if _, err := a.SaveView("Orders by schema", app.LineageRequest{Select: "orders", GroupBy: "none", Lens: "tests"}); err != nil {
		t.Fatal(err)
	}
	if v, _ := a.View(0, "Orders by schema"); v.Select != "orders" || v.GroupBy != "" || v.Lens != "" || len(v.Open) != 0 {
		t.Errorf("replaced view: %+v", v)
	}

	// What no picture can be drawn from is refused, naming the field.
	for _, c := range []struct {
		name string
		req  app.LineageRequest
		want string
	}{
		{"empty", app.LineageRequest{Select: "  "}, "select is empty"},
		{"lens", app.LineageRequest{Select: "x", Lens: "colours"}, "lens"},
		{"mode", app.LineageRequest{Select: "x", IndirectSelection: "lazy"}, "indirect_selection"},
		{"grouping", app.LineageRequest{Select: "x", GroupBy: "owner"}, "group_by"},
		{"open", app.LineageRequest{Select: "x", Open: []string{"main"}}, "groups nothing"},
		{"", app.LineageRequest{Select: "x"}, "needs a name"},
	} {
		if _, err := a.SaveView(c.name, c.req); backend.ErrorCode(err) != backend.EINVALID || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%q: %v, want EINVALID saying %q", c.name, err, c.want)
		}
	}

	_, err = a.View(0, "Ordres")
	if backend.ErrorCode(err) != backend.ENOTFOUND || !strings.Contains(err.Error(), `"Orders by schema"`) {
		t.Errorf("a name it does not have: %v, want ENOTFOUND listing the views", err)
	}
	if err := a.DeleteView(0, "Orders by schema"); err != nil {
		t.Fatal(err)
	}
	if views, _ := a.Views(0); len(views) != 0 {
		t.Errorf("after deleting: %+v", views)
	}
}

// TestViewFiles: a view travels as a small file to another store, where a
// name taken already is not replaced; a file that is no view file, or one
// no picture can be drawn from, is refused saying why.
func TestViewFiles(t *testing.T) {
	a, _, _ := openApp(t)
	if _, err := a.ImportPaths([]string{filepath.Join(fixtures, "bouncer-v12-dbt1.10-duckdb")}, ""); err != nil {
		t.Fatal(err)
	}
	saved, err := a.SaveView("Marts", app.LineageRequest{Select: "+path:models/marts", GroupBy: "layer", Lens: "none", Runtime: true})
	if err != nil {
		t.Fatal(err)
	}
	file, err := a.ViewFile(0, "Marts")
	if err != nil {
		t.Fatal(err)
	}
	if file.Filename != "dbt_bouncer_test_project-Marts.view.json" || !strings.Contains(file.Content, `"lineagedesk_view": 1`) {
		t.Errorf("view file %s:\n%s", file.Filename, file.Content)
	}

	// Another machine, with no snapshot of the project yet: kept, with a
	// warning; read back whole.
	b, _, _ := openApp(t)
	res, err := b.ImportView(file.Content)
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Warnings) != 1 || !strings.Contains(res.Warnings[0], "no snapshot of project dbt_bouncer_test_project") {
		t.Errorf("warnings %q", res.Warnings)
	}
	if _, err := b.ImportPaths([]string{filepath.Join(fixtures, "bouncer-build-v12-dbt1.11-duckdb")}, ""); err != nil {
		t.Fatal(err)
	}
	got, err := b.View(0, "Marts")
	if err != nil {
		t.Fatal(err)
	}
	got.SavedAt = saved.SavedAt // the import's own time
	if g, w := mustJSON(t, got), mustJSON(t, saved); g != w {
		t.Errorf("imported %s, want %s", g, w)
	}
	// Imported again: the name is taken, the first stays.
	for _, want := range []string{"Marts (imported)", "Marts (imported 2)"} {
		res, err = b.ImportView(file.Content)
		if err != nil || res.View.Name != want || len(res.Warnings) != 1 || !strings.Contains(res.Warnings[0], `"Marts" exists already`) {
			t.Errorf("imported again: %+v, %v; want it named %q", res, err, want)
		}
	}
	if views, _ := b.Views(0); len(views) != 3 {
		t.Errorf("%d views after three imports, want 3", len(views))
	}

	for content, want := range map[string]string{
		`not json`:                                                                             "not a view file",
		`{"select": "x", "name": "n"}`:                                                         `no "lineagedesk_view" field`,
		`{"lineagedesk_view": 2, "name": "n"}`:                                                 "update Lineage Desk",
		`{"lineagedesk_view": 1, "name": "n", "select": "x"}`:                                  `"project" is empty`,
		`{"lineagedesk_view": 1, "project": "p", "name": "n", "select": ""}`:                   "select is empty",
		`{"lineagedesk_view": 1, "project": "p", "name": "", "select": "x"}`:                   "needs a name",
		`{"lineagedesk_view": 1, "project": "p", "name": "n", "select": "x", "lens": "heat"}`:  "lens",
		`{"lineagedesk_view": 1, "project": "p", "name": "n", "select": "x", "open": ["a"]}`:   "groups nothing",
		`{"lineagedesk_view": 1, "project": "p", "name": "n", "select": "x", "group_by": "x"}`: "group_by",
	} {
		if _, err := b.ImportView(content); backend.ErrorCode(err) != backend.EINVALID || !strings.Contains(err.Error(), want) {
			t.Errorf("%s: %v, want EINVALID saying %q", content, err, want)
		}
	}
	if _, err := b.ImportView(`{"lineagedesk_view": 1, "project": "p", "name": "n", "select": "` + strings.Repeat("x", 2<<20) + `"}`); backend.ErrorCode(err) != backend.EINVALID || !strings.Contains(err.Error(), "bytes") {
		t.Errorf("a file of megabytes: %v", err)
	}
	if views, _ := b.Views(0); len(views) != 3 {
		t.Errorf("refused files changed the views: %d", len(views))
	}
}

// firstDifference shows where two long texts part.
func firstDifference(got, want string) string {
	i := 0
	for i < len(got) && i < len(want) && got[i] == want[i] {
		i++
	}
	from := max(0, i-80)
	return fmt.Sprintf(" got …%s…\nwant …%s…", got[from:min(len(got), i+80)], want[from:min(len(want), i+80)])
}

func mustJSON(t *testing.T, v any) string {
	t.Helper()
	data, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	return string(data)
}
