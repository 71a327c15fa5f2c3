import { useEffect, useRef, useState } from 'preact/hooks';
import type { ComponentChildren } from 'preact';
import type { Health, TestSummary } from '../api/types';
import type { ApiError } from '../api/transport';
import { copyText } from '../lib/download';
import { plural } from '../lib/format';
import { useRich } from '../lib/rich';
import { splitSnippet } from '../lib/snippet';

const TYPE_ABBR: Record<string, string> = {
  model: 'M', source: 'S', seed: 'SD', snapshot: 'SN', test: 'T', unit_test: 'UT', exposure: 'E', metric: 'MT',
  semantic_model: 'SM', saved_query: 'SQ', analysis: 'A', operation: 'OP', function: 'F', macro: 'MC',
};

export function TypeBadge({ type }: { type: string }) {
  return (
    <span class={`type-badge type-${type}`} title={type}>
      {TYPE_ABBR[type] ?? type.slice(0, 2).toUpperCase()}
    </span>
  );
}

export function statusClass(status: unknown): string {
  const s = String(status ?? '').toLowerCase();
  if (s === 'pass' || s === 'success' || s === 'succeeded' || s === 'fresh') return 'ok';
  if (s === 'warn') return 'warn';
  if (s === 'fail' || s === 'error' || s === 'runtime error' || s === 'failed' || s === 'cancelled' || s === 'canceled') return 'bad';
  if (s === 'skipped') return 'muted';
  return 'none';
}

export function StatusChip({ status, label }: { status: unknown; label?: string }) {
  const s = statusClass(status);
  return <span class={`chip status-${s}`}>{label ?? (status === undefined || status === null || status === '' ? 'no result' : String(status))}</span>;
}

/**
 * A listed resource's own failure, as a chip: its build errored or was
 * skipped, its freshness check warned or failed; nothing when all went
 * well (a list shows what needs a look).
 */
export function RunStateChip({ r }: { r: { run_status?: string; freshness_status?: string; resource_type: string } }) {
  const ownRun = r.resource_type !== 'test' && r.resource_type !== 'unit_test'; // a test's status is in its summary
  if (ownRun && r.run_status && r.run_status !== 'success' && r.run_status !== 'pass') {
    return <StatusChip status={r.run_status} label={`run: ${r.run_status}`} />;
  }
  if (r.freshness_status && r.freshness_status !== 'pass') {
    return <StatusChip status={r.freshness_status} label={`freshness: ${r.freshness_status}`} />;
  }
  return null;
}

/** The resource types data health judges (backend/health). */
export const HEALTH_JUDGED: readonly string[] = ['model', 'seed', 'snapshot', 'source', 'exposure'];

/** The data health states, worst first, as the counts list them. */
export const HEALTH_STATES = ['degraded', 'caution', 'unknown', 'healthy'] as const;

const HEALTH_CLASS: Record<Health['state'], string> = { degraded: 'bad', caution: 'warn', healthy: 'ok', unknown: 'none' };

/** A resource's data health: a chip with its state, and why, the first `reasons` of its reasons listed. */
export function HealthLine({ health, reasons = 3 }: { health: Health | undefined | null; reasons?: number }) {
  if (!health) return null;
  const why = health.reasons ?? [];
  return (
    <div class="small health-line" data-testid="health" title={why.join('\n')}>
      <span class={`chip status-${HEALTH_CLASS[health.state] ?? 'none'}`}>health: {health.state}</span>
      {why.length > 0 && <span class="muted"> {why.slice(0, reasons).join('; ')}{why.length > reasons ? `; ${why.length - reasons} more` : ''}</span>}
    </div>
  );
}

export function TestSummaryChips({ s, compact, attached }: { s: TestSummary | undefined | null; compact?: boolean; attached?: number }) {
  if (!s || s.total === 0) {
    // The summary is all zero when the snapshot has no real test outcomes (e.g. docs generate only).
    if (attached) return <span class="chip status-none">{plural(attached, 'test')}, no results</span>;
    return compact ? null : <span class="muted">no tests</span>;
  }
  const parts: [string, number, string][] = [
    ['error', s.error, 'bad'], ['fail', s.fail, 'bad'], ['warn', s.warn, 'warn'], ['pass', s.pass, 'ok'], ['skipped', s.skipped, 'muted'],
  ];
  const withResults = s.error + s.fail + s.warn + s.pass + s.skipped;
  return (
    <span class="chips" title={`${s.total} tests attached`}>
      {parts.filter(([, n]) => n > 0).map(([k, n, c]) => (
        <span key={k} class={`chip status-${c}`}>{n} {k}</span>
      ))}
      {withResults === 0 && <span class="chip status-none">{plural(s.total, 'test')}, no results</span>}
    </span>
  );
}

export function CopyButton({ text, label = 'Copy', title }: { text: string; label?: string; title?: string }) {
  const [state, setState] = useState<'idle' | 'done' | 'fail'>('idle');
  return (
    <button
      type="button"
      class="btn btn-small"
      title={title ?? `Copy ${text}`}
      onClick={async () => {
        try {
          await copyText(text);
          setState('done');
        } catch {
          setState('fail');
        }
        setTimeout(() => setState('idle'), 1500);
      }}
    >
      {state === 'done' ? 'Copied' : state === 'fail' ? 'Copy failed' : label}
    </button>
  );
}

export function Spinner({ label }: { label?: string }) {
  return (
    <span class="spinner-wrap" role="status" aria-live="polite">
      <span class="spinner" aria-hidden="true" />
      {label && <span>{label}</span>}
    </span>
  );
}

const ERROR_TITLES: Record<string, string> = {
  invalid: 'Check the input',
  not_found: 'Not found',
  conflict: 'Conflict',
  unauthorized: 'Credentials refused',
  forbidden: 'Permission missing',
  rate_limited: 'Rate limited',
  unavailable: 'Unreachable',
  canceled: 'Cancelled',
};

/**
 * An error with its title by code. reveal scrolls it into view when it
 * appears out of sight (an action's answer below the fold).
 */
export function ErrorBox({ error, onRetry, title, reveal }: { error: ApiError | Error | null | undefined; onRetry?: () => void; title?: string; reveal?: boolean }) {
  const ref = useRef<HTMLDivElement>(null);
  useEffect(() => {
    if (reveal && error) ref.current?.scrollIntoView({ block: 'nearest' });
  }, [reveal, error]);
  if (!error) return null;
  const code = (error as ApiError).code;
  return (
    <div class="error-box" role="alert" ref={ref}>
      <strong>{title ?? ERROR_TITLES[code] ?? 'Something went wrong'}</strong>
      <span>{error.message}</span>
      {onRetry && <button class="btn btn-small" onClick={onRetry}>Retry</button>}
    </div>
  );
}

export function Markdown({ src, class: cls }: { src: string | undefined | null; class?: string }) {
  const rich = useRich();
  if (!src) return null;
  // Until the renderer has loaded, the source shows as plain text.
  if (!rich) return <div class={`markdown ${cls ?? ''}`}>{src}</div>;
  // renderMarkdown sanitises with DOMPurify.
  return <div class={`markdown ${cls ?? ''}`} dangerouslySetInnerHTML={{ __html: rich.renderMarkdown(src) }} />;
}

export function Snippet({ text }: { text: string | undefined | null }) {
  return (
    <span class="snippet">
      {splitSnippet(text).map((seg, i) => (seg.mark ? <mark key={i}>{seg.text}</mark> : <span key={i}>{seg.text}</span>))}
    </span>
  );
}

export function Section({ title, children, actions, id }: { title: string; children: ComponentChildren; actions?: ComponentChildren; id?: string }) {
  return (
    <section class="section" id={id}>
      <header class="section-head">
        <h2>{title}</h2>
        {actions && <div class="section-actions">{actions}</div>}
      </header>
      {children}
    </section>
  );
}

export function Kbd({ children }: { children: ComponentChildren }) {
  return <kbd>{children}</kbd>;
}

/**
 * A destructive button that asks for a second click instead of window.confirm,
 * which some desktop webviews do not show.
 */
export function ConfirmButton({ label, confirmLabel, onConfirm, class: cls, title }: { label: string; confirmLabel: string; onConfirm: () => void; class?: string; title?: string }) {
  const [armed, setArmed] = useState(false);
  useEffect(() => {
    if (!armed) return;
    const t = setTimeout(() => setArmed(false), 4000);
    return () => clearTimeout(t);
  }, [armed]);
  return (
    <button
      type="button"
      class={`btn ${cls ?? ''} ${armed ? 'armed' : ''}`}
      title={title}
      onClick={() => {
        if (armed) {
          setArmed(false);
          onConfirm();
        } else setArmed(true);
      }}
      onBlur={() => setArmed(false)}
    >
      {armed ? confirmLabel : label}
    </button>
  );
}
