package storage_test

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"path/filepath"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/lineagedesk/lineagedesk/backend"
	"github.com/lineagedesk/lineagedesk/backend/artifact/artifacttest"
	"github.com/lineagedesk/lineagedesk/storage"
	_ "modernc.org/sqlite"
)

// saveFixture imports a real fixture dataset (testdata/fixtures) through
// the parser into a fresh store, returning the store, its file, the
// snapshot and the parsed bundle the expectations are computed from.
func saveFixture(t *testing.T, dataset string) (*storage.Store, string, backend.Snapshot, *backend.Bundle) {
	t.Helper()
	b := loadDir(t, filepath.Join(artifacttest.Dir(), dataset)) // lineage_build_test.go
	s, path := openStore(t)
	snap, err := s.SaveSnapshot(t.Context(), backend.NewSnapshot{Name: dataset, Origin: backend.Origin{Kind: backend.OriginPath}, Bundle: b})
	if err != nil {
		t.Fatal(err)
	}
	return s, path, snap, b
}

// openStore opens a fresh store in a temporary directory.
func openStore(tb testing.TB) (*storage.Store, string) {
	tb.Helper()
	path := filepath.Join(tb.TempDir(), "data", "lineagedesk.db")
	s, err := storage.Open(context.Background(), path)
	if err != nil {
		tb.Fatalf("Open(%s): %v", path, err)
	}
	tb.Cleanup(func() { s.Close() })
	return s, path
}

// rawDB opens the same file directly, for assertions about what is stored.
func rawDB(tb testing.TB, path string) *sql.DB {
	tb.Helper()
	db, err := sql.Open("sqlite", path+"?_pragma=busy_timeout(5000)")
	if err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() { db.Close() })
	return db
}

func i64(v int64) *int64 { return &v }

// shopBundle is a small hand-written project with one of everything: two
// packages, nested folders, a source with freshness, seeds, models with
// columns and catalog entries, generic, singular and unit tests with
// results, an exposure, a disabled model, a macro and a doc block.
func shopBundle() *backend.Bundle {
	gen := time.Date(2025, 3, 4, 5, 6, 7, 123456000, time.UTC)
	res := []backend.Resource{
		{
			UniqueID: "source.shop.raw.orders", ResourceType: backend.TypeSource, Name: "orders", Package: "shop",
			FQN: []string{"shop", "raw", "orders"}, Path: "models/staging/sources.yml",
			Database: "warehouse", Schema: "raw", Identifier: "orders_v1", RelationName: `"warehouse"."raw"."orders_v1"`,
			Description: "Raw orders as loaded by Fivetran.", Enabled: true, Tags: []string{"raw"},
			Meta:    json.RawMessage(`{"owner":"data-eng"}`),
			Columns: []backend.Column{{Name: "id", Description: "Order key", InManifest: true, InCatalog: true, CatalogType: "INTEGER", Index: 1}},
			Source: &backend.SourceInfo{SourceName: "raw", SourceDescription: "The raw schema", Loader: "fivetran",
				LoadedAtField: "_loaded_at", Freshness: json.RawMessage(`{"warn_after":{"count":12,"period":"hour"}}`)},
			Raw: json.RawMessage(`{"unique_id":"source.shop.raw.orders","resource_type":"source"}`),
		},
		{
			UniqueID: "seed.shop.countries", ResourceType: backend.TypeSeed, Name: "countries", Package: "shop",
			FQN: []string{"shop", "countries"}, Path: "seeds/countries.csv", Database: "warehouse", Schema: "main",
			Identifier: "countries", RelationName: `"warehouse"."main"."countries"`, Materialized: "seed",
			Enabled: true, Config: json.RawMessage(`{"enabled":true,"materialized":"seed"}`),
		},
		{
			UniqueID: "model.shop.stg_orders", ResourceType: backend.TypeModel, Name: "stg_orders", Package: "shop",
			FQN: []string{"shop", "staging", "stg_orders"}, Path: "models/staging/stg_orders.sql",
			PatchPath: "models/staging/schema.yml", Database: "warehouse", Schema: "staging",
			Identifier: "stg_orders", RelationName: `"warehouse"."staging"."stg_orders"`, Materialized: "view",
			Description: "Orders, cleaned: one row per order with its customer.", Tags: []string{"staging", "daily"},
			Meta: json.RawMessage(`{"team":"growth"}`), Config: json.RawMessage(`{"materialized":"view"}`),
			Enabled: true, Language: "sql",
			RawCode:      "select id as order_id, customer_id from {{ source('raw', 'orders') }}",
			CompiledCode: `select id as order_id, customer_id from "warehouse"."raw"."orders_v1"`,
			Access:       "protected", Group: "sales", DependsOn: []string{"source.shop.raw.orders"},
			DependsOnMacros: []string{"macro.shop.cents_to_dollars"},
			Columns: []backend.Column{
				{Name: "order_id", Description: "Primary key of the order", DeclaredType: "int", CatalogType: "INTEGER",
					Index: 1, Tags: []string{"pk"}, Meta: json.RawMessage(`{"pii":false}`),
					Constraints: json.RawMessage(`[{"type":"not_null"}]`), InManifest: true, InCatalog: true},
				{Name: "customer_id", Description: "Who ordered", CatalogType: "INTEGER", Index: 2, InManifest: true, InCatalog: true},
				{Name: "notes", Description: "Documented but not built", InManifest: true},
			},
			Raw: json.RawMessage(`{"unique_id":"model.shop.stg_orders"}`),
		},
		{
			UniqueID: "model.shop.orders", ResourceType: backend.TypeModel, Name: "orders", Package: "shop",
			FQN: []string{"shop", "marts", "finance", "orders"}, Path: "models/marts/finance/orders.sql",
			Database: "warehouse", Schema: "marts", Identifier: "orders", RelationName: `"warehouse"."marts"."orders"`,
			Materialized: "table", Description: "Revenue per order, in dollars.", Tags: []string{"finance"},
			Enabled: true, Language: "sql", RawCode: "select * from {{ ref('stg_orders') }} join {{ ref('countries') }}",
			Access: "public", Version: "2", LatestVersion: "2", ContractEnforced: true,
			DependsOn: []string{"model.shop.stg_orders", "seed.shop.countries"},
			Columns:   []backend.Column{{Name: "revenue", Description: "Amount in dollars", DeclaredType: "numeric", InManifest: true}},
		},
		{
			UniqueID: "model.shop.legacy_orders", ResourceType: backend.TypeModel, Name: "legacy_orders", Package: "shop",
			Path: "models/legacy/legacy_orders.sql", Description: "Old orders model, disabled.", Enabled: false,
			DependsOn: []string{"model.shop.stg_orders"},
		},
		{
			UniqueID: "test.shop.not_null_stg_orders_order_id.abc", ResourceType: backend.TypeTest,
			Name: "not_null_stg_orders_order_id", Package: "shop", Path: "models/staging/schema.yml", Enabled: true,
			DependsOn: []string{"model.shop.stg_orders"}, DependsOnMacros: []string{"macro.dbt.test_not_null"},
			Test: &backend.TestInfo{TestName: "not_null", Namespace: "dbt", Kwargs: json.RawMessage(`{"column_name":"order_id"}`),
				ColumnName: "order_id", Severity: "ERROR", TestType: "generic", AttachedNode: "model.shop.stg_orders"},
		},
		{
			UniqueID: "test.shop.unique_stg_orders_order_id.def", ResourceType: backend.TypeTest,
			Name: "unique_stg_orders_order_id", Package: "shop", Path: "models/staging/schema.yml", Enabled: true,
			DependsOn: []string{"model.shop.stg_orders"},
			Test: &backend.TestInfo{TestName: "unique", ColumnName: "order_id", Severity: "WARN", TestType: "generic",
				AttachedNode: "model.shop.stg_orders"},
		},
		{
			UniqueID: "test.shop.orders_positive", ResourceType: backend.TypeTest, Name: "orders_positive",
			Package: "shop", Path: "tests/orders_positive.sql", Enabled: true, DependsOn: []string{"model.shop.orders"},
			Test: &backend.TestInfo{TestName: "orders_positive", Severity: "ERROR", TestType: "singular", AttachedNode: "model.shop.orders"},
		},
		{
			UniqueID: "test.shop.relationships_never_ran", ResourceType: backend.TypeTest, Name: "relationships_never_ran",
			Package: "shop", Path: "models/marts/finance/schema.yml", Enabled: true, DependsOn: []string{"model.shop.orders"},
			Test: &backend.TestInfo{TestName: "relationships", TestType: "generic", AttachedNode: "model.shop.orders"},
		},
		{
			UniqueID: "unit_test.shop.orders.test_revenue", ResourceType: backend.TypeUnitTest, Name: "test_revenue",
			Package: "shop", Path: "models/marts/finance/unit.yml", Enabled: true, DependsOn: []string{"model.shop.orders"},
			Test: &backend.TestInfo{TestType: "unit", AttachedNode: "model.shop.orders"},
		},
		{
			UniqueID: "exposure.shop.revenue_dashboard", ResourceType: backend.TypeExposure, Name: "revenue_dashboard",
			Package: "shop", Path: "models/exposures.yml", Description: "The weekly revenue dashboard", Enabled: true,
			DependsOn: []string{"model.shop.orders"},
			Exposure: &backend.ExposureInfo{Type: "dashboard", OwnerName: "Ana", OwnerEmail: "ana@example.com, bo@example.com",
				Maturity: "high", URL: "https://bi.example.com/d/1", Label: "Revenue"},
		},
		{
			UniqueID: "macro.shop.cents_to_dollars", ResourceType: backend.TypeMacro, Name: "cents_to_dollars",
			Package: "shop", Path: "macros/cents_to_dollars.sql", Description: "Turns cents into dollars for revenue.",
			Enabled: true, RawCode: "{% macro cents_to_dollars(c) %}{{ c }} / 100{% endmacro %}",
		},
		{
			UniqueID: "doc.shop.revenue", ResourceType: backend.TypeDoc, Name: "revenue", Package: "shop",
			Path: "models/docs.md", Description: "Revenue is what customers pay.", Enabled: true,
		},
		{
			UniqueID: "model.utils.calendar", ResourceType: backend.TypeModel, Name: "calendar", Package: "utils",
			Path: "models/calendar.sql", Materialized: "table", Enabled: true, Tags: []string{"daily"},
		},
	}
	sort.Slice(res, func(i, j int) bool { return res[i].UniqueID < res[j].UniqueID })
	return &backend.Bundle{
		Meta: backend.BundleMeta{Project: "shop", DbtVersion: "1.9.1", AdapterType: "duckdb",
			InvocationID: "0b1c-inv", GeneratedAt: gen, RunCommand: "build",
			SchemaVersions: map[string]int{"manifest": 12, "catalog": 1, "run_results": 6, "sources": 3}},
		Resources: res,
		Catalog: []backend.CatalogTable{
			{UniqueID: "model.shop.stg_orders", Type: "VIEW", Database: "warehouse", Schema: "staging", Name: "stg_orders",
				Owner: "dbt", Comment: "cleaned", Stats: json.RawMessage(`{"has_stats":{"id":"has_stats","value":false}}`)},
			{UniqueID: "source.shop.raw.orders", Type: "BASE TABLE", Database: "warehouse", Schema: "raw", Name: "orders_v1"},
		},
		RunResults: []backend.RunResult{
			{UniqueID: "model.shop.stg_orders", Status: "success", Message: "OK", ExecutionTime: 0.25, ThreadID: "Thread-1",
				Timing: json.RawMessage(`[{"name":"execute"}]`), AdapterResponse: json.RawMessage(`{"rows_affected":3}`)},
			{UniqueID: "test.shop.not_null_stg_orders_order_id.abc", Status: "fail", Failures: i64(4), ExecutionTime: 0.1, IsTestOutcome: true},
			{UniqueID: "test.shop.unique_stg_orders_order_id.def", Status: "warn", Failures: i64(1), IsTestOutcome: true},
			{UniqueID: "test.shop.orders_positive", Status: "error", Message: "division by zero", ExecutionTime: 2.5, IsTestOutcome: true},
			// A retry later in the file: the latest result is "pass".
			{UniqueID: "test.shop.orders_positive", Status: "pass", Failures: i64(0), ExecutionTime: 0.75, IsTestOutcome: true},
			{UniqueID: "unit_test.shop.orders.test_revenue", Status: "skipped", IsTestOutcome: true},
			{UniqueID: "operation.shop.on-run-start-0", Status: "success"},
		},
		Freshness: []backend.FreshnessResult{
			{UniqueID: "source.shop.raw.orders", Status: "warn", MaxLoadedAt: "2025-03-04T01:00:00Z",
				SnapshottedAt: "2025-03-04T05:00:00Z", AgeSeconds: 14400, Criteria: json.RawMessage(`{"warn_after":{"count":12}}`),
				ExecutionTime: 0.5},
		},
		Warnings: []string{"catalog.json is older than manifest.json"},
	}
}

func saveShop(tb testing.TB, s *storage.Store) backend.Snapshot {
	tb.Helper()
	snap, err := s.SaveSnapshot(context.Background(), backend.NewSnapshot{
		Name:   "shop build",
		Origin: backend.Origin{Kind: backend.OriginPath, Path: "/tmp/shop/target"},
		Bundle: shopBundle(),
	})
	if err != nil {
		tb.Fatalf("SaveSnapshot: %v", err)
	}
	return snap
}

// dumpTables returns every row of every table as text, for comparing the
// whole database before and after an operation: the snapshots' full-text
// indexes too, byte for byte, since an operation on one snapshot leaves the
// others' indexes as they were.
func dumpTables(tb testing.TB, db *sql.DB) string {
	tb.Helper()
	ctx := context.Background()
	rows, err := db.QueryContext(ctx, `SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name`)
	if err != nil {
		tb.Fatal(err)
	}
	var tables []string
	for rows.Next() {
		var name string
		if err := rows.Scan(&name); err != nil {
			tb.Fatal(err)
		}
		tables = append(tables, name)
	}
	rows.Close()
	var b strings.Builder
	for _, t := range tables {
		fmt.Fprintf(&b, "== %s\n", t)
		rows, err := db.QueryContext(ctx, `SELECT * FROM "`+t+`" ORDER BY 1, 2`)
		if err != nil {
			rows, err = db.QueryContext(ctx, `SELECT * FROM "`+t+`" ORDER BY 1`)
		}
		if err != nil {
			tb.Fatalf("dump %s: %v", t, err)
		}
		cols, _ := rows.Columns()
		vals := make([]any, len(cols))
		ptrs := make([]any, len(cols))
		for i := range vals {
			ptrs[i] = &vals[i]
		}
		for rows.Next() {
			if err := rows.Scan(ptrs...); err != nil {
				tb.Fatal(err)
			}
			fmt.Fprintf(&b, "%q\n", vals)
		}
		rows.Close()
	}
	return b.String()
}

func integrityCheck(tb testing.TB, db *sql.DB) {
	tb.Helper()
	var result string
	if err := db.QueryRow(`PRAGMA integrity_check`).Scan(&result); err != nil || result != "ok" {
		tb.Fatalf("integrity_check = %q, %v", result, err)
	}
	// Each snapshot has one full-text index, which agrees with its
	// resources, and there is no other.
	rows, err := db.Query(`SELECT s.id, t.name FROM snapshots s
		FULL JOIN (SELECT name FROM sqlite_master WHERE type = 'table' AND name GLOB 'snapshot_fts_[0-9]*' AND name NOT GLOB '*_*_*_*') t
		ON t.name = 'snapshot_fts_' || s.id`)
	if err != nil {
		tb.Fatal(err)
	}
	var tables []string
	for rows.Next() {
		var id sql.NullInt64
		var table sql.NullString
		if err := rows.Scan(&id, &table); err != nil {
			tb.Fatal(err)
		}
		if !id.Valid || !table.Valid {
			tb.Errorf("snapshot %v has search index %v", id, table)
			continue
		}
		tables = append(tables, table.String)
	}
	if err := errors.Join(rows.Err(), rows.Close()); err != nil {
		tb.Fatal(err)
	}
	// FTS5 checks an index against its content table whole (rank 1), and
	// resources holds every snapshot's rows: it checks the index alone,
	// and the rows it indexes are those of its snapshot.
	for _, table := range tables {
		if _, err := db.Exec(`INSERT INTO ` + table + ` (` + table + `, rank) VALUES ('integrity-check', 0)`); err != nil {
			tb.Fatalf("fts integrity-check of %s: %v", table, err)
		}
		var stray int
		indexed, own := `SELECT id FROM `+table+`_docsize`, `SELECT id FROM resources WHERE 'snapshot_fts_' || snapshot_id = ?1`
		if err := db.QueryRow(`SELECT (SELECT count(*) FROM (`+indexed+` EXCEPT `+own+`))
			+ (SELECT count(*) FROM (`+own+` EXCEPT `+indexed+`))`, table).Scan(&stray); err != nil || stray != 0 {
			tb.Fatalf("%s indexes %d rows not of its snapshot, or misses them (%v)", table, stray, err)
		}
	}
}
