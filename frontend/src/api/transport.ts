// One way to call the Go API from either host: the Wails window (bindings on
// window.go.app.App, events via window.runtime) or a browser talking to
// `lineagedesk serve` (POST /api/rpc/<Method>, server-sent events).

export class ApiError extends Error {
  readonly code: string;
  constructor(code: string, message: string) {
    super(message);
    this.name = 'ApiError';
    this.code = code;
  }
}

type Binding = (...args: unknown[]) => Promise<unknown>;

interface WailsWindow {
  go?: { app?: { App?: Record<string, Binding | undefined> } };
  runtime?: { EventsOn?: (name: string, cb: (...data: unknown[]) => void) => (() => void) | void; EventsOff?: (name: string) => void };
}

function host(): WailsWindow {
  return globalThis as unknown as WailsWindow;
}

/** Which transport a call made now would use. Resolved at call time, never cached. */
export function transportKind(): 'wails' | 'http' {
  return host().go?.app?.App ? 'wails' : 'http';
}

/** Whether the host offers an API method (optional ones, such as a native folder dialog in the window). */
export function hasMethod(method: string): boolean {
  return typeof host().go?.app?.App?.[method] === 'function';
}

/** Turns anything a transport threw or returned as an error into an ApiError. */
export function toApiError(err: unknown, fallbackCode = 'internal'): ApiError {
  if (err instanceof ApiError) return err;
  if (err && typeof err === 'object') {
    const o = err as { code?: unknown; message?: unknown };
    if (typeof o.code === 'string' && typeof o.message === 'string') return new ApiError(o.code, o.message);
    // Wails rejects a call with new Error(the text the desktop adapter
    // formats): the JSON payload is the Error's message.
    if (err instanceof Error) return payloadText(err.message) ?? new ApiError(fallbackCode, err.message);
  }
  if (typeof err === 'string') return payloadText(err) ?? new ApiError(fallbackCode, err);
  return new ApiError(fallbackCode, String(err));
}

/** The ApiError a {code, message} JSON text holds, or null for other text. */
function payloadText(text: string): ApiError | null {
  try {
    const parsed = JSON.parse(text) as { code?: unknown; message?: unknown };
    if (parsed && typeof parsed.code === 'string' && typeof parsed.message === 'string') {
      return new ApiError(parsed.code, parsed.message);
    }
  } catch {
    /* not JSON: plain message */
  }
  return null;
}

function statusCode(status: number): string {
  switch (status) {
    case 400: return 'invalid';
    case 401: return 'unauthorized';
    case 403: return 'forbidden';
    case 404: return 'not_found';
    case 409: return 'conflict';
    case 429: return 'rate_limited';
    case 499: return 'canceled';
    case 502: case 503: case 504: return 'unavailable';
    default: return 'internal';
  }
}

// serve mode: the session secret from the printed URL, kept in this origin's
// storage (an origin includes the port, so no other local server sees it,
// as it would see a cookie) and sent with every call.
const SECRET_KEY = 'lineagedesk.session';

/** Keeps the secret the printed URL carried (main.tsx). */
export function rememberSessionSecret(secret: string): void {
  try {
    localStorage.setItem(SECRET_KEY, secret);
  } catch {
    /* storage refused (private mode): calls will say to open the URL again */
  }
}

function sessionSecret(): string {
  // A module may call before main.tsx has moved it from the address.
  const fromAddress = typeof location === 'undefined' ? null : new URLSearchParams(location.search).get('token');
  if (fromAddress) return fromAddress;
  try {
    return localStorage.getItem(SECRET_KEY) ?? '';
  } catch {
    return '';
  }
}

/** Calls an API method with positional arguments, as docs/API.md lists them. */
export async function call<T>(method: string, ...args: unknown[]): Promise<T> {
  const binding = host().go?.app?.App?.[method];
  if (binding) {
    try {
      return (await binding(...args)) as T;
    } catch (err) {
      throw toApiError(err);
    }
  }
  let res: Response;
  try {
    res = await fetch('/api/rpc/' + encodeURIComponent(method), {
      method: 'POST',
      body: JSON.stringify(args),
      credentials: 'same-origin',
      headers: { 'Content-Type': 'application/json', Authorization: `Bearer ${sessionSecret()}` },
    });
  } catch (err) {
    throw new ApiError('unavailable', `Lineage Desk did not answer ${method}: ${err instanceof Error ? err.message : String(err)}. Is lineagedesk serve still running?`);
  }
  const text = await res.text();
  if (!res.ok) {
    let payload: unknown = null;
    try {
      payload = JSON.parse(text);
    } catch {
      /* plain text error (e.g. the session guard) */
    }
    const p = payload as { code?: unknown; message?: unknown } | null;
    if (p && typeof p.code === 'string' && typeof p.message === 'string') throw new ApiError(p.code, p.message);
    throw new ApiError(statusCode(res.status), text.trim() || `${method} failed with HTTP ${res.status}`);
  }
  if (text === '') return undefined as T;
  try {
    return JSON.parse(text) as T;
  } catch {
    throw new ApiError('internal', `${method} answered with something that is not JSON`);
  }
}

// --- events -----------------------------------------------------------------

type Listener = (data: unknown) => void;

interface SharedSource {
  source: EventSource;
  listeners: Map<string, Set<Listener>>;
  handlers: Map<string, (e: MessageEvent) => void>;
}

let shared: SharedSource | null = null;

function sharedSource(): SharedSource {
  if (!shared) {
    shared = { source: new EventSource(`/api/events?token=${encodeURIComponent(sessionSecret())}`), listeners: new Map(), handlers: new Map() };
  }
  return shared;
}

function parseData(raw: unknown): unknown {
  if (typeof raw !== 'string') return raw;
  try {
    return JSON.parse(raw);
  } catch {
    return raw;
  }
}

/**
 * Subscribes to an app event (sync:progress, snapshots:changed). Returns an
 * unsubscribe function. In the browser one EventSource is shared by all
 * subscribers and closed when the last one leaves.
 */
export function onEvent<T = unknown>(name: string, cb: (data: T) => void): () => void {
  const rt = host().runtime;
  if (rt?.EventsOn) {
    const off = rt.EventsOn(name, (...data: unknown[]) => cb(data[0] as T));
    return () => {
      if (typeof off === 'function') off();
      else rt.EventsOff?.(name);
    };
  }
  if (typeof EventSource === 'undefined') return () => {};
  const s = sharedSource();
  let set = s.listeners.get(name);
  if (!set) {
    set = new Set();
    s.listeners.set(name, set);
    const handler = (e: MessageEvent) => {
      const data = parseData(e.data);
      for (const l of [...(s.listeners.get(name) ?? [])]) l(data);
    };
    s.handlers.set(name, handler);
    s.source.addEventListener(name, handler as EventListener);
  }
  const listener = cb as Listener;
  set.add(listener);
  return () => {
    const cur = shared;
    if (!cur) return;
    const ls = cur.listeners.get(name);
    if (!ls) return;
    ls.delete(listener);
    if (ls.size === 0) {
      const h = cur.handlers.get(name);
      if (h) cur.source.removeEventListener(name, h as EventListener);
      cur.listeners.delete(name);
      cur.handlers.delete(name);
    }
    if (cur.listeners.size === 0) {
      cur.source.close();
      shared = null;
    }
  };
}

/** For tests: drop the shared EventSource. */
export function resetEvents(): void {
  shared?.source.close();
  shared = null;
}
