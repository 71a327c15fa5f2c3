package main

// notes is the hand-written part of BENCHMARKS.md: what the figures mean and
// where the time goes. It lives here so that make bench rewrites the file
// without losing it; update it when the profile changes.
const notes = `## Notes

**Sizes.** The issue assumed a ~60 MB manifest for 10k models. backend/synth writes realistic nodes: every
generic test carries its config, depends_on (5 macros), refs, compiled SQL and test_metadata, about 2.9 kB
each, and there are 2.5 tests per model. The 10k-model manifest is therefore 170 MB (models 85 MB, tests
66 MB of raw JSON) and the four artifacts 221 MB; the targets above are measured against those real sizes.

**How the import works now** (backend/artifact/stream.go, manifest.go, load.go; storage/save.go,
save_resources.go, lineage_build.go, rawcodec.go). The manifest is never in memory whole: artifact.Stream
reads it through a 2 MB window (validating as it goes) and hands each resource over as soon as its entry is
decoded; the catalog is read first so its columns join on the way, run_results and sources are read on their
own goroutines meanwhile; disabled entries and the few tests whose attached node needs other resources wait
for the end. storage runs three goroutines: parse; deflate of the raw JSON, a block per run of resources
(raw_blocks); and the SQLite writer, which writes the blocks, resource and column rows as they arrive and
notes each lineage node, then the node edges in key order. While the writer goes on with the full-text
index, catalog, run results and freshness, a fourth goroutine builds the lineage graph from what was noted
(no rows are read back) and encodes the lineage copy and the reach index; the writer stores them and
completes the snapshot row last. Everything stays one transaction: a manifest truncated or invalid half-way
fails the import and leaves the store byte-for-byte as it was (storage/stream_test.go). A manifest whose
metadata is not its first member (keys sorted by a tool) is kept whole and read as before.

**Where the time goes** (10k models, the CLI build on a quiet moment of this shared 2-core machine: 5.3-5.6 s
wall, 6.3-6.8 s user + 1.4-1.6 s system CPU, against 6.4-7.2 s for Python; phases timed in the writer, CPU from
LINEAGEDESK_BENCH_DIR=.bench/synth-10000 go test -run '^$' -bench ImportSynth10k -benchtime 1x -cpuprofile
cpu.prof ./storage):

| phase | wall | CPU and where |
|---|---|---|
| stream: parse, deflate, resource and column rows, node edges | 3.1 s | writer ~1.9 s (SQLite ~0.9, binding ~0.45, database/sql ~0.2, json_valid checks ~0.13); parser ~1.0 s; deflate ~0.5 s; the writer waits ~0.25 s for the catalog before the first resource |
| full-text index, catalog, run results, freshness | 1.0-1.25 s | writer (FTS5 ~0.55 s); lineage build and encoding (~0.45 s) run meanwhile on the other core |
| store the lineage copy and reach index | 0.2 s | writer |
| commit | 0.8 s | the checkpoint copies the WAL (214 MB) into the file: ~13k pread and pwrite calls, fsync ~45 ms in all |
| process start, open, close | ~0.25 s | |

**Memory.** Peak RSS at 10k models is ~230 MB with the CLI build (make build-cli); the desktop binary make
bench measures took ~55 MB more until its WebKitGTK libraries stopped being loaded at start (see process start
below), 264 MB in the run of this report; Python takes 673 MB. The live Go heap holds the catalog, run_results, the resources on their way, the edge list and the
lineage nodes noted for the graph (~20 MB at 10k models), plus the 8 MB page cache and the driver's and
the runtime's own. At 1k models the peak was ~120 MB, 5.5x of 22 MB, and is ~85 MB (3.8x) without the window's
libraries: lineagedesk --help alone takes 37 MB (74 MB when they were loaded at start; ~26 MB for the CLI
build; the Graphviz WASM module is initialised at startup, ~65 ms and ~4 MB of allocations, in every
command), so the 2x target stays out of reach at that size.

**Changed for this contract** (besides the streaming above), each measured with the CLI, old and new binaries
alternating:

- Macro dependencies are a JSON list on the resource's row (migration 0006), no longer rows of edges: they
  were 73% of the edges (125k of 181k at 10k models), were only ever read by child, and each went into two
  B-trees, the second in random order: ~1 s of the writer's time. Snapshots written before keep their macro
  edges and the node page reads both (storage/migration_test.go).
- The lineage copy and the reach index are built from the resources as they are written, on the idle core,
  instead of reading the rows back at the end (0.7-1 s of the writer's time). The result is checked byte for
  byte against what loading from the rows stores, on every fixture with a manifest, a 2,193-node synthetic
  project and a bundle of awkward cases (storage/lineage_build_test.go): descriptions are cut to 200
  characters exactly as SQLite's substr cuts them, NUL bytes and invalid UTF-8 included.
- Raw JSON is deflated in blocks of consecutive resources (up to 128 kB inflated; migration 0007) instead of
  one stream per resource: per 3 kB document most of the time went into building a Huffman table, and
  neighbouring resources repeat each other. Deflate CPU 1.45 -> 0.46 s and 42 -> 11 MB at 10k models; the
  store 252 -> 214 MB, so the WAL and the checkpoint write less. A node page inflates one block (~0.5 ms).
  Older rows (a resource's own deflate stream, or plain JSON) still read.
- New stores use 16 kB pages (resource rows were 2-4 kB: with 4 kB pages a third of the resources table was
  free space). Set by a bootstrap connection when the file is created, because the driver runs DSN pragmas in
  name order. 32 and 64 kB pages cut the import's CPU by another ~5-10% but were not adopted: the search and
  lineage readers were tuned on 16 kB pages.
- The writer's page cache is 8 MB: 32 or 64 MB write the same pages (63k pwrite calls either way) for 30-75
  MB more RSS. Edges are inserted in primary-key order, run results in (unique_id, position) order.
- The full-text index reads the snapshot's resources in rowid order: out of order, FTS5 flushed and merged a
  segment at every smaller rowid (3.0 -> 0.9 s).
- run_results and sources are parsed while the manifest streams (they were on the critical path, ~0.45 s).
- A sync's kept artifact files are gzipped on another goroutine into temporary files and stored in 1 MiB
  chunks, so a sync's peak stays an import's.
- The import's cycle check (lineage.FindCycle, BenchmarkFindCycle220k: ~0.17 s on a 220k-node graph)
  runs on the goroutine that encodes the lineage while the main one writes rows; the dangling-dependency
  count is a map lookup per edge in the same pass, the same-run lookup one indexed query. Measured by
  hand after this run, builds without the window of before and after them, alternating five imports
  each of the 10k-model files: 6.06-7.70 s before (median 7.19), 6.53-7.59 s after (median 7.07), no
  difference beyond the noise. The same way after stop 19's import changes (every artifact read through a
  UTF-8 check, relation names rendered for manifests without them, odd-member warnings): 5.87-6.89 s
  before, 5.78-6.75 s after, four imports each; BenchmarkLoad 39-47 ms either way.
- Tried and dropped: multi-row INSERTs for columns and edges (no gain: the time is in the B-trees, not per
  statement); inserting edges as resources arrive (+0.5 s of CPU, random inserts); buffering columns to
  insert them in key order (+1 s CPU, +40 MB); GOGC 100, 200 or 25 instead of 50 (no CPU gain); a 32 MB
  FTS5 hash (no gain once rows come in rowid order).

**What remains**, by expected gain:

1. The commit's checkpoint (0.8 s): WAL mode writes every page twice. A rollback journal would write new
   pages once, but it blocks readers, and the UI browses during a sync.
2. Bypass database/sql for the bulk inserts (~0.2 s of the writer) and skip the json_valid CHECKs during the
   import (~0.15 s; the scanner has validated every value already; kept as a guard).
3. 1k models: the per-process start (~0.1 s, ~29 MB) is a fifth of the import's time and most of its memory.

**Lineage, rendering and search.** The figures are in the section "Lineage and UI" above (taken by this
harness) and in the Go benchmarks; what changed and where the time goes:

- lineage --format json end to end on 50k models was 1.52 s: loading the whole graph (a 30 MB blob read
  through SQLite's overflow pages, 180k nodes decoded, adjacency built). Selections made of names with graph
  operators (+X+, 2+X+1, unique_ids) are now answered from per-snapshot reach tables written with the
  snapshot (storage/reach.go): the topology (a flag per node and the edges by position, 1.6 MB at 50k),
  unique_ids in front-coded chunks of 256, and one row per node (GraphNode with its test summary). The
  selection walks the topology in memory and reads only the nodes reached (6,837 for
  +int_customers__unified+); lineage.PlanReach says when that is exact and anything else (version:,
  test_name:) loads the whole graph as before. @ is answered too (@fct_orders 0.99 -> 0.31 s),
  and so are selections that show tests: the part then keeps the tests its walks reach and every test
  whose parents it all holds, which is what dbt's indirect selection adds (fct_orders+2 --include-tests
  0.80 -> 0.36 s), and every parent of its tests, since an exclude or an intersected criterion decides
  on a test by all its parents, as in dbt. Node rows read one by one cost more than their share of the whole graph's blob, so
  big candidate sets (over 20,000 nodes of one type) and parts over a quarter of the graph go to the whole
  graph: test_type:singular read 125k tests in 1.35 s against 0.75 s, package:synth_analytics (55,100
  nodes) took 2.3 s against 1.8 s.
  In-process: topology 45-60 ms, walk 8 ms, node rows 90-110 ms, selection and JSON 40 ms, measured with a
  load average of 2-3. Writing the reach tables costs the import ~0.2 s at 10k models
  (BenchmarkLineageLoad/reach-index).
- Methods answered from the reach tables too: those that match one resource type (exposure:, source:,
  metric:, semantic_model:, saved_query:, resource_type:) read the nodes of that type, a range of
  positions since unique_ids start with the type; those that read one node field (tag:, path:, file:,
  package:, group:, access:, config.materialized/tags/group/access:) are evaluated once per distinct value
  of the field (lineage_attributes: the values and, per node, which it holds); any other config.<key>:
  once per distinct config member (snapshot_configs, below); intersections of those
  with graph operators on at most one atom (the part holds that atom's expansion; the others are plain
  criteria); and --exclude of one such atom (its expansion joins the part, so it removes and warns as on
  the whole graph: +int_customers__unified+ --exclude resource_type:seed 1.48 -> 0.54 s). A test a
  selector names is kept in the part, since it brings its parents in. Old binary against new, alternating, 50k models, same
  output: +exposure:product_* +exposure:platform_* +exposure:finance_* +exposure:people_* 0.6-1.0 s ->
  0.30-0.34 s, +path:models/marts/finance 1.37 -> 0.52 s, tag:pii+1 (21,100 nodes) 1.36 -> 0.75 s,
  tag:app_db_apac_2+ 0.67 -> 0.33 s. A store written before gets the new tables the first time its whole
  graph loads (4.5 s once at 50k: migration and rewrite).
- Methods that load the whole graph, measured end to end on 50k models with this session's code:
  result:error+ 0.72 s and selector:NAME 0.88 s (the graph only). config.<key>: for keys the graph does
  not carry took 1.9-2.4 s when it read the key out of every stored config: even length(config) over
  the 180k rows took 1.57 s, since the rows (code included) span ~0.5 GB. Each snapshot now keeps an
  index of its lineage nodes' configs (snapshot_configs, 5 MB at 50k models, most of it the front-coded
  unique_ids): the distinct top-level members (key and JSON value; 2,136 at 50k, where 180k configs hold
  13,440 distinct texts), each distinct config as a list of members, and each node's config. A key is
  decoded once per member that has it, then the nodes are walked: 20-250 ms in-process as a map by
  unique_id, so the lineage engine asks for the values of its own (sorted) nodes instead and gets them by
  a merge walk. config.schema:risk 2.8 -> 0.47-0.57 s end to end, config.severity:warn (18,729 nodes)
  3.1 -> 0.77 s, a quoted config.meta.owner (whole graph) 3.4 -> 1.1 s. The import builds the index from
  what it writes, splitting each distinct config with the manifest parser's scanner on the idle core
  (~55 ms at 10k models; encoding/json's Decoder took 175 ms): 10k imports 6.7-7.1 s against 7.0-7.5 s
  without the index, alternating, peak RSS +6-10 MB; a snapshot
  stored before gets it built from its rows the first time config.<key>: reads it (~4 s at 50k).
  state:modified against a second 50k
  snapshot 0.9-1.3 s: each snapshot keeps a blob of per-node digests (FNV-1a of code, file checksum,
  unrendered config, configured relation, fqn, descriptions, enforced contract and the type's other
  compared properties, and the macros a node calls, with each macro's code and calls; 14 MB at 50k).
  Comparing the rows instead took 3.3-4.1 s: the code, config and checksum columns sit past the
  descriptions, so every read walks overflow pages. A snapshot stored before this digest format gets its
  digests built from its stored manifest entries the first time it is compared, and kept: 7.4 s once at
  50k models (inflating 1.1 GB of raw JSON and decoding every entry again). The digests cost the import
  nothing measurable: this format, alternating with the one before on the 10k set, 6.0-6.5 s both;
  the first digests and the graph blob's two new strings per node (patch path, run status), alternating
  on the 50k set, 36.4 and 32.8 s against 36.1 and 33.6 s without either, then 41.1 and 36.6 s with the
  digests against 41.4 and 35.6 s without.
- Process start is a floor of every CLI figure: 0.08-0.10 s for lineagedesk --help with the desktop binary
  on an idle machine, nearly all of it go-graphviz's package init (~65 ms), which instantiates its
  WebAssembly module in every process (from the compile cache in ~/.cache/lineagedesk/graphviz, a 12 MB file it reads,
  checksums, and whose WebAssembly it decodes and validates again; seconds when that cache is empty). It
  was 0.19-0.23 s until stop 23: ~0.1 s was the dynamic loader relocating WebKitGTK's 169 shared libraries
  (perf), which the window alone uses. app/desktop/lazygtk now gives each of the 171 functions the window
  calls from them a hidden trampoline (generated from an ordinarily linked build: make gtk-stubs), so the
  binary needs only libc at start and the window opens the libraries with dlopen. Measured with the
  previous binary, alternating: --help 0.19 -> 0.08 s and 74 -> 37 MB; lineage --format json of 1,377
  nodes 0.26 -> 0.17 s; lineage --format svg of the same 0.67-1.05 (median 0.86) -> 0.58-0.99 (0.73) s
  over 12 runs each; serve up 0.20 -> 0.10 s and its first 1,377-node SVG 0.65-0.74 -> 0.53-0.58 s
  (the render worker is this binary too). TestBinaryLoadsNoGTKAtStart checks the NEEDED list and serve's
  mappings, TestDesktopWindow the window.
- Huge pages (backend/hugepage): a process that lives for one job on fresh memory (lineage and paths
  commands, the render worker) asks for transparent huge pages for its Go heap before the job: it grows the
  heap by a block it frees at once and advises the heap's mappings with MADV_HUGEPAGE (Debian's THP setting
  is madvise, and Go does not advise its heap). Page faults cost 17-40 us each on this VM, and a cold
  1,377-node layout took 16k of them. Measured this session, old and new binaries alternating: that layout
  in-process 1.1-1.36 s -> 0.55-0.6 s (as fast as a warm one); lineage --format svg 1.13-1.55 s -> 0.94-1.37
  s and 29k -> 11k faults; lineage --format json of 5,493 nodes 0.45-0.62 s -> 0.33-0.48 s, 19k -> 11k
  faults. The block has to land on fresh memory: starting in a free hole the heap had used, the runtime
  zeroed all of it page by page (1 run in 10: 98k faults, +1.2 s), so the heap's free pages are taken first
  (TestAdviseHeapWritesNothing reproduces the hole). The window and serve keep Go's defaults.
- SVG against native dot: for the 1,000-node synthetic DOT, go-graphviz's parse takes ~100 ms, the WASM
  dot layout 340-670 ms and its SVG writer ~150 ms (BenchmarkSVG1000Phases); native Graphviz 2.43 does all
  of it in 0.48-0.7 s. Layout attributes (newrank, mclimit, remincross, splines) speed both engines alike
  (BenchmarkLayoutVariants), and every other output format is slower to write than SVG (json 850 ms, xdot
  235 ms). With huge pages the WebAssembly layout of the 1,377-node picture (~0.55 s) is about native's
  whole run; what keeps the CLI at ~1.3x is its fixed part: process start ~0.17 s then (the dynamic loader
  relocating WebKitGTK's libraries, since deferred, and go-graphviz's package init), the selection ~70 ms, the DOT and the SVG
  post-processing ~40 ms (regular expressions took 60 ms of it before; plain scans now, checked against
  the regexp version by a fuzz target). PNG reads Graphviz's xdot output instead of its json (4.6 -> 4.0 s
  at 1,000 nodes, BenchmarkPNG1000; the rest is painting).
- Two pictures are compared with native dot: the hub's children (1,377 nodes in three ranks, wide) and what
  feeds four domains' dashboards (1,074 nodes over 19 ranks, deep). Phase by phase in one process
  (go-graphviz's gvc API, warm): for the wide one the WebAssembly layout (Graphviz 12.1.2) takes 0.3-0.4 s
  and native dot 2.43 ~0.45 s, but writing the SVG takes 0.15-0.3 s against native's 0.05 s: the SVG
  holds ~116,000 decimal numbers (each rounded box is a 26-point path), and every number goes through
  the WebAssembly printf; Graphviz's dot output of the same layout (16,000 decimals) is written in 50 ms.
  For the deep one the WebAssembly layout is slower than native (0.22-0.32 s of layout, mincross
  dominating). On top come the CLI's fixed ~0.2 s (process start ~0.08 s, go-graphviz's init reading its
  compile cache and instantiating the module, and ~0.1 s more until stop 23 for WebKitGTK's libraries; the
  selection and the DOT ~0.1 s). Native dot starts in 0.02 s. Both targets stay out of
  reach with this stack; square boxes instead of rounded ones saved 0-40 ms of the SVG write, within the
  noise. Writing the SVG in Go through go-graphviz's render-plugin callbacks (one per shape and text,
  12,109 for the 1,377-node picture) took 2.1-2.5 s against 0.15-0.5 s for its SVG writer: each
  callback, with the pen and font it reads back from WebAssembly memory, costs ~200 us. Node labels as
  text lines instead of HTML tables made a 14% smaller DOT and no difference beyond the noise.
  Graphviz laying out only, with the SVG drawn in Go from its layout (as the PNG and PDF are): in one
  process go-graphviz's parse of the two DOTs takes 50-140 ms and its layout 290-500 ms (1,377 nodes)
  and 220-500 ms (1,074), no faster with each label replaced by an empty box of the same size (the
  layout's own cost, not the HTML labels'); native dot does the deep picture whole in 0.41-0.47 s, so
  this alone cannot match it, and it was not built. wazero 1.12.0 (go-graphviz's WebAssembly runtime,
  pinned at 1.10.1) made no difference: BenchmarkSVG1000Phases alternating three times each, layout
  587-757 ms against 637-744 ms, SVG write 110-119 ms against 103-144 ms.
- Process start, measured again: the dynamic loader's relocations of WebKitGTK's libraries (72k symbol
  lookups, 545k relative relocations, ~3,600 page faults) are ~0.1 s of every process: an empty C
  program linked to webkit2gtk-4.1 and gtk+-3.0 takes 0.10-0.11 s, lineagedesk version 0.21 s (7,200
  faults) against 0.09 s for a build without the window (3,600 faults, most of them go-graphviz's
  init). The binary is already lazily bound (no BIND_NOW); what remains is data relocation. Deferred
  since (lazygtk, above).
- Dense pictures: dot's crossing minimisation grows with the square of the edges where many run
  between few nodes. The 10k-model project grouped by folder (134 boxes, 2,316 counted edges) took
  130 s in the CLI; native dot 27 s on its DOT, 19 s without the counts, 9 s with mclimit=0.1, and
  1.0, 3.7 and 8.9 s for its first 500, 1,000 and 1,500 edges. Pictures of over 1,000 edges and over
  four a node are refused now, as pictures of over 1,500 nodes are; lineage pictures have one to three
  edges a node (the 1,377-node picture: 1,417 edges).
- Edges that skip columns: dot routes an edge through a virtual node in every column it crosses. 94
  folder boxes in a 76-column chain, whose 824 edges crossed ~10,000 columns, took 3 min 48 s in the CLI
  (native dot over 2 min) though their edges²/nodes (7,200) passed the rule above. The columns crossed,
  estimated by ranking each node after its deepest parent, predict the time: on the 10k project by
  folder cut to its first 500, 1,000 and 1,500 edges, 2,046, 4,499 and 7,070 columns took native dot
  1.7, 7.8 and 24 s on this machine (0.5, 2.7 and 5.6 s once the counts were xlabels, below; the
  chain still 115 s). Pictures crossing over 5,000 are refused; lineage pictures cross
  few (629 for the 652 nodes upstream of four domains' dashboards on 10k). Diagrams of 100 edges or
  more are laid out by the worker however few their nodes, so a cancel kills them.
- Counted edges (a group box's, a fan's) carry their count as an xlabel, which Graphviz places once the
  layout is done, on lineage pictures of 100 edges or more and grouped ones of 300 or more. As an edge
  label it made dot double every rank so that each edge had a virtual node to hold its label. Smaller
  diagrams keep labels, which dot places on their edges (xlabels on 128 folder boxes of 253 edges: 5 of
  21 counts on another edge), at a cost: 0.09 s against 0.06 s at 100 edges, 0.44 against 0.13 at 200,
  1.05 against 0.22 at 300 on the 10k project by folder; 0.21 against 0.07 s in go-graphviz for those
  253 edges. Native dot on the bench's 1,377-node fan picture took 0.80 s with its one counted edge as
  a label and 0.47-0.51 s with it as an xlabel; the 10k project by folder cut to 500, 1,000 and 1,500
  edges 1.8, 9.5 and 24 s against 0.5, 2.7 and 5.6 s. Our SVG of the fan picture went from
  1.20-1.47 s to 0.90-1.04 s end to end (alternating, on a slow spell of this VM: native dot on the old
  DOT 1.17 s, on the new 0.66-0.71 s).
- The picture's title and legend are the labels of two clusters (cluster_lineage, cluster_legend) that
  hold every node. Without them, go-graphviz's layout and SVG of the deep 1,074-node picture took 423 ms
  (fastest) and 491 ms (first quartile) against 499 and 574 ms, over 15 interleaved runs in one process,
  and 415 and 443 ms against 448 and 460 ms in a quieter set; the hub picture 337-343 and 354-398 ms
  against 350-366 and 386-414 ms; native dot ~10% less on both. Dropping only the legend's cluster (the
  legend in the footer's label) saved nothing on the deep picture. About 2-9% of the CLI's time; not built: the graph's one label cannot hold a title above and a legend below, so the
  title would have to be drawn outside Graphviz, in the SVG, the PNG and the PDF.
- Fans: a node's many children that read from it alone and feed nothing drawn are drawn as a grid in a
  box with one counted edge (fan.go), where dot draws one column. The 10k project's hub and its 577
  nearest nodes went from 1:30 to about square; its SVG end to end took the same before and after
  (0.41-0.46 s against 0.43-0.46 s, alternating), and native dot the same (0.18-0.20 s). The bench's
  1,377-node picture is such a fan: it is a grid since stop 21, which makes it cheap for native dot
  and leaves our fixed costs (process start, selection, DOT, WebAssembly) as most of our time.
- Ctrl-C during a layout: the WebAssembly layout holds the goroutine that would hear the signal (the
  GC waits for it), so the CLI hands SIGINT and SIGTERM back to their default action before laying
  out: sent 0.6-0.9 s into the 1,377-node picture on 50k models, the process ends in 12-15 ms.
- PDF (BenchmarkPDF1000): the same layout as the PNG's, then the page written in Go with the fonts
  subset to the glyphs used (DejaVu Sans: 755 kB whole, ~20 kB per style subset): about the SVG's time.
- Run times (lineage --runtime) read the selection's run results in one indexed query: +0.02-0.04 s
  end to end on the 1,377-node JSON lineage, measured before the critical path of a dbt build followed
  the build's order; a build's selection now reads its tests too: by hand, +int_customers__unified+
  (5,493 nodes) as JSON took 0.36 s plain and 0.73-1.75 s with --runtime (30-node path, 87.7 s), of
  which reading the tests is most (--include-tests alone: 0.57-0.77 s).
- Sources and seeds in the first column, exposures in the last (rank=min/max) cost little on small
  pictures and much on big deep ones, where the pinned ends stretch short chains into long edges: end
  to end on the upstream of the synthetic exposures, +0.02 s at 410 nodes, +0.12-0.15 s at 686, +0.5 s
  (0.8 -> 1.3 s) at 1,074. Pictures over 500 nodes are left to dot's own ranking, so the two SVG
  pictures above are unchanged by it.
- Pictures of 100 nodes or more from the window and serve are laid out in a worker process (the binary's
  hidden render-worker command, backend/render/worker.go), started 3 s after the first picture or by the
  first big one; smaller ones take tens of milliseconds in-process. In-process, a WebAssembly layout stalled
  the whole UI process: the GC's stop-the-world waits for the goroutine running WebAssembly, which cannot be
  preempted, so a search sent while the 1,377-node picture rendered in serve took 0.65 s (two launches,
  ~0.66 s each), against 27-80 ms with the worker (the table's row is that measurement). go-graphviz also
  never frees the DOT it copies in nor the output it returns (~3 MB per 1,000-node SVG, its issue #111);
  the worker is replaced once past 512 MB, and a cancelled layout is killed instead of finishing with the
  lock held. Its environment carries GODEBUG=asyncpreemptoff=1 (while the GC waits for the WebAssembly
  thread, the runtime signals it every few microseconds: 0.5 s of system time in a 1,377-node layout before
  huge pages) and GOGC=400 (every go-graphviz call allocates a ~10 kB WebAssembly call stack, ~70 MB of
  garbage per big layout). For one-off CLI renders, GODEBUG=asyncpreemptoff=1 made no difference any more
  once the heap had huge pages (1.15-1.54 s against 1.18-1.58 s, alternating).
- First render after start: the harness starts serve and, as soon as the URL is printed, asks the app's HTTP
  API for the SVG of the same 1,377 nodes, then three times more. Traced (serve and worker timestamps,
  from the request's arrival): the reach topology is read in 43 ms cold (6 ms warm), the node rows in
  69 ms (16 ms), the diagram and DOT in 20 ms (6 ms). The render worker used to be spawned only when
  the DOT went to it; it now starts as soon as the reach walk (or the whole-graph selection) says the
  picture has 100 nodes or more, 47 ms in: it reached main 210 ms after its spawn (WebKitGTK's
  libraries ~0.1 s, no longer loaded at start: see process start; go-graphviz's package init 68 ms), is ready 28 ms later and gets the job at 295 ms, where a
  warm request has it at ~30 ms; the layout itself takes as long as a warm one (0.5-0.6 s). Alternating
  six launches each: 1.20-1.31x against 1.28-1.84x with the previous binary. Starting the worker at
  launch would hide the rest, but cost launch-to-first-picture (measured last session, alternating:
  1.04-1.61 s as is, 1.17-2.64 s with the worker started at launch, 1.34-2.05 s with it at nice 10).
  Laying the first big picture out in the UI process instead was no faster: 1.36-1.74 s, or 1.15-1.28 s
  with huge pages for that process, whose warm pictures then got slower and which would stall on the
  GC again. Since the counts became xlabels (above) the warm render takes ~0.5 s and the first kept its
  ~0.3 s more: 1.48-1.59x. Part of that was page faults in serve itself: its first picture faulted ~9,800
  fresh 4 kB pages (selection, DOT, the 2 MB SVG copied a few times, the JSON answer) against 1,400-5,400
  for a warm one. The window and serve now ready 128 MB of heap for huge pages at launch (13-17 ms):
  2,600-3,900 faults, and the first render 0.66-0.71 s against 0.77-0.78 s (four launches each,
  alternating), resident size after five pictures unchanged (169-208 MB against 168-203 MB). Starting
  the worker at launch, measured again: launch-to-first-picture 1.27-1.67 s against 1.10-1.34 s.
  Since the window's libraries load only with the window (stop 23), serve and its worker each start
  ~0.1 s sooner: the first render 0.53-0.58 s against warm ones of 0.41-0.57 s over four launches with
  the harness above, and 1.21x in stop 24's report. In stop 27, on a loaded spell of the VM (Python's
  parse of the 50k set 37-46 s against 34 s before), two make bench runs gave 1.15x and 1.35x, and the
  stop's binary and its start binary run one after the other 1.13x and 1.41x (first 0.76-0.93 s against
  warm 0.58-0.86 s; first 0.84-1.01 s against warm 0.54-0.87 s): the ratio sits at the target, and the
  load decides it.
- Other commands (stop 23; the table above): a resource's page looked its tests up by attached_node
  with ORDER BY unique_id, and SQLite, to skip sorting three rows, walked every resource of the snapshot in
  key order: show of any resource took 0.6-0.7 s and mapped ~700 MB of the store at 50k models; sorted in
  Go instead, 0.11 s for an exposure (TestAttachedTestsUseTheirIndex checks the plan). show NAME and paths
  loaded the whole graph (1.5 s and 980 MB; 0.42-0.70 s and 312 MB); they now read the named nodes (paths:
  and their descendants, where every path between them runs) from the reach tables, and load the whole
  graph only to word an error. The project tree grouped every resource row (0.48-0.85 s per project page
  through serve); the import now writes each snapshot's counts by package, folder and type (snapshot_tree,
  ~1,200 rows at 50k; migration 0014 fills them for older snapshots), read in 0.05-0.07 s. A covering
  index for the same was tried first: kept up row by row it cost the 50k import ~2 s (30.6 s against 32.6
  s median of six alternating runs), and dropping it for the import and building it again after gained
  nothing measurable; with it, browsing a small folder took 0.02 s instead of 0.27-0.29 s (SQLite walks
  the snapshot in unique_id order for any folder filter). Not kept. Stop 27 added a narrower one,
  resources_by_folder (snapshot_id, folder), used only when the project tree's counts say the folder is
  small for the page (n² < page × all; a dense folder's first page is quicker by the walk: 2 ms for the
  first 200 of 181k rows, 0.56 s by the index): a 12-resource folder 0.26 s (0.62 s cold, 666 MB of the
  store read) -> 0.8-1.2 ms. Imports alternating with the stop's start binary, three each: 10k models
  6.58-6.86 s against 6.95-7.01 s, 50k models 39.9-50.4 s against 41.8-48.3 s (a noisy spell of the VM),
  the store +0.65%; the migration indexes a 50k-model store in 2.4 s once. Deleting the 50k-model snapshot took
  13.6-14.2 s, a third of it the full-text index's delete trigger tokenising every row's text again;
  with an index per snapshot (stop 28), dropped with it, 9.3-10.3 s on the same five-run store (old
  and new binaries alternating), the rest deleting its 180k resource rows (4.8 s, seven indexes),
  edges (1 s), run results (0.7 s) and the rest.
- Tried in stop 23 and not kept: holding garbage collection during a WebAssembly layout. A collection
  that starts while go-graphviz runs (its memory grows on the Go heap, and every call into it allocates a
  fresh call stack: 218 MB of a 1,377-node parse's allocations are those stacks, from go-graphviz's loop
  that reads every node's label after parsing) cannot scan that goroutine until it returns to Go, so a
  GC worker spins sending it signals (perf: 29% of a one-off SVG's samples in the GC's mark workers,
  mostly suspendG and tgkill). With collection off for the layout and a memory limit 512 MB above, the
  SVG took 0.74-0.80 s against 0.58-0.64 s, system time 0.25-0.33 s against 0.09-0.17 s, peak RSS 276 MB
  against 145 MB: the uncollected garbage is fresh memory, and its page faults cost more than the
  spinning. GOGC=off for the whole process: 0.53-1.13 s, 311 MB.
- Launch to first picture: serve prints its URL after process start and opening the store; the page loads
  a 160 kB bundle (Markdown and SQL highlighting load on demand), asks for the status and snapshots, then
  for the lineage, which the reach tables answer. Graphviz is warmed at launch; the whole graph is no longer
  loaded at launch, since on 50k models that took a second of CPU competing with the first picture and the
  first searches.
- Search: the first two characters typed, and a word ending in a one-character token (fct_orders_1),
  search names by prefix (cu 72 -> 1.6 ms, fct_orders_1 172 -> 0.8 ms on 50k models). Name-prefix hits,
  for first keystrokes and for any single word, come from resources_by_name and a cached per-snapshot kind
  index (type and enabled by rowid), reading only the page of hits from the table; only the names no
  longer than the page's longest are sorted. Every pass over the full-text matches expands the query
  again (a short prefix such as da in "revenue da" is most of a pass), so there are as few as the ranking
  needs: the bm25 passes (other name matches, then the rest) read the full-text index alone and skip
  disabled and unwanted rows with the kind index (joining each match to resources cost more than bm25),
  and one pass both counts the matches by type against the kind index and takes the page's snippets,
  each computed for the first field with a highlight only. BenchmarkSearchLarge, before and after these
  changes, alternating: rev 26 -> 19 ms, revenue da 33 -> 21-23, fct 32 -> 25-27, fct_or 23 -> 12-14,
  customer 13 -> 9.6, r 15 -> 11-12; results byte-identical on 680 queries. WarmUp reads the kind index
  at launch, so the first keystroke does not (~60 ms at 50k). Reproduce: LINEAGEDESK_SEARCH_DB=/abs/store.db
  go test -run '^$' -bench SearchLarge ./storage. One index for every snapshot made each search expand its
  terms over every run the store holds: with the 50k-model project imported five times, BenchmarkSearchLarge
  (20 iterations) gave rev 80 ms, revenue da 94, fct 59, customer 35, fct_orders_12 46 against 21, 21,
  26, 9 and 9 ms with one run. Each snapshot has had its own FTS5 table since stop 28 (a search reads
  it alone; bm25 and snippet() need the table's own name, so the queries are written per snapshot):
  on the five runs 24, 22, 27, 11 and 9 ms, and with one run 20, 20, 21, 9 and 9 ms. Migration 19 builds
  the tables once, 5.4 s per 50k-model snapshot (1.2 s per 10k), and says so on standard error. In the page, the answer used to cost as much as the
  server: all 50 rows were built, styled and laid out on every keystroke, the whole panel re-rendered on
  every signal it read (the text, the spinner), and the panel's blurred shadow was rasterised again with
  every answer (10-28 ms of CPU in chromium without a GPU). The list now renders 15 rows (the panel shows
  about nine) and more as it scrolls or the arrow keys near its end, a row re-renders only when what it
  shows changes, the spinner appears only after 250 ms, the shadow has no blur, and the Markdown and SQL
  renderers are preloaded after 2 s without input rather than at a fixed time after launch, which fell
  on the first keystrokes. Across 6 launches each, old and new binaries alternating: median 59 -> 35 ms,
  p90 88 -> 60, slowest 133 -> 83; keystrokes over 75 ms 31 -> 1 of 204, over 100 ms 11 -> 0. The slowest
  now are fct, rev and revenue da (median 61-62, at most 69) and the first keystroke after launch, whose
  code and styles are cold (median 53, once 83). What a keystroke costs now: the server 1-25 ms, HTTP
  and JSON 2-5, the render 5-15, and the two frames the metric waits for (the effect that records it
  runs after a frame and waits for the next), 17-33 ms. This VM's two vCPUs run two busy threads no
  faster than one, so chromium's raster and compositor threads and the server share one core's time
  (counting the matches on a second connection while ranking them on the first, tried, gained nothing).

**Column lineage** (backend/sqlparse, backend/columnlineage). Nothing is computed at import: a node's
columns are read from its compiled SQL when asked, with its parents' columns, and kept per snapshot in the
process. BenchmarkParse reads every SQL model of the real fixtures (1,782, 1.74 kB on average): ~25-34 us a
model, 50-69 MB/s, the largest (53 kB) 0.7 ms; BenchmarkAnalyze parses and resolves them (CTEs, stars
expanded from the catalog, each reference to its parent's column): ~70-125 us a model (the higher figures
on busy spells), most of it allocation. On the 50k-model store, lineagedesk columns on the hub (its 12
columns from its SQL) takes 0.10-0.15 s end to end; tracing one of its columns down through every model
that reads it 1.0-1.25 s (the table above): 7 reads of the store bring 4,091 nodes (their SQL, 5 MB; the
tests reading them are skipped by their unique_id, which took 5,481 and 0.93 s in process before, 0.82 s
after), 1,294 links are found, the Go heap holds ~33 MB (the 450-540 MB peak RSS is mostly the store's
memory map, mmap_size 1 GB, shared with the page cache). The
synthetic project's SQL picks columns of its parents without checking that they have them (synth's
modelSQL), so its traces are shorter than a real project's would be and many of its columns read names
not found: the figures measure the work, not the reach. The reach is checked on the real fixtures
(TestRealProjects): of the 17,796 catalog columns of their catalogued models, 16,202 are traced to a
parent's column. Column changes between two runs (lineagedesk changes) read the catalog columns of both
(~600k rows each at 50k models, 0.6-1.1 s a run) beside the state comparison: on two runs of the 50k-model
project changes took 2.3-2.5 s against 1.0-1.1 s before, old and new binaries alternating (2.8-3.0 s
while the columns were read in catalog order, which sorted them).
Stop 30 added to traces the semantic layer's readers (the snapshot's semantic models, metrics and saved
queries, listed once per process), the exposures at a trace's ends and each traced column's tests with
their outcomes (Store.ColumnTests, one read of the attached tests of the trace's nodes); to changes, the
columns the changed models make another way (their column lineage read in both runs). Measured on an idle
machine, the stop's first and last binaries alternating four times: the hub's column traced down took
0.82-0.84 s against 0.77-0.78 s (one run of each 1.1-1.9 s, a busy moment), 1,064 nodes of which 135 with
tested columns; changes on the two identical 50k runs (no model changed) 2.35-2.41 s against 2.23-2.44 s;
on hubspot's dbt 1.8 and 1.11 runs, 30 columns redefined among 34 changed models, 0.15-0.16 s against
0.14 s, and 0.17-0.21 s once the first 50 changed columns were also traced all the way down (their reach). Search naming the column a hit matched in reads the columns of the hits that matched in columns:
per-query times (customer, rev, customer_id, order date, end to end) did not move (0.17-0.24 s both).
- Stop 31, a node's history with what changed from run to run: Store.NodeStateSteps digests the node's own
entry and the macros it calls in each snapshot (not the snapshots' whole digests, 14 MB each at 50k
models). lineagedesk history dim_accounts_100 on the 50k store over two runs: 0.07 s end to end, the
stop's first binary (no changes) 0.05-0.15 s, the last 0.07 s. The project page now compares with the
run before as it opens up to 10,000 nodes: two different generated projects of 2,800 models (10,000
nodes, nearly all changed, 500 models' definitions compared) take 1.17-1.26 s end to end, hubspot 0.2 s.
Deleting a 50k-model snapshot took 11.6 s (cold); per table, in Python's SQLite on a copy (with
secure_delete on, which modernc's build has off: the shares carry over, not the seconds): resources
4-8 s (181k rows; without its six secondary indexes 2.4 s, without the partial index on
json_extract(config, docs.node_color) alone 0.6-1.4 s less), edges 1.3 s, run_results 1.2 s, columns 0.6 s,
lineage_nodes 0.6 s, raw_blocks 0.5 s. A stored node_color column in that index's place measured 0.5-0.9 s
less (3.3-3.5 s against 4.0-4.1 s, warm); not made, as it needs a migration for a tenth of the time.
- Stop 32, lineage across projects (dbt Mesh): a small project (synth_finance, testdata/mesh's finance
with its refs pointed at the 50k project's int_customers__unified and fct_accounts) imported into the
50k store. lineagedesk lineage --snapshot (finance) --across-projects --select +fct_revenue --format json
(12 nodes): 1.40-2.26 s and 630-700 MB end to end, against 0.06 s for finance alone: the lineage across
projects joined each project's whole graph (the 50k one loads in about a second, and the joined copy
doubles its memory). Then, as for one project, a selector of names and graph operators reads its part
from each run's reach tables, step by step across the refs (meshPart, checked against the joined
graph for 222 selections): the same picture 0.05-0.09 s and 60 MB; +fct_revenue+ 0.05 s; @fct_revenue
0.06 s; the 50k project's hub +1 across projects (1,445 nodes) 0.17 s and 68 MB. The rest (path:,
version: ...) still joins the whole graphs, once per set of runs in a long-lived session. The impact
of the hub, now counting what it reaches in the other project: 0.31-0.46 s (before: 0.17-0.5 s); its
impact --list, 25,083 rows of which 5 finance's, 0.49-0.50 s against 0.43-0.48 s before (its own part
is passed on to the step across, not read twice). lineagedesk mesh
(what finance reads of the 50k project, and the other way) reads the refs and their readers from the
edges: 0.03 s end to end.
- Stop 33, search. Tests rank after the rest now (a generic test's name holds its model's and column's,
so owner_id found its tests before the models holding the column). Doing it with a pass over the whole
index for the rest whenever the name matches held fewer than a page of non-tests made BenchmarkSearchLarge
(50k store, 20 iterations) revenue da 22 -> 66 ms (the rest expands da* over every column); when the
name matches, tests and all, fill the default page of 50 they are the page, as before, and the rest is
not read: alternating twice with the code before, rev 22.7-27.3 -> 26.4-31.8 ms, revenue da 24.6-28.6
-> 24.5-30.5, customer 8.8-10.7 -> 8.7-10.5, fct 25.1-29.5 -> 25.9-29.8 (noise both ways). Search of
every project the store holds (the 50k project and synth_finance): 0.10 s end to end, as the 50k project
alone; each project is one search of its own index.

**Sync** (BenchmarkSyncVsDownloadPlusImport, 10k models, fake dbt Cloud server in the same process, each
phase on a fresh store with its peak read from VmHWM): see the Go benchmark line above for this run's
ratio and peaks. The sync keeps the four artifact files, gzipped into temporary files next to the
downloads (after the lineage is encoded, on the otherwise idle core) and stored 1 MiB per row in
snapshot_artifact_chunks, so the compressed copies are never in memory whole. In one process, whichever
phase runs second peaked ~7 MB higher (measured both ways: import first, sync 303 vs import 297 MB; sync
first, sync 299 vs import 307 MB), so the two phases now take turns going first. The ratio moves between
1.04x and 1.2x from run to run on this machine: the sync's extra work (gzip of 221 MB, ~1 s of CPU, and 40
MB more to write) runs on the second core while the writer finishes.

Also found: --db with a relative path fails ("cannot open database ... unable to open database file") because
storage's DSN turned it into an absolute path from / (fixed since, in 8fd8535); the harness passes absolute paths.`
