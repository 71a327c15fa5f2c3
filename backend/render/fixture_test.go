package render_test

import (
	"compress/gzip"
	"encoding/json"
	"os"
	"path/filepath"
	"strconv"
	"testing"

	"github.com/lineagedesk/lineagedesk/backend"
)

// loadFixture builds GraphData from a dataset's manifest.json.gz and, when
// it comes from a command that runs tests, its run_results.json.gz, by
// decoding the JSON generically (independent of backend/artifact).
func loadFixture(tb testing.TB, dataset string) *backend.GraphData {
	tb.Helper()
	var doc map[string]json.RawMessage
	readGz(tb, dataset, "manifest.json.gz", &doc)
	manifest := map[string]map[string]map[string]any{}
	var results struct {
		Args    map[string]any `json:"args"`
		Results []struct {
			UniqueID string `json:"unique_id"`
			Status   string `json:"status"`
		} `json:"results"`
	}
	readGz(tb, dataset, "run_results.json.gz", &results)
	outcome := map[string]string{}
	if which, _ := results.Args["which"].(string); which == "build" || which == "test" {
		for _, r := range results.Results {
			outcome[r.UniqueID] = r.Status
		}
	}
	d := &backend.GraphData{}
	index := map[string]int{}
	for _, section := range []string{"nodes", "sources", "exposures", "metrics", "semantic_models", "saved_queries", "unit_tests"} {
		var objs map[string]map[string]any
		if len(doc[section]) > 0 {
			if err := json.Unmarshal(doc[section], &objs); err != nil {
				tb.Fatalf("%s %s: %v", dataset, section, err)
			}
		}
		manifest[section] = objs
		for id, o := range objs {
			s := func(k string) string {
				switch v := o[k].(type) {
				case string:
					return v
				case float64:
					return strconv.FormatFloat(v, 'f', -1, 64)
				}
				return ""
			}
			cfg, _ := o["config"].(map[string]any)
			mat, _ := cfg["materialized"].(string)
			n := backend.GraphNode{
				UniqueID: id, ResourceType: s("resource_type"), Name: s("name"), Package: s("package_name"),
				Path: s("original_file_path"), Schema: s("schema"), Database: s("database"),
				RelationName: s("relation_name"), Materialized: mat, Version: s("version"),
				SourceName: s("source_name"), Description: s("description"), AttachedNode: s("attached_node"),
				FQN: strList(o["fqn"]), Tags: strList(o["tags"]),
			}
			// As storage does: a test's own outcome; other nodes' results
			// count only in the summaries of the nodes their tests attach to.
			if n.ResourceType == backend.TypeTest || n.ResourceType == backend.TypeUnitTest {
				n.TestStatus = outcome[id]
			}
			index[id] = len(d.Nodes)
			d.Nodes = append(d.Nodes, n)
			deps, _ := o["depends_on"].(map[string]any)
			list, _ := deps["nodes"].([]any)
			for _, p := range list {
				d.Edges = append(d.Edges, backend.Edge{Parent: p.(string), Child: id})
			}
		}
	}
	for _, n := range d.Nodes {
		if n.ResourceType != backend.TypeTest && n.ResourceType != backend.TypeUnitTest || n.AttachedNode == "" {
			continue
		}
		i, ok := index[n.AttachedNode]
		if !ok {
			continue
		}
		s := &d.Nodes[i].Tests
		s.Total++
		switch n.TestStatus {
		case "pass":
			s.Pass++
		case "warn":
			s.Warn++
		case "fail":
			s.Fail++
		case "error":
			s.Error++
		case "skipped":
			s.Skipped++
		}
	}
	return d
}

func readGz(tb testing.TB, dataset, file string, v any) {
	tb.Helper()
	f, err := os.Open(filepath.Join("..", "..", "testdata", "fixtures", dataset, file))
	if err != nil {
		tb.Fatal(err)
	}
	defer f.Close()
	zr, err := gzip.NewReader(f)
	if err != nil {
		tb.Fatal(err)
	}
	if err := json.NewDecoder(zr).Decode(v); err != nil {
		tb.Fatalf("%s/%s: %v", dataset, file, err)
	}
}

func strList(v any) []string {
	list, _ := v.([]any)
	var out []string
	for _, x := range list {
		if s, ok := x.(string); ok {
			out = append(out, s)
		}
	}
	return out
}
