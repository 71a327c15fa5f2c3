package artifact

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/lineagedesk/lineagedesk/backend"
	"github.com/lineagedesk/lineagedesk/backend/artifact/artifacttest"
)

// Where dbt wrote relation_name (1.3 and later), writing it again from
// database, schema, identifier and the adapter's quoting gives dbt's text,
// on every adapter among the fixtures: the rule older manifests get.
func TestRelationNameAsDbtRendersIt(t *testing.T) {
	dirs, _ := filepath.Glob(filepath.Join("..", "..", "testdata", "fixtures", "*"))
	compared := map[string]int{} // relation names compared, per adapter
	for _, dir := range dirs {
		path := filepath.Join(dir, "manifest.json.gz")
		if _, err := os.Stat(path); err != nil {
			continue
		}
		var mr *manifestReader
		mr = newManifestReader(path, func(r *backend.Resource) error {
			// dbt-duckdb renders a source with an external_location as
			// that location (read_csv('...')), which is no relation name.
			if r.RelationName == "" || !hasRelation(r) || bytes.Contains(r.Raw, []byte(`"external_location"`)) {
				return nil
			}
			var sourceQuoting, configQuoting []byte
			_ = EachMember(r.Raw, func(k, v []byte) error {
				if string(k) == "quoting" {
					sourceQuoting = v
				}
				return nil
			})
			_ = EachMember(r.Config, func(k, v []byte) error {
				if string(k) == "quoting" {
					configQuoting = v
				}
				return nil
			})
			compared[mr.header.AdapterType]++
			derived := *r
			derived.RelationName = ""
			if got := relationName(&derived, mr.header.AdapterType, configQuoting, sourceQuoting); got != r.RelationName {
				t.Errorf("%s %s: derived %s, dbt wrote %s", filepath.Base(dir), r.UniqueID, got, r.RelationName)
			}
			return nil
		})
		if _, err := mr.read(bytes.NewReader(artifacttest.Gunzip(t, path))); err != nil {
			t.Fatal(err)
		}
	}
	t.Logf("relation names compared per adapter: %v", compared)
	for _, a := range []string{"bigquery", "postgres", "duckdb", "redshift", "snowflake"} {
		if compared[a] == 0 {
			t.Errorf("no %s relation name among the fixtures", a)
		}
	}
}

// dbt 1.0's manifest has no relation_name: the models get dbt's rendering.
func TestRelationNameOfAnOldManifest(t *testing.T) {
	path := filepath.Join("..", "..", "testdata", "fixtures", "jaffle-dap-v4", "manifest.json.gz")
	got := map[string]string{}
	_, err := readManifest(bytes.NewReader(artifacttest.Gunzip(t, path)), path, func(r *backend.Resource) error {
		if r.Enabled {
			got[r.UniqueID] = r.RelationName
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if want := "`your-gcp-project`.`jaffle_shop`.`orders`"; got["model.jaffle_shop.orders"] != want {
		t.Errorf("orders: %q, want %q", got["model.jaffle_shop.orders"], want)
	}
	for id, rel := range got {
		kind, _, _ := strings.Cut(id, ".")
		if rel != "" && kind != "model" && kind != "seed" && kind != "snapshot" && kind != "source" {
			t.Errorf("%s has a relation %s", id, rel)
		}
	}
}
