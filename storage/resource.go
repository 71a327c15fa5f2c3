package storage

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"strings"

	"github.com/lineagedesk/lineagedesk/backend"
)

// resourceColumns are the resources columns scanResource reads, in order.
const resourceColumns = `unique_id, resource_type, name, package, fqn, path, patch_path, checksum, database, schema,
	identifier, relation_name, materialized, description, tags, meta, config, enabled, language, raw_code,
	compiled_code, access, grp, version, latest_version, contract_enforced, test_type, test_name,
	test_namespace, test_kwargs, test_column_name, test_severity, coalesce(attached_node, ''), source_name,
	source_description, loader, loaded_at_field, freshness_config, exposure_type, owner_name, owner_email,
	maturity, url, label, depends_on_macros, raw`

// scanResource reads a row of resourceColumns; the raw JSON it returns as
// stored, for resolveRaw.
func scanResource(row rowScanner) (backend.Resource, []byte, error) {
	var (
		r                                          backend.Resource
		fqn, tags, meta, config, kwargs, freshness sql.NullString
		macros                                     sql.NullString
		raw                                        []byte
		testType, sourceName, exposureType         sql.NullString
		test                                       backend.TestInfo
		source                                     backend.SourceInfo
		exposure                                   backend.ExposureInfo
	)
	err := row.Scan(&r.UniqueID, &r.ResourceType, &r.Name, &r.Package, &fqn, &r.Path, &r.PatchPath, &r.Checksum, &r.Database,
		&r.Schema, &r.Identifier, &r.RelationName, &r.Materialized, &r.Description, &tags, &meta, &config,
		&r.Enabled, &r.Language, &r.RawCode, &r.CompiledCode, &r.Access, &r.Group, &r.Version, &r.LatestVersion,
		&r.ContractEnforced, &testType, &test.TestName, &test.Namespace, &kwargs, &test.ColumnName,
		&test.Severity, &test.AttachedNode, &sourceName, &source.SourceDescription, &source.Loader,
		&source.LoadedAtField, &freshness, &exposureType, &exposure.OwnerName, &exposure.OwnerEmail,
		&exposure.Maturity, &exposure.URL, &exposure.Label, &macros, &raw)
	if err != nil {
		return r, nil, err
	}
	if r.FQN, err = decodeStrings(fqn); err != nil {
		return r, nil, fmt.Errorf("resource %s: fqn: %w", r.UniqueID, err)
	}
	if r.Tags, err = decodeStrings(tags); err != nil {
		return r, nil, fmt.Errorf("resource %s: tags: %w", r.UniqueID, err)
	}
	if r.DependsOnMacros, err = decodeStrings(macros); err != nil {
		return r, nil, fmt.Errorf("resource %s: depends_on_macros: %w", r.UniqueID, err)
	}
	r.Meta, r.Config = rawJSON(meta), rawJSON(config)
	if testType.Valid {
		test.TestType, test.Kwargs = testType.String, rawJSON(kwargs)
		r.Test = &test
	}
	if sourceName.Valid {
		source.SourceName, source.Freshness = sourceName.String, rawJSON(freshness)
		r.Source = &source
	}
	if exposureType.Valid {
		exposure.Type = exposureType.String
		r.Exposure = &exposure
	}
	return r, raw, nil
}

// resolveRaw decodes a resource's stored raw JSON, reading the block it
// points into inside tx.
func resolveRaw(ctx context.Context, tx *sql.Tx, snapshotID int64, stored []byte) (json.RawMessage, error) {
	blocks := blockCache{ctx: ctx, tx: tx, snapshotID: snapshotID}
	return decodeRaw(stored, blocks.inflated)
}

// Resource returns one resource with its columns, catalog entry, tests and
// their latest outcomes, its own results and its neighbours.
func (s *Store) Resource(ctx context.Context, snapshotID int64, uniqueID string) (backend.ResourceDetail, error) {
	var d backend.ResourceDetail
	// One read transaction, so every part comes from the same committed state.
	tx, err := s.reader.BeginTx(ctx, &sql.TxOptions{ReadOnly: true})
	if err != nil {
		return d, fmt.Errorf("read resource %s: %w", uniqueID, err)
	}
	defer tx.Rollback()
	r, raw, err := scanResource(tx.QueryRowContext(ctx, `SELECT `+resourceColumns+` FROM resources
		WHERE snapshot_id = ? AND unique_id = ?`, snapshotID, uniqueID))
	if errors.Is(err, sql.ErrNoRows) {
		return d, backend.Errorf(backend.ENOTFOUND, "there is no resource %s in snapshot %d", uniqueID, snapshotID)
	}
	if err != nil {
		return d, fmt.Errorf("read resource %s: %w", uniqueID, err)
	}
	if r.Raw, err = resolveRaw(ctx, tx, snapshotID, raw); err != nil {
		return d, fmt.Errorf("read resource %s: raw JSON: %w", uniqueID, err)
	}
	if r.ResourceType == backend.TypeSemanticModel {
		r.Elements = backend.SemanticElementsOf(r.Raw) // as the import read them
	}
	d.Resource, d.Raw = r, r.Raw
	rd := detailReader{ctx: ctx, tx: tx, snapshotID: snapshotID, uniqueID: uniqueID}
	for _, step := range []func(*backend.ResourceDetail) error{
		rd.columns, rd.dependencies, rd.catalog, rd.tests, rd.ownResults, rd.neighbours,
	} {
		if err := step(&d); err != nil {
			return d, fmt.Errorf("read resource %s: %w", uniqueID, err)
		}
	}
	return d, nil
}

// Resources lists summaries of the enabled resources matching f, sorted by
// unique_id.
func (s *Store) Resources(ctx context.Context, snapshotID int64, f backend.ResourceFilter) ([]backend.ResourceSummary, error) {
	if err := s.requireSnapshot(ctx, snapshotID); err != nil {
		return nil, err
	}
	where := []string{"snapshot_id = ?", "enabled"}
	args := []any{snapshotID}
	if len(f.ResourceTypes) > 0 {
		where = append(where, "resource_type IN (SELECT value FROM json_each(?))")
		args = append(args, stringsOrNil(f.ResourceTypes))
	}
	if f.Package != "" {
		where = append(where, "package = ?")
		args = append(args, f.Package)
	}
	from := "resources r"
	if p := strings.Trim(f.FolderPrefix, "/"); p != "" {
		// The folder itself and everything below it; '0' follows '/' in
		// byte order, so the range holds exactly the "p/..." folders.
		sparse, err := s.folderIsSparse(ctx, snapshotID, p, f)
		if err != nil {
			return nil, fmt.Errorf("list resources of snapshot %d: %w", snapshotID, err)
		}
		if sparse {
			from = "resources r INDEXED BY resources_by_folder"
			where = append(where, "folder >= ? AND folder < ? AND (folder = ? OR folder > ?)")
			args = append(args, p, p+"0", p, p+"/")
		} else {
			where = append(where, "(folder = ? OR (folder > ? AND folder < ?))")
			args = append(args, p, p+"/", p+"0")
		}
	}
	if f.Tag != "" {
		where = append(where, "EXISTS (SELECT 1 FROM json_each(tags) WHERE value = ?)")
		args = append(args, f.Tag)
	}
	if f.Materialized != "" {
		where = append(where, "materialized = ?")
		args = append(args, f.Materialized)
	}
	limit := f.Limit
	if limit <= 0 {
		limit = -1
	}
	args = append(args, limit, max(f.Offset, 0))
	rows, err := s.reader.QueryContext(ctx, `SELECT `+summaryColumns+` FROM `+from+`
		WHERE `+strings.Join(where, " AND ")+` ORDER BY unique_id LIMIT ? OFFSET ?`, args...)
	if err != nil {
		return nil, fmt.Errorf("list resources of snapshot %d: %w", snapshotID, err)
	}
	list, err := scanSummaries(rows)
	if err != nil {
		return nil, fmt.Errorf("list resources of snapshot %d: %w", snapshotID, err)
	}
	if err := addTestSummaries(ctx, s.reader, snapshotID, list); err != nil {
		return nil, fmt.Errorf("list resources of snapshot %d: %w", snapshotID, err)
	}
	if err := addRunStates(ctx, s.reader, snapshotID, list); err != nil {
		return nil, fmt.Errorf("list resources of snapshot %d: %w", snapshotID, err)
	}
	return list, nil
}

// folderIsSparse reports whether a listing of folder p (and below) reads
// fewer rows through the folder index, then sorted, than by walking the
// snapshot's rows in unique_id order until the page is full: when the
// folder's rows, n of all t the other filters keep (the project tree's
// counts), satisfy n² < page × t; always without a page. On 50k models a
// 12-resource folder took 0.26 s by the walk, 0.2 ms by the index; the
// first 200 of "models" (181k rows) 2 ms by the walk, 0.56 s by the index.
func (s *Store) folderIsSparse(ctx context.Context, snapshotID int64, p string, f backend.ResourceFilter) (bool, error) {
	if f.Limit <= 0 {
		return true, nil
	}
	where := "snapshot_id = ?1"
	if len(f.ResourceTypes) > 0 {
		where += " AND resource_type IN (SELECT value FROM json_each(?2))"
	}
	if f.Package != "" {
		where += " AND package = ?3"
	}
	var inFolder, all int64
	err := s.reader.QueryRowContext(ctx, `SELECT coalesce(sum(resources) FILTER (WHERE folder = ?4 OR (folder > ?5 AND folder < ?6)), 0),
		coalesce(sum(resources), 0) FROM snapshot_tree WHERE `+where,
		snapshotID, stringsOrNil(f.ResourceTypes), f.Package, p, p+"/", p+"0").Scan(&inFolder, &all)
	if err != nil {
		return false, fmt.Errorf("count folder %s: %w", p, err)
	}
	return inFolder*inFolder < int64(f.Limit+max(f.Offset, 0))*all, nil
}

// DisabledNamed implements backend.ResourceStore. It reads every resource
// row of the snapshot (no index holds names), which only a selector that
// matched nothing asks for.
func (s *Store) DisabledNamed(ctx context.Context, snapshotID int64, names []string) ([]string, error) {
	if len(names) == 0 {
		return nil, nil
	}
	// The name index folds case: it finds the candidates (by the exact
	// name alone SQLite read every row of the snapshot, 0.7 s at 50k
	// models, on each selector that matched nothing), the exact name
	// keeps them.
	rows, err := s.reader.QueryContext(ctx, `SELECT unique_id FROM resources INDEXED BY resources_by_name
		WHERE snapshot_id = ?1 AND name COLLATE NOCASE IN (SELECT value FROM json_each(?2))
		  AND name IN (SELECT value FROM json_each(?2)) AND NOT enabled ORDER BY unique_id`,
		snapshotID, stringsOrNil(names))
	if err != nil {
		return nil, fmt.Errorf("find disabled resources named %q in snapshot %d: %w", names, snapshotID, err)
	}
	defer rows.Close()
	var ids []string
	for rows.Next() {
		var id string
		if err := rows.Scan(&id); err != nil {
			return nil, fmt.Errorf("find disabled resources named %q in snapshot %d: %w", names, snapshotID, err)
		}
		ids = append(ids, id)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("find disabled resources named %q in snapshot %d: %w", names, snapshotID, err)
	}
	return ids, nil
}

// NamedIn implements backend.ResourceStore, from the unique_id and name
// indexes.
func (s *Store) NamedIn(ctx context.Context, snapshotIDs []int64, ref string) (map[int64]string, error) {
	held := map[int64]string{}
	if len(snapshotIDs) == 0 {
		return held, nil
	}
	// Either index answers one half; with OR, SQLite read every row.
	const heldOnly = ` AND enabled AND resource_type NOT IN ('test', 'unit_test')
		AND NOT (resource_type = 'model' AND path = '')` // backend.Resource.CrossProject: its project holds the model
	rows, err := s.reader.QueryContext(ctx, `SELECT snapshot_id, unique_id, name FROM (
			SELECT snapshot_id, unique_id, name FROM resources
			WHERE snapshot_id IN (SELECT value FROM json_each(?1)) AND unique_id = ?2`+heldOnly+`
			UNION
			SELECT snapshot_id, unique_id, name FROM resources INDEXED BY resources_by_name
			WHERE snapshot_id IN (SELECT value FROM json_each(?1)) AND name = ?2 COLLATE NOCASE`+heldOnly+`)
		ORDER BY snapshot_id, unique_id != ?2, unique_id`, idList(snapshotIDs), ref)
	if err != nil {
		return nil, fmt.Errorf("find %q in snapshots %v: %w", ref, snapshotIDs, err)
	}
	defer rows.Close()
	for rows.Next() {
		var (
			snapshotID     int64
			uniqueID, name string
		)
		if err := rows.Scan(&snapshotID, &uniqueID, &name); err != nil {
			return nil, fmt.Errorf("find %q in snapshots %v: %w", ref, snapshotIDs, err)
		}
		if _, found := held[snapshotID]; !found && (uniqueID == ref || name == ref) {
			held[snapshotID] = uniqueID
		}
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("find %q in snapshots %v: %w", ref, snapshotIDs, err)
	}
	return held, nil
}

// summaryColumns are what scanSummaries reads; a summary carries the first
// 300 characters of the description.
// The query must name resources "r".
const summaryColumns = `r.unique_id, r.resource_type, r.name, r.package, r.path, r.relation_name, r.materialized,
	substr(r.description, 1, 300), r.tags, r.version, r.enabled = 0`

func scanSummary(row rowScanner, extra ...any) (backend.ResourceSummary, error) {
	var (
		r    backend.ResourceSummary
		tags sql.NullString
	)
	dest := append([]any{&r.UniqueID, &r.ResourceType, &r.Name, &r.Package, &r.Path, &r.RelationName,
		&r.Materialized, &r.Description, &tags, &r.Version, &r.Disabled}, extra...)
	if err := row.Scan(dest...); err != nil {
		return r, err
	}
	var err error
	if r.Tags, err = decodeStrings(tags); err != nil {
		return r, fmt.Errorf("resource %s: tags: %w", r.UniqueID, err)
	}
	return r, nil
}

func scanSummaries(rows *sql.Rows) ([]backend.ResourceSummary, error) {
	defer rows.Close()
	list := []backend.ResourceSummary{}
	for rows.Next() {
		r, err := scanSummary(rows)
		if err != nil {
			return nil, err
		}
		list = append(list, r)
	}
	return list, rows.Err()
}

type querier interface {
	QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error)
	QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row
}

// addRunStates fills each summary's RunStatus, from the snapshot's run
// when it built nodes, and FreshnessStatus (QA: a model whose build
// errored, a source whose freshness errored, showed only their tests in
// the lists).
func addRunStates(ctx context.Context, q querier, snapshotID int64, list []backend.ResourceSummary) error {
	if len(list) == 0 {
		return nil
	}
	var command string // none when another process deleted the snapshot meanwhile: no run states
	if err := q.QueryRowContext(ctx, `SELECT run_command FROM snapshots WHERE id = ?`, snapshotID).Scan(&command); err != nil && !errors.Is(err, sql.ErrNoRows) {
		return fmt.Errorf("the run command of snapshot %d: %w", snapshotID, err)
	}
	at := make(map[string]int, len(list))
	ids := make([]string, len(list))
	for i := range list {
		at[list[i].UniqueID], ids[i] = i, list[i].UniqueID
	}
	idList, err := json.Marshal(ids)
	if err != nil {
		return err
	}
	fill := func(query string, set func(r *backend.ResourceSummary, status string)) error {
		// CROSS JOIN keeps json_each outside: one primary-key range per id;
		// SQLite takes the bare status from the row max() picks.
		rows, err := q.QueryContext(ctx, query, snapshotID, string(idList))
		if err != nil {
			return err
		}
		defer rows.Close()
		for rows.Next() {
			var (
				id, status string
				position   int64
			)
			if err := rows.Scan(&id, &status, &position); err != nil {
				return err
			}
			set(&list[at[id]], status)
		}
		return rows.Err()
	}
	if backend.RunsNodes(command) {
		if err := fill(`SELECT j.value, rr.status, max(rr.position) FROM json_each(?2) j
			CROSS JOIN run_results rr ON rr.snapshot_id = ?1 AND rr.unique_id = j.value GROUP BY j.value`,
			func(r *backend.ResourceSummary, status string) { r.RunStatus = status }); err != nil {
			return fmt.Errorf("run statuses of snapshot %d: %w", snapshotID, err)
		}
	}
	if err := fill(`SELECT j.value, f.status, max(f.position) FROM json_each(?2) j
		CROSS JOIN freshness f ON f.snapshot_id = ?1 AND f.unique_id = j.value GROUP BY j.value`,
		func(r *backend.ResourceSummary, status string) { r.FreshnessStatus = status }); err != nil {
		return fmt.Errorf("freshness of snapshot %d: %w", snapshotID, err)
	}
	return nil
}

// addTestSummaries fills the Tests of each summary from its enabled tests
// (testSummaries) and their latest real outcomes.
func addTestSummaries(ctx context.Context, q querier, snapshotID int64, list []backend.ResourceSummary) error {
	if len(list) == 0 {
		return nil
	}
	ids := make([]string, len(list))
	for i := range list {
		ids[i] = list[i].UniqueID
	}
	summaries, err := testSummaries(ctx, q, snapshotID, ids)
	if err != nil {
		return err
	}
	for i := range list {
		list[i].Tests = summaries[list[i].UniqueID]
	}
	return nil
}

// testSummaries counts, for each of the nodes, the enabled tests of it by
// their latest real outcome: those attached to it and those attached to no
// single node that read it, as countTestOutcomes counts them; a test among
// the nodes counts itself, so a list of tests shows how each fared. Nothing is counted when the
// snapshot has no real test outcomes at all (a docs generate or compile),
// as backend.TestSummary documents.
func testSummaries(ctx context.Context, q querier, snapshotID int64, nodes []string) (map[string]backend.TestSummary, error) {
	const outcome = `(SELECT rr.status FROM run_results rr
			WHERE rr.snapshot_id = t.snapshot_id AND rr.unique_id = t.unique_id AND rr.is_test_outcome
			ORDER BY rr.position DESC LIMIT 1)`
	const tested = `t.enabled AND t.resource_type IN ('test', 'unit_test') AND (SELECT has_test_outcomes FROM snapshots WHERE id = ?1)`
	rows, err := q.QueryContext(ctx, `
		SELECT t.attached_node, `+outcome+` FROM resources t
		WHERE t.snapshot_id = ?1 AND t.attached_node IN (SELECT value FROM json_each(?2)) AND `+tested+`
		UNION ALL
		SELECT e.parent, `+outcome+` FROM edges e
		JOIN resources t INDEXED BY resources_unattached_tests ON t.snapshot_id = e.snapshot_id AND t.unique_id = e.child
		WHERE e.snapshot_id = ?1 AND e.kind = 'node' AND e.parent IN (SELECT value FROM json_each(?2))
			AND `+testChild+` AND t.attached_node IS NULL AND `+tested+`
		UNION ALL
		SELECT t.unique_id, `+outcome+` FROM resources t
		WHERE t.snapshot_id = ?1 AND t.unique_id IN (SELECT value FROM json_each(?2)) AND `+tested,
		snapshotID, stringsOrNil(nodes))
	if err != nil {
		return nil, fmt.Errorf("summarise tests: %w", err)
	}
	defer rows.Close()
	out := map[string]backend.TestSummary{}
	for rows.Next() {
		var (
			node   string
			status sql.NullString
		)
		if err := rows.Scan(&node, &status); err != nil {
			return nil, fmt.Errorf("summarise tests: %w", err)
		}
		sum := out[node]
		sum.Count(status.String)
		out[node] = sum
	}
	return out, rows.Err()
}
