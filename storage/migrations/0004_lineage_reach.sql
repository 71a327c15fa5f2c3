-- What Store.Reach needs to answer a selection such as +orders+ without
-- loading the whole lineage graph (snapshot_lineage):
--
-- snapshot_topology: per snapshot, the strings a bare name in a selector
-- can select nodes by besides their own names (packages, top folders,
-- version parts: lineage.Qualifiers; a sorted JSON array, first so it is
-- read without the blob), and the graph's shape: a flag per node and the
-- edges as pairs of node positions (reach_codec.go). A node's position is
-- the rank of its unique_id among the graph's nodes.
--
-- lineage_id_chunks: the nodes' unique_ids in position order, front-coded
-- in chunks keyed by their first id, so that finding a node's position
-- reads one small chunk.
--
-- lineage_nodes: each node as the lineage engine sees it (GraphNode with
-- its test summary), by position, so that Reach reads only the nodes a
-- selection can select.
--
-- Snapshots stored before this get both the first time their whole graph
-- is loaded.
CREATE TABLE snapshot_topology (
    snapshot_id INTEGER PRIMARY KEY REFERENCES snapshots (id) ON DELETE CASCADE,
    format      INTEGER NOT NULL,
    qualifiers  TEXT    NOT NULL CHECK (json_valid(qualifiers)),
    topology    BLOB    NOT NULL
);

CREATE TABLE lineage_id_chunks (
    snapshot_id    INTEGER NOT NULL REFERENCES snapshots (id) ON DELETE CASCADE,
    first_id       TEXT    NOT NULL,
    first_position INTEGER NOT NULL,
    ids            BLOB    NOT NULL,
    PRIMARY KEY (snapshot_id, first_id)
) WITHOUT ROWID;

CREATE TABLE lineage_nodes (
    snapshot_id INTEGER NOT NULL REFERENCES snapshots (id) ON DELETE CASCADE,
    position    INTEGER NOT NULL,
    node        BLOB    NOT NULL,
    PRIMARY KEY (snapshot_id, position)
) WITHOUT ROWID;
