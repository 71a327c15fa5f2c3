-- Tests attached to no single node (a singular test over two models that
-- do not read each other) count on each node they read, so a node's test
-- summary looks for them among its children. Reading each child's row to
-- tell took a resource's page on 50k models from 37 MB to 93 MB read (the
-- 1,035 relationships tests that point at dim_customers, all attached to
-- another model); this index holds only those tests, a handful a project.
CREATE INDEX resources_unattached_tests ON resources (snapshot_id, unique_id, enabled)
    WHERE attached_node IS NULL AND resource_type IN ('test', 'unit_test');

-- The lineage copies of the snapshots that hold such a test counted it on
-- no node: they go, and the next graph load writes them again from the
-- rows. Only those: a new format for all would have every snapshot's first
-- picture wait for that (10 s on 50k models).
CREATE TEMP TABLE recount AS SELECT DISTINCT t.snapshot_id
    FROM resources t JOIN edges e ON e.snapshot_id = t.snapshot_id AND e.kind = 'node' AND e.child = t.unique_id
    WHERE t.attached_node IS NULL AND t.resource_type IN ('test', 'unit_test');
DELETE FROM snapshot_lineage WHERE snapshot_id IN (SELECT snapshot_id FROM recount);
DELETE FROM snapshot_topology WHERE snapshot_id IN (SELECT snapshot_id FROM recount);
DROP TABLE recount;
