-- snapshot_digests.format: the layout of the blob (digests.go's
-- digestFormat). Format 2 adds what state: compares beyond code, config,
-- relation and macros (fqn, persisted descriptions, contract, the type's
-- other properties) and compares a node's configured relation; rows of
-- format 1 are built again from the stored resources the first time a
-- snapshot is compared.
ALTER TABLE snapshot_digests ADD COLUMN format INTEGER NOT NULL DEFAULT 1;
