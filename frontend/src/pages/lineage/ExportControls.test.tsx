// @vitest-environment jsdom
/** @jsxImportSource preact */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { render } from 'preact';
import { act } from 'preact/test-utils';
import type { LineageRequest } from '../../api/types';
import { ExportControls, smallerScale } from './ExportControls';
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
  it('still offers DOT, JSON and both CSVs when the size guard refused the picture', () => {
    act(() => render(<ExportControls result={null} dataOnly request={request} />, root));
    expect(enabled()).toEqual(['dot', 'json', 'csv', 'csv-nodes']);
    const copyOptions = [...root.querySelectorAll('.copy-menu [data-copy]')].map((o) => o.textContent);
    expect(copyOptions).toEqual(['DOT', 'JSON', 'CSV edges', 'CSV nodes']);
  });
});

describe('smallerScale', () => {
  it('picks the largest scale offered that a too-big PNG refusal allows', () => {
    const refusal = 'the PNG would be 21055 x 15612 pixels, more than the 16384 per side or 120 million in all a PNG may have: export it at scale 0.90 or less, or as SVG';
    expect(smallerScale(refusal, 2)).toBe(0.5);
    expect(smallerScale(refusal.replace('0.90', '2.50'), 4)).toBe(2);
    expect(smallerScale(refusal.replace('0.90', '0.30'), 2)).toBeNull(); // none offered fits
    expect(smallerScale('the selection has 1687 nodes', 2)).toBeNull();
  });
});
