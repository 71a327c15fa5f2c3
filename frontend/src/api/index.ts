// Typed wrappers, one per API method of docs/API.md, in its argument order.
import { call } from './transport';
import type {
  ChangesResult, ColumnPicture, ColumnTrace, ColumnTraceDirection, ColumnTraceFormat, Compaction, Connection, ConnectionInput, ConnectionReport, FolderWatchStatus, ImportResult, LineageRequest, LineageResult, LineageSize,
  HealthReport, HealthResult, HistoryResult, Impact, ImpactDirection, ImpactFile, ImpactList, ImportedView, MeshResult, NamedSelector, NodeColumns, PathsResult, SavedExport, SavedView, ResourceDetail, ResourceFilter, ResourceSummary, RunTimesReport, SearchQuery, SearchResult,
  Snapshot, SQLDiff, Status, SyncRecord, SyncResult, TreeEntry, ViewFile,
} from './types';

export { ApiError, call, hasMethod, onEvent, transportKind } from './transport';
export * from './types';

export const api = {
  status: () => call<Status>('Status'),
  snapshots: async () => (await call<Snapshot[] | null>('Snapshots')) ?? [],
  deleteSnapshot: (id: number) => call<void>('DeleteSnapshot', id),
  compactStore: () => call<Compaction>('CompactStore'),
  /** What keeping each project's `keep` latest runs would delete, oldest run first ("" = every project). */
  snapshotsToPrune: async (keep: number, project: string) => (await call<Snapshot[] | null>('SnapshotsToPrune', keep, project)) ?? [],
  openDemo: () => call<ImportResult>('OpenDemo'),
  importPaths: (paths: string[], name: string) => call<ImportResult>('ImportPaths', paths, name),
  tree: async (snapshotID: number) => (await call<TreeEntry[] | null>('Tree', snapshotID)) ?? [],
  resources: async (snapshotID: number, filter: ResourceFilter) =>
    (await call<ResourceSummary[] | null>('Resources', snapshotID, filter)) ?? [],
  resource: (snapshotID: number, uniqueID: string) => call<ResourceDetail>('Resource', snapshotID, uniqueID),
  history: (snapshotID: number, ref: string) => call<HistoryResult>('History', snapshotID, ref),
  /** A node's SQL in a snapshot against another (0: the run before), line by line. */
  sqlDiff: (snapshotID: number, ref: string, againstID: number) => call<SQLDiff>('SQLDiff', snapshotID, ref, againstID),
  health: (snapshotID: number, ref: string) => call<HealthResult>('Health', snapshotID, ref),
  projectHealth: (snapshotID: number) => call<HealthReport>('ProjectHealth', snapshotID),
  search: (snapshotID: number, q: SearchQuery) => call<SearchResult>('Search', snapshotID, q),
  searchProjects: (snapshotID: number, q: SearchQuery, projects: string[]) => call<SearchResult>('SearchProjects', snapshotID, q, projects),
  lineage: (req: LineageRequest) => call<LineageResult>('Lineage', req),
  paths: (snapshotID: number, from: string, to: string, limit = 0) => call<PathsResult>('Paths', snapshotID, from, to, limit),
  impact: (snapshotID: number, ref: string) => call<Impact>('Impact', snapshotID, ref),
  runTimes: (snapshotID: number) => call<RunTimesReport>('RunTimes', snapshotID),
  mesh: (snapshotID: number) => call<MeshResult>('Mesh', snapshotID),
  watchFolder: (paths: string[], name: string) => call<FolderWatchStatus>('WatchFolder', paths, name),
  watches: () => call<FolderWatchStatus[]>('Watches'),
  stopWatching: (folder: string) => call<void>('StopWatching', folder),
  impactList: (snapshotID: number, ref: string, direction: ImpactDirection) => call<ImpactList>('ImpactList', snapshotID, ref, direction),
  impactCSV: (snapshotID: number, ref: string, direction: ImpactDirection) => call<ImpactFile>('ImpactCSV', snapshotID, ref, direction),
  /** The desktop window only: asks where with the system's save dialog, then writes the CSV there. */
  saveImpactCSV: (snapshotID: number, ref: string, direction: ImpactDirection) => call<SavedExport>('SaveImpactCSV', snapshotID, ref, direction),
  columnLineage: (snapshotID: number, node: string) => call<NodeColumns>('ColumnLineage', snapshotID, node),
  /** depth: levels each way at most, 0 for all. */
  columnTrace: (snapshotID: number, node: string, column: string, direction: ColumnTraceDirection, depth: number) =>
    call<ColumnTrace>('ColumnTrace', snapshotID, node, column, direction, depth),
  columnTracePicture: (snapshotID: number, node: string, column: string, direction: ColumnTraceDirection, depth: number, format: ColumnTraceFormat) =>
    call<ColumnPicture>('ColumnTracePicture', snapshotID, node, column, direction, depth, format),
  /** The desktop window only: asks where with the system's save dialog, then writes the trace there. */
  saveColumnTrace: (snapshotID: number, node: string, column: string, direction: ColumnTraceDirection, depth: number, format: ColumnTraceFormat) =>
    call<SavedExport>('SaveColumnTrace', snapshotID, node, column, direction, depth, format),
  /** The desktop window only: asks where with the system's save dialog, then writes the export there. */
  saveLineage: (req: LineageRequest) => call<SavedExport>('SaveLineage', req),
  changes: (snapshotID: number, stateSnapshotID: number) => call<ChangesResult>('Changes', snapshotID, stateSnapshotID),
  views: async (snapshotID: number) => (await call<SavedView[] | null>('Views', snapshotID)) ?? [],
  saveView: (name: string, req: LineageRequest) => call<SavedView>('SaveView', name, req),
  deleteView: (snapshotID: number, name: string) => call<void>('DeleteView', snapshotID, name),
  viewFile: (snapshotID: number, name: string) => call<ViewFile>('ViewFile', snapshotID, name),
  /** The desktop window only: asks where with the system's save dialog, then writes the view file there. */
  saveViewFile: (snapshotID: number, name: string) => call<SavedExport>('SaveViewFile', snapshotID, name),
  importView: (content: string) => call<ImportedView>('ImportView', content),
  selectors: async (snapshotID: number) => (await call<NamedSelector[] | null>('Selectors', snapshotID)) ?? [],
  cancelRequest: (requestID: string) => call<void>('CancelRequest', requestID),
  connections: async () => (await call<Connection[] | null>('Connections')) ?? [],
  testConnection: (input: ConnectionInput) => call<ConnectionReport>('TestConnection', input),
  saveConnection: (input: ConnectionInput) => call<Connection>('SaveConnection', input),
  deleteConnection: (name: string) => call<void>('DeleteConnection', name),
  sync: (name: string, runID: number) => call<SyncResult>('Sync', name, runID),
  cancelSync: (name: string) => call<void>('CancelSync', name),
  runningSyncs: () => call<string[]>('RunningSyncs'),
  lineageSizes: (reqs: LineageRequest[]) => call<LineageSize[]>('LineageSizes', reqs),
  /** Desktop only, when the Go side offers it: a native folder picker ("" when dismissed). */
  pickFolder: () => call<string>('PickFolder'),
  syncHistory: async (name: string) => (await call<SyncRecord[] | null>('SyncHistory', name)) ?? [],
};

export type Api = typeof api;
