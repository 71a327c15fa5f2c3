-- Lineage Desk schema, version 20: the folders the app keeps watching.
--
-- A dbt Core target/ folder watched from the app (WatchFolder) is imported
-- after each dbt run; the watch is kept here so that the next launch
-- resumes it. folder is the paths, absolute, joined with ", "; paths the
-- list itself as JSON. run identifies the run imported last (its files'
-- sizes and times): two windows watching one folder claim each run here,
-- and only the one that claims it imports it.
CREATE TABLE watched_folders (
    folder      TEXT    NOT NULL PRIMARY KEY,
    paths       TEXT    NOT NULL CHECK (json_valid(paths)),
    name        TEXT    NOT NULL DEFAULT '',
    since_us    INTEGER NOT NULL,
    run         TEXT    NOT NULL DEFAULT ''
) WITHOUT ROWID;
