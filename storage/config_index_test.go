package storage

import (
	"bytes"
	"reflect"
	"slices"
	"testing"
)

// TestConfigIndexFromRowsMatchesImport: the config index a snapshot stored
// before there was one gets from its rows is byte for byte the one its
// import writes, on projects from dbt 0.19 to 1.12 and Fusion, with
// disabled nodes, sources, seeds, snapshots, tests and unit tests.
func TestConfigIndexFromRowsMatchesImport(t *testing.T) {
	s := openInternal(t)
	datasets := rebuiltDatasets()
	for i, id := range saveDatasets(t, s, datasets...) {
		stored, format := storedBlob(t, s, "snapshot_configs", "configs", id)
		built, err := s.buildConfigIndex(t.Context(), id)
		if err != nil {
			t.Fatal(err)
		}
		if format != configIndexFormat || !bytes.Equal(built, stored) {
			t.Errorf("%s: format %d, built from the rows %d bytes, imported %d bytes", datasets[i], format, len(built), len(stored))
		}
		ci, err := readConfigIndex(stored)
		if err != nil {
			t.Fatal(err)
		}
		var nodes int
		if err := s.reader.QueryRow(`SELECT count(*) FROM resources WHERE snapshot_id = ? AND `+isGraphNode, id).Scan(&nodes); err != nil {
			t.Fatal(err)
		}
		if ci.nodes != nodes || len(ci.members) == 0 {
			t.Errorf("%s: %d nodes and %d members in the index, %d lineage nodes", datasets[i], ci.nodes, len(ci.members), nodes)
		}
	}
}

// TestConfigIndexBuiltForOlderSnapshots: a snapshot without a config
// index (stored before there was one), or with a damaged or older one,
// answers config.<key>: as it did, and gets the index stored.
func TestConfigIndexBuiltForOlderSnapshots(t *testing.T) {
	s := openInternal(t)
	id := saveDatasets(t, s, "bouncer-v12-dbt1.12-duckdb")[0]
	g, err := s.Graph(t.Context(), id)
	if err != nil {
		t.Fatal(err)
	}
	ids := nodeIDs(g.Nodes)
	want, err := s.ConfigValues(t.Context(), id, []string{"materialized"}, ids)
	if err != nil || len(want) != len(ids) || slices.Index(want, "view") < 0 {
		t.Fatalf("%d values, %v", len(want), err)
	}
	for _, damage := range []string{
		`DELETE FROM snapshot_configs WHERE snapshot_id = ?`,
		`UPDATE snapshot_configs SET configs = x'05' WHERE snapshot_id = ?`,
		`UPDATE snapshot_configs SET format = 0, configs = x'00' WHERE snapshot_id = ?`,
	} {
		if _, err := s.writer.Exec(damage, id); err != nil {
			t.Fatal(err)
		}
		got, err := s.ConfigValues(t.Context(), id, []string{"materialized"}, ids)
		if err != nil || !reflect.DeepEqual(got, want) {
			t.Errorf("after %s: %d values, %v", damage, len(got), err)
		}
		stored, format := storedBlob(t, s, "snapshot_configs", "configs", id)
		if _, err := readConfigIndex(stored); err != nil || format != configIndexFormat {
			t.Errorf("after %s: stored format %d, %v", damage, format, err)
		}
	}
}

// configIndexSample indexes nodes with a repeated key, a nested object, a
// config that is not an object, two texts with the same members, a type
// config.<key>: does not read and a node without a config.
func configIndexSample() []byte {
	var c configCollector
	c.add("model.p.b", "model", []byte(`{"schema": "x", "tags": ["a", "b"], "meta": {"owner": "kim", "n": 2}, "schema": "y"}`))
	c.add("model.p.a", "model", []byte(`{"schema": "x", "materialized": "view", "enabled": true, "meta": {}}`))
	c.add("seed.p.c", "seed", []byte(`null`))
	c.add("test.p.t", "test", []byte(`{"severity": "WARN", "schema": null}`))
	c.add("source.p.s.t", "source", []byte(`{"schema":"x","enabled":false}`))
	c.add("source.p.s.u", "source", []byte(`{"schema": "x",  "enabled": false}`))
	c.add("exposure.p.e", "exposure", []byte(`{"schema": "x"}`))
	return c.encode([]string{"exposure.p.e", "model.p.a", "model.p.b", "model.p.none", "seed.p.c", "source.p.s.t", "source.p.s.u", "test.p.t"})
}

func TestConfigIndexValues(t *testing.T) {
	blob := configIndexSample()
	// Asked for some of the indexed nodes and one it does not hold.
	ids := []string{"model.p.a", "model.p.b", "model.p.none", "model.p.zzz", "source.p.s.t", "source.p.s.u", "test.p.t"}
	for _, tc := range []struct {
		path []string
		want []any // per id
	}{
		// The last of repeated keys wins, as in encoding/json; null holds nothing.
		{[]string{"schema"}, []any{"x", "y", nil, nil, "x", "x", nil}},
		{[]string{"tags"}, []any{nil, []any{"a", "b"}, nil, nil, nil, nil, nil}},
		{[]string{"meta", "owner"}, []any{nil, "kim", nil, nil, nil, nil, nil}},
		{[]string{"meta", "n"}, []any{nil, float64(2), nil, nil, nil, nil, nil}},
		{[]string{"meta"}, make([]any, 7)}, // objects never match
		{[]string{"enabled"}, []any{true, nil, nil, nil, false, false, nil}},
		{[]string{"severity"}, []any{nil, nil, nil, nil, nil, nil, "WARN"}},
		{[]string{"schema", "x"}, make([]any, 7)},
		{[]string{"nope"}, make([]any, 7)},
	} {
		ci, err := readConfigIndex(blob)
		if err != nil {
			t.Fatal(err)
		}
		got, err := ci.forIDs(ci.valuesAt(tc.path), ids)
		if err != nil || !reflect.DeepEqual(got, tc.want) {
			t.Errorf("%v: got %v, %v; want %v", tc.path, got, err, tc.want)
		}
	}
	// The exposure's config is not indexed: config.<key>: does not read it.
	ci, _ := readConfigIndex(blob)
	if got, err := ci.forIDs(ci.valuesAt([]string{"schema"}), []string{"exposure.p.e"}); err != nil || got[0] != nil {
		t.Errorf("the exposure's schema: %v, %v", got, err)
	}
	for n := range len(blob) {
		ci, err := readConfigIndex(blob[:n])
		if err == nil {
			_, err = ci.forIDs(ci.valuesAt([]string{"schema"}), ids)
		}
		if err == nil {
			t.Errorf("a blob cut at %d of %d bytes decoded", n, len(blob))
		}
	}
}

// FuzzConfigIndex: a stored config index, however damaged, answers or
// fails; it never panics (ConfigValues then builds it again).
func FuzzConfigIndex(f *testing.F) {
	f.Add(configIndexSample(), "schema")
	f.Add([]byte{}, "meta.owner")
	f.Fuzz(func(t *testing.T, blob []byte, key string) {
		ci, err := readConfigIndex(blob)
		if err != nil || key == "" {
			return
		}
		positions, err := ci.positions(make([]bool, len(ci.configs)))
		if err == nil && len(positions) != 0 {
			t.Errorf("%d positions match nothing", len(positions))
		}
		_, _ = ci.forIDs(ci.valuesAt([]string{key}), []string{"model.p.a", "model.p.b"})
	})
}
