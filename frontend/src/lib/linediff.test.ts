import { describe, expect, it } from 'vitest';
import type { DiffLine } from '../api/types';
import { foldUnchanged } from './linediff';

describe('foldUnchanged', () => {
  it('folds unchanged runs beyond the context around each change', () => {
    const lines: DiffLine[] = Array.from({ length: 20 }, (_, i) => ({ op: ' ', text: `l${i}` }));
    lines.splice(10, 1, { op: '-', text: 'l10' }, { op: '+', text: 'L10' });
    const shown = foldUnchanged(lines, 2).map((l) => (l.op === 'fold' ? `… ${l.count}` : `${l.op}${l.text}`));
    expect(shown).toEqual(['… 8', ' l8', ' l9', '-l10', '+L10', ' l11', ' l12', '… 7']);
  });
  it('folds everything of a diff with no change', () => {
    expect(foldUnchanged([{ op: ' ', text: 'a' }, { op: ' ', text: 'b' }])).toEqual([{ op: 'fold', count: 2 }]);
  });
});
