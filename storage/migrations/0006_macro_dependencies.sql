-- A resource's macro dependencies (depends_on.macros) as a JSON list on its
-- row instead of rows of edges with kind 'macro'. They were 73% of all edges
-- and were only ever read by child (the node page), yet each took a row in
-- two B-trees, the second filled in random order: on a 10k-model import,
-- about 1 s of the writer's time. Snapshots written before keep their macro
-- edges; the node page reads both.
ALTER TABLE resources ADD COLUMN depends_on_macros TEXT;
