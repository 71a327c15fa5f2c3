-- Lineage Desk schema, version 19: a full-text index per snapshot.
--
-- The index shared by all snapshots and the trigger that took a deleted
-- resource's entries out of it go; the migration's Go step
-- (splitSearchIndex) then gives every snapshot its own index,
-- snapshot_fts_<id>, which a search reads alone and a deletion drops. The
-- shared index goes first so that its pages are reused.
DROP TRIGGER resources_fts_delete;
DROP TABLE resource_fts;
