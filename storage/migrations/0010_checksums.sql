-- resources.checksum: the manifest's checksum of a resource's file, so that
-- state:modified.body sees a seed's CSV change (its raw_code is empty).
-- Snapshots stored before have none; their seeds compare by code only.
ALTER TABLE resources ADD COLUMN checksum TEXT NOT NULL DEFAULT '';
