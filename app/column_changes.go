package app

import (
	"cmp"
	"context"
	"errors"
	"slices"
	"strings"

	"github.com/lineagedesk/lineagedesk/backend"
)

// maxColumnChangeReaders bounds the removed or retyped columns whose
// readers a comparison looks for: each is a step of column lineage in the
// snapshot compared with.
const maxColumnChangeReaders = 200

// columnChanges compares the warehouse columns (the catalog's) of the
// nodes both snapshots hold: columns added, removed and retyped, and for
// the last two what read them one step downstream in base, which the
// change may break.
func (a *App) columnChanges(ctx context.Context, snap, base backend.Snapshot) ([]backend.ColumnChange, error) {
	var now, before map[string][]backend.CodeColumn
	errs := make(chan error, 1)
	go func() {
		var err error
		before, err = a.store.WarehouseColumns(ctx, base.ID)
		errs <- err
	}()
	now, err := a.store.WarehouseColumns(ctx, snap.ID)
	if err := errors.Join(err, <-errs); err != nil {
		return nil, err
	}
	out := []backend.ColumnChange{}
	for id, cols := range now {
		old, ok := before[id]
		if !ok {
			continue // a node new to the catalog: its columns are not changes
		}
		out = append(out, compareColumns(id, old, cols)...)
	}
	slices.SortFunc(out, func(x, y backend.ColumnChange) int {
		return cmp.Or(cmp.Compare(x.Node, y.Node), cmp.Compare(strings.ToLower(x.Column), strings.ToLower(y.Column)))
	})
	return out, a.addReaders(ctx, base, out)
}

// compareColumns lists what changed between a node's columns before and now,
// matched by name whatever the case.
func compareColumns(id string, before, now []backend.CodeColumn) []backend.ColumnChange {
	var out []backend.ColumnChange
	old := map[string]backend.CodeColumn{}
	for _, c := range before {
		old[strings.ToLower(c.Name)] = c
	}
	seen := map[string]bool{}
	for _, c := range now {
		key := strings.ToLower(c.Name)
		seen[key] = true
		o, ok := old[key]
		switch {
		case !ok:
			out = append(out, backend.ColumnChange{Node: id, Column: c.Name, Change: backend.ColumnAdded, Type: c.Type})
		case !strings.EqualFold(o.Type, c.Type):
			out = append(out, backend.ColumnChange{Node: id, Column: c.Name, Change: backend.ColumnRetyped, Type: c.Type, OldType: o.Type})
		}
	}
	for _, c := range before {
		if !seen[strings.ToLower(c.Name)] {
			out = append(out, backend.ColumnChange{Node: id, Column: c.Name, Change: backend.ColumnRemoved, OldType: c.Type})
		}
	}
	return out
}

// addReaders fills ReadBy of the removed and retyped columns (the first
// maxColumnChangeReaders), from base's column lineage.
func (a *App) addReaders(ctx context.Context, base backend.Snapshot, changes []backend.ColumnChange) error {
	p := a.columnProject(base)
	traced := 0
	for i := range changes {
		c := &changes[i]
		if c.Change == backend.ColumnAdded || traced == maxColumnChangeReaders {
			continue
		}
		traced++
		readers, err := p.Readers(ctx, backend.ColumnKey{Node: c.Node, Column: c.Column})
		if err != nil {
			return err
		}
		if len(readers) > 0 {
			c.ReadBy = readers
		}
	}
	return nil
}
