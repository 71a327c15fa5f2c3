// Timings the end-to-end runner reads (window.__ldMetrics) and prints for the
// bench harness. Cheap enough to keep on in production.
export interface Metric {
  metric: string;
  ms: number;
  [k: string]: unknown;
}

declare global {
  interface Window {
    __ldMetrics?: Metric[];
  }
}

export function recordMetric(m: Metric): void {
  if (typeof window === 'undefined') return;
  (window.__ldMetrics ??= []).push(m);
}

/** Calls fn after the browser has painted the current frame. */
export function afterPaint(fn: () => void): void {
  requestAnimationFrame(() => setTimeout(fn, 0));
}
