// @vitest-environment jsdom
/** @jsxImportSource preact */
import { describe, expect, it } from 'vitest';
import { render } from 'preact';
import { RunStateChip } from './ui';

const text = (r: Parameters<typeof RunStateChip>[0]['r']) => {
  const root = document.createElement('div');
  render(<RunStateChip r={r} />, root);
  return root.textContent;
};

describe('RunStateChip', () => {
  it('shows a listed resource\'s own failure, and nothing when all went well', () => {
    expect(text({ resource_type: 'model', run_status: 'error' })).toBe('run: error');
    expect(text({ resource_type: 'model', run_status: 'skipped' })).toBe('run: skipped');
    expect(text({ resource_type: 'source', freshness_status: 'runtime error' })).toBe('freshness: runtime error');
    expect(text({ resource_type: 'model', run_status: 'success' })).toBe('');
    expect(text({ resource_type: 'source', freshness_status: 'pass' })).toBe('');
    expect(text({ resource_type: 'test', run_status: 'fail' })).toBe(''); // in its test summary
  });
});
