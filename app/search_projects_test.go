package app_test

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/lineagedesk/lineagedesk/app"
	"github.com/lineagedesk/lineagedesk/backend"
)

// refsInManifest reads a mesh project's manifest generically: the models
// it holds without a file (cross-project refs), each with its package.
func refsInManifest(t *testing.T, project string) map[string]string {
	t.Helper()
	b, err := os.ReadFile(filepath.Join(meshDir, project, "manifest.json"))
	if err != nil {
		t.Fatal(err)
	}
	var m struct {
		Nodes map[string]struct {
			ResourceType     string `json:"resource_type"`
			OriginalFilePath string `json:"original_file_path"`
			PackageName      string `json:"package_name"`
		} `json:"nodes"`
	}
	if err := json.Unmarshal(b, &m); err != nil {
		t.Fatal(err)
	}
	refs := map[string]string{}
	for id, n := range m.Nodes {
		if n.ResourceType == "model" && n.OriginalFilePath == "" {
			refs[id] = n.PackageName
		}
	}
	return refs
}

func hitIDs(hits []backend.SearchHit) []string {
	ids := make([]string, len(hits))
	for i, h := range hits {
		ids[i] = h.UniqueID
	}
	return ids
}

func TestSearchProjectsSearchesEveryProjectsRun(t *testing.T) {
	m := openMesh(t)
	const bouncer = "dbt_bouncer_test_project"
	runs := map[string]int64{bouncer: m.bouncer, "bouncer_finance": m.finance, "bouncer_reporting": m.reporting}
	refs := map[string]map[string]string{bouncer: {},
		"bouncer_finance": refsInManifest(t, "bouncer_finance"), "bouncer_reporting": refsInManifest(t, "bouncer_reporting")}
	if len(refs["bouncer_finance"]) == 0 || len(refs["bouncer_reporting"]) == 0 {
		t.Fatal("the mesh manifests hold no cross-project refs")
	}
	for _, text := range []string{"customers", "orders", "customer", "revenue", "cu", "amount"} {
		q := backend.SearchQuery{Text: text, Limit: 500}
		// Each project's own search, less its refs to the models of
		// projects the store holds (found in their own runs), is what the
		// search of every project gives of it, in the same order.
		own := map[string][]string{}
		total, byType := 0, map[string]int{}
		for project, run := range runs {
			res, err := m.a.Search(run, q)
			if err != nil {
				t.Fatal(err)
			}
			if res.Total > len(res.Hits) {
				t.Fatalf("%q in %s: %d matches, more than a page", text, project, res.Total)
			}
			for _, h := range res.Hits {
				if definer, isRef := refs[project][h.UniqueID]; isRef {
					if _, held := runs[definer]; held {
						continue
					}
				}
				own[project] = append(own[project], h.UniqueID)
				total++
				byType[h.ResourceType]++
			}
		}
		for _, from := range []int64{m.finance, m.bouncer} {
			res, err := m.a.SearchProjects(from, q, nil)
			if err != nil {
				t.Fatal(err)
			}
			if res.Total != total || len(res.Hits) != total {
				t.Errorf("%q from #%d: %d matches, %d hits; want %d, one per match", text, from, res.Total, len(res.Hits), total)
			}
			got := map[string][]string{}
			byProject, gotTypes := map[string]int{}, map[string]int{}
			for _, h := range res.Hits {
				got[h.Project] = append(got[h.Project], h.UniqueID)
				byProject[h.Project]++
				gotTypes[h.ResourceType]++
				want := runs[h.Project]
				if want == from {
					want = 0
				}
				if h.SnapshotID != want {
					t.Errorf("%q from #%d: %s of %s says snapshot %d, want %d (0 for the snapshot at hand)", text, from, h.UniqueID, h.Project, h.SnapshotID, want)
				}
			}
			for project := range runs {
				if !slices.Equal(got[project], own[project]) {
					t.Errorf("%q from #%d, %s's hits:\n got %v\nwant %v", text, from, project, got[project], own[project])
				}
				if res.ByProject[project] != len(own[project]) {
					t.Errorf("%q from #%d: by_project[%s] = %d, want %d", text, from, project, res.ByProject[project], len(own[project]))
				}
			}
			for typ, n := range byType {
				if res.ByType[typ] < n {
					t.Errorf("%q from #%d: by_type[%s] = %d, fewer than the %d hits", text, from, typ, res.ByType[typ], n)
				}
			}
			// Exact names come first, whichever project holds them.
			exact := true
			for _, h := range res.Hits {
				is := strings.EqualFold(h.Name, text)
				if is && !exact {
					t.Errorf("%q from #%d: %s of %s, an exact name, after other hits", text, from, h.UniqueID, h.Project)
				}
				exact = is
			}
			// A page is the first hits of the whole list.
			page, err := m.a.SearchProjects(from, backend.SearchQuery{Text: text, Limit: 7}, nil)
			if err != nil {
				t.Fatal(err)
			}
			if want := hitIDs(res.Hits)[:min(7, len(res.Hits))]; !slices.Equal(hitIDs(page.Hits), want) || page.Total != res.Total {
				t.Errorf("%q from #%d, 7 hits: %v of %d, want %v of %d", text, from, hitIDs(page.Hits), page.Total, want, res.Total)
			}
		}
	}

	// finance's ref to customers.v3 is found as bouncer's model, once.
	res, err := m.a.SearchProjects(m.finance, backend.SearchQuery{Text: "customers"}, nil)
	if err != nil {
		t.Fatal(err)
	}
	var v3 []string
	for _, h := range res.Hits {
		if h.UniqueID == "model.dbt_bouncer_test_project.customers.v3" {
			v3 = append(v3, h.Project)
		}
	}
	if !slices.Equal(v3, []string{bouncer}) {
		t.Errorf("customers.v3 found in %v, want in %s alone", v3, bouncer)
	}
}

func TestSearchProjectsKeepsTheProjectsAsked(t *testing.T) {
	m := openMesh(t)
	q := backend.SearchQuery{Text: "customer", Limit: 500}
	all, err := m.a.SearchProjects(m.finance, q, nil)
	if err != nil {
		t.Fatal(err)
	}
	one, err := m.a.SearchProjects(m.finance, q, []string{"bouncer_reporting"})
	if err != nil {
		t.Fatal(err)
	}
	var want []string
	for _, h := range all.Hits {
		if h.Project == "bouncer_reporting" {
			want = append(want, h.UniqueID)
		}
	}
	if len(want) == 0 || !slices.Equal(hitIDs(one.Hits), want) || one.Total != len(want) {
		t.Errorf("reporting's hits: %v of %d, want %v", hitIDs(one.Hits), one.Total, want)
	}
	if len(one.ByProject) != 3 || one.ByProject["bouncer_finance"] != all.ByProject["bouncer_finance"] {
		t.Errorf("by_project with a filter: %v, want every project's count as without it: %v", one.ByProject, all.ByProject)
	}
	_, err = m.a.SearchProjects(m.finance, q, []string{"marketing"})
	if backend.ErrorCode(err) != backend.ENOTFOUND || !strings.Contains(err.Error(), `no snapshot of project "marketing"`) ||
		!strings.Contains(err.Error(), "bouncer_finance, bouncer_reporting, dbt_bouncer_test_project") {
		t.Errorf("an unknown project: %v, want ENOTFOUND naming the projects held", err)
	}
}

// A store of one project searches it as Search does.
func TestSearchProjectsOfOneProject(t *testing.T) {
	a, _, _ := openApp(t)
	if _, err := a.EnsureDemo(); err != nil {
		t.Fatal(err)
	}
	for _, text := range []string{"orders", "cu", "customer lifetime"} {
		q := backend.SearchQuery{Text: text}
		one, err := a.Search(0, q)
		if err != nil {
			t.Fatal(err)
		}
		all, err := a.SearchProjects(0, q, nil)
		if err != nil {
			t.Fatal(err)
		}
		if !slices.Equal(hitIDs(all.Hits), hitIDs(one.Hits)) || all.Total != one.Total || len(all.ByProject) != 1 {
			t.Errorf("%q: %v of %d (%v), want %v of %d", text, hitIDs(all.Hits), all.Total, all.ByProject, hitIDs(one.Hits), one.Total)
		}
	}
}

// A node the snapshot lacks is named where the other projects hold it
// (not where a project only refs it), and the error says which snapshot
// it looked in.
func TestResourceSaysWhichProjectsHoldIt(t *testing.T) {
	m := openMesh(t)
	_, err := m.a.Resource(m.reporting, "stg_orders")
	want := fmt.Sprintf("snapshot #%d (project bouncer_reporting): no node has unique_id or name \"stg_orders\"", m.reporting)
	held := fmt.Sprintf("project dbt_bouncer_test_project holds model.dbt_bouncer_test_project.stg_orders in snapshot #%d", m.bouncer)
	if backend.ErrorCode(err) != backend.ENOTFOUND || !strings.HasPrefix(err.Error(), want) || !strings.HasSuffix(err.Error(), "; "+held) {
		t.Errorf("stg_orders in reporting: %v\nwant %q ... %q", err, want, held)
	}
	// finance refs customers.v3: bouncer holds it, finance does not.
	_, err = m.a.Resource(m.reporting, "model.dbt_bouncer_test_project.customers.v3")
	if err == nil || strings.Contains(err.Error(), "project bouncer_finance holds") ||
		!strings.Contains(err.Error(), fmt.Sprintf("project dbt_bouncer_test_project holds model.dbt_bouncer_test_project.customers.v3 in snapshot #%d", m.bouncer)) {
		t.Errorf("customers.v3 in reporting: %v", err)
	}
	// What no project holds names the snapshot alone.
	_, err = m.a.Resource(m.finance, "no_such_model")
	if backend.ErrorCode(err) != backend.ENOTFOUND || strings.Contains(err.Error(), " holds ") ||
		!strings.HasPrefix(err.Error(), fmt.Sprintf("snapshot #%d (project bouncer_finance): ", m.finance)) {
		t.Errorf("no_such_model: %v", err)
	}
}

// A selection matching nothing names the snapshot and where other projects
// hold what it names.
func TestLineageSaysWhichProjectsHoldWhatItNames(t *testing.T) {
	m := openMesh(t)
	jaffle := importedRun(t, m.a, filepath.Join(fixtures, "jaffle-dap-v12-1.12"))
	_, err := m.a.Lineage(app.LineageRequest{SnapshotID: jaffle, Select: "+dim_customer_value", Format: "json"})
	want := fmt.Sprintf("in snapshot #%d (project jaffle_shop)", jaffle)
	held := fmt.Sprintf("; project bouncer_finance holds model.bouncer_finance.dim_customer_value in snapshot #%d", m.finance)
	if backend.ErrorCode(err) != backend.ENOTFOUND || !strings.Contains(err.Error(), want) || !strings.HasSuffix(err.Error(), held) {
		t.Errorf("+dim_customer_value in jaffle_shop: %v\nwant %q and %q", err, want, held)
	}
}
