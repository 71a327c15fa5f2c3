import { describe, expect, it } from 'vitest';
import { foldUnchanged, lineDiff } from './linediff';

const text = (lines: { op: string; text?: string; count?: number }[]) => lines.map((l) => (l.op === 'fold' ? `… ${l.count}` : `${l.op}${l.text}`));

describe('lineDiff', () => {
  it('keeps what both share and marks the rest removed or added, in order', () => {
    const before = 'select\n  a,\n  b\nfrom t\nwhere x';
    const after = 'select\n  a,\n  c,\n  b\nfrom u\nwhere x';
    expect(text(lineDiff(before, after))).toEqual([' select', '   a,', '+  c,', '   b', '-from t', '+from u', ' where x']);
  });
  it('gives back both texts whole: the unchanged and removed lines are the old one, the unchanged and added the new', () => {
    const before = Array.from({ length: 60 }, (_, i) => `line ${i % 7}`).join('\n');
    const after = Array.from({ length: 55 }, (_, i) => `line ${(i * 3) % 11}`).join('\n');
    const d = lineDiff(before, after);
    expect(d.filter((l) => l.op !== '+').map((l) => l.text).join('\n')).toBe(before);
    expect(d.filter((l) => l.op !== '-').map((l) => l.text).join('\n')).toBe(after);
    // As few changed lines as the longest common subsequence allows.
    expect(d.filter((l) => l.op === ' ').length).toBeGreaterThanOrEqual(10);
  });
  it('says nothing changed of equal texts, and all of one empty side', () => {
    expect(lineDiff('a\nb', 'a\nb').every((l) => l.op === ' ')).toBe(true);
    expect(text(lineDiff('', 'a'))).toEqual(['-', '+a']);
  });
});

describe('foldUnchanged', () => {
  it('folds unchanged runs beyond the context around each change', () => {
    const before = Array.from({ length: 20 }, (_, i) => `l${i}`).join('\n');
    const after = before.replace('l10', 'L10');
    expect(text(foldUnchanged(lineDiff(before, after), 2))).toEqual(['… 8', ' l8', ' l9', '-l10', '+L10', ' l11', ' l12', '… 7']);
  });
});
