-- Lineage Desk schema, version 1.
--
-- Conventions:
--   * Times are INTEGER unix microseconds, UTC (dbt writes microseconds, so
--     nothing is lost); NULL means "not set" (time.Time{} in Go).
--   * JSON is TEXT checked with json_valid; NULL means absent.
--   * Text fields the domain treats as "empty when unknown" are NOT NULL
--     DEFAULT '', so readers scan straight into strings.
--   * Everything a snapshot holds references snapshots(id) ON DELETE CASCADE,
--     so deleting a snapshot is one statement.

CREATE TABLE snapshots (
    id                INTEGER PRIMARY KEY,
    name              TEXT    NOT NULL,
    origin_kind       TEXT    NOT NULL,
    origin_path       TEXT    NOT NULL DEFAULT '',
    origin_connection TEXT    NOT NULL DEFAULT '',
    account_id        INTEGER NOT NULL DEFAULT 0,
    project_id        INTEGER NOT NULL DEFAULT 0,
    environment_id    INTEGER NOT NULL DEFAULT 0,
    job_id            INTEGER NOT NULL DEFAULT 0,
    run_id            INTEGER NOT NULL DEFAULT 0,
    project           TEXT    NOT NULL DEFAULT '',
    dbt_version       TEXT    NOT NULL DEFAULT '',
    adapter_type      TEXT    NOT NULL DEFAULT '',
    schema_versions   TEXT    NOT NULL CHECK (json_valid(schema_versions)),
    generated_at_us   INTEGER,
    invocation_id     TEXT    NOT NULL DEFAULT '',
    run_command       TEXT    NOT NULL DEFAULT '',
    taken_at_us       INTEGER NOT NULL,
    counts            TEXT    NOT NULL CHECK (json_valid(counts)),
    warnings          TEXT    NOT NULL CHECK (json_valid(warnings)),
    -- Whether run_results holds at least one real test outcome; test
    -- summaries are all zero otherwise (see backend.TestSummary).
    has_test_outcomes INTEGER NOT NULL DEFAULT 0
);

-- SnapshotForRun: has this dbt Cloud run been synced before?
CREATE INDEX snapshots_by_run ON snapshots (account_id, run_id) WHERE run_id <> 0;

-- resources has an INTEGER PRIMARY KEY (a stable rowid alias) because the
-- full-text index below is an external-content FTS5 table keyed by rowid, and
-- VACUUM may renumber implicit rowids. (snapshot_id, unique_id) is the
-- natural key and is enforced by the UNIQUE constraint.
CREATE TABLE resources (
    id                 INTEGER PRIMARY KEY,
    snapshot_id        INTEGER NOT NULL REFERENCES snapshots (id) ON DELETE CASCADE,
    unique_id          TEXT    NOT NULL,
    resource_type      TEXT    NOT NULL,
    name               TEXT    NOT NULL,
    package            TEXT    NOT NULL DEFAULT '',
    fqn                TEXT    CHECK (json_valid(fqn)),
    path               TEXT    NOT NULL DEFAULT '',
    folder             TEXT    NOT NULL DEFAULT '',
    patch_path         TEXT    NOT NULL DEFAULT '',
    database           TEXT    NOT NULL DEFAULT '',
    schema             TEXT    NOT NULL DEFAULT '',
    identifier         TEXT    NOT NULL DEFAULT '',
    relation_name      TEXT    NOT NULL DEFAULT '',
    materialized       TEXT    NOT NULL DEFAULT '',
    tags               TEXT    CHECK (json_valid(tags)),
    enabled            INTEGER NOT NULL,
    language           TEXT    NOT NULL DEFAULT '',
    access             TEXT    NOT NULL DEFAULT '',
    grp                TEXT    NOT NULL DEFAULT '',
    version            TEXT    NOT NULL DEFAULT '',
    latest_version     TEXT    NOT NULL DEFAULT '',
    contract_enforced  INTEGER NOT NULL DEFAULT 0,
    -- Test fields; test_type IS NULL when the resource has no TestInfo.
    test_type          TEXT,
    test_name          TEXT    NOT NULL DEFAULT '',
    test_namespace     TEXT    NOT NULL DEFAULT '',
    test_column_name   TEXT    NOT NULL DEFAULT '',
    test_severity      TEXT    NOT NULL DEFAULT '',
    attached_node      TEXT,
    -- Source fields; source_name IS NULL when the resource has no SourceInfo.
    source_name        TEXT,
    source_description TEXT    NOT NULL DEFAULT '',
    loader             TEXT    NOT NULL DEFAULT '',
    loaded_at_field    TEXT    NOT NULL DEFAULT '',
    -- Exposure fields; exposure_type IS NULL when there is no ExposureInfo.
    exposure_type      TEXT,
    owner_name         TEXT    NOT NULL DEFAULT '',
    owner_email        TEXT    NOT NULL DEFAULT '',
    maturity           TEXT    NOT NULL DEFAULT '',
    url                TEXT    NOT NULL DEFAULT '',
    label              TEXT    NOT NULL DEFAULT '',
    -- The long fields come last: SQLite reads a row's fields in order, so
    -- the graph and list queries, which stop before these, never touch
    -- their overflow pages.
    description        TEXT    NOT NULL DEFAULT '',
    test_kwargs        TEXT    CHECK (json_valid(test_kwargs)),
    freshness_config   TEXT    CHECK (json_valid(freshness_config)),
    meta               TEXT    CHECK (json_valid(meta)),
    config             TEXT    CHECK (json_valid(config)),
    -- Column names and descriptions, one "name: description" per line:
    -- what the full-text index searches for columns.
    column_text        TEXT    NOT NULL DEFAULT '',
    raw_code           TEXT    NOT NULL DEFAULT '',
    compiled_code      TEXT    NOT NULL DEFAULT '',
    raw                TEXT,
    UNIQUE (snapshot_id, unique_id)
);

-- Tests attached to a node (node page, test summaries of a page of results).
CREATE INDEX resources_by_attached_node ON resources (snapshot_id, attached_node)
    WHERE attached_node IS NOT NULL;

CREATE TABLE columns (
    snapshot_id   INTEGER NOT NULL REFERENCES snapshots (id) ON DELETE CASCADE,
    unique_id     TEXT    NOT NULL,
    position      INTEGER NOT NULL, -- order in the bundle
    name          TEXT    NOT NULL,
    description   TEXT    NOT NULL DEFAULT '',
    declared_type TEXT    NOT NULL DEFAULT '',
    catalog_type  TEXT    NOT NULL DEFAULT '',
    catalog_index INTEGER NOT NULL DEFAULT 0,
    comment       TEXT    NOT NULL DEFAULT '',
    tags          TEXT    CHECK (json_valid(tags)),
    meta          TEXT    CHECK (json_valid(meta)),
    constraints   TEXT    CHECK (json_valid(constraints)),
    in_manifest   INTEGER NOT NULL,
    in_catalog    INTEGER NOT NULL,
    PRIMARY KEY (snapshot_id, unique_id, position)
) WITHOUT ROWID;

-- Lineage: child reads from parent. kind is 'node' (depends_on.nodes) or
-- 'macro' (depends_on.macros); it leads the key so that the lineage graph
-- reads the node edges as one range, without the (more numerous) macro ones.
CREATE TABLE edges (
    snapshot_id INTEGER NOT NULL REFERENCES snapshots (id) ON DELETE CASCADE,
    kind        TEXT    NOT NULL CHECK (kind IN ('node', 'macro')),
    parent      TEXT    NOT NULL,
    child       TEXT    NOT NULL,
    PRIMARY KEY (snapshot_id, kind, parent, child)
) WITHOUT ROWID;

-- Upstream direction: the parents of a node.
CREATE INDEX edges_by_child ON edges (snapshot_id, child, parent);

CREATE TABLE catalog_tables (
    snapshot_id INTEGER NOT NULL REFERENCES snapshots (id) ON DELETE CASCADE,
    unique_id   TEXT    NOT NULL,
    position    INTEGER NOT NULL,
    type        TEXT    NOT NULL DEFAULT '',
    database    TEXT    NOT NULL DEFAULT '',
    schema      TEXT    NOT NULL DEFAULT '',
    name        TEXT    NOT NULL DEFAULT '',
    owner       TEXT    NOT NULL DEFAULT '',
    comment     TEXT    NOT NULL DEFAULT '',
    stats       TEXT    CHECK (json_valid(stats)),
    PRIMARY KEY (snapshot_id, unique_id)
);

-- run_results keeps every entry in file order (position): a unique_id may
-- appear more than once, and the last entry is the latest result.
CREATE TABLE run_results (
    snapshot_id      INTEGER NOT NULL REFERENCES snapshots (id) ON DELETE CASCADE,
    position         INTEGER NOT NULL,
    unique_id        TEXT    NOT NULL,
    status           TEXT    NOT NULL DEFAULT '',
    failures         INTEGER,
    message          TEXT    NOT NULL DEFAULT '',
    execution_time   REAL    NOT NULL DEFAULT 0,
    thread_id        TEXT    NOT NULL DEFAULT '',
    timing           TEXT    CHECK (json_valid(timing)),
    adapter_response TEXT    CHECK (json_valid(adapter_response)),
    is_test_outcome  INTEGER NOT NULL,
    PRIMARY KEY (snapshot_id, unique_id, position)
);

-- Graph reads every test outcome of a snapshot in file order; covering, so
-- it never touches the table.
CREATE INDEX run_results_outcomes ON run_results (snapshot_id, position, unique_id, status)
    WHERE is_test_outcome;

CREATE TABLE freshness (
    snapshot_id    INTEGER NOT NULL REFERENCES snapshots (id) ON DELETE CASCADE,
    position       INTEGER NOT NULL,
    unique_id      TEXT    NOT NULL,
    status         TEXT    NOT NULL DEFAULT '',
    max_loaded_at  TEXT    NOT NULL DEFAULT '',
    snapshotted_at TEXT    NOT NULL DEFAULT '',
    age_seconds    REAL    NOT NULL DEFAULT 0,
    criteria       TEXT    CHECK (json_valid(criteria)),
    error          TEXT    NOT NULL DEFAULT '',
    execution_time REAL    NOT NULL DEFAULT 0,
    PRIMARY KEY (snapshot_id, unique_id, position)
);

CREATE TABLE snapshot_artifacts (
    snapshot_id INTEGER NOT NULL REFERENCES snapshots (id) ON DELETE CASCADE,
    name        TEXT    NOT NULL,
    gzip        BLOB    NOT NULL,
    PRIMARY KEY (snapshot_id, name)
);

-- Full-text index over what a user searches for. External content: the text
-- lives once, in resources. SaveSnapshot indexes a snapshot's resources with
-- one INSERT ... SELECT after writing them (a per-row trigger would make
-- FTS5 flush its pending terms at every statement, several times slower);
-- the delete trigger keeps the index in step when the cascade removes them.
CREATE VIRTUAL TABLE resource_fts USING fts5 (
    name, description, column_text, tags, raw_code, compiled_code,
    content = 'resources', content_rowid = 'id',
    tokenize = 'unicode61 remove_diacritics 2'
);

CREATE TRIGGER resources_fts_delete AFTER DELETE ON resources BEGIN
    INSERT INTO resource_fts (resource_fts, rowid, name, description, column_text, tags, raw_code, compiled_code)
    VALUES ('delete', old.id, old.name, old.description, old.column_text, old.tags, old.raw_code, old.compiled_code);
END;

-- Resources are never updated in place; refuse it rather than let the
-- full-text index drift.
CREATE TRIGGER resources_no_update BEFORE UPDATE ON resources BEGIN
    SELECT RAISE (ABORT, 'resources are immutable; save a new snapshot instead');
END;

CREATE TABLE connections (
    name           TEXT    PRIMARY KEY,
    access_url     TEXT    NOT NULL,
    account_id     INTEGER NOT NULL,
    project_id     INTEGER NOT NULL DEFAULT 0,
    environment_id INTEGER NOT NULL DEFAULT 0,
    job_id         INTEGER NOT NULL DEFAULT 0,
    run_id         INTEGER NOT NULL DEFAULT 0,
    token_storage  TEXT    NOT NULL,
    sealed_token   BLOB    NOT NULL,
    created_at_us  INTEGER NOT NULL,
    updated_at_us  INTEGER NOT NULL
);

-- Sync history outlives connections and snapshots: it is a log.
CREATE TABLE sync_history (
    id             INTEGER PRIMARY KEY,
    connection     TEXT    NOT NULL,
    started_at_us  INTEGER NOT NULL,
    finished_at_us INTEGER,
    status         TEXT    NOT NULL,
    project_id     INTEGER NOT NULL DEFAULT 0,
    job_id         INTEGER NOT NULL DEFAULT 0,
    run_id         INTEGER NOT NULL DEFAULT 0,
    snapshot_id    INTEGER REFERENCES snapshots (id) ON DELETE SET NULL,
    reason         TEXT    NOT NULL DEFAULT '',
    warnings       TEXT    CHECK (json_valid(warnings))
);

CREATE INDEX sync_history_by_connection ON sync_history (connection, started_at_us);
-- ON DELETE SET NULL looks rows up by snapshot_id.
CREATE INDEX sync_history_by_snapshot ON sync_history (snapshot_id) WHERE snapshot_id IS NOT NULL;
