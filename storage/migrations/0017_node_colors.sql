-- resources_node_color: the nodes whose config sets dbt's docs.node_color,
-- the fill dbt Docs draws them with. A picture looks up its nodes here:
-- a probe per node of an index that holds only coloured ones (empty for
-- most projects), instead of reading each node's row for its config.
CREATE INDEX resources_node_color ON resources (snapshot_id, unique_id)
    WHERE json_extract(config, '$.docs.node_color') IS NOT NULL;
