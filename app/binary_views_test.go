package app_test

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestBinaryViews drives saved views through the binary: a picture saved
// with --save-view is the one --view draws, flags given with --view change
// it, and a view travels to another store as a file. And impact, on the
// same store.
func TestBinaryViews(t *testing.T) {
	dir := t.TempDir()
	bin := buildBinary(t)
	c := cli{t: t, bin: bin, db: filepath.Join(dir, "v.db"), env: []string{"XDG_CONFIG_HOME=" + dir}}
	if _, stderr, code := c.run("", "import", filepath.Join(fixtures, "bouncer-build-v12-dbt1.11-duckdb")); code != 0 {
		t.Fatalf("import: exit %d: %s", code, stderr)
	}
	saved, stderr, code := c.run("", "lineage", "-s", "+orders", "--group-by", "schema", "--open", "dbt.main_marts", "--lens", "runs", "--format", "dot", "--save-view", "Orders' inputs")
	if code != 0 || !strings.Contains(stderr, `saved view "Orders' inputs" of project dbt_bouncer_test_project`) {
		t.Fatalf("lineage --save-view: exit %d: %s", code, stderr)
	}
	out, _, code := c.run("", "views")
	if code != 0 || !strings.Contains(out, "Orders' inputs") || !strings.Contains(out, "grouped by schema (1 open), runs lens") {
		t.Errorf("views: exit %d:\n%s", code, out)
	}
	drawn, stderr, code := c.run("", "lineage", "--view", "Orders' inputs", "--format", "dot")
	if code != 0 || drawn != saved {
		t.Errorf("lineage --view draws another picture than the one saved (exit %d: %s)", code, stderr)
	}
	// A flag given with --view changes that part of the view only.
	ungrouped, _, code := c.run("", "lineage", "--view", "Orders' inputs", "--group-by", "none", "--format", "json")
	plain, _, _ := c.run("", "lineage", "-s", "+orders", "--lens", "runs", "--format", "json")
	if code != 0 || ungrouped != plain {
		t.Errorf("--view with --group-by none: exit %d, not the view's selection ungrouped", code)
	}
	if _, stderr, code := c.run("", "lineage", "--view", "Ordres"); code == 0 || !strings.Contains(stderr, `no view named "Ordres"`) || !strings.Contains(stderr, `"Orders' inputs"`) {
		t.Errorf("--view of a name not saved: exit %d: %s", code, stderr)
	}

	// To another store, as a file.
	file := filepath.Join(dir, "orders.view.json")
	if _, stderr, code := c.run("", "view-file", "Orders' inputs", "-o", file); code != 0 {
		t.Fatalf("view-file: exit %d: %s", code, stderr)
	}
	other := cli{t: t, bin: bin, db: filepath.Join(dir, "other.db"), env: c.env}
	if _, stderr, code := other.run("", "import", filepath.Join(fixtures, "bouncer-v12-dbt1.10-duckdb")); code != 0 {
		t.Fatalf("import: exit %d: %s", code, stderr)
	}
	if out, stderr, code := other.run("", "import-view", file); code != 0 || !strings.Contains(out, `Imported view "Orders' inputs" of project dbt_bouncer_test_project`) {
		t.Errorf("import-view: exit %d: %s%s", code, out, stderr)
	}
	if _, stderr, code := other.run("", "lineage", "--view", "Orders' inputs", "-o", filepath.Join(dir, "o.svg")); code != 0 {
		t.Errorf("the imported view does not draw: exit %d: %s", code, stderr)
	}
	os.WriteFile(filepath.Join(dir, "bad.json"), []byte(`{"select": "x"}`), 0o644)
	if _, stderr, code := other.run("", "import-view", filepath.Join(dir, "bad.json")); code == 0 || !strings.Contains(stderr, "bad.json") || !strings.Contains(stderr, "lineagedesk_view") {
		t.Errorf("import-view of a file that is no view file: exit %d: %s", code, stderr)
	}

	// impact, by name, in words.
	if out, stderr, code := c.run("", "impact", "stg_orders"); code != 0 || !strings.Contains(out, "model.dbt_bouncer_test_project.stg_orders (snapshot #1)") ||
		!strings.Contains(out, "downstream: 7 nodes (4 model, 2 exposure, 1 semantic_model), 24 tests") || !strings.Contains(out, "exposure.dbt_bouncer_test_project.Pulse queries") {
		t.Errorf("impact: exit %d: %s%s", code, out, stderr)
	}
	if out, _, code := c.run("", "delete-view", "Orders' inputs"); code != 0 || !strings.Contains(out, "Deleted view") {
		t.Errorf("delete-view: exit %d: %s", code, out)
	}
	if out, _, code := c.run("", "views"); code != 0 || !strings.Contains(out, "no saved views") {
		t.Errorf("views after the delete: exit %d: %s", code, out)
	}
}
