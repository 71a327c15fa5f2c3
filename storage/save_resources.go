package storage

import (
	"cmp"
	"context"
	"database/sql"
	"fmt"
	"slices"
	"strings"

	"github.com/lineagedesk/lineagedesk/backend"
)

// streamed is a resource on its way from the reader to its rows; raw is
// what its raw column stores (rawcodec.go), once deflated.
type streamed struct {
	r   backend.Resource
	raw any
}

// resourceBatch is what the goroutines hand on: resources and, once
// deflated, the raw_blocks rows holding their raw JSON.
type resourceBatch struct {
	items  []streamed
	blocks []rawBlock
}

// The goroutines hand resources on streamBatch at a time, so they meet
// once per batch rather than once per resource, and at most streamDepth
// batches wait between two of them.
const (
	streamBatch = 32
	streamDepth = 4
)

// stream writes what read reads, through three goroutines: read parses
// the artifacts, another deflates each resource's raw JSON, and this one
// writes the rows as they arrive. Parsing, deflating and SQLite together
// keep two cores busy, and only the resources on their way are in memory.
// It returns the rest of the bundle and what the rows say about it: the
// enabled resources per resource_type, the dependencies (sorted) and the
// lineage nodes.
func (w *bundleWriter) stream(read func(context.Context, func(*backend.Resource) error) (*backend.Bundle, error)) (*backend.Bundle, *resourceRows, error) {
	ctx, stop := context.WithCancel(w.ctx)
	defer stop()
	parsed := make(chan resourceBatch, streamDepth)
	var rest *backend.Bundle
	var readErr error
	go func() {
		defer close(parsed)
		rest, readErr = readInBatches(ctx, read, parsed)
	}()
	deflated := make(chan resourceBatch, streamDepth)
	var deflateErr error
	go func() {
		defer close(deflated)
		deflateErr = deflateRaws(ctx, parsed, deflated)
	}()
	rows, err := w.resources(deflated)
	if err != nil {
		stop()
		for range deflated { // let the other goroutines see the cancellation and end
		}
		return nil, nil, err
	}
	if readErr != nil {
		return nil, nil, readErr
	}
	if deflateErr != nil {
		return nil, nil, deflateErr
	}
	if rest == nil {
		return nil, nil, fmt.Errorf("read artifacts: no bundle") // a bug of the reader
	}
	if err := w.edges(rows.edges); err != nil {
		return nil, nil, err
	}
	if err := w.tree(rows.places); err != nil {
		return nil, nil, err
	}
	return rest, rows, nil
}

// readInBatches runs read, sending what it emits on out in batches.
func readInBatches(ctx context.Context, read func(context.Context, func(*backend.Resource) error) (*backend.Bundle, error), out chan<- resourceBatch) (*backend.Bundle, error) {
	batch := make([]streamed, 0, streamBatch)
	send := func() error {
		select {
		case out <- resourceBatch{items: batch}:
			batch = make([]streamed, 0, streamBatch)
			return nil
		case <-ctx.Done():
			return ctx.Err()
		}
	}
	rest, err := read(ctx, func(r *backend.Resource) error {
		batch = append(batch, streamed{r: *r})
		if len(batch) < streamBatch {
			return nil
		}
		return send()
	})
	if err == nil && len(batch) > 0 {
		err = send()
	}
	return rest, err
}

// deflateRaws deflates the raw JSON of the resources of each batch into
// blocks, which each resource then references instead, and passes the
// batch on with its blocks. On an error it drains in, so the reader can
// end.
func deflateRaws(ctx context.Context, in <-chan resourceBatch, out chan<- resourceBatch) error {
	c := newRawBlocker()
	var failed error
	for batch := range in {
		if failed != nil {
			continue
		}
		for i := range batch.items {
			item := &batch.items[i]
			ref, err := c.add(item.r.Raw)
			if err != nil {
				failed = fmt.Errorf("resource %s: compress raw JSON: %w", item.r.UniqueID, err)
				break
			}
			item.raw, item.r.Raw = ref, nil
		}
		if failed == nil {
			batch.blocks, failed = c.flush()
		}
		if failed != nil {
			continue
		}
		select {
		case out <- batch:
		case <-ctx.Done():
			failed = ctx.Err()
		}
	}
	return failed
}

// resourceRows writes the rows of one resource after another, noting what
// is written once they are all in: the counts, the dependencies and the
// lineage nodes.
type resourceRows struct {
	w                                *bundleWriter
	insResource, insColumn, insBlock *sql.Stmt
	counts                           map[string]int
	places                           map[treePlace]int // enabled resources by package, folder, type
	edges                            []edge
	graph                            graphBuilder // lineage_build.go
	columnText                       strings.Builder
	args                             []any
}

// resources writes the rows of each resource as it arrives (the resource
// with its macro dependencies, its columns); the dependencies on other
// resources wait in the resourceRows it returns.
func (w *bundleWriter) resources(batches <-chan resourceBatch) (*resourceRows, error) {
	rows := resourceRows{w: w, counts: map[string]int{}, places: map[treePlace]int{}, args: make([]any, 0, 48)}
	var err error
	rows.insResource, err = w.prepare(`INSERT INTO resources (snapshot_id, unique_id, resource_type, name, package,
		fqn, path, folder, patch_path, database, schema, identifier, relation_name, materialized, description,
		tags, meta, config, enabled, language, raw_code, compiled_code, access, grp, version, latest_version,
		contract_enforced, column_text, test_type, test_name, test_namespace, test_kwargs, test_column_name,
		test_severity, attached_node, source_name, source_description, loader, loaded_at_field, freshness_config,
		exposure_type, owner_name, owner_email, maturity, url, label, depends_on_macros, raw, checksum)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`)
	if err != nil {
		return nil, err
	}
	defer rows.insResource.Close()
	rows.insColumn, err = w.prepare(`INSERT INTO columns (snapshot_id, unique_id, position, name, description,
		declared_type, catalog_type, catalog_index, comment, tags, meta, constraints, in_manifest, in_catalog)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`)
	if err != nil {
		return nil, err
	}
	defer rows.insColumn.Close()
	rows.insBlock, err = w.prepare(`INSERT INTO raw_blocks (snapshot_id, block, data) VALUES (?, ?, ?)`)
	if err != nil {
		return nil, err
	}
	defer rows.insBlock.Close()
	for batch := range batches {
		for _, b := range batch.blocks {
			if _, err := rows.insBlock.ExecContext(w.ctx, w.snapshotID, b.number, b.data); err != nil {
				return nil, fmt.Errorf("raw JSON block %d: %w", b.number, err)
			}
		}
		for i := range batch.items {
			if err := rows.write(&batch.items[i]); err != nil {
				return nil, err
			}
		}
	}
	return &rows, nil
}

func (rr *resourceRows) write(item *streamed) error {
	w, r := rr.w, &item.r
	if r.Enabled {
		rr.counts[r.ResourceType]++
		rr.places[treePlace{r.Package, r.Folder(), r.ResourceType}]++
	}
	rr.graph.add(r)
	for _, p := range r.DependsOn {
		rr.edges = append(rr.edges, edge{"node", p, r.UniqueID})
	}
	rr.columnText.Reset()
	for _, c := range r.Columns {
		rr.columnLine(c.Name, c.Description)
	}
	for _, e := range r.Elements {
		rr.columnLine(e.Name, e.Description)
	}
	args := append(rr.args[:0], w.snapshotID, r.UniqueID, r.ResourceType, r.Name, r.Package,
		stringsOrNil(r.FQN), r.Path, r.Folder(), r.PatchPath, r.Database, r.Schema, r.Identifier,
		r.RelationName, r.Materialized, r.Description, stringsOrNil(r.Tags), textOrNil(r.Meta),
		textOrNil(r.Config), boolInt(r.Enabled), r.Language, r.RawCode, r.CompiledCode, r.Access,
		r.Group, r.Version, r.LatestVersion, boolInt(r.ContractEnforced), rr.columnText.String())
	if t := r.Test; t != nil {
		args = append(args, t.TestType, t.TestName, t.Namespace, textOrNil(t.Kwargs), t.ColumnName,
			t.Severity, nullIfEmpty(t.AttachedNode))
	} else {
		args = append(args, nil, "", "", nil, "", "", nil)
	}
	if src := r.Source; src != nil {
		args = append(args, src.SourceName, src.SourceDescription, src.Loader, src.LoadedAtField,
			textOrNil(src.Freshness))
	} else {
		args = append(args, nil, "", "", "", nil)
	}
	if e := r.Exposure; e != nil {
		args = append(args, e.Type, e.OwnerName, e.OwnerEmail, e.Maturity, e.URL, e.Label)
	} else {
		args = append(args, nil, "", "", "", "", "")
	}
	args = append(args, stringsOrNil(r.DependsOnMacros), item.raw, r.Checksum)
	rr.args = args
	if _, err := rr.insResource.ExecContext(w.ctx, args...); err != nil {
		return resourceError(r, err)
	}
	if err := w.tick(); err != nil {
		return err
	}
	for pos, c := range r.Columns {
		if _, err := rr.insColumn.ExecContext(w.ctx, w.snapshotID, r.UniqueID, pos, c.Name, c.Description,
			c.DeclaredType, c.CatalogType, c.Index, c.Comment, stringsOrNil(c.Tags), jsonOrNil(c.Meta),
			jsonOrNil(c.Constraints), boolInt(c.InManifest), boolInt(c.InCatalog)); err != nil {
			return fmt.Errorf("resource %s: column %q: %w", r.UniqueID, c.Name, err)
		}
		if err := w.tick(); err != nil {
			return err
		}
	}
	return nil
}

// columnLine adds a column, or a semantic model's element, to the text
// search finds the resource by.
func (rr *resourceRows) columnLine(name, description string) {
	rr.columnText.WriteString(name)
	if description != "" {
		rr.columnText.WriteString(": ")
		rr.columnText.WriteString(description)
	}
	rr.columnText.WriteByte('\n')
}

// edge is a dependency of child on another resource. Macro dependencies
// are a column of the child's row (migration 0006); kind stays in the key
// for the macro edges of snapshots written before.
type edge struct{ kind, parent, child string }

// edges writes the dependencies in the order of their key (kind, parent,
// child), so each insert appends to the B-tree instead of splitting pages
// all over it. A resource listing the same parent twice is harmless; one
// edge is kept.
func (w *bundleWriter) edges(edges []edge) error {
	slices.SortFunc(edges, func(a, b edge) int {
		return cmp.Or(strings.Compare(a.kind, b.kind), strings.Compare(a.parent, b.parent), strings.Compare(a.child, b.child))
	})
	ins, err := w.prepare(`INSERT OR IGNORE INTO edges (snapshot_id, parent, child, kind) VALUES (?, ?, ?, ?)`)
	if err != nil {
		return err
	}
	defer ins.Close()
	for _, e := range edges {
		if _, err := ins.ExecContext(w.ctx, w.snapshotID, e.parent, e.child, e.kind); err != nil {
			return fmt.Errorf("resource %s: dependency %s: %w", e.child, e.parent, err)
		}
		if err := w.tick(); err != nil {
			return err
		}
	}
	return nil
}

// treePlace is a package's folder and a resource type in it.
type treePlace struct{ pkg, folder, resourceType string }

// tree writes the snapshot's counts of enabled resources by package,
// folder and type (snapshot_tree, migration 0014), which Tree reads.
func (w *bundleWriter) tree(places map[treePlace]int) error {
	stmt, err := w.tx.PrepareContext(w.ctx, `INSERT INTO snapshot_tree (snapshot_id, package, folder, resource_type, resources)
		VALUES (?, ?, ?, ?, ?)`)
	if err != nil {
		return fmt.Errorf("write the project tree: %w", err)
	}
	defer stmt.Close()
	for p, n := range places {
		if _, err := stmt.ExecContext(w.ctx, w.snapshotID, p.pkg, p.folder, p.resourceType, n); err != nil {
			return fmt.Errorf("write the project tree: %w", err)
		}
	}
	return nil
}
