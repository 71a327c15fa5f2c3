package lineage_test

import (
	"compress/gzip"
	"encoding/json"
	"io"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"testing"

	"github.com/lineagedesk/lineagedesk/backend"
)

// manifest is a manifest.json decoded generically, so the tests compute
// expected selections from the raw JSON and not from the code under test.
// It is deliberately independent of backend/artifact.
type manifest struct {
	raw      map[string]map[string]any // unique_id -> resource object
	parents  map[string][]string       // from depends_on.nodes
	children map[string][]string
	data     *backend.GraphData
}

// resourceSections are the manifest maps that hold lineage resources.
var resourceSections = []string{"nodes", "sources", "exposures", "metrics", "semantic_models", "saved_queries", "unit_tests"}

func loadManifest(tb testing.TB, dataset string) *manifest {
	tb.Helper()
	f, err := os.Open(filepath.Join("..", "..", "testdata", "fixtures", dataset, "manifest.json.gz"))
	if err != nil {
		tb.Fatal(err)
	}
	defer f.Close()
	zr, err := gzip.NewReader(f)
	if err != nil {
		tb.Fatal(err)
	}
	return decodeManifest(tb, dataset, zr)
}

// decodeManifest reads a manifest's JSON (of dataset, for messages).
func decodeManifest(tb testing.TB, dataset string, r io.Reader) *manifest {
	tb.Helper()
	var doc map[string]json.RawMessage
	if err := json.NewDecoder(r).Decode(&doc); err != nil {
		tb.Fatalf("decode %s manifest: %v", dataset, err)
	}
	m := &manifest{raw: map[string]map[string]any{}, parents: map[string][]string{}, children: map[string][]string{}, data: &backend.GraphData{}}
	for _, section := range resourceSections {
		var objs map[string]map[string]any
		if len(doc[section]) > 0 {
			if err := json.Unmarshal(doc[section], &objs); err != nil {
				tb.Fatalf("decode %s.%s: %v", dataset, section, err)
			}
		}
		for id, o := range objs {
			m.raw[id] = o
		}
	}
	ids := make([]string, 0, len(m.raw))
	for id := range m.raw {
		ids = append(ids, id)
	}
	sort.Strings(ids)
	for _, id := range ids {
		o := m.raw[id]
		m.data.Nodes = append(m.data.Nodes, toNode(id, o))
		for _, dep := range strs(get(o, "depends_on", "nodes")) {
			if _, ok := m.raw[dep]; !ok {
				continue
			}
			m.parents[id] = append(m.parents[id], dep)
			m.children[dep] = append(m.children[dep], id)
			m.data.Edges = append(m.data.Edges, backend.Edge{Parent: dep, Child: id})
		}
	}
	return m
}

func get(o map[string]any, path ...string) any {
	var cur any = o
	for _, p := range path {
		mm, ok := cur.(map[string]any)
		if !ok {
			return nil
		}
		cur = mm[p]
	}
	return cur
}

func str(v any) string {
	switch t := v.(type) {
	case string:
		return t
	case float64:
		return strconv.FormatFloat(t, 'f', -1, 64)
	}
	return ""
}

func strs(v any) []string {
	list, _ := v.([]any)
	var out []string
	for _, x := range list {
		if s, ok := x.(string); ok {
			out = append(out, s)
		}
	}
	return out
}

func firstNonEmpty(vals ...string) string {
	for _, v := range vals {
		if v != "" {
			return v
		}
	}
	return ""
}

// patchPath is the YAML file documenting a resource, without dbt's
// "package://" prefix.
func patchPath(o map[string]any) string {
	p := str(o["patch_path"])
	if _, rest, ok := strings.Cut(p, "://"); ok {
		return rest
	}
	return p
}

func toNode(id string, o map[string]any) backend.GraphNode {
	n := backend.GraphNode{
		UniqueID:      id,
		ResourceType:  str(o["resource_type"]),
		Name:          str(o["name"]),
		Package:       str(o["package_name"]),
		Path:          str(o["original_file_path"]),
		PatchPath:     patchPath(o),
		FQN:           strs(o["fqn"]),
		Tags:          strs(o["tags"]),
		Database:      str(o["database"]),
		Schema:        str(o["schema"]),
		Identifier:    firstNonEmpty(str(o["alias"]), str(o["identifier"])),
		RelationName:  str(o["relation_name"]),
		Materialized:  str(get(o, "config", "materialized")),
		Access:        firstNonEmpty(str(o["access"]), str(get(o, "config", "access"))),
		Group:         firstNonEmpty(str(o["group"]), str(get(o, "config", "group"))),
		Version:       str(o["version"]),
		LatestVersion: str(o["latest_version"]),
		SourceName:    str(o["source_name"]),
		Description:   str(o["description"]),
		AttachedNode:  str(o["attached_node"]),
	}
	switch n.ResourceType {
	case backend.TypeTest:
		n.TestName = str(get(o, "test_metadata", "name"))
		n.TestType = "generic"
		if n.TestName == "" { // as the manifest reader names a singular test: its file
			n.TestType = "singular"
			n.TestName = strings.TrimSuffix(filepath.Base(str(o["path"])), ".sql")
		}
	case backend.TypeUnitTest:
		n.TestType = "unit"
	}
	return n
}

// reach is an independent BFS over depends_on: every node reachable from
// the seeds within depth hops (depth < 0: unlimited), seeds included.
func (m *manifest) reach(seeds []string, up bool, depth int) map[string]bool {
	adj := m.children
	if up {
		adj = m.parents
	}
	out := map[string]bool{}
	for _, s := range seeds {
		out[s] = true
	}
	frontier := seeds
	for d := 0; len(frontier) > 0 && (depth < 0 || d < depth); d++ {
		var next []string
		for _, n := range frontier {
			for _, x := range adj[n] {
				if !out[x] {
					out[x] = true
					next = append(next, x)
				}
			}
		}
		frontier = next
	}
	return out
}

// where returns the ids of the resources for which keep is true.
func (m *manifest) where(keep func(id string, o map[string]any) bool) map[string]bool {
	out := map[string]bool{}
	for id, o := range m.raw {
		if keep(id, o) {
			out[id] = true
		}
	}
	return out
}

func isTestType(o map[string]any) bool {
	rt := str(o["resource_type"])
	return rt == "test" || rt == "unit_test"
}

// withoutTests drops tests and unit tests, as Select does by default.
func (m *manifest) withoutTests(s map[string]bool) map[string]bool {
	out := map[string]bool{}
	for id := range s {
		if !isTestType(m.raw[id]) {
			out[id] = true
		}
	}
	return out
}

func sortedKeys(s map[string]bool) []string {
	out := make([]string, 0, len(s))
	for k, ok := range s {
		if ok {
			out = append(out, k)
		}
	}
	sort.Strings(out)
	return out
}
