package storage_test

import (
	"bytes"
	"database/sql"
	"fmt"
	"maps"
	pathpkg "path"
	"reflect"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/lineagedesk/lineagedesk/backend"
	"github.com/lineagedesk/lineagedesk/backend/artifact/artifacttest"
	"github.com/lineagedesk/lineagedesk/storage"
)

// rewind turns the store at path back into what a build that knew
// migrations up to version wrote, undoing the later ones with the data they
// moved, so that reopening it runs them on a realistic older store.
func rewind(t *testing.T, path string, version int) {
	t.Helper()
	// Raw JSON goes back on the resources' rows (plain JSON, as the oldest
	// stores hold it), read through the store while it still can.
	type key struct {
		snapshot int64
		id       string
	}
	raws := map[key][]byte{}
	if version < 7 {
		s, err := storage.Open(t.Context(), path)
		if err != nil {
			t.Fatal(err)
		}
		rows, err := rawDB(t, path).Query(`SELECT snapshot_id, unique_id FROM resources`)
		if err != nil {
			t.Fatal(err)
		}
		for rows.Next() {
			var k key
			if err := rows.Scan(&k.snapshot, &k.id); err != nil {
				t.Fatal(err)
			}
			d, err := s.Resource(t.Context(), k.snapshot, k.id)
			if err != nil {
				t.Fatal(err)
			}
			raws[k] = d.Raw
		}
		rows.Close()
		s.Close()
	}
	db := rawDB(t, path)
	// The trigger that keeps resources immutable goes for the rewrite and
	// comes back as 0001 made it.
	var trigger string
	if err := db.QueryRow(`SELECT sql FROM sqlite_schema WHERE name = 'resources_no_update'`).Scan(&trigger); err != nil {
		t.Fatal(err)
	}
	if _, err := db.Exec(`DROP TRIGGER resources_no_update`); err != nil {
		t.Fatal(err)
	}
	defer func() {
		if _, err := db.Exec(trigger); err != nil {
			t.Fatal(err)
		}
	}()
	for k, raw := range raws {
		var v any
		if raw != nil {
			v = string(raw)
		}
		if _, err := db.Exec(`UPDATE resources SET raw = ? WHERE snapshot_id = ? AND unique_id = ?`, v, k.snapshot, k.id); err != nil {
			t.Fatal(err)
		}
	}
	// One full-text index for every snapshot, as before migration 19.
	var snapshotIDs []int64
	idRows, err := db.Query(`SELECT id FROM snapshots`)
	if err != nil {
		t.Fatal(err)
	}
	for idRows.Next() {
		var id int64
		if err := idRows.Scan(&id); err != nil {
			t.Fatal(err)
		}
		snapshotIDs = append(snapshotIDs, id)
	}
	idRows.Close()
	unsplit := []string{`CREATE VIRTUAL TABLE resource_fts USING fts5 (
			name, description, column_text, tags, raw_code, compiled_code,
			content = 'resources', content_rowid = 'id', tokenize = 'unicode61 remove_diacritics 2')`,
		`INSERT INTO resource_fts (rowid, name, description, column_text, tags, raw_code, compiled_code)
			SELECT id, name, description, column_text, tags, raw_code, compiled_code FROM resources ORDER BY id`,
		`CREATE TRIGGER resources_fts_delete AFTER DELETE ON resources BEGIN
			INSERT INTO resource_fts (resource_fts, rowid, name, description, column_text, tags, raw_code, compiled_code)
			VALUES ('delete', old.id, old.name, old.description, old.column_text, old.tags, old.raw_code, old.compiled_code);
		END`}
	for _, id := range snapshotIDs {
		unsplit = append(unsplit, fmt.Sprintf(`DROP TABLE snapshot_fts_%d`, id))
	}
	undo := map[int][]string{
		22: {`DROP TABLE snapshot_ids`},
		20: {`DROP TABLE watched_folders`},
		19: unsplit,
		18: {`DROP INDEX resources_by_folder`},
		17: {`DROP INDEX resources_node_color`},
		16: {`DROP TABLE views`},
		15: {`DROP INDEX resources_unattached_tests`},
		14: {`DROP TABLE snapshot_tree`},
		13: {`DROP TABLE snapshot_configs`},
		12: {`ALTER TABLE snapshot_digests DROP COLUMN format`},
		11: {`DROP TABLE snapshot_digests`},
		10: {`ALTER TABLE resources DROP COLUMN checksum`},
		9:  {`DROP TABLE selectors`},
		8:  {`DROP TABLE lineage_attributes`},
		7:  {`DROP TABLE raw_blocks`},
		6: {`INSERT INTO edges (snapshot_id, kind, parent, child)
				SELECT r.snapshot_id, 'macro', m.value, r.unique_id FROM resources r, json_each(r.depends_on_macros) m`,
			`ALTER TABLE resources DROP COLUMN depends_on_macros`},
		5: {`DROP TABLE snapshot_artifact_chunks`,
			`CREATE TABLE snapshot_artifacts (snapshot_id INTEGER NOT NULL REFERENCES snapshots (id) ON DELETE CASCADE,
				name TEXT NOT NULL, gzip BLOB NOT NULL, PRIMARY KEY (snapshot_id, name))`},
	}
	var latest int
	if err := db.QueryRow(`SELECT max(version) FROM schema_migrations`).Scan(&latest); err != nil {
		t.Fatal(err)
	}
	for v := latest; v > version; v-- {
		if v == 21 {
			restoreJSONChecks(t, db)
			undo[v] = nil
		}
		steps, ok := undo[v]
		if !ok {
			t.Fatalf("rewind: no undo for migration %d", v)
		}
		for _, q := range append(steps, fmt.Sprintf(`DELETE FROM schema_migrations WHERE version = %d`, v)) {
			if _, err := db.Exec(q); err != nil {
				t.Fatalf("rewind migration %d: %v", v, err)
			}
		}
	}
}

// TestArtifactChunksMigration: a store written before artifacts were
// chunked (one snapshot_artifacts row per file) keeps its artifacts once
// migration 0005 has moved them.
func TestArtifactChunksMigration(t *testing.T) {
	s, path := openStore(t)
	snap := saveShop(t, s)
	s.Close()
	rewind(t, path, 4)
	old := []byte{0x1f, 0x8b, 8, 0, 'o', 'l', 'd'}
	if _, err := rawDB(t, path).Exec(`INSERT INTO snapshot_artifacts VALUES (?, 'manifest.json', ?)`, snap.ID, old); err != nil {
		t.Fatal(err)
	}
	s2, err := storage.Open(t.Context(), path)
	if err != nil {
		t.Fatal(err)
	}
	defer s2.Close()
	arts, err := s2.SnapshotArtifacts(t.Context(), snap.ID)
	if err != nil || len(arts) != 1 || arts[0].Name != "manifest.json" || !bytes.Equal(arts[0].Gzip, old) {
		t.Fatalf("after the migration: %+v, %v", arts, err)
	}
}

// TestMacroDependenciesMigration: a snapshot written before macro
// dependencies moved to the resource's row (migration 0006) kept them as
// edges of kind 'macro'; its node pages still list them, sorted. A snapshot
// written after has them on its rows, not as edges.
func TestMacroDependenciesMigration(t *testing.T) {
	s, path := openStore(t)
	snap := saveShop(t, s)
	s.Close()
	rewind(t, path, 5)
	s2, err := storage.Open(t.Context(), path)
	if err != nil {
		t.Fatal(err)
	}
	defer s2.Close()
	var oldMacroEdges int
	if err := rawDB(t, path).QueryRow(`SELECT count(*) FROM edges WHERE kind = 'macro'`).Scan(&oldMacroEdges); err != nil || oldMacroEdges != 2 {
		t.Fatalf("the old snapshot has %d macro edges, %v; want 2", oldMacroEdges, err)
	}
	for uid, want := range map[string][]string{
		"model.shop.stg_orders":                      {"macro.shop.cents_to_dollars"},
		"test.shop.not_null_stg_orders_order_id.abc": {"macro.dbt.test_not_null"},
		"model.shop.orders":                          nil,
	} {
		d, err := s2.Resource(t.Context(), snap.ID, uid)
		if err != nil || !slices.Equal(d.DependsOnMacros, want) {
			t.Errorf("%s after the migration: macros %q, %v; want %q", uid, d.DependsOnMacros, err, want)
		}
	}
	snap2 := saveShop(t, s2)
	var macroEdges int
	if err := rawDB(t, path).QueryRow(`SELECT count(*) FROM edges WHERE snapshot_id = ? AND kind = 'macro'`, snap2.ID).
		Scan(&macroEdges); err != nil || macroEdges != 0 {
		t.Errorf("a new snapshot wrote %d macro edges, %v; want 0", macroEdges, err)
	}
	d, err := s2.Resource(t.Context(), snap2.ID, "model.shop.stg_orders")
	if err != nil || !slices.Equal(d.DependsOnMacros, []string{"macro.shop.cents_to_dollars"}) {
		t.Errorf("new snapshot: macros %q, %v", d.DependsOnMacros, err)
	}
}

// TestRawBlocksMigration: resources of a store written before raw JSON went
// into blocks (migration 0007) read back as they were stored, next to a
// snapshot written after, whose raw JSON is in blocks; deleting that
// snapshot deletes its blocks.
func TestRawBlocksMigration(t *testing.T) {
	s, path := openStore(t)
	snap := saveShop(t, s)
	s.Close()
	rewind(t, path, 6)
	s2, err := storage.Open(t.Context(), path)
	if err != nil {
		t.Fatal(err)
	}
	defer s2.Close()
	snap2 := saveShop(t, s2)
	db := rawDB(t, path)
	var inline, blocks int
	if err := db.QueryRow(`SELECT count(*) FROM resources WHERE snapshot_id = ? AND substr(raw, 1, 1) = '{'`, snap.ID).Scan(&inline); err != nil || inline == 0 {
		t.Fatalf("old snapshot: %d resources with inline JSON, %v", inline, err)
	}
	if err := db.QueryRow(`SELECT count(*) FROM raw_blocks WHERE snapshot_id = ?`, snap2.ID).Scan(&blocks); err != nil || blocks == 0 {
		t.Fatalf("new snapshot: %d raw blocks, %v", blocks, err)
	}
	for _, r := range shopBundle().Resources {
		for _, id := range []int64{snap.ID, snap2.ID} {
			d, err := s2.Resource(t.Context(), id, r.UniqueID)
			if err != nil || !bytes.Equal(d.Raw, r.Raw) {
				t.Errorf("snapshot %d, %s: raw %q, %v; want %q", id, r.UniqueID, d.Raw, err, r.Raw)
			}
		}
	}
	if err := s2.DeleteSnapshot(t.Context(), snap2.ID); err != nil {
		t.Fatal(err)
	}
	if err := db.QueryRow(`SELECT count(*) FROM raw_blocks`).Scan(&blocks); err != nil || blocks != 0 {
		t.Errorf("%d raw blocks left after deleting their snapshot, %v", blocks, err)
	}
}

// TestTreeFromItsTable: the project tree read from snapshot_tree, as the
// import writes it, is the count of the snapshot's enabled resource rows by
// package, folder and type, with each folder's counts added to its
// ancestors; and a snapshot stored before migration 0014 gets the same
// rows from the migration.
func TestTreeFromItsTable(t *testing.T) {
	s, path, snap, _ := saveFixture(t, "tuva-v11-dbt1.7")
	got, err := s.Tree(t.Context(), snap.ID)
	if err != nil {
		t.Fatal(err)
	}
	s.Close()
	db := rawDB(t, path)
	rows, err := db.Query(`SELECT package, folder, resource_type, count(*) FROM resources
		WHERE snapshot_id = ? AND enabled GROUP BY package, folder, resource_type`, snap.ID)
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]map[string]int{}
	for rows.Next() {
		var pkg, folder, typ string
		var n int
		if err := rows.Scan(&pkg, &folder, &typ, &n); err != nil {
			t.Fatal(err)
		}
		for f := folder; ; f = pathpkg.Dir(f) {
			if f == "." {
				f = ""
			}
			key := pkg + "/" + f
			if want[key] == nil {
				want[key] = map[string]int{}
			}
			want[key][typ] += n
			if f == "" {
				break
			}
		}
	}
	rows.Close()
	check := func(label string, tree []backend.TreeEntry) {
		t.Helper()
		if len(tree) != len(want) {
			t.Fatalf("%s: %d tree entries, the resource rows make %d", label, len(tree), len(want))
		}
		for _, e := range tree {
			if !maps.Equal(e.Counts, want[e.Package+"/"+e.Folder]) {
				t.Fatalf("%s: %s/%s counts %v, the resource rows %v", label, e.Package, e.Folder, e.Counts, want[e.Package+"/"+e.Folder])
			}
		}
	}
	check("imported", got)
	if len(got) < 50 {
		t.Fatalf("tuva's tree has only %d entries: the test checks too little", len(got))
	}

	rewind(t, path, 13) // a store from before the table
	s2, err := storage.Open(t.Context(), path)
	if err != nil {
		t.Fatal(err)
	}
	defer s2.Close()
	migrated, err := s2.Tree(t.Context(), snap.ID)
	if err != nil {
		t.Fatal(err)
	}
	check("migrated", migrated)
}

// TestSearchIndexSplitMigration: a store from before migration 19 holds
// one full-text index for all its snapshots, with a deleted snapshot's
// entries marked deleted in it. Migrated, each snapshot has its own index
// and every search answers as before, snippets and counts included; the
// shared index and its delete trigger are gone, and deleting a snapshot
// leaves the others' answers alone.
func TestSearchIndexSplitMigration(t *testing.T) {
	s, path := openStore(t)
	ctx := t.Context()
	var snaps []backend.Snapshot
	for _, dataset := range []string{"hubspot-v12-dbt1.11-postgres", "bouncer-v12-dbt1.11-duckdb", "hubspot-v4-dbt1.0-postgres"} {
		b := loadDir(t, pathpkg.Join(artifacttest.Dir(), dataset))
		snap, err := s.SaveSnapshot(ctx, backend.NewSnapshot{Name: dataset, Origin: backend.Origin{Kind: backend.OriginPath}, Bundle: b})
		if err != nil {
			t.Fatal(err)
		}
		snaps = append(snaps, snap)
	}
	if err := s.DeleteSnapshot(ctx, snaps[1].ID); err != nil {
		t.Fatal(err)
	}
	kept := []backend.Snapshot{snaps[0], snaps[2]}
	queries := []backend.SearchQuery{{Text: "contact"}, {Text: "hubspot__deal"}, {Text: "email "}, {Text: "deal st"},
		{Text: "engagement", Package: "hubspot"}, {Text: "owner", ResourceTypes: []string{"source"}}, {Text: "ha"}}
	answers := func(s *storage.Store, snap backend.Snapshot) []backend.SearchResult {
		t.Helper()
		var all []backend.SearchResult
		for _, q := range queries {
			res, err := s.Search(ctx, snap.ID, q)
			if err != nil {
				t.Fatalf("search %q in snapshot %d: %v", q.Text, snap.ID, err)
			}
			all = append(all, res)
		}
		return all
	}
	before := map[int64][]backend.SearchResult{}
	for _, snap := range kept {
		before[snap.ID] = answers(s, snap)
		if before[snap.ID][0].Total == 0 || len(before[snap.ID][0].Hits) == 0 || before[snap.ID][0].Hits[0].Snippet == "" {
			t.Fatalf("snapshot %d: %q finds nothing: the test checks too little", snap.ID, queries[0].Text)
		}
	}
	s.Close()

	rewind(t, path, 18)
	db := rawDB(t, path)
	var legacy int
	if err := db.QueryRow(`SELECT count(*) FROM resource_fts WHERE resource_fts MATCH 'contact'`).Scan(&legacy); err != nil || legacy == 0 {
		t.Fatalf("the rewound store's shared index matches %d rows (%v)", legacy, err)
	}
	var notices []string
	s2, err := storage.Open(ctx, path, storage.WithNotice(func(m string) { notices = append(notices, m) }))
	if err != nil {
		t.Fatal(err)
	}
	defer s2.Close()
	if len(notices) != 1 || !strings.Contains(notices[0], "each of its 2 snapshots") {
		t.Errorf("the upgrade told %q, want one notice naming the 2 snapshots", notices)
	}
	for _, snap := range kept {
		if got := answers(s2, snap); !reflect.DeepEqual(got, before[snap.ID]) {
			t.Errorf("snapshot %d answers differently after the migration:\n got %+v\nwant %+v", snap.ID, got, before[snap.ID])
		}
	}
	var leftovers int
	if err := db.QueryRow(`SELECT count(*) FROM sqlite_master WHERE name LIKE 'resource_fts%' OR name = 'resources_fts_delete'`).Scan(&leftovers); err != nil || leftovers != 0 {
		t.Errorf("%d parts of the shared index are left (%v)", leftovers, err)
	}
	integrityCheck(t, db)

	if err := s2.DeleteSnapshot(ctx, kept[0].ID); err != nil {
		t.Fatal(err)
	}
	if got := answers(s2, kept[1]); !reflect.DeepEqual(got, before[kept[1].ID]) {
		t.Errorf("deleting snapshot %d changed snapshot %d's answers", kept[0].ID, kept[1].ID)
	}
	integrityCheck(t, db)

	// Opened again, there is nothing to upgrade and nothing to tell.
	notices = nil
	s3, err := storage.Open(ctx, path, storage.WithNotice(func(m string) { notices = append(notices, m) }))
	if err != nil {
		t.Fatal(err)
	}
	s3.Close()
	if len(notices) != 0 {
		t.Errorf("opening a migrated store told %q", notices)
	}
}

// restoreJSONChecks undoes migration 21: the checks as 0001 wrote them.
func restoreJSONChecks(t *testing.T, db *sql.DB) {
	t.Helper()
	nullable := regexp.MustCompile(`CHECK \((\w+) IS NULL OR json_valid\((\w+)\)\)`)
	tx, err := db.Begin()
	if err != nil {
		t.Fatal(err)
	}
	defer tx.Rollback()
	rows, err := tx.Query(`SELECT name, sql FROM sqlite_schema WHERE type = 'table' AND sql LIKE '%IS NULL OR json_valid(%'`)
	if err != nil {
		t.Fatal(err)
	}
	defs := map[string]string{}
	for rows.Next() {
		var name, def string
		if err := rows.Scan(&name, &def); err != nil {
			t.Fatal(err)
		}
		defs[name] = nullable.ReplaceAllString(def, `CHECK (json_valid($2))`)
	}
	rows.Close()
	var version int
	if err := tx.QueryRow(`PRAGMA schema_version`).Scan(&version); err != nil {
		t.Fatal(err)
	}
	steps := []string{`PRAGMA writable_schema = ON`}
	for name, def := range defs {
		steps = append(steps, fmt.Sprintf(`UPDATE sqlite_schema SET sql = '%s' WHERE type = 'table' AND name = '%s'`,
			strings.ReplaceAll(def, "'", "''"), name))
	}
	steps = append(steps, fmt.Sprintf(`PRAGMA schema_version = %d`, version+1), `PRAGMA writable_schema = OFF`)
	for _, q := range steps {
		if _, err := tx.Exec(q); err != nil {
			t.Fatalf("undo migration 21: %v", err)
		}
	}
	if err := tx.Commit(); err != nil {
		t.Fatal(err)
	}
}
