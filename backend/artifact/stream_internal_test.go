package artifact

import (
	"bytes"
	"path/filepath"
	"reflect"
	"slices"
	"strings"
	"testing"

	"github.com/lineagedesk/lineagedesk/backend"
	"github.com/lineagedesk/lineagedesk/backend/artifact/artifacttest"
)

// readWith reads a manifest through a window of the given chunk and
// returns it with its resources sorted.
func readWith(t *testing.T, data []byte, chunk int) (*Manifest, error) {
	t.Helper()
	var resources []backend.Resource
	mr := newManifestReader("the manifest", func(r *backend.Resource) error {
		resources = append(resources, *r)
		return nil
	})
	mr.chunk = chunk
	m, err := mr.read(bytes.NewReader(data))
	if err != nil {
		return nil, err
	}
	slices.SortFunc(resources, func(a, b backend.Resource) int { return strings.Compare(a.UniqueID, b.UniqueID) })
	m.Resources = resources
	return m, nil
}

func fixtureManifests(t *testing.T) map[string][]byte {
	t.Helper()
	paths, err := filepath.Glob(filepath.Join(artifacttest.Dir(), "*", "manifest.json.gz"))
	if err != nil || len(paths) == 0 {
		t.Fatalf("no fixture manifests: %v", err)
	}
	out := map[string][]byte{}
	for _, p := range paths {
		out[filepath.Base(filepath.Dir(p))] = artifacttest.Gunzip(t, p)
	}
	return out
}

// A value cut by the end of the window at any position reads the same as
// one read whole.
func TestStreamWindowBoundaries(t *testing.T) {
	for name, data := range fixtureManifests(t) {
		want, err := readWith(t, data, streamChunk)
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		for _, chunk := range []int{1, 7, 4093} {
			got, err := readWith(t, data, chunk)
			if err != nil {
				t.Fatalf("%s, chunk %d: %v", name, chunk, err)
			}
			if !reflect.DeepEqual(got, want) {
				t.Fatalf("%s, chunk %d: the manifest reads differently", name, chunk)
			}
		}
	}
}

// A manifest whose metadata is not first (keys sorted by a tool, say) is
// kept whole and reads exactly as one in dbt's order.
func TestStreamMetadataLast(t *testing.T) {
	for name, data := range fixtureManifests(t) {
		want, err := readWith(t, data, streamChunk)
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		sections, err := topLevel(data, name)
		if err != nil {
			t.Fatal(err)
		}
		keys := make([]string, 0, len(sections))
		for k := range sections {
			keys = append(keys, k)
		}
		slices.Sort(keys) // "metadata" after "disabled", "docs", "exposures", "macros"
		var b bytes.Buffer
		b.WriteByte('{')
		for i, k := range keys {
			if i > 0 {
				b.WriteString(", ")
			}
			b.WriteString(`"` + k + `": `)
			b.Write(sections[k])
		}
		b.WriteByte('}')
		got, err := readWith(t, b.Bytes(), 4093)
		if err != nil {
			t.Fatalf("%s, sorted keys: %v", name, err)
		}
		if !reflect.DeepEqual(got, want) {
			t.Fatalf("%s: sorted keys read differently", name)
		}
	}
}

// A manifest cut anywhere is refused as truncated, whatever was emitted
// before the cut.
func TestStreamTruncated(t *testing.T) {
	data := fixtureManifests(t)["bouncer-v12-dbt1.11-duckdb"]
	for _, cut := range []int{1, len(data) / 3, len(data) / 2, len(data) - 2} {
		_, err := readWith(t, data[:cut], 997)
		if backend.ErrorCode(err) != backend.EINVALID || !strings.Contains(err.Error(), "truncated") {
			t.Fatalf("cut at %d of %d: %v", cut, len(data), err)
		}
	}
}

// A syntax error late in the file wins over a malformed section met
// before it, as when the file was validated whole first.
func TestStreamSyntaxErrorWins(t *testing.T) {
	data := []byte(`{"metadata": {"dbt_schema_version": "https://schemas.getdbt.com/dbt/manifest/v12.json"}, "nodes": [], "macros": {"m": {"unique_id": "macro.x"}}, "docs": {x}}`)
	_, err := readWith(t, data, 16)
	if err == nil || !strings.Contains(err.Error(), "is not valid JSON") {
		t.Fatalf("got %v, want the syntax error", err)
	}
	_, err = readWith(t, []byte(strings.Replace(string(data), "{x}", "{}", 1)), 16)
	if err == nil || !strings.Contains(err.Error(), `its "nodes" map is malformed`) {
		t.Fatalf("got %v, want the malformed nodes map", err)
	}
}

// FuzzStreamWindow checks that a manifest reads the same (resources,
// header, warnings, or the same error) through a tiny window, where every
// value is cut by the window's end somewhere, as through a large one.
func FuzzStreamWindow(f *testing.F) {
	f.Add([]byte(`{"metadata": {"dbt_schema_version": "https://schemas.getdbt.com/dbt/manifest/v12.json"}, "nodes": {"model.a.b": {"unique_id": "model.a.b", "resource_type": "model", "depends_on": {"nodes": ["source.a.s.t"]}}}, "sources": {"source.a.s.t": {"unique_id": "source.a.s.t", "name": "t"}}, "disabled": {"x": [{"unique_id": "x"}]}}`))
	f.Add([]byte(`{"nodes": {"a": 12345}, "metadata": {"dbt_schema_version": "manifest/v3.json"}, "macros": {}}`))
	f.Add([]byte(`{"metadata": {"dbt_schema_version": "manifest/v12.json"}, "nodes": {"t": {"unique_id": "test.x", "resource_type": "test", "depends_on": {"nodes": ["model.a", "model.b"]}, "test_metadata": {"kwargs": {"model": "{{ ref('a') }}"}}}, "a": {"unique_id": "model.a", "name": "a"}}} `))
	f.Fuzz(func(t *testing.T, data []byte) {
		want, wantErr := readWith(t, data, streamChunk)
		got, gotErr := readWith(t, data, 3)
		if (wantErr == nil) != (gotErr == nil) || wantErr != nil && wantErr.Error() != gotErr.Error() {
			t.Fatalf("errors differ: %v / %v", wantErr, gotErr)
		}
		if !reflect.DeepEqual(got, want) {
			t.Fatalf("the manifest reads differently through a small window")
		}
	})
}

// A value larger than the window may grow to is refused, naming the file
// and where, not read into memory whole (QA: a gzip bomb of one 4 GB
// string took 14.7 GB); values up to it read as before.
func TestStreamRefusesAValueTooLarge(t *testing.T) {
	huge := `{"metadata": {"dbt_schema_version": "https://schemas.getdbt.com/dbt/manifest/v12.json", "project_name": "p"}, "nodes": {"model.p.a": {"unique_id": "model.p.a", "resource_type": "model", "name": "a", "package_name": "p", "description": "` +
		strings.Repeat("A", 64<<10) + `"}}}`
	read := func(maxValue int) error {
		mr := newManifestReader("the manifest", func(*backend.Resource) error { return nil })
		mr.chunk, mr.maxValue = 1024, maxValue
		_, err := mr.read(strings.NewReader(huge))
		return err
	}
	err := read(16 << 10)
	if backend.ErrorCode(err) != backend.EINVALID || !strings.Contains(err.Error(), "the manifest holds a value at byte") || !strings.Contains(err.Error(), "larger than 16384 bytes") {
		t.Fatalf("a 64 kB value with a 16 kB limit: %v", err)
	}
	if err := read(1 << 20); err != nil {
		t.Fatalf("a 64 kB value with a 1 MB limit: %v", err)
	}
}
