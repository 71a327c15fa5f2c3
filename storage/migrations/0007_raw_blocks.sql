-- Resources' raw JSON, deflated in blocks of consecutive resources of a
-- snapshot (rawcodec.go): one deflate stream per resource spent most of its
-- time on a Huffman table per small document and missed what neighbouring
-- resources repeat. A resource's raw column points into its block; rows
-- written before keep their own deflated or plain JSON.
CREATE TABLE raw_blocks (
    snapshot_id INTEGER NOT NULL REFERENCES snapshots (id) ON DELETE CASCADE,
    block       INTEGER NOT NULL,
    data        BLOB    NOT NULL,
    PRIMARY KEY (snapshot_id, block)
);
