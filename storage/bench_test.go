package storage_test

import (
	"context"
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/lineagedesk/lineagedesk/backend"
	"github.com/lineagedesk/lineagedesk/storage"
)

var benchWords = strings.Fields(`order customer revenue payment invoice shipment product inventory account
	session event marketing campaign channel refund subscription churn cohort daily weekly monthly finance
	growth ledger balance warehouse supplier region country currency discount margin forecast`)

// syntheticBundle generates a project shaped like a large dbt project: per
// model about 3.5 tests, 12 columns, 2 model parents and 2 macro
// dependencies, plus sources and macros. models=10000 gives ~50k resources,
// ~150k columns, ~110k edges and ~45k run results.
func syntheticBundle(models int) *backend.Bundle {
	rng := rand.New(rand.NewPCG(1, 2))
	words := func(n int) string {
		w := make([]string, n)
		for i := range w {
			w[i] = benchWords[rng.IntN(len(benchWords))]
		}
		return strings.Join(w, " ")
	}
	b := &backend.Bundle{Meta: backend.BundleMeta{Project: "big", DbtVersion: "1.9.0", AdapterType: "snowflake",
		SchemaVersions: map[string]int{"manifest": 12, "run_results": 6}, RunCommand: "build",
		GeneratedAt: time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC)}}
	macros, sources := models*3/10, models/5
	for i := range macros {
		b.Resources = append(b.Resources, backend.Resource{UniqueID: fmt.Sprintf("macro.big.macro_%d", i),
			ResourceType: backend.TypeMacro, Name: fmt.Sprintf("macro_%d", i), Package: "big",
			Path: fmt.Sprintf("macros/m%d.sql", i), Enabled: true, RawCode: "{% macro x() %}" + words(20) + "{% endmacro %}"})
	}
	for i := range sources {
		r := backend.Resource{UniqueID: fmt.Sprintf("source.big.raw.%s_%d", benchWords[i%len(benchWords)], i),
			ResourceType: backend.TypeSource, Name: fmt.Sprintf("%s_%d", benchWords[i%len(benchWords)], i),
			Package: "big", Path: "models/sources.yml", Enabled: true, Description: words(8),
			Source: &backend.SourceInfo{SourceName: "raw"}, Raw: json.RawMessage(`{"resource_type":"source"}`)}
		for c := range 10 {
			r.Columns = append(r.Columns, backend.Column{Name: fmt.Sprintf("%s_%d", benchWords[(i+c)%len(benchWords)], c),
				Description: words(5), InManifest: true, InCatalog: true, Index: c + 1, CatalogType: "TEXT"})
		}
		b.Resources = append(b.Resources, r)
	}
	for i := range models {
		name := fmt.Sprintf("%s_%s_%d", benchWords[i%len(benchWords)], benchWords[(i/7)%len(benchWords)], i)
		id := "model.big." + name
		var parents []string
		if i < sources {
			parents = append(parents, b.Resources[macros+i].UniqueID)
		}
		for range 2 {
			if i > 0 {
				parents = append(parents, b.Resources[macros+sources+rng.IntN(i)].UniqueID)
			}
		}
		r := backend.Resource{UniqueID: id, ResourceType: backend.TypeModel, Name: name, Package: "big",
			FQN: []string{"big", "area" + fmt.Sprint(i%20), name}, Path: fmt.Sprintf("models/area%d/sub%d/%s.sql", i%20, i%5, name),
			Database: "analytics", Schema: "area" + fmt.Sprint(i%20), Identifier: name,
			RelationName: "analytics.area" + fmt.Sprint(i%20) + "." + name, Materialized: []string{"view", "table", "incremental"}[i%3],
			Description: words(25), Tags: []string{benchWords[i%len(benchWords)], "nightly"}, Enabled: true, Language: "sql",
			Config:          json.RawMessage(`{"materialized":"table","enabled":true}`),
			RawCode:         "select " + words(30) + " from {{ ref('" + name + "') }}",
			CompiledCode:    "select " + words(40) + " from analytics.x." + name,
			DependsOn:       parents,
			DependsOnMacros: []string{b.Resources[rng.IntN(macros)].UniqueID, "macro.dbt.run_query"},
			Raw:             json.RawMessage(`{"resource_type":"model","config":{"materialized":"table"}}`)}
		for c := range 12 {
			r.Columns = append(r.Columns, backend.Column{Name: fmt.Sprintf("%s_%d", benchWords[(i+c)%len(benchWords)], c),
				Description: words(6), InManifest: true, InCatalog: c < 10, Index: c + 1, DeclaredType: "text"})
		}
		b.Resources = append(b.Resources, r)
		b.RunResults = append(b.RunResults, backend.RunResult{UniqueID: id, Status: "success", ExecutionTime: 1.5,
			AdapterResponse: json.RawMessage(`{"rows_affected":10}`)})
		tests := 3 + i%2 // 3.5 on average
		for t := range tests {
			tid := fmt.Sprintf("test.big.%s_%s.%d", []string{"not_null", "unique", "accepted_values", "relationships"}[t], name, t)
			b.Resources = append(b.Resources, backend.Resource{UniqueID: tid, ResourceType: backend.TypeTest,
				Name: tid[9:], Package: "big", Path: "models/schema.yml", Enabled: true, DependsOn: []string{id},
				DependsOnMacros: []string{"macro.dbt.test_not_null"},
				Test: &backend.TestInfo{TestName: "not_null", TestType: "generic", ColumnName: r.Columns[t].Name,
					Severity: "ERROR", AttachedNode: id}})
			status := []string{"pass", "pass", "pass", "fail", "warn", "error", "skipped"}[rng.IntN(7)]
			b.RunResults = append(b.RunResults, backend.RunResult{UniqueID: tid, Status: status, IsTestOutcome: true})
		}
	}
	// As the parser delivers them.
	slices.SortFunc(b.Resources, func(x, y backend.Resource) int { return strings.Compare(x.UniqueID, y.UniqueID) })
	return b
}

func benchStore(b *testing.B, models int) (*storage.Store, backend.Snapshot) {
	b.Helper()
	s, _ := openStore(b)
	snap, err := s.SaveSnapshot(context.Background(), backend.NewSnapshot{Name: "big",
		Origin: backend.Origin{Kind: backend.OriginPath}, Bundle: syntheticBundle(models)})
	if err != nil {
		b.Fatal(err)
	}
	return s, snap
}

func bundleRows(bundle *backend.Bundle) (resources, columns, edges int) {
	for _, r := range bundle.Resources {
		columns += len(r.Columns)
		edges += len(r.DependsOn) + len(r.DependsOnMacros)
	}
	return len(bundle.Resources), columns, edges
}

func BenchmarkSaveSnapshot(b *testing.B) {
	bundle := syntheticBundle(10000)
	resources, columns, edges := bundleRows(bundle)
	rows := resources + columns + edges + len(bundle.RunResults)
	b.Logf("bundle: %d resources, %d columns, %d edges, %d run results", resources, columns, edges, len(bundle.RunResults))
	for b.Loop() {
		b.StopTimer()
		s, _ := openStore(b)
		b.StartTimer()
		if _, err := s.SaveSnapshot(context.Background(), backend.NewSnapshot{Name: "big",
			Origin: backend.Origin{Kind: backend.OriginPath}, Bundle: bundle}); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(rows)*float64(b.N)/b.Elapsed().Seconds(), "rows/s")
}

func BenchmarkSearch(b *testing.B) {
	s, snap := benchStore(b, 10000)
	for _, text := range []string{"revenue", "cust", "order payment", "1234", "zzz"} {
		b.Run(text, func(b *testing.B) {
			var total int
			for b.Loop() {
				res, err := s.Search(context.Background(), snap.ID, backend.SearchQuery{Text: text})
				if err != nil {
					b.Fatal(err)
				}
				total = res.Total
			}
			b.ReportMetric(float64(total), "matches")
		})
	}
}

func BenchmarkGraph(b *testing.B) {
	s, snap := benchStore(b, 10000)
	var nodes, edges int
	for b.Loop() {
		g, err := s.Graph(context.Background(), snap.ID)
		if err != nil {
			b.Fatal(err)
		}
		nodes, edges = len(g.Nodes), len(g.Edges)
	}
	b.ReportMetric(float64(nodes), "nodes")
	b.ReportMetric(float64(edges), "edges")
}

func BenchmarkDeleteSnapshot(b *testing.B) {
	bundle := syntheticBundle(10000)
	for b.Loop() {
		b.StopTimer()
		s, _ := openStore(b)
		snap, err := s.SaveSnapshot(context.Background(), backend.NewSnapshot{Name: "big",
			Origin: backend.Origin{Kind: backend.OriginPath}, Bundle: bundle})
		if err != nil {
			b.Fatal(err)
		}
		b.StartTimer()
		if err := s.DeleteSnapshot(context.Background(), snap.ID); err != nil {
			b.Fatal(err)
		}
	}
}
