-- views: saved lineage pictures, by project and name. They belong to the
-- project, not to a snapshot, so deleting snapshots keeps them. spec is
-- the picture's request (select, exclude, grouping, lens...) as JSON.
CREATE TABLE views (
    project     TEXT    NOT NULL,
    name        TEXT    NOT NULL,
    spec        TEXT    NOT NULL CHECK (json_valid(spec)),
    saved_at_us INTEGER NOT NULL,
    PRIMARY KEY (project, name)
) WITHOUT ROWID;
