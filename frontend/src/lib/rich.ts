// Markdown (marked + DOMPurify) and SQL highlighting (highlight.js) are
// only needed on node pages and in descriptions. Loading them on demand
// keeps about a third of the bundle out of the first load, which every
// launch pays for before its first picture; main.tsx preloads them once
// the app is idle, so a node page rarely waits.
import { useEffect, useState } from 'preact/hooks';

type Rich = typeof import('./rich-impl');

let loaded: Rich | null = null;
let pending: Promise<Rich> | null = null;

export function loadRich(): Promise<Rich> {
  pending ??= import('./rich-impl').then((m) => (loaded = m));
  return pending;
}

/** The renderers, or null (and a re-render once they arrive). */
export function useRich(): Rich | null {
  const [, setTick] = useState(0);
  useEffect(() => {
    if (!loaded) void loadRich().then(() => setTick((n) => n + 1));
  }, []);
  return loaded;
}
