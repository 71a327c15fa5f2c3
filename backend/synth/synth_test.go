package synth

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

type object = map[string]any

func readJSON(t *testing.T, path string) object {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	var doc object
	if err := json.Unmarshal(data, &doc); err != nil {
		t.Fatalf("%s is not valid JSON: %v", path, err)
	}
	return doc
}

func strs(v any) []string {
	var out []string
	for _, x := range v.([]any) {
		out = append(out, x.(string))
	}
	return out
}

// project is a generated project decoded generically, as a consumer would.
type project struct {
	files                  Files
	manifest, catalog, run object
	sources                object
	nodes                  map[string]object // every graph member: nodes, sources, exposures, metrics, semantic models
	deps                   map[string][]string
}

func generate(t *testing.T, spec Spec) *project {
	t.Helper()
	dir := t.TempDir()
	files, err := Write(dir, spec)
	if err != nil {
		t.Fatal(err)
	}
	p := &project{files: files, nodes: map[string]object{}, deps: map[string][]string{}}
	p.manifest = readJSON(t, filepath.Join(dir, "manifest.json"))
	p.catalog = readJSON(t, filepath.Join(dir, "catalog.json"))
	p.run = readJSON(t, filepath.Join(dir, "run_results.json"))
	if spec.WithSources {
		p.sources = readJSON(t, filepath.Join(dir, "sources.json"))
	}
	for _, key := range []string{"nodes", "sources", "exposures", "metrics", "semantic_models"} {
		for id, v := range p.manifest[key].(object) {
			n := v.(object)
			p.nodes[id] = n
			if d, ok := n["depends_on"].(object); ok && d["nodes"] != nil {
				p.deps[id] = strs(d["nodes"])
			}
		}
	}
	return p
}

func (p *project) ofType(rt string) map[string]object {
	out := map[string]object{}
	for id, n := range p.nodes {
		if n["resource_type"] == rt {
			out[id] = n
		}
	}
	return out
}

func layerOf(n object) int {
	switch path := n["original_file_path"].(string); {
	case n["resource_type"] != "model":
		return 0
	case strings.HasPrefix(path, "models/staging/"):
		return 1
	case strings.HasPrefix(path, "models/intermediate/"):
		return 2
	case strings.HasPrefix(path, "models/marts/"):
		return 3
	}
	return -1
}

func TestWriteProjectStructure(t *testing.T) {
	spec := Spec{Models: 200, Seed: 7, WithSources: true}
	p := generate(t, spec)
	meta := p.manifest["metadata"].(object)
	if meta["dbt_schema_version"] != "https://schemas.getdbt.com/dbt/manifest/v12.json" || meta["project_name"] != "synth_analytics" ||
		meta["adapter_type"] != "duckdb" || meta["invocation_id"] == nil || meta["generated_at"] == nil {
		t.Fatalf("manifest metadata = %v", meta)
	}
	models := p.ofType("model")
	if len(models) != spec.Models {
		t.Fatalf("%d models, want %d", len(models), spec.Models)
	}
	c := p.files.Counts
	perLayer := map[int]int{}
	for _, m := range models {
		perLayer[layerOf(m)]++
		if cols := len(m["columns"].(object)); cols < 8 || cols > 15 {
			t.Errorf("%s has %d columns, want 8-15", m["unique_id"], cols)
		}
		if raw := len(m["raw_code"].(string)); raw < 200 || raw > 8000 {
			t.Errorf("%s raw_code is %d bytes", m["unique_id"], raw)
		}
	}
	if perLayer[1] != c.Staging || perLayer[2] != c.Intermediate || perLayer[3] != c.Marts || perLayer[1]*perLayer[2]*perLayer[3] == 0 {
		t.Errorf("models per layer %v, counts say %+v", perLayer, c)
	}
	tests := p.ofType("test")
	for name, want := range map[string]int{"source": c.Sources, "seed": c.Seeds, "snapshot": c.Snapshots, "test": c.GenericTests + c.SingularTests,
		"exposure": c.Exposures, "metric": c.Metrics, "semantic_model": c.SemanticModels} {
		if got := len(p.ofType(name)); got != want || got == 0 {
			t.Errorf("%d %s, counts say %d", got, name, want)
		}
	}
	if got := len(p.manifest["macros"].(object)); got != c.Macros || got < 200 {
		t.Errorf("%d macros, counts say %d", got, c.Macros)
	}
	if float64(len(tests))/float64(len(models)) < 2 {
		t.Errorf("%d tests for %d models, want about 3 per model", len(tests), len(models))
	}
	checkEdges(t, p)
	checkTests(t, p, tests)
	checkCatalog(t, p)
	checkRunResults(t, p)
	checkFreshness(t, p)
}

func checkEdges(t *testing.T, p *project) {
	macros := p.manifest["macros"].(object)
	for id, n := range p.nodes {
		for _, d := range p.deps[id] {
			parent, ok := p.nodes[d]
			if !ok {
				t.Errorf("%s depends on missing %s", id, d)
				continue
			}
			if n["resource_type"] == "model" {
				switch child, up := layerOf(n), layerOf(parent); {
				case up > child:
					t.Errorf("%s (layer %d) depends on %s (layer %d)", id, child, d, up)
				case child == 1 && parent["resource_type"] != "source":
					t.Errorf("staging model %s depends on %s", id, d)
				}
			}
		}
		if d, ok := n["depends_on"].(object); ok && d["macros"] != nil {
			for _, m := range strs(d["macros"]) {
				if macros[m] == nil {
					t.Errorf("%s uses missing macro %s", id, m)
				}
			}
		}
	}
	// parent_map must equal depends_on, child_map must be its inverse.
	parentMap, childMap := p.manifest["parent_map"].(object), p.manifest["child_map"].(object)
	inverse := map[string]map[string]bool{}
	for id := range p.nodes {
		if got, want := strings.Join(strs(parentMap[id]), ","), strings.Join(slices.Sorted(slices.Values(p.deps[id])), ","); got != want {
			t.Errorf("parent_map[%s] = %s, depends_on = %s", id, got, want)
		}
		for _, d := range p.deps[id] {
			if inverse[d] == nil {
				inverse[d] = map[string]bool{}
			}
			inverse[d][id] = true
		}
	}
	maxChildren := 0
	for id := range p.nodes {
		kids := strs(childMap[id])
		maxChildren = max(maxChildren, len(kids))
		if len(kids) != len(inverse[id]) {
			t.Errorf("child_map[%s] has %d ids, want %d", id, len(kids), len(inverse[id]))
		}
		for _, k := range kids {
			if !inverse[id][k] {
				t.Errorf("child_map[%s] lists %s which does not depend on it", id, k)
			}
		}
	}
	if maxChildren < 20 {
		t.Errorf("largest child list has %d ids, want hubs with many children", maxChildren)
	}
	// Kahn's algorithm: every node must be removable, or there is a cycle.
	indegree := map[string]int{}
	for id := range p.nodes {
		indegree[id] = len(p.deps[id])
	}
	var ready []string
	for id, d := range indegree {
		if d == 0 {
			ready = append(ready, id)
		}
	}
	removed := 0
	for len(ready) > 0 {
		id := ready[len(ready)-1]
		ready = ready[:len(ready)-1]
		removed++
		for k := range inverse[id] {
			if indegree[k]--; indegree[k] == 0 {
				ready = append(ready, k)
			}
		}
	}
	if removed != len(p.nodes) {
		t.Errorf("dependency graph has a cycle: only %d of %d nodes sort", removed, len(p.nodes))
	}
}

func checkTests(t *testing.T, p *project, tests map[string]object) {
	kinds := map[string]int{}
	for id, n := range tests {
		meta, generic := n["test_metadata"].(object)
		if !generic {
			kinds["singular"]++
			continue
		}
		kinds[meta["name"].(string)]++
		if n["column_name"] != meta["kwargs"].(object)["column_name"] {
			t.Errorf("%s column_name %v differs from kwargs", id, n["column_name"])
		}
		if s := n["config"].(object)["severity"]; s != "ERROR" && s != "WARN" {
			t.Errorf("%s severity %v", id, s)
		}
		attached, _ := n["attached_node"].(string)
		if attached == "" {
			if deps := p.deps[id]; len(deps) != 1 || !strings.HasPrefix(deps[0], "source.") {
				t.Errorf("%s has no attached_node but depends on %v", id, deps)
			}
			continue
		}
		target, ok := p.nodes[attached]
		if !ok || !slices.Contains(p.deps[id], attached) {
			t.Errorf("%s attached to %s which is missing or not a dependency", id, attached)
			continue
		}
		if _, ok := target["columns"].(object)[n["column_name"].(string)]; !ok {
			t.Errorf("%s tests column %v that %s does not document", id, n["column_name"], attached)
		}
		if meta["name"] == "relationships" && (layerOf(target) != 3 || len(p.deps[id]) != 2) {
			t.Errorf("relationships test %s is not between two marts", id)
		}
	}
	for _, k := range []string{"unique", "not_null", "accepted_values", "relationships", "singular"} {
		if kinds[k] == 0 {
			t.Errorf("no %s tests generated (%v)", k, kinds)
		}
	}
}

func checkCatalog(t *testing.T, p *project) {
	want := map[string]object{}
	for id, n := range p.nodes {
		switch n["resource_type"] {
		case "seed", "snapshot":
			want[id] = n
		case "model":
			if n["config"].(object)["materialized"] != "ephemeral" {
				want[id] = n
			}
		}
	}
	got := p.catalog["nodes"].(object)
	if len(got) != len(want) {
		t.Errorf("catalog has %d nodes, want %d non-ephemeral relations", len(got), len(want))
	}
	for id, n := range want {
		table, ok := got[id].(object)
		if !ok {
			t.Errorf("catalog misses %s", id)
			continue
		}
		cols := table["columns"].(object)
		for name := range n["columns"].(object) {
			if cols[strings.ToLower(name)] == nil {
				t.Errorf("catalog %s misses documented column %s", id, name)
			}
		}
	}
	if got, want := len(p.catalog["sources"].(object)), len(p.ofType("source")); got != want {
		t.Errorf("catalog has %d sources, want %d", got, want)
	}
}

func checkRunResults(t *testing.T, p *project) {
	if p.run["args"].(object)["which"] != "build" {
		t.Fatalf("run_results args.which = %v", p.run["args"].(object)["which"])
	}
	status := map[string]string{}
	byStatus := map[string]int{}
	for _, r := range p.run["results"].([]any) {
		res := r.(object)
		id, s := res["unique_id"].(string), res["status"].(string)
		n, ok := p.nodes[id]
		if !ok {
			t.Errorf("run_results has %s which is not in the manifest", id)
			continue
		}
		status[id] = s
		byStatus[s]++
		allowed := map[string]string{"test": "pass warn fail error skipped", "exposure": "no-op"}[n["resource_type"].(string)]
		if allowed == "" {
			allowed = "success error skipped"
		}
		if !slices.Contains(strings.Fields(allowed), s) {
			t.Errorf("%s (%s) has status %s", id, n["resource_type"], s)
		}
	}
	for id, n := range p.nodes {
		if n["resource_type"] == "model" && n["config"].(object)["materialized"] == "ephemeral" && status[id] != "" {
			t.Errorf("ephemeral %s has a run result", id)
		}
	}
	if byStatus["pass"] < byStatus["warn"]+byStatus["fail"]+byStatus["error"] || byStatus["warn"] == 0 || byStatus["fail"]+byStatus["error"] == 0 {
		t.Errorf("test outcomes %v: want mostly pass with some warn/fail/error", byStatus)
	}
	// A skipped node must have an upstream node that failed or was skipped.
	for id, s := range status {
		if s != "skipped" {
			continue
		}
		if !upstreamFailed(p, id, status) {
			t.Errorf("%s is skipped but nothing upstream failed", id)
		}
	}
}

func upstreamFailed(p *project, id string, status map[string]string) bool {
	for _, d := range p.deps[id] {
		switch status[d] {
		case "error", "skipped":
			return true
		}
		for tid, n := range p.nodes { // tests on a parent that failed block it
			if n["attached_node"] == d && (status[tid] == "fail" || status[tid] == "error") {
				return true
			}
		}
		if p.nodes[d]["config"].(object)["materialized"] == "ephemeral" && upstreamFailed(p, d, status) {
			return true
		}
	}
	return false
}

func checkFreshness(t *testing.T, p *project) {
	results := p.sources["results"].([]any)
	if len(results) != len(p.ofType("source")) {
		t.Errorf("sources.json has %d results, want %d", len(results), len(p.ofType("source")))
	}
	for _, r := range results {
		if id := r.(object)["unique_id"].(string); p.nodes[id]["resource_type"] != "source" {
			t.Errorf("freshness result for %s which is not a source", id)
		}
	}
}

func TestWriteIsDeterministic(t *testing.T) {
	read := func(spec Spec) map[string][]byte {
		dir := t.TempDir()
		if _, err := Write(dir, spec); err != nil {
			t.Fatal(err)
		}
		out := map[string][]byte{}
		for _, f := range []string{"manifest.json", "catalog.json", "run_results.json", "sources.json"} {
			data, err := os.ReadFile(filepath.Join(dir, f))
			if err != nil {
				t.Fatal(err)
			}
			out[f] = data
		}
		return out
	}
	spec := Spec{Models: 200, Seed: 99, WithSources: true, Adapter: "postgres"}
	a, b := read(spec), read(spec)
	for f := range a {
		if !bytes.Equal(a[f], b[f]) {
			t.Errorf("%s differs between two writes of the same spec", f)
		}
	}
	spec.Seed = 100
	if c := read(spec); bytes.Equal(a["manifest.json"], c["manifest.json"]) {
		t.Error("a different seed wrote the same manifest")
	}
}

func TestWritePostgresAdapter(t *testing.T) {
	p := generate(t, Spec{Models: 40, Seed: 1, Adapter: "postgres"})
	if got := p.manifest["metadata"].(object)["adapter_type"]; got != "postgres" {
		t.Errorf("adapter_type = %v", got)
	}
	for id, table := range p.catalog["nodes"].(object) {
		for _, c := range table.(object)["columns"].(object) {
			if typ := c.(object)["type"].(string); typ != strings.ToLower(typ) {
				t.Fatalf("%s has type %q, postgres reports lowercase types", id, typ)
			}
		}
	}
	if p.files.Sources.Path != "" {
		t.Errorf("sources.json written without WithSources: %s", p.files.Sources.Path)
	}
}

func TestWriteRejectsInvalidSpec(t *testing.T) {
	for _, spec := range []Spec{{Models: MinModels - 1}, {Models: 100, Adapter: "snowflake"}} {
		if _, err := Write(t.TempDir(), spec); err == nil {
			t.Errorf("Write(%+v) succeeded, want an error", spec)
		}
	}
}

func TestSummaryReportsCountsAndSizes(t *testing.T) {
	p := generate(t, Spec{Models: 40, Seed: 3})
	s := Summary(p.files, 0)
	for _, want := range []string{"models 40 ", "manifest.json", "catalog.json", "run_results.json", "pass="} {
		if !strings.Contains(s, want) {
			t.Errorf("summary lacks %q:\n%s", want, s)
		}
	}
	if strings.Contains(s, "sources.json") {
		t.Errorf("summary lists sources.json that was not written:\n%s", s)
	}
}
