package lineage_test

import (
	"maps"
	"os"
	"path/filepath"
	"slices"
	"testing"

	"github.com/lineagedesk/lineagedesk/backend/lineage"
)

// Grouped by project, a project's installed packages are in its box (the
// hubspot fixture's project installs the hubspot package), another
// project's public model it refs is in that project's box (the mesh
// fixture's finance refs bouncer's), and ProjectOf, across projects, puts
// each node in the box of the run that holds it. Expected boxes come from
// each manifest's package_name and path, read here.
func TestGroupByProject(t *testing.T) {
	grouped := func(m *manifest, opts lineage.SelectOptions) map[string][]string {
		t.Helper()
		g := lineage.New(m.data)
		// dbt's * (fqn) leaves sources out.
		sel, err := g.Select("* source:*", lineage.SelectOptions{IncludeTests: true, IndirectSelection: "eager"})
		if err != nil {
			t.Fatal(err)
		}
		grp, err := g.Group(sel, lineage.GroupByProject, opts)
		if err != nil {
			t.Fatal(err)
		}
		if len(grp.Nodes) != 0 {
			t.Errorf("%d nodes left out of the projects' boxes: %v", len(grp.Nodes), grp.Nodes)
		}
		got := map[string][]string{}
		for _, b := range grp.Boxes {
			if b.Kind != "project" || b.ID != lineage.BoxID(lineage.GroupByProject, b.Label) {
				t.Errorf("box %s: kind %q, label %q", b.ID, b.Kind, b.Label)
			}
			got[b.Label] = b.Members
		}
		return got
	}

	hubspot := loadManifest(t, "hubspot-v12-dbt1.11-postgres")
	packages := map[string]bool{}
	for _, o := range hubspot.raw {
		packages[str(o["package_name"])] = true
	}
	if len(packages) < 2 {
		t.Fatalf("hubspot's manifest holds packages %v, want its own and hubspot's", packages)
	}
	got := grouped(hubspot, lineage.SelectOptions{RootProject: "hubspot_integration_tests"})
	if len(got) != 1 || !slices.Equal(got["hubspot_integration_tests"], slices.Sorted(maps.Keys(hubspot.raw))) {
		t.Errorf("hubspot by project: %d boxes %v, want one holding all %d nodes", len(got), slices.Sorted(maps.Keys(got)), len(hubspot.raw))
	}

	f, err := os.Open(filepath.Join("..", "..", "testdata", "mesh", "bouncer_finance", "manifest.json"))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	finance := decodeManifest(t, "bouncer_finance", f)
	want := map[string][]string{}
	for _, id := range slices.Sorted(maps.Keys(finance.raw)) {
		o := finance.raw[id]
		project := "bouncer_finance"
		if str(o["resource_type"]) == "model" && str(o["path"]) == "" {
			project = str(o["package_name"])
		}
		want[project] = append(want[project], id)
	}
	if len(want) != 2 {
		t.Fatalf("finance's manifest is of projects %v, want its own and bouncer's", slices.Sorted(maps.Keys(want)))
	}
	got = grouped(finance, lineage.SelectOptions{RootProject: "bouncer_finance"})
	for project, ids := range want {
		if !slices.Equal(got[project], ids) {
			t.Errorf("finance by project: %s holds %v, want %v", project, got[project], ids)
		}
	}
	if len(got) != len(want) {
		t.Errorf("finance by project: boxes %v, want %v", slices.Sorted(maps.Keys(got)), slices.Sorted(maps.Keys(want)))
	}

	// Across projects the run holding a node says; the rest are the root's.
	held := want["dbt_bouncer_test_project"][0]
	got = grouped(finance, lineage.SelectOptions{RootProject: "bouncer_finance", ProjectOf: func(id string) string {
		if id == held {
			return "held_by_another_run"
		}
		return ""
	}})
	if !slices.Equal(got["held_by_another_run"], []string{held}) || len(got["bouncer_finance"]) != len(want["bouncer_finance"]) {
		t.Errorf("with ProjectOf: %v", got)
	}
}
