package artifact_test

import (
	"testing"

	"github.com/lineagedesk/lineagedesk/backend/artifact"
)

// The parsers must never panic; any failure is an error value. Seeds are
// small real fixtures plus hand-written edge cases.

func FuzzParseManifest(f *testing.F) {
	f.Add(fixture(f, "dbtcore-state-v1", "manifest"))
	f.Add(miniManifest(8, `[["c"]]`, `[]`))
	f.Add(miniManifest(12, `[{"name": "c"}]`, `{"x": [{"unique_id": "x"}]}`))
	f.Add([]byte(`{"metadata": {"dbt_schema_version": "manifest/v3.json"}, "nodes": {"a": 1, "b": {"columns": {"c": []}, "depends_on": {"nodes": "x"}}}}`))
	f.Fuzz(func(t *testing.T, data []byte) {
		m, err := artifact.ParseManifest(data)
		if err == nil && m == nil {
			t.Fatal("nil manifest without error")
		}
	})
}

func FuzzParseCatalog(f *testing.F) {
	f.Add(fixture(f, "bouncer-v12-dbt1.11-duckdb", "catalog"))
	f.Add([]byte(`{"metadata": {"dbt_schema_version": "https://schemas.getdbt.com/dbt/catalog/v1.json"}, "nodes": {"a": {"columns": {"X": {"index": "2"}}, "stats": {"s": {"include": true}}}}}`))
	f.Fuzz(func(t *testing.T, data []byte) {
		c, err := artifact.ParseCatalog(data)
		if err == nil && c == nil {
			t.Fatal("nil catalog without error")
		}
	})
}

func FuzzParseRunResults(f *testing.F) {
	f.Add(fixture(f, "dbtcore-results-v6", "run_results"))
	f.Add(fixture(f, "jaffle-dap-results-v1", "run_results"))
	f.Add([]byte(`{"metadata": {"dbt_schema_version": "https://schemas.getdbt.com/dbt/run-results/v1.json"}, "results": [{"unique_id": "test.a", "failures": 1e300, "message": 3}], "args": {"which": "test"}}`))
	f.Fuzz(func(t *testing.T, data []byte) {
		r, err := artifact.ParseRunResults(data)
		if err == nil && r == nil {
			t.Fatal("nil run results without error")
		}
	})
}

func FuzzParseSources(f *testing.F) {
	f.Add(readHandwrittenF(f, "sources-v1.json"))
	f.Add(readHandwrittenF(f, "sources-v3.json"))
	f.Fuzz(func(t *testing.T, data []byte) {
		s, err := artifact.ParseSources(data)
		if err == nil && s == nil {
			t.Fatal("nil sources without error")
		}
	})
}
