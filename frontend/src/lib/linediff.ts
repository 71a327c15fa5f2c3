// How the node page shows a line diff (the app's SQLDiff): the lines near
// a change, and the runs of unchanged ones farther away as a count.
import type { DiffLine } from '../api/types';

/** What a diff shows: its lines, or a fold of unchanged ones between them. */
export type DiffRow = DiffLine | { op: 'fold'; count: number };

/** The diff with each run of unchanged lines past context lines from a change folded into a count. */
export function foldUnchanged(lines: DiffLine[], context = 3): DiffRow[] {
  const near = lines.map(() => false);
  lines.forEach((l, i) => {
    if (l.op === ' ') return;
    for (let k = Math.max(0, i - context); k <= Math.min(lines.length - 1, i + context); k++) near[k] = true;
  });
  const out: DiffRow[] = [];
  for (let i = 0; i < lines.length; i++) {
    if (lines[i].op !== ' ' || near[i]) {
      out.push(lines[i]);
      continue;
    }
    let j = i;
    while (j < lines.length && lines[j].op === ' ' && !near[j]) j++;
    out.push({ op: 'fold', count: j - i });
    i = j - 1;
  }
  return out;
}
