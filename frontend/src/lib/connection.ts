// The connection form's draft and what it sends. The token is write-only: a
// draft never starts with one, and an empty token is left out of the input
// so that an edit keeps the saved token.
import type { Connection, ConnectionInput } from '../api/types';

/**
 * What an access URL looks like: each account has its own since dbt Labs
 * retired the shared getdbt.com region URLs (November 1, 2026), so a new
 * connection starts with none and shows this.
 */
export const EXAMPLE_URL = 'https://ab123.us1.dbt.com';

export interface Draft {
  name: string;
  access_url: string;
  account_id: string;
  token: string;
  project_id: string;
  environment_id: string;
  job_id: string;
  run_id: string;
}

export function toDraft(c: Connection | null): Draft {
  const s = (n?: number) => (n ? String(n) : '');
  return {
    name: c?.name ?? '',
    access_url: c?.access_url ?? '',
    account_id: s(c?.account_id),
    token: '',
    project_id: s(c?.project_id),
    environment_id: s(c?.environment_id),
    job_id: s(c?.job_id),
    run_id: s(c?.run_id),
  };
}

const ID_FIELDS: [keyof Draft, string][] = [
  ['account_id', 'Account ID'], ['project_id', 'Project ID'], ['environment_id', 'Environment ID'], ['job_id', 'Job ID'], ['run_id', 'Run ID'],
];

/** What is wrong with the draft's ids: each filled in must be a whole number (dbt Cloud's ids are). */
export function idProblems(d: Draft): string[] {
  return ID_FIELDS.filter(([k]) => d[k].trim() !== '' && !/^\d+$/.test(d[k].trim())).map(
    ([, label]) => `${label} must be a number${label === 'Account ID' ? ': the digits after /accounts/ (or /deploy/) in your dbt Cloud URL' : ''}.`,
  );
}

export function toInput(d: Draft): ConnectionInput {
  const n = (v: string) => (v.trim() ? Number(v.trim()) : undefined);
  return {
    name: d.name.trim(),
    access_url: d.access_url.trim(),
    account_id: Number(d.account_id.trim() || 0),
    token: d.token || undefined,
    project_id: n(d.project_id),
    environment_id: n(d.environment_id),
    job_id: n(d.job_id),
    run_id: n(d.run_id),
  };
}

