-- A snapshot's kept artifact files (gzip-compressed) in chunks of at most
-- 1 MiB, written as they are read from a compressed temporary file: a
-- whole compressed manifest bound as one BLOB (and copied by the driver)
-- put a sync's peak memory above an import's.
CREATE TABLE snapshot_artifact_chunks (
    snapshot_id INTEGER NOT NULL REFERENCES snapshots (id) ON DELETE CASCADE,
    name        TEXT    NOT NULL,
    chunk       INTEGER NOT NULL,
    data        BLOB    NOT NULL,
    PRIMARY KEY (snapshot_id, name, chunk)
) WITHOUT ROWID;

INSERT INTO snapshot_artifact_chunks (snapshot_id, name, chunk, data)
    SELECT snapshot_id, name, 0, gzip FROM snapshot_artifacts;

DROP TABLE snapshot_artifacts;
