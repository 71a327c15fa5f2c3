-- Tests attached to no single node (a singular test over two models that
-- do not read each other) count on each node they read, so a node's test
-- summary looks for them among its children. Reading each child's row to
-- tell took a resource's page on 50k models from 37 MB to 93 MB read (the
-- 1,035 relationships tests that point at dim_customers, all attached to
-- another model); this index holds only those tests, a handful a project.
CREATE INDEX resources_unattached_tests ON resources (snapshot_id, unique_id, enabled)
    WHERE attached_node IS NULL AND resource_type IN ('test', 'unit_test');
