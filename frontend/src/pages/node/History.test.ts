import { describe, expect, it } from 'vitest';
import type { HistoryResult } from '../../api/types';
import { changeText, runTimes } from './History';

// As the app marks them: the runs of these commands build.
const BUILDS = ['build', 'run', 'seed', 'snapshot', 'retry'];
const snap = (id: number, run_command: string) => ({ id, name: '', generated_at: '2031-03-01T00:00:00Z', run_command, builds: BUILDS.includes(run_command) });
const cell = (execution_time: number) => ({ status: 'success', execution_time });

function history(commands: string[], own: ({ status: string; execution_time: number } | null)[], test = false): HistoryResult {
  return {
    snapshot_id: 9, unique_id: 'model.p.orders', project: 'p', later: 0,
    snapshots: commands.map((c, i) => snap(i + 1, c)),
    rows: [
      { unique_id: 'model.p.orders', name: 'orders', test, results: own },
      { unique_id: 'test.p.t', name: 't', test: true, results: commands.map(() => ({ status: 'pass', execution_time: 9 })) },
    ],
  };
}

describe('runTimes', () => {
  it('takes the times of the runs that built the resource', () => {
    expect(runTimes(history(['build', 'generate', 'run', 'test'], [cell(1.5), cell(0.1), cell(3), cell(0.2)]))).toEqual([1.5, null, 3, null]);
  });
  it('leaves out a trend of one run, and tests', () => {
    expect(runTimes(history(['build', 'generate'], [cell(1.5), cell(0.1)]))).toBeNull();
    expect(runTimes(history(['build', 'run'], [cell(1.5), null]))).toBeNull();
    expect(runTimes(history(['build', 'run'], [cell(1.5), cell(2)], true))).toBeNull();
  });
});

describe('changeText', () => {
  it('says what changed in a line', () => {
    expect(changeText(null)).toBe('');
    expect(changeText({ parts: ['new'] })).toBe('new');
    expect(changeText({ parts: ['body', 'fqn'] })).toBe('code, file moved');
    expect(changeText({ columns: [{ node: 'm', column: 'x', change: 'added', type: 'text' }] })).toBe('column x added (text)');
    expect(changeText({ parts: ['configs'], columns: [
      { node: 'm', column: 'x', change: 'added' }, { node: 'm', column: 'y', change: 'retyped', type: 'b', old_type: 'a' },
    ] })).toBe('config, 2 columns');
  });
});
