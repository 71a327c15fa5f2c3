package storage

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"slices"
	"strings"

	"github.com/lineagedesk/lineagedesk/backend"
)

// detailReader reads the parts of a ResourceDetail inside one read transaction.
type detailReader struct {
	ctx        context.Context
	tx         *sql.Tx
	snapshotID int64
	uniqueID   string
}

// columns reads the resource's columns in warehouse order: by catalog index,
// columns the catalog does not know last, then by name.
func (rd detailReader) columns(d *backend.ResourceDetail) error {
	rows, err := rd.tx.QueryContext(rd.ctx, `SELECT name, description, declared_type, catalog_type,
		catalog_index, comment, tags, meta, constraints, in_manifest, in_catalog
		FROM columns WHERE snapshot_id = ? AND unique_id = ?
		ORDER BY catalog_index = 0, catalog_index, name`, rd.snapshotID, rd.uniqueID)
	if err != nil {
		return err
	}
	defer rows.Close()
	d.Columns = nil
	for rows.Next() {
		var (
			c                       backend.Column
			tags, meta, constraints sql.NullString
		)
		if err := rows.Scan(&c.Name, &c.Description, &c.DeclaredType, &c.CatalogType, &c.Index, &c.Comment,
			&tags, &meta, &constraints, &c.InManifest, &c.InCatalog); err != nil {
			return err
		}
		if c.Tags, err = decodeStrings(tags); err != nil {
			return err
		}
		c.Meta, c.Constraints = rawJSON(meta), rawJSON(constraints)
		d.Columns = append(d.Columns, c)
	}
	return rows.Err()
}

// dependencies reads DependsOn back from the edges, sorted by unique_id,
// and sorts DependsOnMacros, adding the macro edges of snapshots written
// before the macros moved to the resource's row (migration 0006).
func (rd detailReader) dependencies(d *backend.ResourceDetail) error {
	rows, err := rd.tx.QueryContext(rd.ctx, `SELECT parent, kind FROM edges
		WHERE snapshot_id = ? AND child = ? ORDER BY parent`, rd.snapshotID, rd.uniqueID)
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		var parent, kind string
		if err := rows.Scan(&parent, &kind); err != nil {
			return err
		}
		if kind == "macro" {
			d.DependsOnMacros = append(d.DependsOnMacros, parent)
		} else {
			d.DependsOn = append(d.DependsOn, parent)
		}
	}
	slices.Sort(d.DependsOnMacros)
	d.DependsOnMacros = slices.Compact(d.DependsOnMacros)
	return rows.Err()
}

func (rd detailReader) catalog(d *backend.ResourceDetail) error {
	var (
		t     backend.CatalogTable
		stats sql.NullString
	)
	err := rd.tx.QueryRowContext(rd.ctx, `SELECT unique_id, type, database, schema, name, owner, comment, stats
		FROM catalog_tables WHERE snapshot_id = ? AND unique_id = ?`, rd.snapshotID, rd.uniqueID).
		Scan(&t.UniqueID, &t.Type, &t.Database, &t.Schema, &t.Name, &t.Owner, &t.Comment, &stats)
	if errors.Is(err, sql.ErrNoRows) {
		return nil
	}
	if err != nil {
		return err
	}
	t.Stats = rawJSON(stats)
	d.Catalog = &t
	return nil
}

// runResultColumns are what scanRunResult reads, from run_results aliased rr.
const runResultColumns = `rr.unique_id, rr.status, rr.failures, rr.message, rr.execution_time, rr.thread_id,
	rr.timing, rr.adapter_response, rr.is_test_outcome`

func scanRunResult(row rowScanner) (backend.RunResult, error) {
	var (
		r                       backend.RunResult
		failures                sql.NullInt64
		timing, adapterResponse sql.NullString
	)
	if err := row.Scan(&r.UniqueID, &r.Status, &failures, &r.Message, &r.ExecutionTime, &r.ThreadID, &timing,
		&adapterResponse, &r.IsTestOutcome); err != nil {
		return r, err
	}
	if failures.Valid {
		r.Failures = &failures.Int64
	}
	r.Timing, r.AdapterResponse = rawJSON(timing), rawJSON(adapterResponse)
	return r, nil
}

// attachedTestsQuery reads a resource's tests with each one's latest
// outcome: those attached to it, and those attached to no single node that
// read it (a singular test over two models that do not read each other),
// as countTestOutcomes counts them. It has no ORDER BY (the tests are
// sorted in Go): to skip that sort the planner walked every resource of the
// snapshot in unique_id order instead of the attached_node index, 0.6-1.3 s
// for one resource page on 50k models against 1 ms
// (TestAttachedTestsUseTheirIndex).
const attachedTestsQuery = `SELECT t.unique_id, t.name, t.test_name, t.test_type,
	t.test_column_name, t.test_severity, rr.position IS NOT NULL, ` + runResultColumns + `
	FROM resources t ` + latestOutcomeJoin + `
	WHERE t.snapshot_id = ?1 AND t.attached_node = ?2 AND t.enabled AND t.resource_type IN ('test', 'unit_test')
	UNION ALL
	SELECT t.unique_id, t.name, t.test_name, t.test_type,
	t.test_column_name, t.test_severity, rr.position IS NOT NULL, ` + runResultColumns + `
	FROM edges e
	JOIN resources t INDEXED BY resources_unattached_tests ON t.snapshot_id = e.snapshot_id AND t.unique_id = e.child ` + latestOutcomeJoin + `
	WHERE e.snapshot_id = ?1 AND e.kind = 'node' AND e.parent = ?2
		AND ` + testChild + ` AND t.attached_node IS NULL AND t.enabled AND t.resource_type IN ('test', 'unit_test')`

// testChild keeps the edges to tests by their unique_id alone (test.pkg.name,
// unit_test.pkg.model.name), so that a node's other children are not looked
// up at all. Tests are then looked up in resources_unattached_tests
// (migration 0015), which holds only those attached to no single node: a
// resource row is wide, and reading one for each child took a resource's
// page on 50k models from 0.10 s and 37 MB to 0.14-0.18 s and 169 MB.
const testChild = `(e.child GLOB 'test.*' OR e.child GLOB 'unit_test.*')`

// latestOutcomeJoin joins test t to its latest real outcome, rr.
const latestOutcomeJoin = `
	LEFT JOIN run_results rr ON rr.snapshot_id = t.snapshot_id AND rr.unique_id = t.unique_id
		AND rr.position = (SELECT max(x.position) FROM run_results x
			WHERE x.snapshot_id = t.snapshot_id AND x.unique_id = t.unique_id AND x.is_test_outcome)`

// tests reads the resource's enabled tests (attachedTestsQuery), each with
// its latest real outcome, and summarises them.
func (rd detailReader) tests(d *backend.ResourceDetail) error {
	rows, err := rd.tx.QueryContext(rd.ctx, attachedTestsQuery, rd.snapshotID, rd.uniqueID)
	if err != nil {
		return err
	}
	defer rows.Close()
	d.Tests = []backend.TestWithResult{}
	for rows.Next() {
		var (
			t         backend.TestWithResult
			testType  sql.NullString
			hasResult bool
			// The result columns are NULL without an outcome.
			id, status, message, thread sql.NullString
			failures                    sql.NullInt64
			execTime                    sql.NullFloat64
			timing, adapterResponse     sql.NullString
			isOutcome                   sql.NullBool
		)
		if err := rows.Scan(&t.UniqueID, &t.Name, &t.TestName, &testType, &t.ColumnName, &t.Severity, &hasResult,
			&id, &status, &failures, &message, &execTime, &thread, &timing, &adapterResponse, &isOutcome); err != nil {
			return err
		}
		t.TestType = testType.String
		if hasResult {
			r := backend.RunResult{UniqueID: id.String, Status: status.String, Message: message.String,
				ExecutionTime: execTime.Float64, ThreadID: thread.String, Timing: rawJSON(timing),
				AdapterResponse: rawJSON(adapterResponse), IsTestOutcome: isOutcome.Bool}
			if failures.Valid {
				r.Failures = &failures.Int64
			}
			t.Result = &r
		}
		d.Tests = append(d.Tests, t)
	}
	if err := rows.Err(); err != nil {
		return err
	}
	slices.SortFunc(d.Tests, func(a, b backend.TestWithResult) int { return strings.Compare(a.UniqueID, b.UniqueID) })
	var outcomes bool
	if err := rd.tx.QueryRowContext(rd.ctx, `SELECT has_test_outcomes FROM snapshots WHERE id = ?`,
		rd.snapshotID).Scan(&outcomes); err != nil {
		return err
	}
	if outcomes {
		for _, t := range d.Tests {
			status := ""
			if t.Result != nil {
				status = t.Result.Status
			}
			d.TestSummary.Count(status)
		}
	}
	// A test's summary is its own outcome, as lists count it.
	if outcomes && (d.ResourceType == backend.TypeTest || d.ResourceType == backend.TypeUnitTest) {
		var status sql.NullString
		err := rd.tx.QueryRowContext(rd.ctx, `SELECT status FROM run_results WHERE snapshot_id = ? AND unique_id = ? AND is_test_outcome
			ORDER BY position DESC LIMIT 1`, rd.snapshotID, rd.uniqueID).Scan(&status)
		if err != nil && !errors.Is(err, sql.ErrNoRows) {
			return err
		}
		d.TestSummary.Count(status.String)
	}
	return nil
}

// ownResults reads the resource's own latest run result (a test outcome or
// not) and its latest freshness result.
func (rd detailReader) ownResults(d *backend.ResourceDetail) error {
	r, err := scanRunResult(rd.tx.QueryRowContext(rd.ctx, `SELECT `+runResultColumns+` FROM run_results rr
		WHERE rr.snapshot_id = ? AND rr.unique_id = ? ORDER BY rr.position DESC LIMIT 1`, rd.snapshotID, rd.uniqueID))
	switch {
	case errors.Is(err, sql.ErrNoRows):
	case err != nil:
		return err
	default:
		d.RunResult = &r
		if err := rd.tx.QueryRowContext(rd.ctx, `SELECT run_command FROM snapshots WHERE id = ?`, rd.snapshotID).Scan(&d.RunCommand); err != nil && !errors.Is(err, sql.ErrNoRows) {
			return fmt.Errorf("the run command of snapshot %d: %w", rd.snapshotID, err)
		}
	}
	var (
		f        backend.FreshnessResult
		criteria sql.NullString
	)
	err = rd.tx.QueryRowContext(rd.ctx, `SELECT unique_id, status, max_loaded_at, snapshotted_at, age_seconds,
		criteria, error, execution_time FROM freshness WHERE snapshot_id = ? AND unique_id = ?
		ORDER BY position DESC LIMIT 1`, rd.snapshotID, rd.uniqueID).
		Scan(&f.UniqueID, &f.Status, &f.MaxLoadedAt, &f.SnapshottedAt, &f.AgeSeconds, &criteria, &f.Error, &f.ExecutionTime)
	switch {
	case errors.Is(err, sql.ErrNoRows):
		return nil
	case err != nil:
		return err
	}
	f.Criteria = rawJSON(criteria)
	d.Freshness = &f
	return nil
}

// neighbours reads summaries of the resources this one reads from and of
// those reading from it. Tests are left out of the children: the detail
// lists them under Tests.
func (rd detailReader) neighbours(d *backend.ResourceDetail) error {
	var err error
	if d.Parents, err = rd.summaries(`SELECT parent FROM edges WHERE snapshot_id = ? AND child = ? AND kind = 'node'`, false); err != nil {
		return err
	}
	d.Children, err = rd.summaries(`SELECT child FROM edges WHERE snapshot_id = ? AND parent = ? AND kind = 'node'`, true)
	return err
}

func (rd detailReader) summaries(idsQuery string, skipTests bool) ([]backend.ResourceSummary, error) {
	rows, err := rd.tx.QueryContext(rd.ctx, `SELECT `+summaryColumns+` FROM resources r
		WHERE r.snapshot_id = ? AND r.unique_id IN (`+idsQuery+`)
		  AND NOT (? AND r.resource_type IN ('test', 'unit_test'))
		ORDER BY r.unique_id`, rd.snapshotID, rd.snapshotID, rd.uniqueID, skipTests)
	if err != nil {
		return nil, err
	}
	list, err := scanSummaries(rows)
	if err != nil {
		return nil, err
	}
	if err := addRunStates(rd.ctx, rd.tx, rd.snapshotID, list); err != nil {
		return nil, err
	}
	if err := addTestSummaries(rd.ctx, rd.tx, rd.snapshotID, list); err != nil {
		return nil, err
	}
	return list, nil
}
