// @vitest-environment jsdom
/** @jsxImportSource preact */
import { describe, expect, it, vi } from 'vitest';
import { render } from 'preact';
import { act } from 'preact/test-utils';
import { useRoot } from '../../testing/mount';
import { ColumnLensNote } from './ColumnLens';

const mount = useRoot();
const note = () => mount.root.querySelector('[data-testid="column-lens"]')!;
const button = (label: string) => [...mount.root.querySelectorAll('button')].find((b) => b.textContent === label) as HTMLButtonElement | undefined;

describe('ColumnLensNote', () => {
  it('says how many of the nodes the picture draws, and draws them all on demand', () => {
    const onDrawAll = vi.fn();
    const onClose = vi.fn();
    const lens = { uid: 'model.p.customers', column: 'lifetime_spend', nodes: ['model.p.customers', 'model.p.orders', 'source.p.raw.orders'] };
    act(() => render(<ColumnLensNote lens={lens} inPicture={2} onDrawAll={onDrawAll} onClose={onClose} />, mount.root));
    expect(note().textContent).toContain('The lineage of customers.lifetime_spend runs through 3 nodes, 2 in the picture, outlined.');
    expect(mount.root.querySelector('a')!.getAttribute('href')).toBe('#/node/model.p.customers?column=lifetime_spend&direction=both');
    act(() => button('Draw all 3')!.click());
    expect(onDrawAll).toHaveBeenCalled();
    act(() => (mount.root.querySelector('[aria-label^="Stop outlining"]') as HTMLButtonElement).click());
    expect(onClose).toHaveBeenCalled();
    // All drawn: nothing more to draw.
    act(() => render(<ColumnLensNote lens={lens} inPicture={3} onDrawAll={onDrawAll} onClose={onClose} />, mount.root));
    expect(button('Draw all 3')).toBeUndefined();
  });
  it('says it is tracing, then the error when there is one', () => {
    const lens = { uid: 'model.p.customers', column: 'x', nodes: [] };
    act(() => render(<ColumnLensNote lens={{ ...lens, busy: true }} inPicture={0} onDrawAll={() => {}} onClose={() => {}} />, mount.root));
    expect(note().textContent).toContain('Tracing customers.x through the SQL…');
    act(() => render(<ColumnLensNote lens={{ ...lens, err: 'model.p.customers has no column "x"' }} inPicture={0} onDrawAll={() => {}} onClose={() => {}} />, mount.root));
    expect(note().textContent).toContain('customers.x: model.p.customers has no column "x"');
    expect(button('Draw all 0')).toBeUndefined();
  });
});
