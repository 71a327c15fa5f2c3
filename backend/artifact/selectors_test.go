package artifact_test

import (
	"encoding/json"
	"path/filepath"
	"strings"
	"testing"

	"github.com/lineagedesk/lineagedesk/backend/artifact"
	"github.com/lineagedesk/lineagedesk/backend/artifact/artifacttest"
)

// TestYAMLSelectors: the manifest's selectors map becomes the bundle's
// named selectors, definitions as written; malformed entries are warned
// about and left out, never an error.
func TestYAMLSelectors(t *testing.T) {
	b, err := artifact.Load(t.Context(), artifact.FileSet{Manifest: filepath.Join(artifacttest.Dir(), "bouncer-v12-dbt1.11-duckdb", "manifest.json.gz")})
	if err != nil {
		t.Fatal(err)
	}
	if len(b.Selectors) != 1 || b.Selectors[0].Name != "nodes_to_exclude" || !b.Selectors[0].Default {
		t.Fatalf("selectors %+v, want nodes_to_exclude, default", b.Selectors)
	}
	var def map[string]any
	if err := json.Unmarshal(b.Selectors[0].Definition, &def); err != nil || def["method"] != "package" || def["value"] != "dbt_bouncer_test_project" {
		t.Errorf("definition %s (%v)", b.Selectors[0].Definition, err)
	}

	const head = `{"metadata": {"dbt_schema_version": "https://schemas.getdbt.com/dbt/manifest/v12.json"}, "nodes": {}, `
	m, err := artifact.ParseManifest([]byte(head + `"selectors": {
		"b": {"name": "b", "definition": "tag:nightly", "description": null, "default": "{{ target.name == 'prod' }}"},
		"a": {"name": "a", "definition": {"union": [{"method": "tag", "value": "x"}]}, "description": "A", "default": true},
		"broken": {"name": "broken"},
		"odd": 7}}`))
	if err != nil {
		t.Fatal(err)
	}
	if len(m.Selectors) != 2 || m.Selectors[0].Name != "a" || m.Selectors[0].Description != "A" || !m.Selectors[0].Default ||
		m.Selectors[1].Name != "b" || m.Selectors[1].Default || string(m.Selectors[1].Definition) != `"tag:nightly"` {
		t.Errorf("selectors %+v", m.Selectors)
	}
	if !strings.Contains(strings.Join(m.Warnings, "\n"), "2 YAML selectors have no readable definition and were left out: broken, odd") {
		t.Errorf("warnings %q", m.Warnings)
	}
	m, err = artifact.ParseManifest([]byte(head + `"selectors": [1, 2]}`))
	if err != nil || len(m.Selectors) != 0 || !strings.Contains(strings.Join(m.Warnings, "\n"), `"selectors" are not a JSON object`) {
		t.Errorf("selectors as a list: %v, %+v, %q", err, m, m.Warnings)
	}
}
