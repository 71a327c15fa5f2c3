import { describe, expect, it } from 'vitest';
import { pageTitle } from './pageTitle';

describe('pageTitle', () => {
  it('names what each page shows', () => {
    expect(pageTitle({ path: ['node', 'model.jaffle_shop.orders'], query: {} })).toBe('orders (model) · Lineage Desk');
    expect(pageTitle({ path: ['node', 'source.jaffle_shop.ecom.raw_orders'], query: {} })).toBe('ecom.raw_orders (source) · Lineage Desk');
    expect(pageTitle({ path: ['lineage'], query: { select: '+orders+' } })).toBe('Lineage of +orders+ · Lineage Desk');
    expect(pageTitle({ path: [], query: {} })).toBe('Project · Lineage Desk');
    expect(pageTitle({ path: ['connections', 'prod'], query: {} })).toBe('Connection prod · Lineage Desk');
  });
});
