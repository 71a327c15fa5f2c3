package app

import (
	"cmp"
	"context"
	"errors"
	"slices"
	"strings"

	"github.com/lineagedesk/lineagedesk/backend"
	"github.com/lineagedesk/lineagedesk/backend/columnlineage"
)

// maxColumnChangeReaders bounds the removed, retyped or redefined columns
// whose readers a comparison looks for: each is a step of column lineage.
// The first maxColumnChangeReaches of them are traced all the way down
// (up to columnReachLimit links each), to say how far they reach.
const (
	maxColumnChangeReaders = 200
	maxColumnChangeReaches = 50
	columnReachLimit       = 2000
)

// warehouseColumnChanges compares the warehouse columns (the catalog's)
// of the nodes both snapshots hold: columns added, removed and retyped,
// sorted.
func (a *App) warehouseColumnChanges(ctx context.Context, snap, base backend.Snapshot) ([]backend.ColumnChange, error) {
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
	sortColumnChanges(out)
	return out, nil
}

func sortColumnChanges(changes []backend.ColumnChange) {
	slices.SortFunc(changes, func(x, y backend.ColumnChange) int {
		return cmp.Or(cmp.Compare(x.Node, y.Node), cmp.Compare(strings.ToLower(x.Column), strings.ToLower(y.Column)), cmp.Compare(x.Change, y.Change))
	})
}

// columnChanges lists the column changes between two snapshots: the
// warehouse's (warehouse, from the catalogs) and the columns the changed
// nodes (changed) make another way, each removed, retyped or redefined one
// with what read it, which the change may break.
func (a *App) columnChanges(ctx context.Context, snap, base backend.Snapshot, warehouse []backend.ColumnChange, changed []string) ([]backend.ColumnChange, error) {
	redefined, err := a.redefinedColumns(ctx, snap, base, changed)
	if err != nil {
		return nil, err
	}
	out := append(warehouse, redefined...)
	sortColumnChanges(out)
	return out, a.addReaders(ctx, snap, base, out)
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

// addReaders fills ReadBy of the removed, retyped and redefined columns
// (the first maxColumnChangeReaders): from base's column lineage, where a
// removed column still is, and snap's for a redefined one, whose readers
// read it as it is now.
func (a *App) addReaders(ctx context.Context, snap, base backend.Snapshot, changes []backend.ColumnChange) error {
	before, now := a.columnProject(base), a.columnProject(snap)
	traced := 0
	for i := range changes {
		c := &changes[i]
		if c.Change == backend.ColumnAdded || traced == maxColumnChangeReaders {
			continue
		}
		traced++
		p := before
		if c.Change == backend.ColumnRedefined {
			p = now
		}
		col := backend.ColumnKey{Node: c.Node, Column: c.Column}
		if traced > maxColumnChangeReaches {
			readers, err := p.Readers(ctx, col)
			if err != nil {
				return err
			}
			if len(readers) > 0 {
				c.ReadBy = readers
			}
			continue
		}
		t, err := p.Trace(ctx, col, columnlineage.Downstream, 0, columnReachLimit)
		if err != nil {
			return err
		}
		c.ReadBy, c.Reach = reachOf(t)
	}
	return nil
}

// maxRedefinedNodes bounds the changed nodes whose columns a comparison
// reads in both snapshots.
const maxRedefinedNodes = 500

// redefinedColumns lists the columns the changed nodes (ids) make both
// before and now, but another way: another expression, or from other
// columns. Nodes whose lineage either side could not read are left out.
func (a *App) redefinedColumns(ctx context.Context, snap, base backend.Snapshot, ids []string) ([]backend.ColumnChange, error) {
	if len(ids) > maxRedefinedNodes {
		ids = ids[:maxRedefinedNodes]
	}
	now, err := a.columnProject(snap).Columns(ctx, ids)
	if err != nil {
		return nil, err
	}
	before, err := a.columnProject(base).Columns(ctx, ids)
	if err != nil {
		return nil, err
	}
	old := map[string]*backend.NodeColumns{}
	for _, nc := range before {
		old[nc.Node] = nc
	}
	var out []backend.ColumnChange
	for _, nc := range now {
		o := old[nc.Node]
		if o == nil || o.Problem != "" || nc.Problem != "" {
			continue
		}
		was := map[string]string{}
		for _, c := range o.Columns {
			was[strings.ToLower(c.Name)] = columnDefinition(c)
		}
		for _, c := range nc.Columns {
			prior, ok := was[strings.ToLower(c.Name)]
			if def := columnDefinition(c); ok && def != prior {
				out = append(out, backend.ColumnChange{Node: nc.Node, Column: c.Name, Change: backend.ColumnRedefined, Definition: def, OldDefinition: prior})
			}
		}
	}
	return out, nil
}

// columnDefinition is how a node makes a column, as compared between two
// snapshots: its expression (white space folded), or the columns it
// passes through or renames; "" for a constant.
func columnDefinition(c backend.OutputColumn) string {
	if c.Expression != "" {
		return strings.Join(strings.Fields(c.Expression), " ")
	}
	var from []string
	for _, s := range c.Sources {
		node := s.Relation
		if s.Node != "" {
			// Past the type and the package: stg_orders, customers.v2, raw.orders.
			parts := strings.SplitN(s.Node, ".", 3)
			node = parts[len(parts)-1]
		}
		from = append(from, node+"."+s.Column)
	}
	return strings.Join(from, ", ")
}

// reachOf reads a column's downstream trace: its first step (the readers)
// and how far it goes.
func reachOf(t backend.ColumnTrace) ([]backend.ColumnKey, *backend.ColumnReach) {
	var readers []backend.ColumnKey
	for _, e := range t.Edges {
		if keyEqual(e.From, t.Focus) {
			readers = append(readers, e.To)
		}
	}
	reach := &backend.ColumnReach{Truncated: t.Truncated}
	for _, n := range t.Nodes {
		if n.UniqueID == t.Focus.Node && n.Relation == t.Focus.Relation {
			reach.Columns += len(n.Columns) - 1 // the column itself is not reached
			continue
		}
		reach.Nodes++
		reach.Columns += len(n.Columns)
		if n.ResourceType == backend.TypeExposure {
			reach.Exposures++
		}
	}
	return readers, reach
}

func keyEqual(a, b backend.ColumnKey) bool {
	return a.Node == b.Node && a.Relation == b.Relation && strings.EqualFold(a.Column, b.Column)
}
