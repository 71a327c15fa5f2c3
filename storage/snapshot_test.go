package storage_test

import (
	"bytes"
	"compress/gzip"
	"context"
	"errors"
	"fmt"
	"io"
	"math/rand/v2"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/lineagedesk/lineagedesk/backend"
	"github.com/lineagedesk/lineagedesk/storage"
)

func TestSaveSnapshotReturnsWhatIsStored(t *testing.T) {
	s, _ := openStore(t)
	ctx := t.Context()
	b := shopBundle()
	before := time.Now().UTC()
	origin := backend.Origin{Kind: backend.OriginDbtCloud, Connection: "prod", AccountID: 11, ProjectID: 22,
		EnvironmentID: 33, JobID: 44, RunID: 55}
	snap, err := s.SaveSnapshot(ctx, backend.NewSnapshot{Name: "nightly", Origin: origin, Bundle: b,
		Artifacts: []backend.StoredArtifact{{Name: "manifest.json", Gzip: []byte{0x1f, 0x8b, 1, 2, 3}}, {Name: "catalog.json", Gzip: []byte{0x1f, 0x8b}}}})
	if err != nil {
		t.Fatal(err)
	}
	// Counted here from the bundle, independently of Bundle.Counts.
	wantCounts := map[string]int{"source": 1, "seed": 1, "model": 3, "test": 4, "unit_test": 1, "exposure": 1, "macro": 1, "doc": 1}
	want := backend.Snapshot{ID: snap.ID, Name: "nightly", Origin: origin, Project: "shop", DbtVersion: "1.9.1",
		AdapterType: "duckdb", SchemaVersions: map[string]int{"manifest": 12, "catalog": 1, "run_results": 6, "sources": 3},
		GeneratedAt: time.Date(2025, 3, 4, 5, 6, 7, 123456000, time.UTC), InvocationID: "0b1c-inv", RunCommand: "build",
		TakenAt: snap.TakenAt, Counts: wantCounts, Warnings: []string{"catalog.json is older than manifest.json"}}
	if !reflect.DeepEqual(snap, want) {
		t.Errorf("SaveSnapshot returned\n%+v\nwant\n%+v", snap, want)
	}
	if snap.ID == 0 || snap.TakenAt.Before(before.Truncate(time.Microsecond)) || snap.TakenAt.After(time.Now()) {
		t.Errorf("id %d, taken at %v: not set by the store", snap.ID, snap.TakenAt)
	}
	for name, read := range map[string]func() (backend.Snapshot, error){
		"Snapshot":       func() (backend.Snapshot, error) { return s.Snapshot(ctx, snap.ID) },
		"LatestSnapshot": func() (backend.Snapshot, error) { return s.LatestSnapshot(ctx) },
		"SnapshotForRun": func() (backend.Snapshot, error) { return s.SnapshotForRun(ctx, 11, 55) },
	} {
		got, err := read()
		if err != nil || !reflect.DeepEqual(got, want) {
			t.Errorf("%s = %+v, %v\nwant %+v", name, got, err, want)
		}
	}
	if _, err := s.SnapshotForRun(ctx, 12, 55); backend.ErrorCode(err) != backend.ENOTFOUND {
		t.Errorf("SnapshotForRun(other account) error = %v, want ENOTFOUND", err)
	}
	arts, err := s.SnapshotArtifacts(ctx, snap.ID)
	if err != nil || len(arts) != 2 || arts[0].Name != "catalog.json" || string(arts[1].Gzip) != "\x1f\x8b\x01\x02\x03" {
		t.Errorf("SnapshotArtifacts = %+v, %v", arts, err)
	}
}

func TestEveryResourceFieldRoundTrips(t *testing.T) {
	s, _ := openStore(t)
	snap := saveShop(t, s)
	assertResourcesRoundTrip(t, s, snap.ID, shopBundle())
}

// assertResourcesRoundTrip reads every resource of the bundle back through
// Resource and compares it field by field with what was saved.
func assertResourcesRoundTrip(t *testing.T, s *storage.Store, snapshotID int64, b *backend.Bundle) {
	t.Helper()
	for _, want := range b.Resources {
		d, err := s.Resource(t.Context(), snapshotID, want.UniqueID)
		if err != nil {
			t.Fatalf("Resource(%s): %v", want.UniqueID, err)
		}
		// Columns come back in warehouse order (catalog index, unknown
		// last, then name) and dependencies sorted; order want the same way.
		want.Columns = slices.Clone(want.Columns)
		sort.SliceStable(want.Columns, func(i, j int) bool {
			a, b := want.Columns[i], want.Columns[j]
			if (a.Index == 0) != (b.Index == 0) {
				return b.Index == 0
			}
			if a.Index != b.Index {
				return a.Index < b.Index
			}
			return a.Name < b.Name
		})
		want.DependsOn = sortedOrNil(want.DependsOn)
		want.DependsOnMacros = sortedOrNil(want.DependsOnMacros)
		want.State = backend.StateKeys{} // hashed into the snapshot's digests, not kept on the row
		if !reflect.DeepEqual(d.Resource, want) {
			t.Errorf("Resource(%s) round trip:\n got %+v\nwant %+v", want.UniqueID, d.Resource, want)
		}
		if string(d.Raw) != string(want.Raw) {
			t.Errorf("Resource(%s).Raw = %s, want %s", want.UniqueID, d.Raw, want.Raw)
		}
	}
}

func sortedOrNil(list []string) []string {
	if len(list) == 0 {
		return nil
	}
	list = slices.Clone(list)
	slices.Sort(list)
	return list
}

func TestResourceDetail(t *testing.T) {
	s, _ := openStore(t)
	ctx := t.Context()
	snap := saveShop(t, s)
	b := shopBundle()

	d, err := s.Resource(ctx, snap.ID, "model.shop.stg_orders")
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(d.Catalog, &b.Catalog[0]) {
		t.Errorf("Catalog = %+v, want %+v", d.Catalog, b.Catalog[0])
	}
	if !reflect.DeepEqual(d.RunResult, &b.RunResults[0]) {
		t.Errorf("RunResult = %+v, want %+v", d.RunResult, b.RunResults[0])
	}
	wantTests := []backend.TestWithResult{
		{UniqueID: "test.shop.not_null_stg_orders_order_id.abc", Name: "not_null_stg_orders_order_id", TestName: "not_null",
			TestType: "generic", ColumnName: "order_id", Severity: "ERROR", Result: &b.RunResults[1]},
		{UniqueID: "test.shop.unique_stg_orders_order_id.def", Name: "unique_stg_orders_order_id", TestName: "unique",
			TestType: "generic", ColumnName: "order_id", Severity: "WARN", Result: &b.RunResults[2]},
	}
	if !reflect.DeepEqual(d.Tests, wantTests) {
		t.Errorf("Tests =\n%+v\nwant\n%+v", d.Tests, wantTests)
	}
	if want := (backend.TestSummary{Total: 2, Fail: 1, Warn: 1}); d.TestSummary != want {
		t.Errorf("TestSummary = %+v, want %+v", d.TestSummary, want)
	}
	if got := summaryIDs(d.Parents); !reflect.DeepEqual(got, []string{"source.shop.raw.orders"}) {
		t.Errorf("Parents = %v", got)
	}
	// legacy_orders is disabled but still a child in the manifest; tests are
	// listed under Tests, not Children.
	if got := summaryIDs(d.Children); !reflect.DeepEqual(got, []string{"model.shop.legacy_orders", "model.shop.orders"}) {
		t.Errorf("Children = %v", got)
	}
	if d.Children[1].Tests != (backend.TestSummary{Total: 3, Pass: 1, Skipped: 1}) {
		t.Errorf("child orders test summary = %+v", d.Children[1].Tests)
	}

	// orders: the singular test errored, then passed on retry; one test never
	// ran; the unit test was skipped.
	d, err = s.Resource(ctx, snap.ID, "model.shop.orders")
	if err != nil {
		t.Fatal(err)
	}
	if d.Catalog != nil || d.RunResult != nil || d.Freshness != nil {
		t.Errorf("orders has catalog %v, result %v, freshness %v; want none", d.Catalog, d.RunResult, d.Freshness)
	}
	results := map[string]*backend.RunResult{}
	for _, tr := range d.Tests {
		results[tr.UniqueID] = tr.Result
	}
	if r := results["test.shop.orders_positive"]; r == nil || r.Status != "pass" || *r.Failures != 0 {
		t.Errorf("orders_positive result = %+v, want the later pass", r)
	}
	if r, ok := results["test.shop.relationships_never_ran"]; !ok || r != nil {
		t.Errorf("relationships_never_ran: listed %v, result %+v; want listed without a result", ok, r)
	}
	if want := (backend.TestSummary{Total: 3, Pass: 1, Skipped: 1}); d.TestSummary != want {
		t.Errorf("TestSummary = %+v, want %+v", d.TestSummary, want)
	}

	d, err = s.Resource(ctx, snap.ID, "source.shop.raw.orders")
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(d.Freshness, &b.Freshness[0]) {
		t.Errorf("Freshness = %+v, want %+v", d.Freshness, b.Freshness[0])
	}
	if !reflect.DeepEqual(d.Catalog, &b.Catalog[1]) {
		t.Errorf("source Catalog = %+v", d.Catalog)
	}

	_, err = s.Resource(ctx, snap.ID, "model.shop.nope")
	var be *backend.Error
	if !errors.As(err, &be) || be.Code != backend.ENOTFOUND || be.Message != fmt.Sprintf("there is no resource model.shop.nope in snapshot %d", snap.ID) {
		t.Errorf("missing resource error = %v", err)
	}
}

func summaryIDs(list []backend.ResourceSummary) []string {
	ids := []string{}
	for _, r := range list {
		ids = append(ids, r.UniqueID)
	}
	return ids
}

func TestDeleteSnapshotRemovesEverythingInIt(t *testing.T) {
	s, path := openStore(t)
	ctx := t.Context()
	db := rawDB(t, path)

	keep := saveShop(t, s)
	afterFirst := dumpTables(t, db)
	gone := saveShop(t, s)
	if _, err := s.AddSyncRecord(ctx, backend.SyncRecord{Connection: "prod", StartedAt: time.Now(), Status: backend.SyncSucceeded, SnapshotID: gone.ID}); err != nil {
		t.Fatal(err)
	}
	if err := s.DeleteSnapshot(ctx, gone.ID); err != nil {
		t.Fatal(err)
	}
	// Only the sync record (now without its snapshot) differs from the
	// state after the first save.
	hist, err := s.SyncHistory(ctx, "prod", 0)
	if err != nil || len(hist) != 1 || hist[0].SnapshotID != 0 {
		t.Fatalf("sync history after delete = %+v, %v; want one record without a snapshot", hist, err)
	}
	if _, err := db.Exec(`DELETE FROM sync_history`); err != nil {
		t.Fatal(err)
	}
	// The deleted snapshot's id stays given (TestSnapshotIDsAreNeverGivenTwice).
	if _, err := db.Exec(`UPDATE snapshot_ids SET highest = ? WHERE highest = ?`, keep.ID, gone.ID); err != nil {
		t.Fatal(err)
	}
	if got := dumpTables(t, db); got != afterFirst {
		t.Errorf("after deleting the second snapshot the database differs from after the first save")
	}
	res, err := s.Search(ctx, keep.ID, backend.SearchQuery{Text: "orders"})
	if err != nil || res.Total == 0 {
		t.Errorf("the kept snapshot is no longer searchable: %+v, %v", res, err)
	}
	if err := s.DeleteSnapshot(ctx, keep.ID); err != nil {
		t.Fatal(err)
	}
	for _, table := range []string{"resources", "columns", "edges", "catalog_tables", "run_results", "freshness", "snapshot_artifact_chunks"} {
		var n int
		if err := db.QueryRow(`SELECT count(*) FROM ` + table).Scan(&n); err != nil || n != 0 {
			t.Errorf("%s has %d rows after deleting every snapshot (%v)", table, n, err)
		}
	}
	var indexes int
	if err := db.QueryRow(`SELECT count(*) FROM sqlite_master WHERE name LIKE 'snapshot\_fts\_%' ESCAPE '\'`).Scan(&indexes); err != nil || indexes != 0 {
		t.Errorf("%d full-text tables are left (%v)", indexes, err)
	}
	integrityCheck(t, db)
	if err := s.DeleteSnapshot(ctx, keep.ID); backend.ErrorCode(err) != backend.ENOTFOUND {
		t.Errorf("deleting a deleted snapshot: %v, want ENOTFOUND", err)
	}
	if _, err := s.LatestSnapshot(ctx); backend.ErrorCode(err) != backend.ENOTFOUND {
		t.Errorf("LatestSnapshot on an empty store: %v, want ENOTFOUND", err)
	}
}

func TestSnapshotsListsNewestFirst(t *testing.T) {
	s, _ := openStore(t)
	ctx := t.Context()
	first := saveShop(t, s)
	second := saveShop(t, s)
	list, err := s.Snapshots(ctx)
	if err != nil || len(list) != 2 || list[0].ID != second.ID || list[1].ID != first.ID {
		t.Fatalf("Snapshots = %+v, %v", list, err)
	}
	if _, err := s.Snapshot(ctx, 999); backend.ErrorCode(err) != backend.ENOTFOUND {
		t.Errorf("Snapshot(999) = %v, want ENOTFOUND", err)
	}
	if _, err := s.SaveSnapshot(ctx, backend.NewSnapshot{Name: "x"}); backend.ErrorCode(err) != backend.EINVALID {
		t.Errorf("SaveSnapshot without a bundle = %v, want EINVALID", err)
	}
}

// TestSnapshotIDsAreNeverGivenTwice: an import after the newest snapshot
// was deleted does not take its id, so an old link to it cannot name
// another run; a store from before migration 22 starts counting at its
// highest id.
func TestSnapshotIDsAreNeverGivenTwice(t *testing.T) {
	s, path := openStore(t)
	ctx := t.Context()
	first := saveShop(t, s)
	second := saveShop(t, s)
	if err := s.DeleteSnapshot(ctx, second.ID); err != nil {
		t.Fatal(err)
	}
	third := saveShop(t, s)
	if third.ID == second.ID || third.ID <= first.ID {
		t.Fatalf("ids %d, %d (deleted), then %d: the deleted id was given again", first.ID, second.ID, third.ID)
	}
	if _, err := s.Snapshot(ctx, second.ID); backend.ErrorCode(err) != backend.ENOTFOUND || !strings.Contains(err.Error(), "no longer in the store") {
		t.Errorf("Snapshot(%d) after its delete and another import = %v, want ENOTFOUND saying it was deleted", second.ID, err)
	}
	if _, err := s.Graph(ctx, second.ID); backend.ErrorCode(err) != backend.ENOTFOUND || !strings.Contains(err.Error(), "no longer in the store") {
		t.Errorf("Graph(%d) of the deleted snapshot = %v, want ENOTFOUND saying it was deleted", second.ID, err)
	}
	if _, err := s.Snapshot(ctx, third.ID+1); backend.ErrorCode(err) != backend.ENOTFOUND || strings.Contains(err.Error(), "no longer") {
		t.Errorf("Snapshot(%d), never given = %v, want ENOTFOUND without a deletion", third.ID+1, err)
	}
	s.Close()

	rewind(t, path, 21)
	s2, err := storage.Open(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	defer s2.Close()
	fourth := saveShop(t, s2)
	if fourth.ID != third.ID+1 {
		t.Errorf("after migration 22 on a store whose highest snapshot is #%d the next is #%d", third.ID, fourth.ID)
	}
}

// largeBundle generates n models, each with columns, a test and two parents.
func largeBundle(n int) *backend.Bundle {
	b := &backend.Bundle{Meta: backend.BundleMeta{Project: "big", DbtVersion: "1.9.0",
		SchemaVersions: map[string]int{"manifest": 12}, GeneratedAt: time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC)}}
	for i := range n {
		id := fmt.Sprintf("model.big.m%05d", i)
		r := backend.Resource{UniqueID: id, ResourceType: backend.TypeModel, Name: fmt.Sprintf("m%05d", i),
			Package: "big", Path: fmt.Sprintf("models/area%d/m%05d.sql", i%7, i), Enabled: true,
			Description: "A generated model about orders", RawCode: "select 1",
			Columns: []backend.Column{{Name: "id", InManifest: true}, {Name: "amount", Description: "money"}}}
		if i > 1 {
			r.DependsOn = []string{fmt.Sprintf("model.big.m%05d", i-1), fmt.Sprintf("model.big.m%05d", i/2)}
		}
		b.Resources = append(b.Resources, r)
		b.RunResults = append(b.RunResults, backend.RunResult{UniqueID: id, Status: "success"})
	}
	return b
}

func TestAFailedSaveLeavesTheDatabaseAsItWas(t *testing.T) {
	s, path := openStore(t)
	ctx := t.Context()
	saveShop(t, s)
	db := rawDB(t, path)
	before := dumpTables(t, db)

	// A duplicate unique_id near the end of a large bundle: thousands of
	// rows are written before the insert fails.
	dup := largeBundle(5000)
	dup.Resources = append(dup.Resources, dup.Resources[4990])
	_, err := s.SaveSnapshot(ctx, backend.NewSnapshot{Name: "dup", Origin: backend.Origin{Kind: backend.OriginPath}, Bundle: dup})
	var be *backend.Error
	if !errors.As(err, &be) || be.Code != backend.EINVALID || !containsAll(err.Error(), "model.big.m04990", "twice") {
		t.Fatalf("saving a duplicate = %v, want EINVALID naming model.big.m04990", err)
	}
	if after := dumpTables(t, db); after != before {
		t.Errorf("a failed save changed the database")
	}
	integrityCheck(t, db)

	// Cancelled while writing.
	cctx, cancel := context.WithCancel(ctx)
	go func() {
		time.Sleep(30 * time.Millisecond)
		cancel()
	}()
	_, err = s.SaveSnapshot(cctx, backend.NewSnapshot{Name: "cancelled", Origin: backend.Origin{Kind: backend.OriginPath}, Bundle: largeBundle(20000)})
	if !errors.Is(err, context.Canceled) || backend.ErrorCode(err) != backend.ECANCELED {
		t.Fatalf("cancelled save = %v (code %q), want context.Canceled", err, backend.ErrorCode(err))
	}
	if after := dumpTables(t, db); after != before {
		t.Errorf("a cancelled save changed the database")
	}
	integrityCheck(t, db)

	// The store still works afterwards.
	if _, err := s.SaveSnapshot(ctx, backend.NewSnapshot{Name: "ok", Origin: backend.Origin{Kind: backend.OriginPath}, Bundle: largeBundle(100)}); err != nil {
		t.Fatalf("save after failures: %v", err)
	}
}

func containsAll(s string, parts ...string) bool {
	for _, p := range parts {
		if !strings.Contains(s, p) {
			return false
		}
	}
	return true
}

// An artifact given by path is compressed by the store and reads back as
// the file's bytes; a missing file fails the whole save.
func TestArtifactsFromFiles(t *testing.T) {
	s, path := openStore(t)
	dir := filepath.Dir(path)
	ctx := t.Context()
	b := shopBundle()
	origin := backend.Origin{Kind: backend.OriginPath, Path: dir}
	path = filepath.Join(dir, "manifest.json")
	content := []byte(`{"metadata": {"dbt_schema_version": "https://schemas.getdbt.com/dbt/manifest/v12.json"}, "nodes": {}}`)
	if err := os.WriteFile(path, content, 0o644); err != nil {
		t.Fatal(err)
	}
	snap, err := s.SaveSnapshot(ctx, backend.NewSnapshot{Name: "files", Origin: origin, Bundle: b,
		Artifacts: []backend.StoredArtifact{{Name: "manifest.json", Path: path}}})
	if err != nil {
		t.Fatal(err)
	}
	arts, err := s.SnapshotArtifacts(ctx, snap.ID)
	if err != nil || len(arts) != 1 {
		t.Fatalf("SnapshotArtifacts = %+v, %v", arts, err)
	}
	zr, err := gzip.NewReader(bytes.NewReader(arts[0].Gzip))
	if err != nil {
		t.Fatal(err)
	}
	got, err := io.ReadAll(zr)
	if err != nil || !bytes.Equal(got, content) {
		t.Fatalf("stored artifact reads back %q, %v", got, err)
	}
	// Incompressible content compresses to more than two chunks of the
	// store's artifact table, and still reads back whole; the temporary
	// compressed files are gone afterwards.
	big := make([]byte, 2<<20+12345)
	rng := rand.New(rand.NewPCG(1, 2))
	for i := range big {
		big[i] = byte(rng.Uint32())
	}
	bigPath := filepath.Join(dir, "run_results.json")
	if err := os.WriteFile(bigPath, big, 0o644); err != nil {
		t.Fatal(err)
	}
	snap, err = s.SaveSnapshot(ctx, backend.NewSnapshot{Name: "big", Origin: origin, Bundle: shopBundle(),
		Artifacts: []backend.StoredArtifact{{Name: "run_results.json", Path: bigPath}, {Name: "manifest.json", Path: path}}})
	if err != nil {
		t.Fatal(err)
	}
	arts, err = s.SnapshotArtifacts(ctx, snap.ID)
	if err != nil || len(arts) != 2 || arts[0].Name != "manifest.json" || arts[1].Name != "run_results.json" {
		t.Fatalf("SnapshotArtifacts = %d artifacts, %v", len(arts), err)
	}
	for _, c := range []struct {
		gz   []byte
		want []byte
	}{{arts[0].Gzip, content}, {arts[1].Gzip, big}} {
		zr, err := gzip.NewReader(bytes.NewReader(c.gz))
		if err != nil {
			t.Fatal(err)
		}
		if got, err := io.ReadAll(zr); err != nil || !bytes.Equal(got, c.want) {
			t.Fatalf("stored artifact reads back %d bytes, %v; want %d", len(got), err, len(c.want))
		}
	}
	var chunks int
	if err := rawDB(t, s.Path()).QueryRow(`SELECT count(*) FROM snapshot_artifact_chunks WHERE snapshot_id = ? AND name = 'run_results.json'`,
		snap.ID).Scan(&chunks); err != nil || chunks < 3 {
		t.Errorf("run_results.json is stored in %d chunks, %v; want 3 or more", chunks, err)
	}
	if left, _ := filepath.Glob(filepath.Join(dir, ".lineagedesk-*.gz")); len(left) > 0 {
		t.Errorf("temporary files left behind: %v", left)
	}

	before, _ := s.Snapshots(ctx)
	_, err = s.SaveSnapshot(ctx, backend.NewSnapshot{Name: "missing", Origin: origin, Bundle: b,
		Artifacts: []backend.StoredArtifact{{Name: "catalog.json", Path: filepath.Join(dir, "nope.json")}}})
	if err == nil || !strings.Contains(err.Error(), "catalog.json") {
		t.Fatalf("a missing artifact file: %v", err)
	}
	if after, _ := s.Snapshots(ctx); len(after) != len(before) {
		t.Fatalf("a failed save left a snapshot: %d -> %d", len(before), len(after))
	}
}
