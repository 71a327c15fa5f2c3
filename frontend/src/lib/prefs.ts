// Small per-machine preferences, kept in localStorage (the webview's and the
// browser's own), never sent to the backend.
import { signal } from '@preact/signals';

export interface Hops {
  up: number;
  down: number;
}

const KEY = 'lineagedesk.defaultHops';

function load(): Hops {
  try {
    const raw = typeof localStorage !== 'undefined' ? localStorage.getItem(KEY) : null;
    const v = raw ? (JSON.parse(raw) as Partial<Hops>) : null;
    if (v && Number.isInteger(v.up) && Number.isInteger(v.down) && v.up! >= 0 && v.down! >= 0 && v.up! <= 9 && v.down! <= 9) return { up: v.up!, down: v.down! };
  } catch {
    /* unreadable: use the default */
  }
  return { up: 2, down: 2 };
}

/** How many hops each way lineage opens at for a node (dbt-docs' +model+ default freezes big projects). */
export const defaultHops = signal<Hops>(load());

export function setDefaultHops(h: Hops): void {
  defaultHops.value = h;
  try {
    localStorage.setItem(KEY, JSON.stringify(h));
  } catch {
    /* storage disabled: keep it for this session */
  }
}

/** The selector that opens a node's lineage at the default depth. */
export function focusSelector(core: string, hops: Hops = defaultHops.value): string {
  return `${hops.up ? `${hops.up}+` : ''}${core}${hops.down ? `+${hops.down}` : ''}`;
}
