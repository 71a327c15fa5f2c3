package storage

import (
	"context"
	"database/sql"
	"fmt"
	"regexp"
)

// jsonCheck is the check of a JSON column the migrations before 21 wrote
// (CHECK (json_valid(col))), the column's name captured.
var jsonCheck = regexp.MustCompile(`CHECK \(json_valid\((\w+)\)\)`)

// nullableJSONChecks is migration 21's step: each table's JSON checks let
// NULL pass whatever json_valid(NULL) is. It edits the definitions in
// sqlite_schema (the procedure of SQLite's ALTER TABLE page for changes
// that leave the stored rows valid: writable_schema, then a new schema
// version so every connection reads the definitions again); a rebuild
// would rewrite every row of a store of several gigabytes.
func nullableJSONChecks(ctx context.Context, tx *sql.Tx, _ func(string)) error {
	rows, err := tx.QueryContext(ctx, `SELECT name, sql FROM sqlite_schema WHERE type = 'table' AND sql LIKE '%json_valid(%'`)
	if err != nil {
		return fmt.Errorf("read the tables' definitions: %w", err)
	}
	defs := map[string]string{}
	for rows.Next() {
		var name, def string
		if err := rows.Scan(&name, &def); err != nil {
			rows.Close()
			return fmt.Errorf("read the tables' definitions: %w", err)
		}
		defs[name] = def
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return fmt.Errorf("read the tables' definitions: %w", err)
	}
	var version int64
	if err := tx.QueryRowContext(ctx, `PRAGMA schema_version`).Scan(&version); err != nil {
		return fmt.Errorf("read the schema version: %w", err)
	}
	if _, err := tx.ExecContext(ctx, `PRAGMA writable_schema = ON`); err != nil {
		return fmt.Errorf("open the schema for writing: %w", err)
	}
	// The pragma is the connection's, not the transaction's: off again
	// whatever happens, for the next user of this pooled connection.
	defer func() { _, _ = tx.ExecContext(context.WithoutCancel(ctx), `PRAGMA writable_schema = OFF`) }()
	for name, def := range defs {
		if _, err := tx.ExecContext(ctx, `UPDATE sqlite_schema SET sql = ? WHERE type = 'table' AND name = ?`,
			jsonCheck.ReplaceAllString(def, `CHECK ($1 IS NULL OR json_valid($1))`), name); err != nil {
			return fmt.Errorf("let NULL pass the JSON checks of table %s: %w", name, err)
		}
	}
	if _, err := tx.ExecContext(ctx, fmt.Sprintf(`PRAGMA schema_version = %d`, version+1)); err != nil {
		return fmt.Errorf("bump the schema version: %w", err)
	}
	if _, err := tx.ExecContext(ctx, `PRAGMA writable_schema = OFF`); err != nil {
		return fmt.Errorf("close the schema for writing: %w", err)
	}
	return nil
}
