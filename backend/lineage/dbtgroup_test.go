package lineage_test

import (
	"os"
	"path/filepath"
	"slices"
	"testing"

	"github.com/lineagedesk/lineagedesk/backend/lineage"
	"github.com/lineagedesk/lineagedesk/backend/synth"
)

// TestGroupByDbtGroup: grouped by dbt's groups, each group's nodes are one
// box and a test goes with what it tests, checked against the manifest's
// group fields read here. No fixture project uses groups; the generated
// one gives each domain's marts a group.
func TestGroupByDbtGroup(t *testing.T) {
	dir := t.TempDir()
	if _, err := synth.Write(dir, synth.Spec{Models: 120, Seed: 3, WithSources: true}); err != nil {
		t.Fatal(err)
	}
	f, err := os.Open(filepath.Join(dir, "manifest.json"))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	m := decodeManifest(t, "synth", f)
	g := lineage.New(m.data)
	sel, err := g.Select("*", lineage.SelectOptions{IncludeTests: true, IndirectSelection: "eager"})
	if err != nil {
		t.Fatal(err)
	}
	groupOf := func(id string) string {
		o := m.raw[id]
		if typ := str(o["resource_type"]); typ == "test" || typ == "unit_test" {
			tested := str(o["attached_node"])
			if ps := m.parents[id]; tested == "" && len(ps) == 1 {
				tested = ps[0]
			}
			if tested == "" {
				return ""
			}
			o = m.raw[tested]
		}
		if gr := str(o["group"]); gr != "" {
			return gr
		}
		cfg, _ := o["config"].(map[string]any)
		return str(cfg["group"])
	}
	want := map[string][]string{}
	var loose []string
	for _, id := range sel.Nodes {
		if gr := groupOf(id); gr != "" {
			want[lineage.BoxID(lineage.GroupByDbtGroup, gr)] = append(want[lineage.BoxID(lineage.GroupByDbtGroup, gr)], id)
		} else {
			loose = append(loose, id)
		}
	}
	if len(want) < 2 {
		t.Fatalf("the generated project has %d groups; it gives each domain one", len(want))
	}
	grp, err := g.Group(sel, lineage.GroupByDbtGroup, lineage.SelectOptions{})
	if err != nil {
		t.Fatal(err)
	}
	got := map[string][]string{}
	for _, b := range grp.Boxes {
		if b.Kind != "group" || b.ID != lineage.BoxID(lineage.GroupByDbtGroup, b.Label) {
			t.Errorf("box %s: kind %q, label %q", b.ID, b.Kind, b.Label)
		}
		got[b.ID] = b.Members
	}
	for id, members := range want {
		slices.Sort(members)
		if !slices.Equal(got[id], members) {
			t.Errorf("%s holds %d nodes, want %d", id, len(got[id]), len(members))
		}
	}
	if len(got) != len(want) || !slices.Equal(grp.Nodes, loose) {
		t.Errorf("%d boxes and %d loose nodes, want %d and %d", len(got), len(grp.Nodes), len(want), len(loose))
	}
	if _, err := g.Group(sel, "team", lineage.SelectOptions{}); err == nil {
		t.Error("an unknown grouping is accepted")
	}
}
