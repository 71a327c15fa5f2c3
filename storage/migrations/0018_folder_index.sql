-- resources_by_folder: the project browser lists a folder's resources.
-- Without it every listing read the whole resources table in unique_id
-- order to find the folder's rows (on 50k models a 12-resource folder took
-- 0.26 s and read 666 MB of the store); with it, that folder's rows only.
CREATE INDEX resources_by_folder ON resources (snapshot_id, folder);
