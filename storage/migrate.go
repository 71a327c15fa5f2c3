package storage

import (
	"context"
	"database/sql"
	"embed"
	"fmt"
	"io/fs"
	"sort"
	"strconv"
	"strings"

	"github.com/lineagedesk/lineagedesk/backend"
)

// migrationFiles are the schema changes, applied in order of their number
// prefix. They are forward-only: a shipped file is never edited, a change is
// a new file.
//
//go:embed migrations/*.sql
var migrationFiles embed.FS

type migration struct {
	version int
	name    string
	sql     string
	// step, when set, runs in the migration's transaction after its SQL:
	// the schema changes that depend on the data (a table per snapshot).
	step migrationStepFunc
}

// A migrationStepFunc changes the schema by the data in tx, telling notice
// first what it does when that takes a while.
type migrationStepFunc func(ctx context.Context, tx *sql.Tx, notice func(string)) error

// migrationStep returns the Go step of a migration version, or nil.
func migrationStep(version int) migrationStepFunc {
	switch version {
	case 19:
		return splitSearchIndex
	case 21:
		return nullableJSONChecks
	}
	return nil
}

// migrations returns the embedded migrations sorted by version, and fails
// when a file is misnamed or two files share a version.
func migrations() ([]migration, error) {
	names, err := fs.Glob(migrationFiles, "migrations/*.sql")
	if err != nil {
		return nil, err
	}
	var list []migration
	for _, name := range names {
		base := strings.TrimPrefix(name, "migrations/")
		prefix, _, ok := strings.Cut(base, "_")
		version, err := strconv.Atoi(prefix)
		if !ok || err != nil || version <= 0 {
			return nil, fmt.Errorf("migration %s: name must start with a positive number and '_'", base)
		}
		body, err := migrationFiles.ReadFile(name)
		if err != nil {
			return nil, err
		}
		list = append(list, migration{version: version, name: base, sql: string(body), step: migrationStep(version)})
	}
	sort.Slice(list, func(i, j int) bool { return list[i].version < list[j].version })
	for i := 1; i < len(list); i++ {
		if list[i].version == list[i-1].version {
			return nil, fmt.Errorf("migrations %s and %s share version %d", list[i-1].name, list[i].name, list[i].version)
		}
	}
	return list, nil
}

// migrate applies the migrations the database has not seen, each in its own
// transaction together with its schema_migrations row, so a failure leaves
// the database at the last complete version. A database at a version this
// build does not know is refused before anything is written.
func (s *Store) migrate(ctx context.Context) error {
	list, err := migrations()
	if err != nil {
		return err
	}
	known := 0
	if len(list) > 0 {
		known = list[len(list)-1].version
	}
	// A store at this build's schema needs no write lock to open: another
	// process's import or sync may hold it for a while, and a read-only
	// command (or a second import, which waits at its own write) must not
	// fail on it.
	if current, err := schemaVersion(ctx, s.writer); err == nil && current == known {
		return nil
	}
	if _, err := s.writer.ExecContext(ctx, `CREATE TABLE IF NOT EXISTS schema_migrations (
		version       INTEGER PRIMARY KEY,
		name          TEXT    NOT NULL,
		applied_at_us INTEGER NOT NULL)`); err != nil {
		return fmt.Errorf("create schema_migrations: %w", err)
	}
	for _, m := range list {
		err := s.inTx(ctx, func(tx *sql.Tx) error {
			// Read the version inside the transaction: it holds the write
			// lock, so another process cannot migrate at the same time.
			current, err := schemaVersion(ctx, tx)
			if err != nil {
				return err
			}
			if current > known {
				return backend.Errorf(backend.EINVALID,
					"database %s was written by a newer Lineage Desk (schema %d, this build knows %d); upgrade the app or use --db to pick another file",
					s.path, current, known)
			}
			if current >= m.version {
				return nil
			}
			if _, err := tx.ExecContext(ctx, m.sql); err != nil {
				return fmt.Errorf("apply migration %s: %w", m.name, err)
			}
			if m.step != nil {
				if err := m.step(ctx, tx, s.notice); err != nil {
					return fmt.Errorf("apply migration %s: %w", m.name, err)
				}
			}
			if _, err := tx.ExecContext(ctx, `INSERT INTO schema_migrations (version, name, applied_at_us) VALUES (?, ?, ?)`,
				m.version, m.name, now().UnixMicro()); err != nil {
				return fmt.Errorf("record migration %s: %w", m.name, err)
			}
			return nil
		})
		if err != nil {
			return canceled(ctx, err)
		}
	}
	return nil
}

// SchemaVersion returns the highest migration applied to the database.
func (s *Store) SchemaVersion(ctx context.Context) (int, error) {
	return schemaVersion(ctx, s.reader)
}

type queryer interface {
	QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row
}

func schemaVersion(ctx context.Context, q queryer) (int, error) {
	var v int
	if err := q.QueryRowContext(ctx, `SELECT coalesce(max(version), 0) FROM schema_migrations`).Scan(&v); err != nil {
		return 0, fmt.Errorf("read schema version: %w", err)
	}
	return v, nil
}
