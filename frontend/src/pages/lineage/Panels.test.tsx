// @vitest-environment jsdom
/** @jsxImportSource preact */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { render } from 'preact';
import { act } from 'preact/test-utils';
import type { LineageNode, TestSummary } from '../../api/types';
import { FailingTestsChange, notABuild } from './Panels';
import { nextFrame } from '../../testing/mount';

let root: HTMLElement;
beforeEach(() => {
  root = document.createElement('div');
  document.body.appendChild(root);
});
afterEach(async () => {
  render(null, root);
  root.remove();
  await nextFrame();
});

const summary = (fail: number, error: number): TestSummary => ({ total: 5, pass: 5 - fail - error, warn: 0, fail, error, skipped: 0 });
const node = (now: TestSummary, before?: TestSummary) => ({ unique_id: 'model.p.a', test_summary: now, tests_before: before }) as unknown as LineageNode;
const line = () => root.querySelector('[data-testid="failing-tests-change"]');

describe('FailingTestsChange', () => {
  it('says how many more tests fail than in the run compared with, as an error', () => {
    act(() => render(<FailingTestsChange node={node(summary(1, 1), summary(0, 0))} stateBase={3} />, root));
    expect(line()?.textContent).toBe('failing tests: 0 → 2 since snapshot #3');
    expect(line()?.classList.contains('error-inline')).toBe(true);
  });
  it('says fewer fail, plainly', () => {
    act(() => render(<FailingTestsChange node={node(summary(0, 0), summary(2, 0))} stateBase={3} />, root));
    expect(line()?.textContent).toBe('failing tests: 2 → 0 since snapshot #3');
    expect(line()?.classList.contains('error-inline')).toBe(false);
  });
  it('says nothing when as many fail, or the runs were not compared', () => {
    act(() => render(<FailingTestsChange node={node(summary(1, 0), summary(0, 1))} stateBase={3} />, root));
    expect(line()).toBeNull();
    act(() => render(<FailingTestsChange node={node(summary(1, 0))} stateBase={3} />, root));
    expect(line()).toBeNull();
  });
});

describe('notABuild', () => {
  it("names the snapshot's command when it built nothing", () => {
    expect(notABuild('generate')).toBe(' (dbt docs generate: compiled, not built)');
    expect(notABuild('compile')).toBe(' (dbt compile: compiled, not built)');
    expect(notABuild('build')).toBe('');
    expect(notABuild('run')).toBe('');
    expect(notABuild(undefined)).toBe('');
  });
});
