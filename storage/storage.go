// Package storage keeps Lineage Desk's snapshots, connections and sync
// history in one SQLite file, through the pure-Go modernc.org/sqlite driver.
//
// A Store holds two pools on the same file: a single writer connection, so
// writes never contend with each other inside the process, and a pool of
// read-only connections, so the UI keeps reading while a sync writes (WAL
// lets readers see the last committed state during a write transaction).
package storage

import (
	"bytes"
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"net/url"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"time"

	"github.com/lineagedesk/lineagedesk/backend"
	sqlite "modernc.org/sqlite"
	sqlite3 "modernc.org/sqlite/lib"
)

// Compile-time checks that Store implements the backend interfaces.
var (
	_ backend.SnapshotStore    = (*Store)(nil)
	_ backend.ResourceStore    = (*Store)(nil)
	_ backend.ConnectionStore  = (*Store)(nil)
	_ backend.SyncHistoryStore = (*Store)(nil)
)

// readerConns bounds the read pool: enough for the UI, a search and an
// export at once, few enough not to matter on a small machine.
const readerConns = 4

// Store is the SQLite implementation of the backend store interfaces.
type Store struct {
	path   string
	writer *sql.DB // exactly one connection
	reader *sql.DB // read-only connections
	kinds  kindCache
	// digestBuilds lets one caller build an older snapshot's digests
	// while others asking for them wait (state.go).
	digestBuilds digestBuilds
	// wholeRunFrom is the fewest ids LatestResults may read a whole
	// run's results for (readsWholeRun).
	wholeRunFrom int
	// notice is told what a slow migration step does, and that a write
	// waits for another process's (WithNotice).
	notice func(string)
	// writeWait is how long a write waits for another process's write to
	// end (WithWriteWait).
	writeWait time.Duration
}

// An Option changes how Open opens a store.
type Option func(*Store)

// WithNotice has Open tell what a slow one-off step of an upgrade is
// doing before it starts (rebuilding an index of every snapshot), and a
// write that it waits for another process's, so that the wait is
// explained.
func WithNotice(notice func(message string)) Option {
	return func(s *Store) { s.notice = notice }
}

// WithWriteWait sets how long a write waits for another process's write
// to end before it fails (default writeWait).
func WithWriteWait(d time.Duration) Option {
	return func(s *Store) { s.writeWait = d }
}

// DefaultPath returns where the database lives when --db is not given:
// $XDG_DATA_HOME/lineagedesk/lineagedesk.db (or ~/.local/share/...) on
// Linux and the BSDs, and <user config dir>/LineageDesk/lineagedesk.db
// elsewhere (Application Support on macOS, %AppData% on Windows).
func DefaultPath() (string, error) {
	switch runtime.GOOS {
	case "windows", "darwin", "ios", "android", "plan9":
		dir, err := os.UserConfigDir()
		if err != nil {
			return "", fmt.Errorf("find the data directory: %w", err)
		}
		return filepath.Join(dir, "LineageDesk", "lineagedesk.db"), nil
	}
	if dir := os.Getenv("XDG_DATA_HOME"); filepath.IsAbs(dir) {
		return filepath.Join(dir, "lineagedesk", "lineagedesk.db"), nil
	}
	home, err := os.UserHomeDir()
	if err != nil {
		return "", fmt.Errorf("find the data directory: %w", err)
	}
	return filepath.Join(home, ".local", "share", "lineagedesk", "lineagedesk.db"), nil
}

// Open opens (creating it and its directory when missing) the database at
// path and brings its schema up to date. A database written by a newer
// Lineage Desk is refused with EINVALID.
func Open(ctx context.Context, path string, options ...Option) (*Store, error) {
	if path == "" {
		return nil, backend.Errorf(backend.EINVALID, "no database path given; use --db to pick a file")
	}
	// The DSN is a file: URI, in which a relative path would be read from
	// the root; resolve it against the working directory first.
	abs, err := filepath.Abs(path)
	if err != nil {
		return nil, backend.Errorf(backend.EINVALID, "database path %s: %v; use --db to pick another file", path, err)
	}
	path = abs
	if err := os.MkdirAll(filepath.Dir(path), 0o700); err != nil {
		return nil, backend.Errorf(backend.EINVALID, "create the directory of database %s: %v; use --db to pick another file", path, err)
	}
	if err := createWithPageSize(ctx, path); err != nil {
		return nil, openError(path, err)
	}
	s := &Store{path: path, wholeRunFrom: 20_000, notice: func(string) {}, writeWait: writeWait}
	for _, option := range options {
		option(s)
	}
	if s.writer, err = sql.Open("sqlite", dsn(path, false)); err != nil {
		return nil, fmt.Errorf("open database %s: %w", path, err)
	}
	// One writer connection: SQLite allows one writer at a time anyway, and
	// queueing in database/sql is cheaper and fairer than busy-waiting.
	s.writer.SetMaxOpenConns(1)
	s.writer.SetMaxIdleConns(1)
	s.writer.SetConnMaxIdleTime(0)
	if err := s.migrate(ctx); err != nil {
		s.writer.Close()
		return nil, openError(path, err)
	}
	// The readers are opened after migrating, so they never see a file that
	// is not yet in WAL mode or not yet at this build's schema.
	if s.reader, err = sql.Open("sqlite", dsn(path, true)); err != nil {
		s.writer.Close()
		return nil, fmt.Errorf("open database %s: %w", path, err)
	}
	s.reader.SetMaxOpenConns(readerConns)
	s.reader.SetMaxIdleConns(readerConns)
	if err := s.reader.PingContext(ctx); err != nil {
		s.Close()
		return nil, openError(path, err)
	}
	return s, nil
}

// pageSize is the page size of new stores. Resource rows are 2-4 kB, so
// with SQLite's default 4 kB pages most leaf pages held one row and a third
// of the resources table was free space; 16 kB pages pack them. Measured on
// the 10k-model import: store 285 -> 261 MB, CPU 12.0 -> 10.4 s.
const pageSize = 16384

// createWithPageSize creates a missing database file with pageSize pages.
// The page size is fixed by the first write to a file, and the DSN cannot
// set it: the driver runs the DSN's pragmas in name order, so
// journal_mode(WAL), which writes the header, comes before page_size.
// Existing files keep the page size they have.
func createWithPageSize(ctx context.Context, path string) error {
	if _, err := os.Stat(path); !errors.Is(err, fs.ErrNotExist) {
		return nil
	}
	// Only its owner may read the store: it holds sync history and sealed
	// tokens. SQLite gives the -wal and -shm files the same mode. (An empty
	// file is an empty database to SQLite.) Not O_EXCL: --db may be a
	// symlink to where the store is to be, and the mode only applies to a
	// file this call creates.
	f, err := os.OpenFile(path, os.O_CREATE|os.O_WRONLY, 0o600)
	if err != nil {
		return err
	}
	if err := f.Close(); err != nil {
		return err
	}
	db, err := sql.Open("sqlite", fileURI(path)+"?_pragma="+url.QueryEscape(fmt.Sprintf("page_size(%d)", pageSize)))
	if err != nil {
		return err
	}
	defer db.Close()
	_, err = db.ExecContext(ctx, `PRAGMA journal_mode = WAL`)
	return err
}

// Path returns the database file's path.
func (s *Store) Path() string { return s.path }

// Close closes both pools.
func (s *Store) Close() error {
	var errs []error
	if s.reader != nil {
		errs = append(errs, s.reader.Close())
	}
	if s.writer != nil {
		errs = append(errs, s.writer.Close())
	}
	return errors.Join(errs...)
}

// dsn builds the data source name. The path is passed as a file: URI so that
// characters such as '?' and '#' in a directory name cannot be mistaken for
// parameters. The pragmas are in the DSN, not run once after opening,
// because database/sql opens connections lazily and each new connection
// must get them.
func dsn(path string, readOnly bool) string {
	q := url.Values{}
	q["_pragma"] = []string{
		// WAL: readers do not block the writer and the writer does not block
		// readers, which is what lets the UI browse during a sync. It is a
		// property of the file, so repeating it per connection is a no-op.
		"journal_mode(WAL)",
		// SQLite leaves foreign keys off unless asked, per connection; the
		// ON DELETE CASCADE from snapshots depends on them.
		"foreign_keys(1)",
		// Wait up to 5 s for a lock held by another connection or process
		// (the CLI while the app runs) instead of failing with SQLITE_BUSY.
		"busy_timeout(5000)",
		// NORMAL is durable across application crashes in WAL mode and only
		// risks the last transactions on power loss, for far fewer fsyncs
		// than FULL; a snapshot can always be imported again.
		"synchronous(NORMAL)",
	}
	if readOnly {
		// Readers cannot write by accident, so every write goes through the
		// single writer connection.
		q.Set("_query_only", "1")
		// Readers map the file instead of copying each page through a
		// read syscall: a lineage or search query touches thousands of
		// scattered pages, and on this kind of VM the syscalls dominated.
		q["_pragma"] = append(q["_pragma"], "mmap_size(1073741824)")
	} else {
		// An 8 MiB page cache (the default is 2 MiB). An import writes each
		// page about once, in key order, so a bigger cache only delays the
		// same WAL writes to the commit and costs its memory: measured on
		// the 10k-model import, 64 MiB gave the same or more CPU time and
		// 115 MB more peak RSS, 256 MiB 30% more CPU and twice the RSS.
		q["_pragma"] = append(q["_pragma"], "cache_size(-8192)")
		// BEGIN IMMEDIATE takes the write lock at the start of a
		// transaction, where busy_timeout can wait for it, instead of on the
		// first write, where a lock upgrade fails at once with SQLITE_BUSY.
		q.Set("_txlock", "immediate")
	}
	return fileURI(path) + "?" + q.Encode()
}

// fileURI is path as a file: URI without parameters.
func fileURI(path string) string {
	p := filepath.ToSlash(path)
	if !strings.HasPrefix(p, "/") {
		p = "/" + p // Windows drive letter: file:/C:/...
	}
	return "file:" + (&url.URL{Path: p}).EscapedPath()
}

// openError turns a failure to open or migrate into a message that names
// the file and says what to do.
func openError(path string, err error) error {
	var be *backend.Error
	if errors.As(err, &be) {
		return err
	}
	var se *sqlite.Error
	if errors.As(err, &se) {
		switch se.Code() & 0xff {
		case sqlite3.SQLITE_NOTADB, sqlite3.SQLITE_CORRUPT:
			return &backend.Error{Code: backend.EINVALID, Err: err,
				Message: fmt.Sprintf("%s is not a Lineage Desk database (or it is damaged); use --db to pick another file", path)}
		case sqlite3.SQLITE_CANTOPEN, sqlite3.SQLITE_PERM, sqlite3.SQLITE_READONLY:
			return &backend.Error{Code: backend.EINVALID, Err: err,
				Message: fmt.Sprintf("cannot open database %s; check its permissions or use --db to pick another file", path)}
		}
	}
	return fmt.Errorf("open database %s: %w", path, err)
}

// inTx runs fn in a write transaction and commits it; any error or a
// cancelled ctx rolls everything back.
func (s *Store) inTx(ctx context.Context, fn func(tx *sql.Tx) error) error {
	tx, err := s.begin(ctx)
	if err != nil {
		return s.writeError(err)
	}
	if err := fn(tx); err != nil {
		tx.Rollback()
		return s.writeError(err)
	}
	return s.writeError(tx.Commit())
}

// writeError says what to do about a write the disk or the file refused;
// other errors pass as they are. The transaction is rolled back by then.
func (s *Store) writeError(err error) error {
	var se *sqlite.Error
	if !errors.As(err, &se) {
		return err
	}
	switch se.Code() & 0xff {
	case sqlite3.SQLITE_FULL:
		return &backend.Error{Code: backend.EUNAVAILABLE, Err: err, Message: fmt.Sprintf(
			"the disk holding the store %s is full: free some space (an import needs about the snapshot's size again while it runs) or use --db to pick a store on another disk; the store is as it was", s.path)}
	case sqlite3.SQLITE_READONLY:
		return &backend.Error{Code: backend.EINVALID, Err: err, Message: fmt.Sprintf(
			"the store %s cannot be written: the file, its folder or its disk is read-only; check their permissions, or use --db to pick another file; the store is as it was", s.path)}
	}
	return err
}

// writeWait is how long a write waits for another process's write to end:
// an import or a sync of a big project holds the store's write lock for a
// minute or more, and a scheduled sync meeting an import --watch should
// wait for it, not fail.
const writeWait = 10 * time.Minute

// begin starts a write transaction, waiting up to writeWait for another
// process that holds the write lock (each BEGIN IMMEDIATE waits the DSN's
// busy_timeout), and saying once that it waits.
func (s *Store) begin(ctx context.Context) (*sql.Tx, error) {
	start := time.Now()
	told := false
	for {
		tx, err := s.writer.BeginTx(ctx, nil)
		if !isBusy(err) {
			return tx, err
		}
		if time.Since(start) >= s.writeWait || ctx.Err() != nil {
			return nil, canceled(ctx, &backend.Error{Code: backend.ECONFLICT, Err: err, Message: fmt.Sprintf(
				"the store %s is busy: another Lineage Desk process has been writing to it (an import, a sync or a deletion) for %s; try again when it has finished",
				s.path, time.Since(start).Round(time.Second))})
		}
		if !told {
			s.notice("another Lineage Desk process is writing to the store (an import, a sync or a deletion); waiting for it to finish")
			told = true
		}
		// BEGIN waits out the busy timeout; should it answer at once,
		// this pause keeps the loop from spinning.
		select {
		case <-ctx.Done():
		case <-time.After(100 * time.Millisecond):
		}
	}
}

// isBusy reports whether err is SQLite's "database is locked".
func isBusy(err error) bool {
	var se *sqlite.Error
	return errors.As(err, &se) && se.Code()&0xff == sqlite3.SQLITE_BUSY
}

// canceled prefers the context's error over what the driver made of an
// interruption, so ErrorCode reports ECANCELED.
func canceled(ctx context.Context, err error) error {
	if ctxErr := ctx.Err(); ctxErr != nil && err != nil {
		return ctxErr
	}
	return err
}

// Times are stored as unix microseconds in UTC; NULL is the zero time.

func microsOrNil(t time.Time) any {
	if t.IsZero() {
		return nil
	}
	return t.UnixMicro()
}

func fromMicros(us sql.NullInt64) time.Time {
	if !us.Valid {
		return time.Time{}
	}
	return time.UnixMicro(us.Int64).UTC()
}

// now is the current time at the precision the store keeps, so a value a
// method returns equals what reading it back gives.
func now() time.Time { return time.Now().UTC().Truncate(time.Microsecond) }

// jsonOrNil stores raw JSON as TEXT, or NULL when empty.
func jsonOrNil(raw json.RawMessage) any {
	if len(raw) == 0 {
		return nil
	}
	return string(raw)
}

func rawJSON(s sql.NullString) json.RawMessage {
	if !s.Valid {
		return nil
	}
	return json.RawMessage(s.String)
}

// stringsOrNil stores a string list as a JSON array, or NULL when empty.
func stringsOrNil(list []string) any {
	if len(list) == 0 {
		return nil
	}
	b, err := json.Marshal(list)
	if err != nil {
		return nil // cannot happen for []string
	}
	return string(b)
}

func decodeStrings(s sql.NullString) ([]string, error) {
	if !s.Valid {
		return nil, nil
	}
	return decodeStringList([]byte(s.String))
}

func boolInt(b bool) int {
	if b {
		return 1
	}
	return 0
}

func nullIfEmpty(s string) any {
	if s == "" {
		return nil
	}
	return s
}

// decodeStringList decodes a JSON array of strings as stored by
// stringsOrNil. Graph decodes two per node for hundreds of thousands of
// nodes, so the common case (no escapes) is split by hand; anything else
// goes through encoding/json.
func decodeStringList(b []byte) ([]string, error) {
	if len(b) == 0 {
		return nil, nil
	}
	if len(b) < 2 || b[0] != '[' || b[len(b)-1] != ']' || bytes.IndexByte(b, '\\') >= 0 {
		var list []string
		if err := json.Unmarshal(b, &list); err != nil {
			return nil, fmt.Errorf("decode string list %.40q: %w", b, err)
		}
		return list, nil
	}
	body := b[1 : len(b)-1]
	if len(body) == 0 {
		return []string{}, nil
	}
	list := make([]string, 0, bytes.Count(body, []byte(`","`))+1)
	for len(body) > 0 {
		// Without escapes a string ends at the next quote.
		if body[0] != '"' {
			return nil, fmt.Errorf("decode string list %.40q: expected a string", b)
		}
		end := bytes.IndexByte(body[1:], '"')
		if end < 0 {
			return nil, fmt.Errorf("decode string list %.40q: unterminated string", b)
		}
		list = append(list, string(body[1:1+end]))
		body = body[end+2:]
		if len(body) > 0 {
			if body[0] != ',' {
				return nil, fmt.Errorf("decode string list %.40q: expected a comma", b)
			}
			body = body[1:]
		}
	}
	return list, nil
}
