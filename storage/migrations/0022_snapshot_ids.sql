-- Lineage Desk schema, version 22: a snapshot id is never given twice.
--
-- snapshots.id has been a plain INTEGER PRIMARY KEY since 0001, so SQLite
-- gave the id of the newest snapshot, once deleted, to the next import: a
-- link or a bookmark to ?snap=N (the served page, the CLI's --snapshot in
-- a script) then named another run without a word. Making the column
-- AUTOINCREMENT would mean rebuilding the table every other table
-- references; instead the highest id ever given is kept here, and
-- insertSnapshot takes the next one. Ids given and deleted before this
-- migration are not known: the count starts at the highest id present.
CREATE TABLE snapshot_ids (
    one     INTEGER NOT NULL PRIMARY KEY CHECK (one = 1),
    highest INTEGER NOT NULL
);
INSERT INTO snapshot_ids (one, highest) SELECT 1, COALESCE(max(id), 0) FROM snapshots;
