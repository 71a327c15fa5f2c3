-- lineage_attributes: per snapshot and node field that a selector method
-- reads alone (path, package, tags, group, access, materialized), the
-- field's distinct values and, per node position, which it holds
-- (attribute_codec.go). Reach answers tag:, path:, package: ... from it
-- without loading the whole graph: the method is evaluated once per
-- distinct value. Written with the other reach tables (reachFormat 2);
-- snapshots stored before get it the first time their whole graph loads.
CREATE TABLE lineage_attributes (
    snapshot_id INTEGER NOT NULL REFERENCES snapshots (id) ON DELETE CASCADE,
    field       TEXT    NOT NULL,
    attribute   BLOB    NOT NULL,
    PRIMARY KEY (snapshot_id, field)
) WITHOUT ROWID;
