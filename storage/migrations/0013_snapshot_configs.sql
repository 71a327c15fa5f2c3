-- snapshot_configs: per snapshot, what config.<key>: reads (config_index.go):
-- the distinct top-level members of the lineage nodes' configs, each
-- distinct config as a list of them, and each node's config. Reading a key
-- out of every stored config visited every resource row (1.5-2.5 s at 50k
-- models); this blob is a few megabytes. Snapshots stored before get it the
-- first time config.<key>: reads them.
CREATE TABLE snapshot_configs (
    snapshot_id INTEGER PRIMARY KEY REFERENCES snapshots (id) ON DELETE CASCADE,
    format      INTEGER NOT NULL,
    configs     BLOB    NOT NULL
);
