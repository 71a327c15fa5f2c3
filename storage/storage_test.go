package storage_test

import (
	"context"
	"os"
	"path/filepath"
	"runtime"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/lineagedesk/lineagedesk/backend"
	"github.com/lineagedesk/lineagedesk/storage"
)

func TestOpenMigratesAFreshDatabase(t *testing.T) {
	s, path := openStore(t)
	ctx := t.Context()

	info, err := os.Stat(filepath.Dir(path))
	if err != nil {
		t.Fatal(err)
	}
	if runtime.GOOS != "windows" && info.Mode().Perm() != 0o700 {
		t.Errorf("data directory mode = %v, want 0700", info.Mode().Perm())
	}
	// The store and its WAL are its owner's alone (sync history, sealed tokens).
	for _, f := range []string{path, path + "-wal"} {
		info, err := os.Stat(f)
		if err != nil {
			t.Fatal(err)
		}
		if runtime.GOOS != "windows" && info.Mode().Perm() != 0o600 {
			t.Errorf("%s: mode %v, want 0600", f, info.Mode().Perm())
		}
	}
	v, err := s.SchemaVersion(ctx)
	if want := latestSchema(t); err != nil || v != want {
		t.Fatalf("SchemaVersion = %d, %v; want %d", v, err, want)
	}
	db := rawDB(t, path)
	var mode string
	if err := db.QueryRow(`PRAGMA journal_mode`).Scan(&mode); err != nil || mode != "wal" {
		t.Errorf("journal_mode = %q, %v; want wal", mode, err)
	}
	for _, table := range []string{"snapshots", "resources", "columns", "edges", "catalog_tables", "run_results",
		"freshness", "snapshot_artifact_chunks", "connections", "sync_history", "schema_migrations", "snapshot_lineage",
		"snapshot_topology", "lineage_id_chunks", "lineage_nodes"} {
		var n int
		if err := db.QueryRow(`SELECT count(*) FROM sqlite_master WHERE name = ?`, table).Scan(&n); err != nil || n != 1 {
			t.Errorf("table %s: found %d, %v", table, n, err)
		}
	}
	var recorded string
	files, _ := filepath.Glob("migrations/*.sql")
	for i, f := range files {
		files[i] = filepath.Base(f)
	}
	if err := db.QueryRow(`SELECT group_concat(name, ' ') FROM (SELECT name FROM schema_migrations ORDER BY version)`).Scan(&recorded); err != nil || recorded != strings.Join(files, " ") {
		t.Errorf("schema_migrations rows = %q, %v", recorded, err)
	}
	integrityCheck(t, db)

	// Opening again applies nothing twice.
	s.Close()
	s2, err := storage.Open(ctx, path)
	if err != nil {
		t.Fatalf("reopen: %v", err)
	}
	defer s2.Close()
	var n int
	if err := db.QueryRow(`SELECT count(*) FROM schema_migrations`).Scan(&n); err != nil || n != len(files) {
		t.Errorf("schema_migrations has %d rows, %v; want %d", n, err, len(files))
	}
}

func TestOpenRefusesANewerDatabase(t *testing.T) {
	s, path := openStore(t)
	saveShop(t, s)
	s.Close()
	db := rawDB(t, path)
	if _, err := db.Exec(`INSERT INTO schema_migrations (version, name, applied_at_us) VALUES (99, '0099_future.sql', 0)`); err != nil {
		t.Fatal(err)
	}
	before := dumpTables(t, db)

	_, err := storage.Open(t.Context(), path)
	if got := backend.ErrorCode(err); got != backend.EINVALID {
		t.Fatalf("Open(newer) error code = %q (%v), want %q", got, err, backend.EINVALID)
	}
	want := "database " + path + " was written by a newer Lineage Desk (schema 99, this build knows " +
		strconv.Itoa(latestSchema(t)) + "); upgrade the app or use --db to pick another file"
	if err.Error() != want {
		t.Errorf("message:\n got %s\nwant %s", err, want)
	}
	if after := dumpTables(t, db); after != before {
		t.Error("refusing a newer database changed it")
	}
}

func TestOpenRefusesAFileThatIsNotADatabase(t *testing.T) {
	path := filepath.Join(t.TempDir(), "notes.db")
	if err := os.WriteFile(path, []byte(strings.Repeat("this is not sqlite\n", 100)), 0o600); err != nil {
		t.Fatal(err)
	}
	_, err := storage.Open(t.Context(), path)
	if backend.ErrorCode(err) != backend.EINVALID || !strings.Contains(err.Error(), path) || !strings.Contains(err.Error(), "--db") {
		t.Fatalf("Open(not a db) = %v (code %q), want EINVALID naming the file and --db", err, backend.ErrorCode(err))
	}
}

// --db may be a symlink to where the store is to be (a dotfiles setup): the
// store is made at its target, readable by its owner only.
func TestOpenThroughADanglingSymlink(t *testing.T) {
	dir := t.TempDir()
	target, link := filepath.Join(dir, "synced", "store.db"), filepath.Join(dir, "store.db")
	if err := os.Mkdir(filepath.Dir(target), 0o700); err != nil {
		t.Fatal(err)
	}
	if err := os.Symlink(target, link); err != nil {
		t.Fatal(err)
	}
	s, err := storage.Open(t.Context(), link)
	if err != nil {
		t.Fatalf("Open through a symlink: %v", err)
	}
	s.Close()
	info, err := os.Stat(target)
	if err != nil || (runtime.GOOS != "windows" && info.Mode().Perm() != 0o600) {
		t.Fatalf("the store at the link's target: %v, %v", info, err)
	}
}

func TestOpenHandlesAwkwardPaths(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "my data?#%20 ü")
	path := filepath.Join(dir, "x.db")
	s, err := storage.Open(t.Context(), path)
	if err != nil {
		t.Fatalf("Open(%q): %v", path, err)
	}
	defer s.Close()
	saveShop(t, s)
	if _, err := os.Stat(path); err != nil {
		t.Errorf("database not created at the exact path: %v", err)
	}
}

func TestDefaultPath(t *testing.T) {
	if runtime.GOOS != "linux" {
		dir, err := os.UserConfigDir()
		if err != nil {
			t.Fatal(err)
		}
		got, err := storage.DefaultPath()
		if want := filepath.Join(dir, "LineageDesk", "lineagedesk.db"); err != nil || got != want {
			t.Errorf("DefaultPath = %q, %v; want %q", got, err, want)
		}
		return
	}
	dir := t.TempDir()
	t.Setenv("XDG_DATA_HOME", dir)
	got, err := storage.DefaultPath()
	if want := filepath.Join(dir, "lineagedesk", "lineagedesk.db"); err != nil || got != want {
		t.Errorf("DefaultPath with XDG_DATA_HOME = %q, %v; want %q", got, err, want)
	}
	home := t.TempDir()
	t.Setenv("XDG_DATA_HOME", "")
	t.Setenv("HOME", home)
	got, err = storage.DefaultPath()
	if want := filepath.Join(home, ".local", "share", "lineagedesk", "lineagedesk.db"); err != nil || got != want {
		t.Errorf("DefaultPath without XDG_DATA_HOME = %q, %v; want %q", got, err, want)
	}
}

func TestReaderWorksWhileAWriteIsOpen(t *testing.T) {
	s, path := openStore(t)
	snap := saveShop(t, s)
	ctx := t.Context()

	// Another connection holds the write lock, as a long sync would.
	db := rawDB(t, path)
	conn, err := db.Conn(ctx)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	if _, err := conn.ExecContext(ctx, `BEGIN IMMEDIATE`); err != nil {
		t.Fatal(err)
	}
	if _, err := conn.ExecContext(ctx, `DELETE FROM snapshots`); err != nil {
		t.Fatal(err)
	}

	readCtx, cancel := context.WithTimeout(ctx, 2*time.Second)
	defer cancel()
	start := time.Now()
	got, err := s.Snapshot(readCtx, snap.ID)
	if err != nil {
		t.Fatalf("Snapshot during a write: %v", err)
	}
	if got.ID != snap.ID {
		t.Errorf("read %d, want %d (the committed state)", got.ID, snap.ID)
	}
	if _, err := s.Search(readCtx, snap.ID, backend.SearchQuery{Text: "orders"}); err != nil {
		t.Errorf("Search during a write: %v", err)
	}
	if _, err := s.Graph(readCtx, snap.ID); err != nil {
		t.Errorf("Graph during a write: %v", err)
	}
	if d := time.Since(start); d > time.Second {
		t.Errorf("reads waited %v for the writer", d)
	}
	if _, err := conn.ExecContext(ctx, `ROLLBACK`); err != nil {
		t.Fatal(err)
	}
}

// A relative --db path is a file in the working directory, not at the root.
func TestOpenRelativePath(t *testing.T) {
	dir := t.TempDir()
	t.Chdir(dir)
	s, err := storage.Open(t.Context(), "relative.db")
	if err != nil {
		t.Fatal(err)
	}
	s.Close()
	if _, err := os.Stat(filepath.Join(dir, "relative.db")); err != nil {
		t.Fatalf("relative.db was not created in the working directory: %v", err)
	}
}

// latestSchema counts the migration files, numbered from 1 without gaps.
func latestSchema(t *testing.T) int {
	t.Helper()
	files, err := filepath.Glob("migrations/*.sql")
	if err != nil || len(files) == 0 {
		t.Fatalf("migrations: %v, %d files", err, len(files))
	}
	return len(files)
}
