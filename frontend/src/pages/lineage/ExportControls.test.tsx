// @vitest-environment jsdom
/** @jsxImportSource preact */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { render } from 'preact';
import { act } from 'preact/test-utils';
import type { LineageRequest } from '../../api/types';
import { ExportControls } from './ExportControls';
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

const request = (format: string) => ({ select: 'x', format }) as unknown as LineageRequest;
const enabled = () => [...root.querySelectorAll<HTMLButtonElement>('button[data-export]')].filter((b) => !b.disabled).map((b) => b.dataset.export);

describe('ExportControls', () => {
  it('exports nothing without a picture', () => {
    act(() => render(<ExportControls result={null} request={request} />, root));
    expect(enabled()).toEqual([]);
  });
  it('still offers DOT, JSON and CSV when the size guard refused the picture', () => {
    act(() => render(<ExportControls result={null} dataOnly request={request} />, root));
    expect(enabled()).toEqual(['dot', 'json', 'csv']);
    const copyOptions = [...root.querySelectorAll('select[aria-label="Copy to clipboard"] option')].map((o) => o.textContent);
    expect(copyOptions).toEqual(['Copy…', 'DOT', 'JSON', 'CSV']);
  });
});
