// What the lineage view offers when the size guard refused a picture.
import { useEffect, useState } from 'preact/hooks';
import { api } from '../../api';
import type { ApiError } from '../../api/transport';
import type { GroupBy, LineageRequest, LineageSize } from '../../api/types';
import type { Depth } from '../../lib/selector';
import { groupName, type TestsMode } from './request';
import { ErrorBox, Spinner } from '../../components/ui';

/** Says whether an error is the size guard's refusal (too many nodes, or too dense). */
export function isTooBig(err: ApiError | null): boolean {
  return !!err && /more than the \d+ a picture can show|group it by|too dense/i.test(err.message);
}

/** What the view changes to draw less. */
export interface Smaller {
  select?: string;
  group?: GroupBy;
  open?: string[];
  tests?: TestsMode;
}

/** A way to draw less: its button's label, the view's change, and the request it makes. */
export interface Alternative {
  label: string;
  next: Smaller;
  request: LineageRequest;
}

const GROUPINGS: GroupBy[] = ['layer', 'schema', 'folder', 'package', 'group'];

/** The most ways to draw less asked about at once (LineageSizes answers 10). */
export const MAX_ALTERNATIVES = 10;

/**
 * The ways to draw less than base, most like it first: the open boxes
 * shut, tests off, two hops then one around the selector's one term, its
 * upstream or its downstream alone, then the groupings other than the one
 * refused.
 */
export function alternatives(base: LineageRequest, groupBy: GroupBy, depth: Depth | null): Alternative[] {
  const out: Alternative[] = [];
  if (base.open?.length) out.push({ label: 'Shut the open boxes', next: { open: [] }, request: { ...base, open: undefined } });
  if (base.include_tests) out.push({ label: 'Tests off', next: { tests: '' }, request: { ...base, include_tests: undefined, indirect_selection: undefined } });
  if (depth) {
    const deep = (n: number) => (depth.up ?? 0) > n || (depth.down ?? 0) > n;
    for (const n of [2, 1]) {
      if (!deep(n)) continue;
      const select = `${depth.up !== null ? `${n}+` : ''}${depth.core}${depth.down !== null ? `+${n}` : ''}`;
      out.push({ label: `${n === 2 ? 'Two hops' : 'One hop'}: ${select}`, next: { select }, request: { ...base, select, open: undefined } });
    }
    const hops = (n: number | null) => (n === Infinity ? '' : String(n));
    if (depth.up !== null && depth.down !== null) {
      const up = `${hops(depth.up)}+${depth.core}`;
      const down = `${depth.core}+${hops(depth.down)}`;
      out.push({ label: `Upstream only: ${up}`, next: { select: up }, request: { ...base, select: up, open: undefined } });
      out.push({ label: `Downstream only: ${down}`, next: { select: down }, request: { ...base, select: down, open: undefined } });
    }
  }
  // Across projects, a box per project; in one, it would be one box.
  for (const g of base.across_projects ? ['project' as const, ...GROUPINGS] : GROUPINGS) {
    if (g !== groupBy) out.push({ label: `Group by ${groupName(g)}`, next: { group: g }, request: { ...base, group_by: g, open: undefined } });
  }
  return out.slice(0, MAX_ALTERNATIVES);
}

/** How big an alternative is, for its button. */
export function sizeText(s: LineageSize): string {
  const plain = s.nodes - s.boxes;
  const parts = [];
  if (s.boxes > 0) parts.push(`${s.boxes} ${s.boxes === 1 ? 'box' : 'boxes'}`);
  if (plain > 0 || s.boxes === 0) parts.push(`${plain} ${plain === 1 ? 'node' : 'nodes'}`);
  return parts.join(', ');
}

/**
 * The refusal, and the ways to draw less that can be drawn: each one is
 * checked first (LineageSizes), so none is refused in turn.
 */
export function TooBigAdvice({ error, base, groupBy, depth, apply }: { error: ApiError; base: LineageRequest; groupBy: GroupBy; depth: Depth | null; apply: (next: Smaller) => void }) {
  const [sizes, setSizes] = useState<{ key: string; alts: Alternative[]; sizes: LineageSize[] } | null>(null);
  const [failed, setFailed] = useState<Error | null>(null);
  const key = JSON.stringify([base, groupBy, depth]);
  useEffect(() => {
    let live = true;
    const alts = alternatives(base, groupBy, depth);
    setSizes(null);
    setFailed(null);
    api.lineageSizes(alts.map((a) => a.request)).then(
      (s) => live && setSizes({ key, alts, sizes: s }),
      (e) => live && setFailed(e as Error),
    );
    return () => {
      live = false;
    };
  }, [key]);
  // One box alone (a one-package project by package) tells nothing.
  const drawable = sizes && sizes.key === key ? sizes.alts.map((a, i) => ({ a, s: sizes.sizes[i] })).filter(({ s }) => s?.fits && s.nodes > 1) : null;
  return (
    <>
      <ErrorBox error={{ name: 'ApiError', code: error.code, message: error.message.replace(/^lineage ".*?": /, '') } as ApiError} title="Too big to draw" />
      <div class="row too-big-advice" data-testid="too-big-advice">
        <span class="muted small">Try:</span>
        {!drawable && !failed && <Spinner label="finding what can be drawn…" />}
        {failed && <span class="muted small">could not check the ways to draw less ({failed.message})</span>}
        {drawable?.map(({ a, s }) => (
          <button key={a.label} type="button" class="btn btn-small" onClick={() => apply(a.next)}>
            {a.label} <span class="muted">({sizeText(s)})</span>
          </button>
        ))}
        {drawable?.length === 0 && <span class="muted small">nothing drawn here is small enough: narrow the selection, or export DOT, JSON or CSV, written whatever the size</span>}
      </div>
    </>
  );
}
