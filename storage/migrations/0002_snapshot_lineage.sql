-- Lineage Desk schema, version 2.
--
-- snapshot_lineage holds each snapshot's lineage graph (what Store.Graph
-- returns) in one compact binary value, written by SaveSnapshot in the
-- snapshot's own transaction. Loading a 50k-model graph from the resources,
-- edges and run_results rows takes seconds; decoding this takes tens of
-- milliseconds. The rows stay the source of truth: a snapshot without a
-- row here (imported before version 2), or whose format this build does
-- not know, is loaded from the rows.

CREATE TABLE snapshot_lineage (
    snapshot_id INTEGER PRIMARY KEY REFERENCES snapshots (id) ON DELETE CASCADE,
    format      INTEGER NOT NULL,
    graph       BLOB    NOT NULL
);
