package storage

import (
	"bytes"
	"context"
	"fmt"
	"path/filepath"
	"reflect"
	"sync/atomic"
	"testing"
	"time"

	"github.com/lineagedesk/lineagedesk/backend"
	"github.com/lineagedesk/lineagedesk/backend/artifact"
	"github.com/lineagedesk/lineagedesk/backend/artifact/artifacttest"
)

// openInternal opens a store in a temporary directory, closed when the
// test ends.
func openInternal(t *testing.T) *Store {
	t.Helper()
	s, err := Open(t.Context(), filepath.Join(t.TempDir(), "s.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	return s
}

// loadDataset parses a fixture dataset (testdata/fixtures) into a bundle.
func loadDataset(t *testing.T, dataset string) *backend.Bundle {
	t.Helper()
	files, err := artifact.Discover([]string{filepath.Join(artifacttest.Dir(), dataset)})
	if err != nil {
		t.Fatal(err)
	}
	b, err := artifact.Load(t.Context(), files)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// saveDatasets imports each fixture dataset into s, one snapshot each.
func saveDatasets(t *testing.T, s *Store, datasets ...string) []int64 {
	t.Helper()
	var ids []int64
	for _, dataset := range datasets {
		snap, err := s.SaveSnapshot(t.Context(), backend.NewSnapshot{Name: dataset, Origin: backend.Origin{Kind: backend.OriginPath}, Bundle: loadDataset(t, dataset)})
		if err != nil {
			t.Fatal(err)
		}
		ids = append(ids, snap.ID)
	}
	return ids
}

// rebuiltDatasets are the projects, from dbt 0.19 to 1.12 and Fusion, on
// which a per-snapshot blob built again from the stored rows is checked
// against the one the import wrote.
func rebuiltDatasets() []string {
	return []string{"bouncer-v12-dbt1.12-duckdb", "bouncer-v12-fusion2.0-duckdb", "hubspot-v12-dbt1.11-postgres",
		"jaffle-dap-v12-1.11", "hubspot-v1-dbt0.19-bigquery", "tuva-v2-dbt0.20", "dbtcore-state-v7"}
}

// storedBlob reads a snapshot's blob and its format from table's column.
func storedBlob(t *testing.T, s *Store, table, column string, id int64) ([]byte, int) {
	t.Helper()
	var blob []byte
	var format int
	if err := s.reader.QueryRow(`SELECT `+column+`, format FROM `+table+` WHERE snapshot_id = ?`, id).Scan(&blob, &format); err != nil {
		t.Fatalf("%s of snapshot %d: %v", table, id, err)
	}
	return blob, format
}

// TestDigestsFromStoredResourcesMatchImport: the digests a snapshot gets
// when it is compared after being stored without them (built from its
// stored manifest entries) are byte for byte those its import writes, on
// projects with contracts, persisted descriptions, semantic models, saved
// queries, unit tests and exposures, from dbt 0.19 to 1.12 and Fusion.
func TestDigestsFromStoredResourcesMatchImport(t *testing.T) {
	s := openInternal(t)
	datasets := rebuiltDatasets()
	for i, id := range saveDatasets(t, s, datasets...) {
		stored, format := storedBlob(t, s, "snapshot_digests", "digests", id)
		built, err := s.buildDigests(t.Context(), id)
		if err != nil {
			t.Fatal(err)
		}
		if format != digestFormat || !bytes.Equal(built, stored) {
			d1, _ := decodeDigests(stored)
			d2, _ := decodeDigests(built)
			for j := range min(len(d1.nodes), len(d2.nodes)) {
				if !reflect.DeepEqual(d1.nodes[j], d2.nodes[j]) {
					t.Errorf("%s: first difference: imported %+v, built %+v", datasets[i], d1.nodes[j], d2.nodes[j])
					break
				}
			}
			t.Errorf("%s: format %d, built from the rows %d bytes, imported %d bytes", datasets[i], format, len(built), len(stored))
		}
	}
}

// TestStateChangesAcrossDbtVersions compares two versions of a real
// project (the dbt-bouncer test project under dbt 1.8 and 1.12): every
// kind of change shows, and what dbt 1.12 merely writes differently does
// not. Then the later snapshot's digests are made
// an older format: the comparison builds them again, gives the same
// answer and stores them in this format.
func TestStateChangesAcrossDbtVersions(t *testing.T) {
	s := openInternal(t)
	ids := saveDatasets(t, s, "bouncer-v12-dbt1.8-duckdb", "bouncer-v12-dbt1.12-duckdb")
	changes, err := s.StateChanges(t.Context(), ids[1], ids[0])
	if err != nil {
		t.Fatal(err)
	}
	kinds := map[string]int{}
	for _, c := range changes {
		for kind, on := range map[string]bool{"new": c.New, "body": c.Body, "configs": c.Configs, "relation": c.Relation,
			"macros": c.Macros, "contract": c.Contract, "properties": c.Properties} {
			if on {
				kinds[kind]++
			}
		}
	}
	t.Logf("1.12 against 1.8: %v", kinds)
	// Only orders' contract changed (its columns were renamed); dbt 1.12
	// writes every constraint with defaults 1.8 left out, and the
	// customers versions' contracts differ by those alone.
	var contracts []string
	for id, c := range changes {
		if c.Contract {
			contracts = append(contracts, id)
		}
	}
	if len(contracts) != 1 || contracts[0] != "model.dbt_bouncer_test_project.orders" {
		t.Errorf("contracts changed: %v, want only orders'", contracts)
	}
	if len(kinds) < 7 {
		t.Errorf("changes %v; the test needs every kind", kinds)
	}
	if _, err := s.writer.Exec(`UPDATE snapshot_digests SET format = 1, digests = x'00' WHERE snapshot_id = ?`, ids[1]); err != nil {
		t.Fatal(err)
	}
	again, err := s.StateChanges(t.Context(), ids[1], ids[0])
	if err != nil || !reflect.DeepEqual(again, changes) {
		t.Errorf("from rebuilt digests: %v, %v", again, err)
	}
	var format int
	if err := s.reader.QueryRow(`SELECT format FROM snapshot_digests WHERE snapshot_id = ?`, ids[1]).Scan(&format); err != nil || format != digestFormat {
		t.Errorf("the rebuilt digests are stored as format %d, %v", format, err)
	}
}

// TestDigestsRoundTripAndTruncation: digests decode to what was encoded,
// sorted, with macro calls by unique_id (a call to a macro the snapshot
// lacks is dropped); every truncation of the blob is an error, never a
// panic.
func TestDigestsRoundTripAndTruncation(t *testing.T) {
	var in snapshotDigests
	in.nodes = []nodeDigest{{id: "model.p.b", code: 1, config: 2, relation: 3, fqn: 7, columnDocs: 8, properties: 9,
		persist: persistColumnDocs, calls: in.calls([]string{"macro.p.m", "macro.dbt.gone"})},
		{id: "model.p.a", checksum: 4, description: 10, contract: 11, persist: persistRelationDocs | persistColumnDocs}, {id: "seed.p.c"}}
	in.macros = []macroDigest{{id: "macro.p.m", code: 5, calls: in.calls([]string{"macro.p.a"})}, {id: "macro.p.a", code: 6}}
	blob := in.encode()
	got, err := decodeDigests(blob)
	want := snapshotDigests{
		nodes: []nodeDigest{{id: "model.p.a", checksum: 4, description: 10, contract: 11, persist: persistRelationDocs | persistColumnDocs},
			{id: "model.p.b", code: 1, config: 2, relation: 3, fqn: 7, columnDocs: 8, properties: 9, persist: persistColumnDocs, macros: []string{"macro.p.m"}},
			{id: "seed.p.c"}},
		macros: []macroDigest{{id: "macro.p.a", code: 6}, {id: "macro.p.m", code: 5, macros: []string{"macro.p.a"}}},
	}
	if err != nil || !reflect.DeepEqual(got, want) {
		t.Fatalf("round trip:\n got %+v, %v\nwant %+v", got, err, want)
	}
	for n := range len(blob) {
		if _, err := decodeDigests(blob[:n]); err == nil {
			t.Errorf("a blob cut at %d of %d bytes decoded", n, len(blob))
		}
	}
}

// FuzzDecodeDigests: a stored digest blob, however damaged, decodes or
// fails; it never panics (StateChanges then builds the digests again).
func FuzzDecodeDigests(f *testing.F) {
	var d snapshotDigests
	d.nodes = []nodeDigest{{id: "model.p.b", code: 1, fqn: 7, persist: persistColumnDocs, calls: d.calls([]string{"macro.p.m"})}, {id: "seed.p.c", contract: 3}}
	d.macros = []macroDigest{{id: "macro.p.m", code: 5}}
	f.Add(d.encode())
	f.Add([]byte{})
	f.Fuzz(func(t *testing.T, blob []byte) {
		if got, err := decodeDigests(blob); err == nil && len(got.nodes) > len(blob) {
			t.Errorf("%d nodes from %d bytes", len(got.nodes), len(blob))
		}
	})
}

// TestDigestBuildsRunOnce: callers asking for the same snapshot's digests
// while they are built wait for that one build; a caller that gives up
// returns at once and the build still finishes.
func TestDigestBuildsRunOnce(t *testing.T) {
	var b digestBuilds
	var builds atomic.Int32
	release := make(chan struct{})
	build := func(context.Context) ([]byte, error) {
		builds.Add(1)
		<-release
		return []byte("digests"), nil
	}
	gaveUp, cancel := context.WithCancel(t.Context())
	results := make(chan string, 3)
	for range 3 {
		go func() {
			blob, err := b.do(t.Context(), 7, build)
			results <- fmt.Sprintf("%s %v", blob, err)
		}()
	}
	abandoned := make(chan error, 1)
	go func() {
		_, err := b.do(gaveUp, 7, build)
		abandoned <- err
	}()
	// Every caller has joined the build before it may finish.
	for deadline := time.Now().Add(10 * time.Second); ; time.Sleep(time.Millisecond) {
		b.mu.Lock()
		joined := 0
		if c := b.underway[7]; c != nil {
			joined = c.callers
		}
		b.mu.Unlock()
		if joined == 4 {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("%d callers joined the build, want 4", joined)
		}
	}
	cancel()
	if err := <-abandoned; backend.ErrorCode(err) != backend.ECANCELED {
		t.Errorf("a caller that gave up: %v", err)
	}
	close(release)
	for range 3 {
		if got := <-results; got != "digests <nil>" {
			t.Errorf("a waiting caller got %q", got)
		}
	}
	if n := builds.Load(); n != 1 {
		t.Errorf("%d builds, want 1", n)
	}
}
