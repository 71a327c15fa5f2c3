-- selectors: the project's YAML selectors (selectors.yml) as the manifest
-- records them, for selector:NAME. Snapshots stored before have none.
CREATE TABLE selectors (
    snapshot_id INTEGER NOT NULL REFERENCES snapshots (id) ON DELETE CASCADE,
    name        TEXT    NOT NULL,
    description TEXT    NOT NULL DEFAULT '',
    is_default  INTEGER NOT NULL DEFAULT 0,
    definition  TEXT    NOT NULL CHECK (json_valid(definition)),
    PRIMARY KEY (snapshot_id, name)
) WITHOUT ROWID;
