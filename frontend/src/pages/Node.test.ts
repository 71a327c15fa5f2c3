import { describe, expect, it } from 'vitest';
import { heldElsewhere, lineageOf } from './Node';
import { focusSelector } from '../lib/prefs';

describe('a node not found here', () => {
  it('links to the other projects that hold it, as the error names them', () => {
    const msg = 'snapshot #2 (project hubspot): no node has unique_id or name "orders"; project jaffle_shop holds model.jaffle_shop.orders in snapshot #5, project bouncer holds model.bouncer.orders in snapshot #7';
    expect(heldElsewhere(msg)).toEqual([
      { project: 'jaffle_shop', uniqueId: 'model.jaffle_shop.orders', snapshotId: 5 },
      { project: 'bouncer', uniqueId: 'model.bouncer.orders', snapshotId: 7 },
    ]);
    expect(heldElsewhere('no node has unique_id or name "x"')).toEqual([]);
  });
});

describe('the Lineage a node page opens', () => {
  it('draws an exposure with all that feeds it, anything else within the default hops', () => {
    expect(lineageOf({ resource_type: 'exposure' }, 'exposure:board')).toBe('+exposure:board');
    expect(lineageOf({ resource_type: 'model' }, 'orders')).toBe(focusSelector('orders'));
    expect(focusSelector('orders')).not.toBe('orders'); // the default draws some hops around it
  });
});
