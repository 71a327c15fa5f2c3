import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { ApiError, call, onEvent, rememberSessionSecret, resetEvents, toApiError, transportKind } from './transport';

type G = Record<string, unknown>;
const g = globalThis as unknown as G;

/** The ApiError a call rejected with (fails the test when it resolved). */
function failure(p: Promise<unknown>): Promise<ApiError> {
  return p.then(
    () => { throw new Error('expected the call to fail'); },
    (e: ApiError) => e,
  );
}

function jsonResponse(status: number, body: string): Response {
  return new Response(body, { status, headers: { 'Content-Type': 'application/json' } });
}

/** The page's storage (absent in node): what serve mode keeps the secret in. */
function stubStorage(): Map<string, string> {
  const m = new Map<string, string>();
  vi.stubGlobal('localStorage', { getItem: (k: string) => m.get(k) ?? null, setItem: (k: string, v: string) => void m.set(k, v) });
  return m;
}

beforeEach(() => {
  stubStorage();
  rememberSessionSecret('s3cret');
});

afterEach(() => {
  delete g.go;
  delete g.runtime;
  vi.unstubAllGlobals();
  resetEvents();
});

describe('call over HTTP', () => {
  it('POSTs the positional arguments as a JSON array to /api/rpc/<Method>', async () => {
    const fetchMock = vi.fn(async () => jsonResponse(200, '{"hits":[],"total":0,"by_type":{}}'));
    vi.stubGlobal('fetch', fetchMock);
    const res = await call<{ total: number }>('Search', 3, { text: 'customers' });
    expect(res.total).toBe(0);
    expect(fetchMock).toHaveBeenCalledTimes(1);
    const [url, init] = fetchMock.mock.calls[0] as unknown as [string, RequestInit];
    expect(url).toBe('/api/rpc/Search');
    expect(init.method).toBe('POST');
    expect(init.credentials).toBe('same-origin');
    expect((init.headers as Record<string, string>)['Content-Type']).toBe('application/json');
    // The printed URL's secret, as a header: no cookie carries it.
    expect((init.headers as Record<string, string>).Authorization).toBe('Bearer s3cret');
    expect(JSON.parse(init.body as string)).toEqual([3, { text: 'customers' }]);
  });

  it('sends an empty array for methods without arguments and returns undefined for an empty body', async () => {
    const fetchMock = vi.fn(async () => new Response('', { status: 200 }));
    vi.stubGlobal('fetch', fetchMock);
    await expect(call('CancelSync', 'prod')).resolves.toBeUndefined();
    await call('Status');
    expect((fetchMock.mock.calls[1] as unknown as [string, RequestInit])[1].body).toBe('[]');
  });

  it('turns an error payload {code,message} into an ApiError', async () => {
    vi.stubGlobal('fetch', vi.fn(async () => jsonResponse(404, '{"code":"not_found","message":"no resource model.x.y in snapshot 2"}')));
    const err = await failure(call('Resource', 2, 'model.x.y'));
    expect(err).toBeInstanceOf(ApiError);
    expect(err.code).toBe('not_found');
    expect(err.message).toBe('no resource model.x.y in snapshot 2');
  });

  it('maps a plain-text error status to a code and keeps the text', async () => {
    vi.stubGlobal('fetch', vi.fn(async () => new Response('missing or wrong session secret\n', { status: 401 })));
    const err = await failure(call('Status'));
    expect(err).toBeInstanceOf(ApiError);
    expect(err.code).toBe('unauthorized');
    expect(err.message).toBe('missing or wrong session secret');
  });

  it('reports a network failure as unavailable', async () => {
    vi.stubGlobal('fetch', vi.fn(async () => { throw new TypeError('Failed to fetch'); }));
    const err = await failure(call('Status'));
    expect(err.code).toBe('unavailable');
    expect(err.message).toContain('Failed to fetch');
  });

  it('rejects a 200 answer that is not JSON', async () => {
    vi.stubGlobal('fetch', vi.fn(async () => new Response('<html>', { status: 200 })));
    const err = await failure(call('Status'));
    expect(err.code).toBe('internal');
  });
});

describe('call over Wails bindings', () => {
  it('uses window.go.app.App[method] when present, resolved at call time', async () => {
    const fetchMock = vi.fn();
    vi.stubGlobal('fetch', fetchMock);
    expect(transportKind()).toBe('http');
    const Lineage = vi.fn(async (req: unknown) => ({ echoed: req }));
    g.go = { app: { App: { Lineage } } };
    expect(transportKind()).toBe('wails');
    const res = await call<{ echoed: unknown }>('Lineage', { select: '+orders' });
    expect(res.echoed).toEqual({ select: '+orders' });
    expect(Lineage).toHaveBeenCalledWith({ select: '+orders' });
    expect(fetchMock).not.toHaveBeenCalled();
  });

  it('turns a rejected binding into an ApiError, parsing a JSON payload', async () => {
    // Wails's runtime (calls.js) rejects with new Error(the formatter's
    // value): the desktop adapter's JSON text is the Error's message (QA:
    // an object there read "[object Object]").
    const payload = '{"code":"unauthorized","message":"dbt Cloud refused the token"}';
    for (const rejection of [new Error(payload), payload]) {
      g.go = { app: { App: { Sync: vi.fn(async () => { throw rejection; }) } } };
      const err = await failure(call('Sync', 'prod', 0));
      expect(err).toBeInstanceOf(ApiError);
      expect(err.code).toBe('unauthorized');
      expect(err.message).toBe('dbt Cloud refused the token');
    }
    g.go = { app: { App: { Sync: vi.fn(async () => { throw new Error('runtime error: index out of range'); }) } } };
    const plain = await failure(call('Sync', 'prod', 0));
    expect([plain.code, plain.message]).toEqual(['internal', 'runtime error: index out of range']);
  });

  it('keeps a plain-text rejection as the message', () => {
    const e = toApiError('boom');
    expect(e.code).toBe('internal');
    expect(e.message).toBe('boom');
    expect(toApiError({ code: 'conflict', message: 'a sync is running' }).code).toBe('conflict');
  });
});

class FakeEventSource {
  static instances: FakeEventSource[] = [];
  url: string;
  closed = false;
  listeners = new Map<string, Set<(e: MessageEvent) => void>>();
  constructor(url: string) {
    this.url = url;
    FakeEventSource.instances.push(this);
  }
  addEventListener(name: string, fn: (e: MessageEvent) => void) {
    if (!this.listeners.has(name)) this.listeners.set(name, new Set());
    this.listeners.get(name)!.add(fn);
  }
  removeEventListener(name: string, fn: (e: MessageEvent) => void) {
    this.listeners.get(name)?.delete(fn);
  }
  emit(name: string, data: string) {
    for (const fn of this.listeners.get(name) ?? []) fn({ data } as MessageEvent);
  }
  close() {
    this.closed = true;
  }
}

describe('onEvent', () => {
  beforeEach(() => {
    FakeEventSource.instances = [];
    vi.stubGlobal('EventSource', FakeEventSource);
  });

  it('shares one EventSource on /api/events (the secret in its address) and delivers parsed named events', () => {
    const a: unknown[] = [];
    const b: unknown[] = [];
    const offA = onEvent('sync:progress', (d) => a.push(d));
    const offB = onEvent('snapshots:changed', (d) => b.push(d));
    expect(FakeEventSource.instances).toHaveLength(1);
    const es = FakeEventSource.instances[0];
    expect(es.url).toBe('/api/events?token=s3cret');
    es.emit('sync:progress', '{"connection":"prod","phase":"download","bytes":10}');
    es.emit('snapshots:changed', 'null');
    es.emit('other', '{}');
    expect(a).toEqual([{ connection: 'prod', phase: 'download', bytes: 10 }]);
    expect(b).toEqual([null]);
    offA();
    es.emit('sync:progress', '{"phase":"done"}');
    expect(a).toHaveLength(1);
    expect(es.closed).toBe(false);
    offB();
    expect(es.closed).toBe(true);
  });

  it('uses window.runtime.EventsOn in the desktop window and its unsubscribe', () => {
    const off = vi.fn();
    let handler: ((...d: unknown[]) => void) | null = null;
    g.runtime = { EventsOn: vi.fn((_n: string, cb: (...d: unknown[]) => void) => { handler = cb; return off; }) };
    const got: unknown[] = [];
    const unsubscribe = onEvent('sync:progress', (d) => got.push(d));
    handler!({ connection: 'prod', phase: 'import' });
    expect(got).toEqual([{ connection: 'prod', phase: 'import' }]);
    expect(FakeEventSource.instances).toHaveLength(0);
    unsubscribe();
    expect(off).toHaveBeenCalledTimes(1);
  });
});

describe('hasMethod', () => {
  it('is true only for a Wails binding that exists', async () => {
    const { hasMethod } = await import('./transport');
    expect(hasMethod('PickFolder')).toBe(false);
    g.go = { app: { App: { PickFolder: async () => '/tmp/target' } } };
    expect(hasMethod('PickFolder')).toBe(true);
    expect(hasMethod('Nope')).toBe(false);
  });
});
