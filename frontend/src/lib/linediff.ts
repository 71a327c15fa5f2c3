// Line diffs of a node's SQL between two snapshots: what its code became.

export interface DiffLine {
  op: ' ' | '-' | '+';
  text: string;
}

/** What a diff shows: its lines, or a fold of unchanged ones between them. */
export type DiffRow = DiffLine | { op: 'fold'; count: number };

// Past this many cells (lines before times lines after, their common head
// and tail aside) the longest common subsequence is not looked for: the
// old text is shown removed and the new one added.
const MAX_CELLS = 4_000_000;

/**
 * The lines of before and after as a diff: unchanged, removed and added,
 * in order, by the longest common subsequence of lines.
 */
export function lineDiff(before: string, after: string): DiffLine[] {
  const a = before.split('\n');
  const b = after.split('\n');
  let head = 0;
  while (head < a.length && head < b.length && a[head] === b[head]) head++;
  let tail = 0;
  while (tail < a.length - head && tail < b.length - head && a[a.length - 1 - tail] === b[b.length - 1 - tail]) tail++;
  const x = a.slice(head, a.length - tail);
  const y = b.slice(head, b.length - tail);
  const same = (lines: string[]) => lines.map((text): DiffLine => ({ op: ' ', text }));
  return [...same(a.slice(0, head)), ...middle(x, y), ...same(a.slice(a.length - tail))];
}

function middle(x: string[], y: string[]): DiffLine[] {
  const n = x.length;
  const m = y.length;
  if (n * m > MAX_CELLS || n === 0 || m === 0) {
    return [...x.map((text): DiffLine => ({ op: '-', text })), ...y.map((text): DiffLine => ({ op: '+', text }))];
  }
  // lcs[i][j]: the longest common subsequence of x[i:] and y[j:].
  const width = m + 1;
  const lcs = new Uint32Array((n + 1) * width);
  for (let i = n - 1; i >= 0; i--) {
    for (let j = m - 1; j >= 0; j--) {
      lcs[i * width + j] = x[i] === y[j] ? lcs[(i + 1) * width + j + 1] + 1 : Math.max(lcs[(i + 1) * width + j], lcs[i * width + j + 1]);
    }
  }
  const out: DiffLine[] = [];
  let i = 0;
  let j = 0;
  while (i < n && j < m) {
    if (x[i] === y[j]) {
      out.push({ op: ' ', text: x[i] });
      i++;
      j++;
    } else if (lcs[(i + 1) * width + j] >= lcs[i * width + j + 1]) {
      out.push({ op: '-', text: x[i++] });
    } else {
      out.push({ op: '+', text: y[j++] });
    }
  }
  while (i < n) out.push({ op: '-', text: x[i++] });
  while (j < m) out.push({ op: '+', text: y[j++] });
  return out;
}

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
