-- resources_tree: the project tree's counts (Tree: enabled resources by
-- package, folder and type) from this index alone. Grouping the resource
-- rows read every one of them, 0.5-0.8 s at 50k models on every project
-- page; the index scan takes ~20 ms. resource_type and enabled are in it
-- so that it covers the query.
CREATE INDEX resources_tree ON resources (snapshot_id, package, folder, resource_type, enabled)
    WHERE enabled;
