import { describe, expect, it } from 'vitest';
import { folderSegments } from './Sidebar';

describe('folderSegments', () => {
  it('splits a folder in the project into its rows', () => {
    expect(folderSegments('models/staging/jaffle')).toEqual(['models', 'staging', 'jaffle']);
    expect(folderSegments('')).toEqual([]);
  });
  it('keeps a path outside the project as one row, and gives ".." none', () => {
    // tuva's input_layer has seed-paths: ["../seeds"] (tuva-v11-dbt1.7's manifest).
    expect(folderSegments('..')).toEqual([]);
    expect(folderSegments('../..')).toEqual([]);
    expect(folderSegments('../seeds')).toEqual(['../seeds']);
    expect(folderSegments('../../shared/seeds')).toEqual(['../../shared', 'seeds']);
  });
});
