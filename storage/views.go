package storage

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"

	"github.com/lineagedesk/lineagedesk/backend"
)

// SaveView inserts the view, or replaces the project's view of that name.
// SavedAt is now unless given.
func (s *Store) SaveView(ctx context.Context, v backend.View) error {
	if v.Project == "" {
		return backend.Errorf(backend.EINVALID, "view %q: no project to save it in", v.Name)
	}
	if err := backend.CheckViewName(v.Name); err != nil {
		return err
	}
	spec, err := json.Marshal(v.ViewSpec)
	if err != nil {
		return fmt.Errorf("save view %q: %w", v.Name, err)
	}
	saved := v.SavedAt
	if saved.IsZero() {
		saved = now()
	}
	err = s.inTx(ctx, func(tx *sql.Tx) error {
		_, err := tx.ExecContext(ctx, `INSERT INTO views (project, name, spec, saved_at_us) VALUES (?, ?, ?, ?)
			ON CONFLICT (project, name) DO UPDATE SET spec = excluded.spec, saved_at_us = excluded.saved_at_us`,
			v.Project, v.Name, string(spec), saved.UnixMicro())
		return err
	})
	if err != nil {
		return fmt.Errorf("save view %q: %w", v.Name, canceled(ctx, err))
	}
	return nil
}

// Views lists a project's views by name, case aside.
func (s *Store) Views(ctx context.Context, project string) ([]backend.View, error) {
	rows, err := s.reader.QueryContext(ctx, `SELECT name, spec, saved_at_us FROM views WHERE project = ?
		ORDER BY name COLLATE NOCASE, name`, project)
	if err != nil {
		return nil, fmt.Errorf("list the views of %s: %w", project, err)
	}
	defer rows.Close()
	list := []backend.View{}
	for rows.Next() {
		var (
			v     = backend.View{Project: project}
			spec  string
			saved sql.NullInt64
		)
		if err := rows.Scan(&v.Name, &spec, &saved); err != nil {
			return nil, fmt.Errorf("list the views of %s: %w", project, err)
		}
		if err := json.Unmarshal([]byte(spec), &v.ViewSpec); err != nil {
			return nil, fmt.Errorf("view %q of %s: %w", v.Name, project, err)
		}
		v.SavedAt = fromMicros(saved)
		list = append(list, v)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("list the views of %s: %w", project, err)
	}
	return list, nil
}

// DeleteView removes a project's view; ENOTFOUND when there is none of
// that name.
func (s *Store) DeleteView(ctx context.Context, project, name string) error {
	var n int64
	err := s.inTx(ctx, func(tx *sql.Tx) error {
		res, err := tx.ExecContext(ctx, `DELETE FROM views WHERE project = ? AND name = ?`, project, name)
		if err != nil {
			return err
		}
		n, err = res.RowsAffected()
		return err
	})
	if err != nil {
		return fmt.Errorf("delete view %q: %w", name, canceled(ctx, err))
	}
	if n == 0 {
		return backend.Errorf(backend.ENOTFOUND, "project %s has no view named %q", project, name)
	}
	return nil
}
