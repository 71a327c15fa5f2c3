-- snapshot_digests: per snapshot, one blob of short hashes per lineage node
-- (code, file checksum, config text, relation; digests.go), which state:
-- compares instead of reading both snapshots' rows. Snapshots stored before
-- have none and are compared row by row.
CREATE TABLE snapshot_digests (
    snapshot_id INTEGER PRIMARY KEY REFERENCES snapshots (id) ON DELETE CASCADE,
    digests     BLOB    NOT NULL
);
