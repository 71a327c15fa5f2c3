// JSON shapes of the API, mirrored from the Go json tags in app/types.go and
// backend/*.go. Optional (?) marks Go's omitempty.

export type Counts = Record<string, number>;

export interface Origin {
  kind: 'path' | 'dbt_cloud' | 'demo' | string;
  path?: string;
  connection?: string;
  account_id?: number;
  project_id?: number;
  environment_id?: number;
  job_id?: number;
  run_id?: number;
}

export interface Snapshot {
  id: number;
  name: string;
  origin: Origin;
  project: string;
  dbt_version: string;
  adapter_type?: string;
  schema_versions: Counts;
  generated_at: string;
  invocation_id?: string;
  run_command?: string;
  taken_at: string;
  counts: Counts;
  warnings: string[] | null;
}

export interface Status {
  version: string;
  db_path: string;
  snapshots: number;
  latest?: Snapshot;
  token_storage: string;
  transport: string;
  demo_available: boolean;
  /** The store's size on disk; free_bytes is what deleted snapshots left, which CompactStore gives back. */
  disk: DiskUsage;
}

export interface DiskUsage {
  bytes: number;
  free_bytes: number;
}

export interface Compaction {
  before: DiskUsage;
  after: DiskUsage;
  seconds: number;
}

export interface ImportResult {
  snapshot_id: number;
  project: string;
  dbt_version: string;
  schema_versions: Counts;
  counts: Counts;
  warnings: string[] | null;
}

export interface TestSummary {
  total: number;
  pass: number;
  warn: number;
  fail: number;
  error: number;
  skipped: number;
}

/** A YAML selector of the project (selectors.yml): selector:NAME selects with it. */
export interface NamedSelector {
  name: string;
  description?: string;
  default?: boolean;
  definition: unknown;
}

export interface TreeEntry {
  package: string;
  folder: string;
  counts: Counts;
}

export interface ResourceFilter {
  resource_types?: string[];
  package?: string;
  folder_prefix?: string;
  tag?: string;
  materialized?: string;
  limit?: number;
  offset?: number;
}

export interface ResourceSummary {
  unique_id: string;
  resource_type: string;
  name: string;
  package: string;
  path?: string;
  relation_name?: string;
  materialized?: string;
  /** A model version's ("2" of customers.v2). */
  version?: string;
  description?: string;
  tags?: string[] | null;
  test_summary: TestSummary;
  /** dbt leaves it out; an enabled test may still name it. */
  disabled?: boolean;
  /** Its own status in the snapshot's run, when that run built nodes. */
  run_status?: string;
  /** A source's latest freshness check. */
  freshness_status?: string;
}

export interface Column {
  name: string;
  description?: string;
  declared_type?: string;
  catalog_type?: string;
  index: number;
  comment?: string;
  tags?: string[] | null;
  meta?: unknown;
  constraints?: unknown;
  in_manifest: boolean;
  in_catalog: boolean;
}

export interface TestInfo {
  test_name?: string;
  namespace?: string;
  kwargs?: unknown;
  column_name?: string;
  severity?: string;
  test_type: string;
  attached_node: string;
}

export interface SourceInfo {
  source_name: string;
  source_description?: string;
  loader?: string;
  loaded_at_field?: string;
  freshness?: unknown;
}

export interface ExposureInfo {
  type?: string;
  owner_name?: string;
  owner_email?: string;
  maturity?: string;
  url?: string;
  label?: string;
}

export interface CatalogTable {
  unique_id: string;
  type: string;
  database?: string;
  schema?: string;
  name?: string;
  owner?: string;
  comment?: string;
  stats?: unknown;
}

export interface RunResult {
  unique_id: string;
  status: string;
  failures?: number | null;
  message?: string;
  execution_time: number;
  thread_id?: string;
  timing?: { name: string; started_at?: string; completed_at?: string }[] | null;
  adapter_response?: unknown;
  is_test_outcome: boolean;
}

export interface FreshnessResult {
  unique_id: string;
  status: string;
  max_loaded_at?: string;
  snapshotted_at?: string;
  age_seconds?: number;
  criteria?: unknown;
  error?: string;
  execution_time?: number;
}

export interface TestWithResult {
  unique_id: string;
  name: string;
  test_name?: string;
  test_type: string;
  column_name?: string;
  severity?: string;
  result?: RunResult | null;
}

export interface ResourceDetail {
  unique_id: string;
  resource_type: string;
  name: string;
  package: string;
  fqn?: string[];
  path?: string;
  patch_path?: string;
  database?: string;
  schema?: string;
  identifier?: string;
  relation_name?: string;
  materialized?: string;
  description?: string;
  tags?: string[] | null;
  meta?: unknown;
  config?: unknown;
  enabled: boolean;
  language?: string;
  raw_code?: string;
  compiled_code?: string;
  access?: string;
  group?: string;
  version?: string;
  latest_version?: string;
  contract_enforced?: boolean;
  depends_on?: string[] | null;
  depends_on_macros?: string[] | null;
  columns?: Column[] | null;
  test?: TestInfo | null;
  source?: SourceInfo | null;
  exposure?: ExposureInfo | null;
  raw?: unknown;
  catalog?: CatalogTable | null;
  tests: TestWithResult[] | null;
  test_summary: TestSummary;
  run_result?: RunResult | null;
  freshness?: FreshnessResult | null;
  parents: ResourceSummary[] | null;
  children: ResourceSummary[] | null;
}

export interface SearchQuery {
  text: string;
  resource_types?: string[];
  package?: string;
  tag?: string;
  limit?: number;
}

export interface SearchHit extends ResourceSummary {
  matched_in: string;
  snippet?: string;
  /** For a hit matched in its columns: the column whose name (else description) holds the match; the hit opens its lineage. */
  column?: string;
  /** In a search of every project: the hit's project, and the run it was found in when that is another project's. */
  project?: string;
  snapshot_id?: number;
}

export interface SearchResult {
  hits: SearchHit[] | null;
  total: number;
  by_type: Counts | null;
  /** In a search of every project: each project's matches, those a project filter leaves out too. */
  by_project?: Counts;
}

// select:EXPR collapses what EXPR selects into one box.
export type GroupBy = 'none' | 'package' | 'folder' | 'schema' | 'layer' | 'group' | 'project' | `select:${string}`;
/** csv: the picture's edges; csv-nodes: its resources, one row each (a box's members too). */
export type LineageFormat = 'svg' | 'png' | 'pdf' | 'dot' | 'mermaid' | 'json' | 'csv' | 'csv-nodes';

export interface LineageRequest {
  snapshot_id: number;
  select: string;
  exclude?: string;
  include_tests?: boolean;
  /** dbt's --indirect-selection: eager, cautious (default), buildable or empty; giving one shows tests. */
  indirect_selection?: string;
  group_by?: GroupBy;
  /** Boxes of the grouping left open (GroupBox.key): drawn as their nodes. */
  open?: string[];
  /** What the borders show: tests (the default), runs (each node's status in the run), docs, trend, health or none. */
  lens?: 'tests' | 'runs' | 'docs' | 'trend' | 'health' | 'none';
  format?: LineageFormat;
  scale?: number;
  request_id?: string;
  /** Leaves nodes, edges and boxes out of the answer: an export needs its content only. */
  content_only?: boolean;
  /** The snapshot state: compares with; 0 or absent = the project's one before. */
  state_snapshot_id?: number;
  /** Draw each node's execution time in the snapshot's run and the critical path. */
  runtime?: boolean;
  /** A diff against the snapshot state: compares with: the nodes removed since drawn dashed, dependencies added and removed. */
  diff?: boolean;
  /** The lineage across the dbt projects the store holds (dbt Mesh cross-project refs). */
  across_projects?: boolean;
}

export interface GraphNode {
  unique_id: string;
  resource_type: string;
  name: string;
  package: string;
  path?: string;
  fqn?: string[];
  tags?: string[] | null;
  database?: string;
  schema?: string;
  identifier?: string;
  relation_name?: string;
  materialized?: string;
  access?: string;
  group?: string;
  version?: string;
  source_name?: string;
  description?: string;
  test_name?: string;
  test_type?: string;
  attached_node?: string;
  patch_path?: string;
  run_status?: string; // its own latest status in the snapshot's run results
  test_status?: string;
  test_summary: TestSummary;
}

/** What a diff drew against the snapshot compared with. */
export interface DiffSummary {
  removed_nodes: number;
  added_edges: number;
  removed_edges: number;
}

export interface LineageNode extends GraphNode {
  focus?: boolean;
  /** How state: found it changed against the snapshot compared with: ["new"] or the parts ("body", "configs", ...). */
  state_change?: string[];
  /** Seconds the node took in the snapshot's run (asked for with runtime; absent when the run did not include it). */
  execution_time?: number;
  /** In a diff of two runs that both ran tests: its test summary in the run compared with. */
  tests_before?: TestSummary;
  /** With the health lens, for the resource types health judges: its data health and why. */
  health?: Health;
  /** Another project's public model this project refs (dbt Mesh), as this project's manifest holds it. */
  cross_project?: boolean;
  /** Across projects: the run of another project the node was read from. */
  snapshot_id?: number;
  /** In a grouped picture, the key of the closed box the node is drawn in. */
  box?: string;
}

/** A resource's data health as of a snapshot (dbt Explorer's signals): degraded, caution, healthy or unknown, and why. */
export interface Health {
  state: 'degraded' | 'caution' | 'healthy' | 'unknown';
  reasons?: string[];
}

/** One resource of a project's health report. */
export interface HealthEntry {
  unique_id: string;
  resource_type: string;
  name: string;
  health: Health;
}

/** The data health of every model, seed, snapshot, source and exposure of a snapshot: degraded first, then caution, unknown, healthy. */
export interface HealthReport {
  snapshot_id: number;
  project: string;
  counts: Partial<Record<Health['state'], number>>;
  resources: HealthEntry[];
}

/** The data health of one resource; judged is false for the types health does not judge (tests, metrics, ...). */
export interface HealthResult {
  snapshot_id: number;
  unique_id: string;
  judged: boolean;
  health: Health;
}

/** The slowest chain of dependencies of a selection, timed by the snapshot's run. */
export interface CriticalPath {
  /** The dbt command that ran (build, run, ...). */
  command: string;
  seconds: number;
  /** unique_ids, upstream first (a build's tests too, drawn or not); empty when the run timed none of the selection. */
  nodes: string[];
  /** Each node's seconds, as nodes. */
  times: number[];
}

/** One node of a ChangesResult. */
export interface ChangedNode {
  unique_id: string;
  resource_type: string;
  /** ["new"], or what changed ("body", "configs", ...); absent for a removed node. */
  parts?: string[];
}

/** What differs between a snapshot and the one compared with, as state: sees it. */
export interface ChangesResult {
  snapshot_id: number;
  state_snapshot_id: number;
  /** The snapshot statuses are compared with: state_snapshot_id's, or the last run before that ran models. */
  results_snapshot_id: number;
  changed: ChangedNode[];
  removed: ChangedNode[];
  /** "new", "modified", "removed", and the modified nodes per part. */
  counts: Record<string, number>;
  /** Nodes whose latest run result changed status (a test that passed and now fails). */
  results: { unique_id: string; before: string; after: string }[];
  /** Said when the snapshot compared with is of another project. */
  warnings?: string[];
  /** Warehouse columns added, removed and retyped in nodes both catalogs hold. */
  columns?: ColumnChange[];
}

/** A column a node gained, lost or changed the type of in the warehouse between two snapshots. */
export interface ColumnChange {
  node: string;
  column: string;
  change: 'added' | 'removed' | 'retyped' | 'redefined';
  type?: string;
  old_type?: string;
  /** A redefined column's way of being made now and before: its expression, or the columns it passes through. */
  definition?: string;
  old_definition?: string;
  /** A removed, retyped or redefined column's readers one step downstream (in the snapshot compared with; a redefined one's, now). */
  read_by?: ColumnKey[];
  /** How far it reaches downstream, all the way (the first 50 changes traced). */
  reach?: { columns: number; nodes: number; exposures: number; truncated?: boolean };
}

export interface Edge {
  from: string;
  to: string;
}

export interface GroupBox {
  key: string;
  label: string;
  members: number;
  counts: Counts;
}

export interface LineageResult {
  snapshot_id: number;
  select: string;
  exclude?: string;
  format: string;
  mime_type: string;
  filename: string;
  content: string;
  base64?: boolean;
  nodes: LineageNode[] | null;
  edges: Edge[] | null;
  groups?: GroupBox[] | null;
  /** The boxes of the request's open that hold selected nodes. */
  open_groups?: GroupBox[] | null;
  render_ms: number;
  warnings?: string[] | null;
  /** The snapshot state: compared with, when the selector used it. */
  state_snapshot_id?: number;
  /** With runtime, when the snapshot's run executed the nodes. */
  critical_path?: CriticalPath | null;
  /** With diff: what it drew removed and the dependencies added or removed. */
  diff?: DiffSummary;
  /** Across projects: the other projects' runs it drew nodes from. */
  across_projects?: ProjectRun[] | null;
}

/** A run of another dbt project a picture across projects drew from. */
export interface ProjectRun {
  project: string;
  snapshot_id: number;
  nodes: number;
}

/** How a project's run is tied to other dbt projects by cross-project refs (dbt Mesh). */
export interface MeshResult {
  snapshot_id: number;
  project: string;
  /** The projects whose public models it refs. */
  reads: MeshProject[];
  /** The projects the store holds that ref its public models. */
  read_by: MeshProject[];
}

export interface MeshProject {
  project: string;
  /** Its run the lineage across projects reads; absent when the store holds none. */
  snapshot_id?: number;
  models: { unique_id: string; readers: string[] }[];
}

/** One snapshot (a column) of a HistoryResult. */
export interface HistorySnapshot {
  id: number;
  name: string;
  generated_at: string;
  run_command?: string;
  dbt_cloud_run?: number;
  /** The run built models, seeds or snapshots (a dbt build, run, seed, snapshot or retry). */
  builds?: boolean;
}

/** One outcome of a HistoryRow. */
export interface HistoryCell {
  status: string;
  failures?: number;
  execution_time: number;
  message?: string;
}

/** The resource's own runs, or one of its tests, across the snapshots. */
export interface HistoryRow {
  unique_id: string;
  name: string;
  test: boolean;
  column_name?: string;
  /** Lined up with the snapshots: null where that snapshot did not run it. */
  results: (HistoryCell | null)[];
  trend?: '' | 'flaky' | 'newly failing' | 'fixed';
}

/** How a resource and its tests fared in the project's last snapshots. */
export interface HistoryResult {
  snapshot_id: number;
  unique_id: string;
  project: string;
  /** In the order they were generated; the one asked about last. */
  snapshots: HistorySnapshot[] | null;
  rows: HistoryRow[];
  /** The project's snapshots generated after the one asked about, left out. */
  later: number;
  /** Lined up with the snapshots: how the resource and its columns differ from the run before (the first: the run before the window, if any); null where nothing changed. */
  changes: (HistoryChange | null)[] | null;
}

/** A node's SQL in one snapshot against another, line by line. */
export interface SQLDiff {
  unique_id: string;
  snapshot_id: number;
  against_id: number;
  /** compiled where both snapshots hold its compiled SQL, else raw. */
  kind: 'compiled' | 'raw';
  lines: DiffLine[];
  added: number;
  removed: number;
  /** What changed of the node between the two, as state:modified compares it (body, configs, macros...); empty when nothing did. */
  changed: string[] | null;
}

/** One line of a diff: unchanged (' '), removed ('-') or added ('+'). */
export interface DiffLine {
  op: ' ' | '-' | '+';
  text: string;
}

/** How a resource differs from itself in the snapshot before, in a history. */
export interface HistoryChange {
  /** As state: compares it: ["new"], ["removed"], or the parts that changed ("body", "configs"…), then "descriptions" where its or its columns' descriptions changed and dbt does not persist them; none when only its columns did. */
  parts?: string[];
  /** Its warehouse columns added, removed and retyped, and those it makes another way (redefined). */
  columns?: ColumnChange[];
}

/** Where SaveLineage wrote an export (the desktop window's save dialog). */
export interface SavedExport {
  path?: string;
  bytes: number;
  cancelled?: boolean;
  warnings?: string[];
}

export interface PathsResult {
  from: string;
  to: string;
  paths: string[][] | null;
  truncated: boolean;
  /** Every path, listed or not (at most the largest uint64, then total_saturated). */
  total: number;
  total_saturated?: boolean;
  /** The paths run from To to From: the nodes were given downstream first. */
  reversed?: boolean;
}

export interface Connection {
  name: string;
  access_url: string;
  account_id: number;
  project_id?: number;
  environment_id?: number;
  job_id?: number;
  run_id?: number;
  token_storage: string;
  created_at: string;
  updated_at: string;
}

export interface ConnectionInput {
  name: string;
  access_url: string;
  account_id: number;
  token?: string;
  project_id?: number;
  environment_id?: number;
  job_id?: number;
  run_id?: number;
  /** Replace the saved connection of this name (an edit); a new one under a name in use is refused. */
  replace?: boolean;
}

// ConnectionReport is backend/dbtcloud.ConnectionReport: the account, its
// projects with environments and jobs, and the latest runs of the jobs a
// sync would use (Selected, with the Reason).
export interface RunSummary {
  id: number;
  status: number;
  status_name: string;
  finished_at?: string;
  has_docs_generated: boolean;
  has_sources_generated: boolean;
}
export interface JobReport {
  id: number;
  name: string;
  environment_id: number;
  job_type?: string;
  ci: boolean;
  generate_docs: boolean;
  run_generate_sources: boolean;
  selected: boolean;
  reason?: string;
  latest_runs?: RunSummary[] | null;
  /** The run a sync takes now, and why. */
  next_run?: RunSummary | null;
  next_run_reason?: string;
}
export interface EnvironmentReport {
  id: number;
  name: string;
  type: string;
  deployment_type?: string;
  production: boolean;
}
export interface ProjectReport {
  id: number;
  name: string;
  docs_job_id?: number;
  environments: EnvironmentReport[] | null;
  jobs: JobReport[] | null;
}
export interface ConnectionReport {
  access_url: string;
  account_id: number;
  account_name: string;
  projects: ProjectReport[] | null;
  warnings: string[] | null;
}

export interface SyncRecord {
  id: number;
  connection: string;
  started_at: string;
  finished_at?: string;
  status: 'running' | 'succeeded' | 'skipped' | 'failed' | 'canceled' | string;
  project_id?: number;
  job_id?: number;
  run_id?: number;
  snapshot_id?: number;
  reason?: string;
  warnings?: string[] | null;
}

/** One run a sync used (backend/syncer.RunOutcome). */
export interface RunOutcome {
  snapshot_id: number;
  run_id: number;
  job_id: number;
  project_id: number;
  environment_id: number;
  counts: Counts | null;
  reason: string;
  skipped?: boolean;
  warnings: string[] | null;
  /** Why the run was not synced, when other runs of the sync were. */
  error?: string;
}

/** app.SyncResult: the first run synced, and every run chosen (one per selected job); failed counts those with an error. */
export interface SyncResult extends RunOutcome {
  connection: string;
  runs: RunOutcome[] | null;
  failed?: number;
}

export interface SyncProgress {
  connection: string;
  phase: 'discover' | 'download' | 'import' | 'done' | 'failed' | 'canceled' | string;
  message?: string;
  bytes?: number;
  total_bytes?: number;
  items?: number;
  total_items?: number;
  done?: boolean;
  error?: string;
}

export const EVENT_SYNC_PROGRESS = 'sync:progress';
export const EVENT_SNAPSHOTS_CHANGED = 'snapshots:changed';

/** A lineage picture saved by name for its project: drawn again on any snapshot of it. */
export interface SavedView {
  project: string;
  name: string;
  select: string;
  exclude?: string;
  include_tests?: boolean;
  indirect_selection?: string;
  group_by?: string;
  open?: string[];
  lens?: string;
  runtime?: boolean;
  diff?: boolean;
  across_projects?: boolean;
  saved_at?: string;
}

/** A view as a small file to share, and the name to give the file. */
export interface ViewFile {
  filename: string;
  content: string;
}

/** A view read from a view file and saved (renamed when its name was taken). */
export interface ImportedView {
  view: SavedView;
  warnings: string[] | null;
}

/** One direction of a node's lineage, all the way (tests counted apart). */
export interface ImpactSide {
  nodes: number;
  by_type: Record<string, number>;
  tests: number;
  /** The exposures downstream, or the sources upstream. */
  named: { unique_id: string; name: string }[];
}

/** What a change to a node reaches, and what the node is built from. */
export interface Impact {
  snapshot_id: number;
  unique_id: string;
  name: string;
  downstream: ImpactSide;
  upstream: ImpactSide;
  /** What it reaches in other projects' runs through cross-project refs (dbt Mesh), by project. */
  downstream_across?: ProjectImpact[];
  upstream_across?: ProjectImpact[];
}

/** One side of an impact in another project's run. */
export interface ProjectImpact extends ImpactSide {
  project: string;
  snapshot_id: number;
}

/** One node of an impact list, distance hops away. */
export interface ImpactRow {
  distance: number;
  unique_id: string;
  name: string;
  /** A model version's: "2" of customers.v2. */
  version?: string;
  resource_type: string;
  package: string;
  materialized?: string;
  relation_name?: string;
  path?: string;
  access?: string;
  group?: string;
  /** An exposure's owner, else its dbt group's, else config meta.owner. */
  owner?: string;
  test_summary: TestSummary;
  /** A test's own outcome (real outcomes only). */
  test_status?: string;
  /** The tests attached to it, run or not (a docs generate's snapshot has no outcomes). */
  tests_defined?: number;
  /** A node of another project reached through cross-project refs (dbt Mesh): the run it was read from. */
  snapshot_id?: number;
}

export type ImpactDirection = 'downstream' | 'upstream';

/** Every node one way of a node, nearest first. */
export interface ImpactList {
  snapshot_id: number;
  unique_id: string;
  name: string;
  direction: ImpactDirection;
  rows: ImpactRow[];
  /** The rows that are not tests by owner, the most first: who to tell. */
  owners: { owner: string; nodes: number; by_type: Record<string, number> }[];
}

/** An impact list as CSV, and the name to give the file. */
export interface ImpactFile {
  filename: string;
  content: string;
}

/** How a column is made from another (backend.ColumnPassthrough, ColumnRename, ColumnTransformed). */
export type ColumnKind = 'passthrough' | 'rename' | 'transformed';

/**
 * A column another column is made from (or, in NodeColumns.reads, one the SQL
 * reads to join, filter, group or order): a column of a node of the project,
 * or, with no node, of a relation the SQL names that no node is.
 */
export interface ColumnSource {
  node?: string;
  /** Set when node is not: the relation as the SQL names it. */
  relation?: string;
  column: string;
  /** Absent in reads. */
  kind?: ColumnKind;
}

/** One column a node's SQL produces and what it is made from. */
export interface OutputColumn {
  name: string;
  /** Empty for a source's or seed's columns, and for a column made from no column (a constant). */
  sources: ColumnSource[] | null;
  /** How the SQL computes it, as written, when it does not just pass a column through. */
  expression?: string;
  /** What it reads that matches no column the SQL can see. */
  unresolved?: string[];
}

/** How one node's columns are made from its parents' columns (ColumnLineage). */
export interface NodeColumns {
  node: string;
  columns: OutputColumn[] | null;
  /** The columns the SQL reads outside its select list: to join, filter, group or order. */
  reads?: ColumnSource[] | null;
  /** Why the lineage is missing or incomplete: a Python model, no compiled SQL, SQL that could not be read. */
  problem?: string;
}

/** One column: of a node, or of a relation outside the project. An empty column stands for the whole node. */
export interface ColumnKey {
  node?: string;
  relation?: string;
  column: string;
}

/**
 * A link of a column trace. To a whole node (to.column empty): kind filter, the node reads the column to join or
 * filter (a metric's or saved query's filter too); kind exposed, an exposure uses the node holding the column.
 */
export interface ColumnEdge {
  from: ColumnKey;
  to: ColumnKey;
  kind: ColumnKind | 'filter' | 'exposed';
  expression?: string;
}

/** A node (or a relation outside the project) a column trace reaches, with the columns of it the trace holds. */
export interface ColumnTraceNode {
  unique_id?: string;
  relation?: string;
  resource_type?: string;
  name: string;
  relation_name?: string;
  columns: string[] | null;
  /** Why the trace could not read further through it. */
  problem?: string;
  /** Of a trace cut at a depth: the ways its columns' links go on past it. */
  continues?: ('upstream' | 'downstream')[];
  /** Each of its columns that has tests: their latest outcomes summed up. */
  tests?: Record<string, TestSummary>;
  /** A node of another project the trace followed a cross-project ref into: the run it was read from. */
  snapshot_id?: number;
}

/** A column's lineage: up to the sources, down to the last models. */
export interface ColumnTrace {
  snapshot_id: number;
  focus: ColumnKey;
  nodes: ColumnTraceNode[] | null;
  edges: ColumnEdge[] | null;
  /** Levels each way the trace was asked to follow; absent: all the way. */
  depth?: number;
  /** The trace stopped at its size limit. */
  truncated?: boolean;
  /** The other projects' runs the trace followed cross-project refs into (dbt Mesh). */
  across_projects?: ProjectRun[] | null;
}

/** A column trace's direction as the API takes it: '' is both. */
export type ColumnTraceDirection = '' | 'upstream' | 'downstream';
export type ColumnTraceFormat = 'svg' | 'png' | 'pdf' | 'dot' | 'mermaid' | 'json' | 'csv';

/** A column trace drawn (svg, png, pdf) or written (dot, json, csv), with the name to give the file. */
export interface ColumnPicture {
  trace: ColumnTrace;
  format: ColumnTraceFormat;
  mime_type: string;
  filename: string;
  content: string;
  /** content is base64 (png, pdf). */
  base64?: boolean;
  /** What a reader of the export should know (a Mermaid flowchart past Mermaid's default limits). */
  warnings?: string[];
}

/** One model's, seed's or snapshot's times across a run-times report's runs. */
export interface RunTimeRow {
  unique_id: string;
  name: string;
  resource_type: string;
  /** In line with the report's runs; null where a run did not build it. */
  seconds: (number | null)[];
  status: string;
  latest: number;
  /** The median of its earlier runs' times, 0 with none. */
  before: number;
  earlier: number;
}

/** How long the models, seeds and snapshots took over the project's last runs that built them. */
export interface RunTimesReport {
  snapshot_id: number;
  project: string;
  runs: HistorySnapshot[];
  totals: number[];
  timed: number;
  slowest: RunTimeRow[];
  slower: RunTimeRow[];
}

/** A folder the session watches: each dbt run written there is imported. */
export interface FolderWatchStatus {
  folder: string;
  since: string;
  imports: number;
  last_snapshot_id?: number;
  last_error?: string;
  /** What the watch waits for, when it waits. */
  note?: string;
}

/** app.LineageSize: whether a lineage request's picture can be drawn, and its size. */
export interface LineageSize {
  fits: boolean;
  nodes: number; // boxes and nodes drawn
  boxes: number;
  edges: number;
  reason?: string;
}
