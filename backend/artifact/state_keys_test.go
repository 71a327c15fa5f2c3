package artifact

import (
	"testing"

	"github.com/lineagedesk/lineagedesk/backend"
)

// TestStateKeysIgnoreHowDbtWrites: what state: compares is the same for
// two manifest entries that differ only in how a dbt version writes them
// (key order, null members, dbt 1.9's constraint flags), and differs for
// a real change.
func TestStateKeysIgnoreHowDbtWrites(t *testing.T) {
	keys := func(entry string) backend.StateKeys {
		t.Helper()
		e, err := decodeEntry([]byte(entry), "", "")
		if err != nil || !e.ok {
			t.Fatalf("decode %s: %v", entry, err)
		}
		return e.State
	}
	for _, c := range []struct {
		a, b string
		same bool
	}{
		{`{"unique_id": "model.p.m", "resource_type": "model", "name": "n", "unrendered_config": {"materialized": "table", "internal_package": null, "meta": {"a": 1}}}`,
			`{"unique_id": "model.p.m", "resource_type": "model", "name": "n", "unrendered_config": {"meta": {"a": 1}, "materialized": "table"}}`, true},
		{`{"unique_id": "source.p.s.t", "resource_type": "source", "name": "n", "unrendered_config": {"freshness": {"warn_after": {"count": 1, "period": "day"}, "filter": null}}}`,
			`{"unique_id": "source.p.s.t", "resource_type": "source", "name": "n", "unrendered_config": {"freshness": {"warn_after": {"count": 1, "period": "day"}}}}`, true},
		{`{"unique_id": "model.p.m", "resource_type": "model", "name": "n", "unrendered_config": {"materialized": "table"}}`,
			`{"unique_id": "model.p.m", "resource_type": "model", "name": "n", "unrendered_config": {"materialized": "view"}}`, false},
		// A target's schema is not the model's configured one.
		{`{"unique_id": "model.p.m", "resource_type": "model", "name": "n", "schema": "dev_ann", "unrendered_config": {"schema": "marts"}}`,
			`{"unique_id": "model.p.m", "resource_type": "model", "name": "n", "schema": "prod", "unrendered_config": {"schema": "marts"}}`, true},
		{`{"unique_id": "model.p.m", "resource_type": "model", "name": "n", "config": {"contract": {"enforced": true}, "materialized": "table"}, "constraints": [{"type": "primary_key", "columns": ["id"]}], "columns": {"id": {"name": "id", "data_type": "int", "constraints": [{"type": "not_null"}]}}}`,
			`{"unique_id": "model.p.m", "resource_type": "model", "name": "n", "config": {"materialized": "table", "contract": {"enforced": true}}, "constraints": [{"type": "primary_key", "name": null, "warn_unenforced": false, "warn_unsupported": true, "to_columns": [], "columns": ["id"]}], "columns": {"id": {"name": "id", "data_type": "int", "constraints": [{"type": "not_null", "name": null, "warn_unenforced": true}]}}}`, true},
		{`{"unique_id": "model.p.m", "resource_type": "model", "name": "n", "config": {"contract": {"enforced": true}}, "columns": {"id": {"name": "id", "data_type": "int"}}}`,
			`{"unique_id": "model.p.m", "resource_type": "model", "name": "n", "config": {"contract": {"enforced": true}}, "columns": {"id": {"name": "id", "data_type": "bigint"}}}`, false},
		{`{"unique_id": "exposure.p.e", "resource_type": "exposure", "name": "n", "owner": {"name": "A", "email": "a@x"}, "depends_on": {"nodes": ["model.p.a", "model.p.b"]}}`,
			`{"unique_id": "exposure.p.e", "resource_type": "exposure", "name": "n", "owner": {"email": "a@x", "name": "A"}, "depends_on": {"nodes": ["model.p.b", "model.p.a"]}}`, true},
		{`{"unique_id": "exposure.p.e", "resource_type": "exposure", "name": "n", "depends_on": {"nodes": ["model.p.a"]}}`,
			`{"unique_id": "exposure.p.e", "resource_type": "exposure", "name": "n", "depends_on": {"nodes": ["model.p.a", "model.p.b"]}}`, false},
	} {
		if got := keys(c.a) == keys(c.b); got != c.same {
			t.Errorf("same = %v, want %v:\n%s\n%s\n%+v\n%+v", got, c.same, c.a, c.b, keys(c.a), keys(c.b))
		}
	}
}
