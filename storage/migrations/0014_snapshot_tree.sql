-- snapshot_tree: per snapshot, its enabled resources counted by package,
-- folder and type (Tree adds each folder's counts to its ancestors).
-- Grouping the resource rows read every one of them, 0.5-0.8 s at 50k
-- models on every project page; an index to group on cost the 50k-model
-- import ~2 s, kept up row by row. The import writes these rows from the
-- resources it streams; snapshots stored before get them here, once.
CREATE TABLE snapshot_tree (
    snapshot_id   INTEGER NOT NULL REFERENCES snapshots (id) ON DELETE CASCADE,
    package       TEXT    NOT NULL,
    folder        TEXT    NOT NULL,
    resource_type TEXT    NOT NULL,
    resources     INTEGER NOT NULL,
    PRIMARY KEY (snapshot_id, package, folder, resource_type)
) WITHOUT ROWID;

INSERT INTO snapshot_tree (snapshot_id, package, folder, resource_type, resources)
    SELECT snapshot_id, package, folder, resource_type, count(*) FROM resources
    WHERE enabled GROUP BY snapshot_id, package, folder, resource_type;
