package sqlparse

import (
	"compress/gzip"
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"slices"
	"sort"
	"strings"
	"testing"
)

// The corpus is the compiled SQL of real dbt projects, committed as
// fixtures at the repository's root (see testdata/fixtures/INDEX.md).
const fixturesDir = "../../testdata/fixtures"

// corpusModel is one SQL model or snapshot of a fixture's manifest.
type corpusModel struct {
	fixture  string
	uniqueID string
	dialect  Dialect
	sql      string
}

// manifestFile is the part of manifest.json the corpus needs.
type manifestFile struct {
	Metadata struct {
		AdapterType string `json:"adapter_type"`
	} `json:"metadata"`
	Nodes map[string]struct {
		ResourceType string  `json:"resource_type"`
		Language     string  `json:"language"`
		CompiledCode *string `json:"compiled_code"` // manifest v7 and later
		CompiledSQL  *string `json:"compiled_sql"`  // before
	} `json:"nodes"`
}

// catalogFile is the part of catalog.json the corpus needs.
type catalogFile struct {
	Nodes map[string]struct {
		Columns map[string]struct {
			Name  string `json:"name"`
			Index int    `json:"index"`
		} `json:"columns"`
	} `json:"nodes"`
}

func readGzipJSON(path string, v any) error {
	f, err := os.Open(path)
	if err != nil {
		return err
	}
	defer f.Close()
	z, err := gzip.NewReader(f)
	if err != nil {
		return err
	}
	defer z.Close()
	return json.NewDecoder(z).Decode(v)
}

// loadCorpus reads every fixture's compiled SQL models, in fixture and
// unique_id order.
func loadCorpus(tb testing.TB) []corpusModel {
	tb.Helper()
	manifests, err := filepath.Glob(filepath.Join(fixturesDir, "*", "manifest.json.gz"))
	if err != nil || len(manifests) == 0 {
		tb.Fatalf("no fixture manifests under %s: %v", fixturesDir, err)
	}
	sort.Strings(manifests)
	var models []corpusModel
	for _, path := range manifests {
		var m manifestFile
		if err := readGzipJSON(path, &m); err != nil {
			tb.Fatalf("%s: %v", path, err)
		}
		fixture := filepath.Base(filepath.Dir(path))
		d := DialectOf(m.Metadata.AdapterType)
		var ids []string
		for id := range m.Nodes {
			ids = append(ids, id)
		}
		sort.Strings(ids)
		for _, id := range ids {
			n := m.Nodes[id]
			if n.ResourceType != "model" && n.ResourceType != "snapshot" || n.Language == "python" {
				continue
			}
			code := n.CompiledCode
			if code == nil {
				code = n.CompiledSQL
			}
			if code == nil || strings.TrimSpace(*code) == "" {
				continue // not compiled in this artifact
			}
			models = append(models, corpusModel{fixture: fixture, uniqueID: id, dialect: d, sql: *code})
		}
	}
	return models
}

// loadCatalogColumns reads a fixture's catalog: each node's column names in
// index order; nil when the fixture has no catalog.
func loadCatalogColumns(tb testing.TB, fixture string) map[string][]string {
	tb.Helper()
	path := filepath.Join(fixturesDir, fixture, "catalog.json.gz")
	var c catalogFile
	if err := readGzipJSON(path, &c); err != nil {
		if errors.Is(err, os.ErrNotExist) {
			return nil
		}
		tb.Fatalf("%s: %v", path, err)
	}
	out := make(map[string][]string, len(c.Nodes))
	for id, n := range c.Nodes {
		type column struct {
			name  string
			index int
		}
		var cols []column
		for _, col := range n.Columns {
			cols = append(cols, column{col.Name, col.Index})
		}
		sort.Slice(cols, func(i, j int) bool { return cols[i].index < cols[j].index })
		names := make([]string, len(cols))
		for i, col := range cols {
			names[i] = col.name
		}
		out[id] = names
	}
	return out
}

// catalogStale lists the models whose catalog does not describe the
// compiled SQL committed beside it, by fixture and unique_id, with why.
var catalogStale = map[string]string{
	// An ephemeral model (materialized="ephemeral" in its raw code) is no
	// relation in the warehouse; the catalog's entry is left over from an
	// earlier version that was a table, "select 1 as id" (the v9 fixture's
	// raw code), without the name column the compiled SQL now selects.
	"bouncer-v10-dbt1.6-duckdb model.dbt_bouncer_test_project.int_model_1": "ephemeral: the catalog describes an older table",
	// The catalog was generated twelve hours before the manifest
	// (generated_at 04:02 against 16:23) from earlier versions of these
	// views: their compiled SQL is a plain column list (encounter_id,
	// code_type, ...) that the catalog names differently
	// (DIAGNOSIS_CODE_TYPE) or longer (patients' RACE_CODE, ADDRESS, ...).
	"tuva-v3-dbt0.21 model.tuva.diagnoses":  "the catalog predates the manifest and describes an older view",
	"tuva-v3-dbt0.21 model.tuva.patients":   "the catalog predates the manifest and describes an older view",
	"tuva-v3-dbt0.21 model.tuva.procedures": "the catalog predates the manifest and describes an older view",
}

// TestCorpusParses parses every compiled SQL model of the fixtures, and
// checks the output column names it reads off the select list against the
// warehouse's own, in the catalog.
func TestCorpusParses(t *testing.T) {
	models := loadCorpus(t)
	type counts struct{ parsed, failed, checked int }
	perFixture := map[string]*counts{}
	var fixtures []string
	catalogs := map[string]map[string][]string{}
	var mismatches int
	for _, m := range models {
		c := perFixture[m.fixture]
		if c == nil {
			c = &counts{}
			perFixture[m.fixture] = c
			fixtures = append(fixtures, m.fixture)
			catalogs[m.fixture] = loadCatalogColumns(t, m.fixture)
		}
		q, err := Parse(m.sql, m.dialect)
		if err != nil {
			c.failed++
			t.Errorf("%s %s (%s): %v\n\t%s", m.fixture, m.uniqueID, m.dialect, err, sourceLine(m.sql, err))
			continue
		}
		c.parsed++
		want, ok := catalogs[m.fixture][m.uniqueID]
		if !ok || len(want) == 0 {
			continue
		}
		got, named := outputNames(q)
		if !named {
			continue
		}
		if why, stale := catalogStale[m.fixture+" "+m.uniqueID]; stale {
			t.Logf("%s %s: not checked against the catalog: %s", m.fixture, m.uniqueID, why)
			continue
		}
		c.checked++
		if !equalFold(got, want) {
			mismatches++
			t.Errorf("%s %s: select list names\n\t%s\nbut the catalog has\n\t%s",
				m.fixture, m.uniqueID, strings.Join(got, ", "), strings.Join(want, ", "))
		}
	}
	var total counts
	for _, f := range fixtures {
		c := perFixture[f]
		t.Logf("%-36s parsed %4d  failed %3d  checked against catalog %4d", f, c.parsed, c.failed, c.checked)
		total.parsed += c.parsed
		total.failed += c.failed
		total.checked += c.checked
	}
	t.Logf("total: %d models parsed, %d failed, %d checked against the catalog, %d mismatches",
		total.parsed, total.failed, total.checked, mismatches)
}

// outputNames are the names of the first branch's select items; named is
// false when one is a star or has no name (an expression without alias).
func outputNames(q *Query) (names []string, named bool) {
	for _, it := range q.Selects[0].Items {
		switch {
		case it.Star != nil:
			return nil, false
		case it.Alias != "":
			names = append(names, it.Alias)
		case it.Expr.Bare:
			parts := it.Expr.Refs[0].Parts
			names = append(names, parts[len(parts)-1])
		default:
			return nil, false
		}
	}
	return names, true
}

func equalFold(a, b []string) bool { return slices.EqualFunc(a, b, strings.EqualFold) }

// sourceLine is the line of sql an error points at.
func sourceLine(sql string, err error) string {
	var se *SyntaxError
	if !errors.As(err, &se) {
		return ""
	}
	lines := strings.Split(sql, "\n")
	if se.Line < 1 || se.Line > len(lines) {
		return ""
	}
	return strings.TrimSpace(lines[se.Line-1])
}

// BenchmarkParse parses the whole corpus; ns/op is per model, MB/s over
// the models' SQL.
func BenchmarkParse(b *testing.B) {
	models := loadCorpus(b)
	var bytes int64
	for _, m := range models {
		bytes += int64(len(m.sql))
	}
	b.SetBytes(bytes / int64(len(models)))
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		m := models[i%len(models)]
		if _, err := Parse(m.sql, m.dialect); err != nil {
			b.Fatalf("%s %s: %v", m.fixture, m.uniqueID, err)
		}
	}
}
