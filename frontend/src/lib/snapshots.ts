// Which snapshot of a project came before another: by when dbt generated
// it, as the app's state: and history order them (older artifacts may be
// imported after newer ones).
import type { Snapshot } from '../api/types';

function ranBefore(a: Snapshot, b: Snapshot): boolean {
  const ta = Date.parse(a.generated_at);
  const tb = Date.parse(b.generated_at);
  return ta < tb || (ta === tb && a.id < b.id);
}

/** Whether two snapshots hold the same dbt run (the same artifacts imported twice). */
function sameRun(a: Snapshot, b: Snapshot): boolean {
  return !!a.invocation_id && a.invocation_id === b.invocation_id && a.generated_at === b.generated_at && a.run_command === b.run_command;
}

/** The project's run generated last before snap; undefined when snap is its earliest. */
export function runBefore(snaps: Snapshot[], snap: Snapshot): Snapshot | undefined {
  let best: Snapshot | undefined;
  for (const s of snaps) {
    if (s.id === snap.id || s.project !== snap.project || sameRun(s, snap) || !ranBefore(s, snap)) continue;
    if (!best || ranBefore(best, s)) best = s;
  }
  return best;
}

/**
 * What state: compares snap with by default, as the app chooses it: the
 * run before, else (snap is the project's earliest) the first run after.
 */
export function stateBaseOf(snaps: Snapshot[], snap: Snapshot): { base: Snapshot; later: boolean } | undefined {
  const before = runBefore(snaps, snap);
  if (before) return { base: before, later: false };
  let after: Snapshot | undefined;
  for (const s of snaps) {
    if (s.id === snap.id || s.project !== snap.project || sameRun(s, snap)) continue;
    if (!after || ranBefore(s, after)) after = s;
  }
  return after ? { base: after, later: true } : undefined;
}

/**
 * The snapshot shown when none is picked, as the app chooses it: of the
 * project imported or synced last (the first listed), its most recent run.
 */
export function latestOf(snaps: Snapshot[]): Snapshot | undefined {
  const project = snaps[0]?.project;
  let best: Snapshot | undefined;
  for (const s of snaps) {
    if (s.project === project && (!best || ranBefore(best, s))) best = s;
  }
  return best;
}
