// What the lineage page asks the app for, built from its route, and the
// first picture of a deep link asked for early.
import type { GroupBy, LineageFormat, LineageRequest, LineageResult, SavedView } from '../../api/types';

export const GROUPS: GroupBy[] = ['none', 'package', 'folder', 'schema', 'layer', 'group', 'project'];

/** A grouping as a reader names it: dbt's groups and projects said so. */
export function groupName(g: GroupBy): string {
  return g === 'group' ? 'dbt group' : g === 'project' ? 'dbt project' : g;
}

/** The grouping a route asks for: one of GROUPS, or select:EXPR. */
export function groupOf(value: string | undefined): GroupBy {
  if (value?.startsWith('select:') && value.slice('select:'.length).trim()) return value as GroupBy;
  return GROUPS.includes(value as GroupBy) ? (value as GroupBy) : 'none';
}

/** What the borders show: tests (the default), the run's statuses, descriptions, test trends, data health, or nothing (all grey). */
export type LensMode = 'tests' | 'runs' | 'docs' | 'trend' | 'health' | 'none';

/** The lens a route's lens= asks for. */
export function lensModeOf(value: string | undefined): LensMode {
  return value === 'runs' || value === 'docs' || value === 'trend' || value === 'health' || value === 'none' ? value : 'tests';
}

/** The boxes a route leaves open (open=, keys one per line), with a grouping only. */
export function openOf(query: Record<string, string | undefined>): string[] {
  if (groupOf(query.group) === 'none') return [];
  return (query.open ?? '').split('\n').filter((k) => k !== '');
}

/** A unique_id as a selector names it: quoted when it holds a space (exposure.shop.Pulse queries). */
export function quotedId(uid: string): string {
  return /\s/.test(uid) ? `"${uid}"` : uid;
}

/** A collapse the node panel made around one node: +X --exclude X or X+ --exclude X. */
export function isNodeCollapse(group: string): boolean {
  const m = /^select:(\+?)("[^"]+"|[^\s"]+?)(\+?) --exclude ("[^"]+"|[^\s"]+)$/.exec(group);
  return !!m && m[2] === m[4] && (m[1] === '+') !== (m[3] === '+');
}

/** Which tests a picture shows: none, or dbt's indirect selection mode. */
export type TestsMode = '' | 'cautious' | 'eager' | 'buildable';

/** The tests mode a route's tests= asks for ("1" is cautious, the default). */
export function testsModeOf(value: string | undefined): TestsMode {
  if (value === '1' || value === 'cautious') return 'cautious';
  return value === 'eager' || value === 'buildable' ? value : '';
}

/** The route's tests= for a mode. */
export function testsParam(mode: TestsMode): string {
  return mode === 'cautious' ? '1' : mode;
}

/**
 * The route query that draws a saved view: what lineageRequest reads back
 * as the view's request.
 */
export function viewQuery(v: SavedView): Record<string, string> {
  const tests: TestsMode = v.include_tests || v.indirect_selection ? (v.indirect_selection === 'eager' || v.indirect_selection === 'buildable' ? v.indirect_selection : 'cautious') : '';
  const group = groupOf(v.group_by);
  // A view saved with the semantic layer off comes back with the switch off.
  const exclude = (v.exclude ?? '').trim();
  const semanticOff = exclude === SEMANTIC_LAYER || exclude.endsWith(` ${SEMANTIC_LAYER}`);
  return {
    select: v.select,
    exclude: semanticOff ? exclude.slice(0, exclude.length - SEMANTIC_LAYER.length).trim() : exclude,
    semantic: semanticOff ? '0' : '',
    tests: testsParam(tests),
    group: group === 'none' ? '' : group,
    open: group === 'none' ? '' : (v.open ?? []).join('\n'),
    lens: lensModeOf(v.lens) === 'tests' ? '' : lensModeOf(v.lens),
    runtime: v.runtime ? '1' : '',
    diff: v.diff ? '1' : '',
    across: v.across_projects ? '1' : '',
  };
}

/**
 * What the Semantic layer switch leaves out when off (semantic=0 in the
 * address): dbt's semantic layer, which reads the models and, in a
 * project that has one, can outnumber them in a picture.
 */
export const SEMANTIC_LAYER = 'resource_type:metric resource_type:semantic_model resource_type:saved_query';

/** The request's exclude: what is typed, and the semantic layer when switched off. */
export function excludeOf(query: Record<string, string | undefined>): string | undefined {
  const parts = [query.exclude ?? '', query.semantic === '0' ? SEMANTIC_LAYER : ''].map((p) => p.trim()).filter((p) => p !== '');
  return parts.length > 0 ? parts.join(' ') : undefined;
}

let requestCounter = 0;

export function newRequestId(): string {
  requestCounter++;
  const rnd = typeof crypto !== 'undefined' && 'randomUUID' in crypto ? crypto.randomUUID().slice(0, 8) : Math.random().toString(36).slice(2, 10);
  return `ui-${rnd}-${requestCounter}`;
}

/** The request for the picture a lineage route's query describes. */
export function lineageRequest(query: Record<string, string | undefined>, snapshotId: number, format: LineageFormat, id?: string): LineageRequest {
  return {
    snapshot_id: snapshotId,
    select: query.select ?? '',
    exclude: excludeOf(query),
    include_tests: testsModeOf(query.tests) !== '' || undefined,
    indirect_selection: testsModeOf(query.tests) === 'eager' || testsModeOf(query.tests) === 'buildable' ? testsModeOf(query.tests) : undefined,
    group_by: groupOf(query.group),
    open: openOf(query).length > 0 ? openOf(query) : undefined,
    lens: lensModeOf(query.lens) === 'tests' ? undefined : lensModeOf(query.lens),
    format,
    scale: format === 'png' ? 2 : undefined,
    request_id: id,
    state_snapshot_id: Number(query.state) > 0 ? Number(query.state) : undefined,
    runtime: query.runtime === '1' || undefined,
    diff: query.diff === '1' || undefined,
    across_projects: query.across === '1' || undefined,
  };
}

// A deep link to a picture (#/lineage?select=...) asks for it while the app
// still loads its status and snapshot list, instead of after that round trip
// and the page's first render: on a 50k-model project those were a fifth of
// the time from launch to the picture. The page takes the answer if it asks
// for the same picture of the snapshot the answer came from.
interface Early {
  key: string;
  snapshotId: number; // as asked: 0 for the latest
  id: string;
  answer: Promise<LineageResult>;
}

let early: Early | null = null;

function sameKey(r: LineageRequest): string {
  return JSON.stringify([r.select, r.exclude ?? '', !!r.include_tests, r.indirect_selection ?? '', r.group_by, r.open ?? [], r.lens ?? '', r.format, r.state_snapshot_id ?? 0, !!r.runtime, !!r.diff, !!r.across_projects]);
}

/** Asks for the picture of a lineage route before the page is shown. */
export function askEarly(lineage: (r: LineageRequest) => Promise<LineageResult>, query: Record<string, string | undefined>, snapshotId: number): void {
  if (!query.select) return;
  const id = newRequestId();
  const req = lineageRequest(query, snapshotId, 'svg', id);
  const answer = lineage(req);
  answer.catch(() => {}); // the page asks again if it wanted this one
  early = { key: sameKey(req), snapshotId, id, answer };
}

/**
 * The early answer for req, once: its request id (to cancel it) and a
 * promise that gives the answer when it is of req's snapshot, or null when
 * it is not (the latest snapshot was asked for and another one is shown).
 */
export function takeEarly(req: LineageRequest): { id: string; answer: Promise<LineageResult | null> } | null {
  const e = early;
  early = null;
  if (!e || e.key !== sameKey(req) || (e.snapshotId !== 0 && e.snapshotId !== req.snapshot_id)) return null;
  return { id: e.id, answer: e.answer.then((res) => (res.snapshot_id === req.snapshot_id ? res : null)) };
}

// Pictures drawn in this session, by what was asked. A snapshot never
// changes, so coming back to a picture (Back from a node page) shows it at
// once instead of laying it out again, seconds for a thousand nodes. Only
// pictures of a named snapshot are kept ("latest" moves with an import).
const drawn = new Map<string, LineageResult>();
const DRAWN_KEPT = 4;

function pictureKey(req: LineageRequest): string | null {
  return req.snapshot_id > 0 ? JSON.stringify({ ...req, request_id: undefined }) : null;
}

/** A picture drawn earlier in this session for the same request, if any. */
export function drawnPicture(req: LineageRequest): LineageResult | undefined {
  const key = pictureKey(req);
  const res = key ? drawn.get(key) : undefined;
  if (key && res) {
    drawn.delete(key); // most recently used last
    drawn.set(key, res);
  }
  return res;
}

/** Keeps a drawn picture for drawnPicture, the DRAWN_KEPT most recent ones. */
export function keepPicture(req: LineageRequest, res: LineageResult): void {
  const key = pictureKey(req);
  if (!key) return;
  drawn.delete(key);
  drawn.set(key, res);
  while (drawn.size > DRAWN_KEPT) drawn.delete(drawn.keys().next().value!);
}

/**
 * Whether a selection error is about the Exclude field: the selector it
 * quotes is in the exclude and not in the select (the API reads both as
 * one expression, "SELECT --exclude EXCLUDE").
 */
export function fromExclude(err: { message: string } | null, select: string, exclude: string): boolean {
  const quoted = err ? /selector "([^"]+)"|"([^"]+)" matches no/.exec(err.message) : null;
  const term = quoted?.[1] ?? quoted?.[2];
  return !!term && exclude.includes(term) && !select.includes(term);
}
