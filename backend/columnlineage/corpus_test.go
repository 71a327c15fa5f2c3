package columnlineage_test

import (
	"cmp"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/lineagedesk/lineagedesk/backend"
	"github.com/lineagedesk/lineagedesk/backend/artifact"
	"github.com/lineagedesk/lineagedesk/backend/columnlineage"
	"github.com/lineagedesk/lineagedesk/backend/sqlparse"
)

const fixtures = "../../testdata/fixtures"

// staleCatalog are models whose catalog.json is older than their SQL: the
// warehouse's columns differ from what the SQL selects.
var staleCatalog = map[string]bool{
	// select 1 as id, 'Anna' as name; the catalog lists id only.
	"bouncer-v10-dbt1.6-duckdb model.dbt_bouncer_test_project.int_model_1": true,
	// The SQL selects gender and code_type; the catalog has GENDER_CODE and no CODE_TYPE.
	"tuva-v3-dbt0.21 model.tuva.patients":   true,
	"tuva-v3-dbt0.21 model.tuva.diagnoses":  true,
	"tuva-v3-dbt0.21 model.tuva.procedures": true,
}

// codeNodes turns a parsed project into what column lineage reads, as the
// store gives it: columns in warehouse order.
func codeNodes(b *backend.Bundle) map[string]backend.CodeNode {
	out := map[string]backend.CodeNode{}
	for _, r := range b.Resources {
		if !r.Enabled {
			continue
		}
		cols := slices.Clone(r.Columns)
		slices.SortStableFunc(cols, func(x, y backend.Column) int {
			return cmp.Or(cmp.Compare(unindexed(x), unindexed(y)), cmp.Compare(x.Index, y.Index), cmp.Compare(x.Name, y.Name))
		})
		n := backend.CodeNode{UniqueID: r.UniqueID, ResourceType: r.ResourceType, Name: r.Name, Database: r.Database,
			Schema: r.Schema, Identifier: r.Identifier, RelationName: r.RelationName, Materialized: r.Materialized,
			Language: r.Language, CompiledCode: r.CompiledCode, DependsOn: r.DependsOn}
		for _, c := range cols {
			n.Columns = append(n.Columns, backend.CodeColumn{Name: c.Name, Type: c.CatalogType, InCatalog: c.InCatalog})
		}
		out[r.UniqueID] = n
	}
	return out
}

func hasColumn(n backend.CodeNode, name string) bool {
	return slices.ContainsFunc(n.Columns, func(c backend.CodeColumn) bool { return strings.EqualFold(c.Name, name) })
}

// catalogued lists the nodes the catalog has columns of: the columns the
// warehouse has, where the YAML documents some (or stale ones).
func catalogued(b *backend.Bundle) map[string]bool {
	out := map[string]bool{}
	for _, r := range b.Resources {
		if slices.ContainsFunc(r.Columns, func(c backend.Column) bool { return c.InCatalog }) {
			out[r.UniqueID] = true
		}
	}
	return out
}

// TestRealProjects reads every SQL model of the real projects with a
// catalog and checks what it finds against the catalog, which the
// warehouse wrote: each column the SQL produces is a column the model has,
// each column it names as a source is a column of that parent, and every
// source is one of the model's parents. It logs how much of the projects'
// columns it traced.
func TestRealProjects(t *testing.T) {
	dirs, err := filepath.Glob(filepath.Join(fixtures, "*"))
	if err != nil {
		t.Fatal(err)
	}
	total := struct{ models, columns, traced, unresolved int }{}
	for _, dir := range dirs {
		if _, err := os.Stat(filepath.Join(dir, "catalog.json.gz")); err != nil {
			continue
		}
		if _, err := os.Stat(filepath.Join(dir, "manifest.json.gz")); err != nil {
			continue
		}
		files, err := artifact.Discover([]string{dir})
		if err != nil {
			t.Fatal(err)
		}
		b, err := artifact.Load(t.Context(), files)
		if err != nil {
			t.Fatal(err)
		}
		nodes, inCatalog := codeNodes(b), catalogued(b)
		dialect := sqlparse.DialectOf(b.Meta.AdapterType)
		name := filepath.Base(dir)
		for _, n := range nodes {
			if n.ResourceType != "model" && n.ResourceType != "snapshot" || n.CompiledCode == "" || n.Language == "python" {
				continue
			}
			var parents []backend.CodeNode
			for _, p := range n.DependsOn {
				if pn, ok := nodes[p]; ok {
					parents = append(parents, pn)
				}
			}
			nc := columnlineage.Analyze(n, parents, dialect)
			if nc.Problem != "" {
				t.Errorf("%s %s: %s", name, n.UniqueID, nc.Problem)
				continue
			}
			total.models++
			for _, c := range nc.Columns {
				if inCatalog[n.UniqueID] && !hasColumn(n, c.Name) && !staleCatalog[name+" "+n.UniqueID] {
					t.Errorf("%s %s: the SQL makes a column %q the catalog does not list (%v)", name, n.UniqueID, c.Name, n.Columns)
				}
				for _, s := range c.Sources {
					if s.Node == "" {
						continue
					}
					if !slices.Contains(n.DependsOn, s.Node) {
						t.Errorf("%s %s.%s: source %s is not a parent", name, n.UniqueID, c.Name, s.Node)
					} else if p := nodes[s.Node]; inCatalog[s.Node] && !hasColumn(p, s.Column) {
						t.Errorf("%s %s.%s: source %s has no column %q (%v)", name, n.UniqueID, c.Name, s.Node, s.Column, p.Columns)
					}
				}
			}
			for _, c := range n.Columns {
				if !inCatalog[n.UniqueID] {
					break
				}
				total.columns++
				i := slices.IndexFunc(nc.Columns, func(o backend.OutputColumn) bool { return strings.EqualFold(o.Name, c.Name) })
				switch {
				case i < 0:
				case len(nc.Columns[i].Sources) > 0:
					total.traced++
				case len(nc.Columns[i].Unresolved) > 0:
					total.unresolved++
				}
			}
		}
	}
	t.Logf("%d models; of their %d catalog columns %d traced to a source, %d read names not found",
		total.models, total.columns, total.traced, total.unresolved)
	if total.models < 1000 {
		t.Fatalf("only %d models read: the fixtures are missing", total.models)
	}
}

func unindexed(c backend.Column) int {
	if c.Index == 0 {
		return 1
	}
	return 0
}

// BenchmarkAnalyze reads every SQL model of the real projects (parse and
// resolve), the work a trace does per node it reaches.
func BenchmarkAnalyze(b *testing.B) {
	type model struct {
		node    backend.CodeNode
		parents []backend.CodeNode
		dialect sqlparse.Dialect
	}
	var models []model
	bytes := 0
	dirs, err := filepath.Glob(filepath.Join(fixtures, "*"))
	if err != nil {
		b.Fatal(err)
	}
	for _, dir := range dirs {
		files, err := artifact.Discover([]string{dir})
		if err != nil {
			continue // no manifest
		}
		bundle, err := artifact.Load(b.Context(), files)
		if err != nil {
			continue
		}
		nodes := codeNodes(bundle)
		for _, n := range nodes {
			if n.ResourceType != "model" || n.CompiledCode == "" {
				continue
			}
			m := model{node: n, dialect: sqlparse.DialectOf(bundle.Meta.AdapterType)}
			for _, p := range n.DependsOn {
				m.parents = append(m.parents, nodes[p])
			}
			models = append(models, m)
			bytes += len(n.CompiledCode)
		}
	}
	b.SetBytes(int64(bytes))
	b.ResetTimer()
	for b.Loop() {
		for _, m := range models {
			columnlineage.Analyze(m.node, m.parents, m.dialect)
		}
	}
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N*len(models))/1000, "us/model")
	b.ReportMetric(float64(len(models)), "models")
}
