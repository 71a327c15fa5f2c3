import { describe, expect, it } from 'vitest';
import type { MeshResult } from '../../api/types';
import { isCrossProjectRef, readersAcross } from './AcrossProjects';
import { idName } from '../../lib/selector';
import { inRun } from '../../lib/router';
import { lineageRequest, viewQuery } from '../lineage/request';

// finance as App.Mesh answers for it over testdata/mesh.
const finance: MeshResult = {
  snapshot_id: 2,
  project: 'bouncer_finance',
  reads: [{ project: 'dbt_bouncer_test_project', snapshot_id: 1, models: [
    { unique_id: 'model.dbt_bouncer_test_project.customers.v3', readers: ['model.bouncer_finance.dim_customer_value'] },
    { unique_id: 'model.dbt_bouncer_test_project.orders', readers: ['model.bouncer_finance.fct_revenue'] },
  ] }],
  read_by: [{ project: 'bouncer_reporting', snapshot_id: 3, models: [
    { unique_id: 'model.bouncer_finance.dim_customer_value', readers: ['model.bouncer_reporting.rpt_top_customers'] },
  ] }],
};

describe('across projects', () => {
  it('tells a ref to another project\'s public model by its missing file', () => {
    expect(isCrossProjectRef({ resource_type: 'model', path: '' })).toBe(true);
    expect(isCrossProjectRef({ resource_type: 'model', path: 'models/marts/orders.sql' })).toBe(false);
    expect(isCrossProjectRef({ resource_type: 'seed', path: '' })).toBe(false);
  });

  it('lists the readers of a public model in the projects that ref it', () => {
    expect(readersAcross(finance, 'model.bouncer_finance.dim_customer_value')).toEqual([
      { project: 'bouncer_reporting', snapshotId: 3, readers: ['model.bouncer_reporting.rpt_top_customers'] },
    ]);
    expect(readersAcross(finance, 'model.bouncer_finance.fct_revenue')).toEqual([]);
  });

  it('opens a node of another project in its own run, and the snapshot shown as it is', () => {
    expect(inRun(7)).toEqual({ snap: '7' });
    expect(inRun(undefined)).toEqual({});
    expect(inRun(0)).toEqual({});
  });

  it('names a versioned model as the app does', () => {
    expect(idName('model.dbt_bouncer_test_project.customers.v3')).toBe('customers v3');
    expect(idName('source.shop.raw.orders')).toBe('orders');
    expect(idName('seed.shop.raw.v2')).toBe('raw.v2');
  });

  it('asks for a picture across projects when the address says so, and a view keeps it', () => {
    expect(lineageRequest({ select: '+fct_revenue', across: '1' }, 2, 'svg').across_projects).toBe(true);
    expect(lineageRequest({ select: '+fct_revenue' }, 2, 'svg').across_projects).toBeUndefined();
    expect(viewQuery({ project: 'p', name: 'v', select: '+fct_revenue', across_projects: true }).across).toBe('1');
    expect(viewQuery({ project: 'p', name: 'v', select: '+fct_revenue' }).across).toBe('');
  });
});
