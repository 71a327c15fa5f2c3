package storage_test

import (
	"encoding/json"
	"reflect"
	"strings"
	"testing"

	"github.com/lineagedesk/lineagedesk/backend"
)

// TestConfigValues reads every config key the fixture's resources hold
// (and meta's keys, as config.meta.<key>) out of the store and compares
// it with the imported configs decoded here: only enabled nodes and
// sources (the resources dbt's config method reads that are in the
// lineage), and no nulls or objects.
func TestConfigValues(t *testing.T) {
	for _, dataset := range []string{"bouncer-build-v12-dbt1.11-duckdb", "tuva-v7-dbt1.3"} {
		t.Run(dataset, func(t *testing.T) {
			s, _, snap, b := saveFixture(t, dataset)
			g, err := s.Graph(t.Context(), snap.ID)
			if err != nil {
				t.Fatal(err)
			}
			ids := make([]string, 0, len(g.Nodes)+1)
			for _, n := range g.Nodes {
				ids = append(ids, n.UniqueID)
			}
			ids = append(ids, "~ not a node") // sorts last
			configs := map[string]map[string]any{}
			paths := map[string][]string{"nope": {"nope"}, `a"b`: {`a"b`}, "schema.x": {"schema", "x"}}
			for _, r := range b.Resources {
				if !r.Enabled {
					continue
				}
				switch r.ResourceType {
				case backend.TypeExposure, backend.TypeMetric, backend.TypeSemanticModel, backend.TypeSavedQuery,
					backend.TypeUnitTest, backend.TypeMacro, backend.TypeDoc, backend.TypeGroup:
					continue
				}
				var cfg map[string]any
				if err := json.Unmarshal(r.Config, &cfg); err != nil || cfg == nil {
					continue
				}
				configs[r.UniqueID] = cfg
				for k := range cfg {
					paths[k] = []string{k}
				}
				meta, _ := cfg["meta"].(map[string]any)
				for k := range meta {
					paths["meta."+k] = []string{"meta", k}
				}
			}
			if len(paths) < 10 {
				t.Fatalf("only %d config keys", len(paths))
			}
			for name, path := range paths {
				want := map[string]any{}
				for id, cfg := range configs {
					var v any = cfg
					for _, key := range path {
						m, _ := v.(map[string]any)
						v = m[key]
					}
					if _, isObject := v.(map[string]any); v != nil && !isObject {
						want[id] = v
					}
				}
				values, err := s.ConfigValues(t.Context(), snap.ID, path, ids)
				if err != nil {
					t.Fatalf("config.%s: %v", name, err)
				}
				got := map[string]any{}
				for i, v := range values {
					if v != nil {
						got[ids[i]] = v
					}
				}
				if !reflect.DeepEqual(got, want) {
					t.Errorf("config.%s: %d values, want %d\n got %v\nwant %v", name, len(got), len(want), clipMap(got), clipMap(want))
				}
			}
		})
	}
}

func clipMap(m map[string]any) string {
	var b strings.Builder
	for id, v := range m {
		if b.Len() > 300 {
			b.WriteString("...")
			break
		}
		b.WriteString(id)
		b.WriteString("=")
		j, _ := json.Marshal(v)
		b.Write(j)
		b.WriteString(" ")
	}
	return b.String()
}
