import { render } from 'preact';
import { App } from './App';
import { app } from './state';
import { route, startRouter } from './lib/router';
import { api } from './api';
import { rememberSessionSecret } from './api/transport';
import { askEarly } from './pages/lineage/request';
import { loadRich } from './lib/rich';
import { whenIdle } from './lib/idle';
import './styles.css';

// serve mode: the printed URL carries ?token=, the session secret; keep it
// for the API calls (api/transport.ts) and drop it from the address bar.
if (location.search.includes('token=')) {
  const u = new URL(location.href);
  const secret = u.searchParams.get('token');
  if (secret) rememberSessionSecret(secret); // the server refused a page whose token= is wrong
  u.searchParams.delete('token');
  history.replaceState(null, '', u.pathname + (u.search === '?' ? '' : u.search) + u.hash);
}

// Links out of the app (in descriptions) open in the system browser from the
// desktop window, where a target=_blank link would otherwise do nothing.
document.addEventListener('click', (e) => {
  const a = (e.target as Element | null)?.closest?.('a[href]') as HTMLAnchorElement | null;
  const rt = (window as unknown as { runtime?: { BrowserOpenURL?: (url: string) => void } }).runtime;
  if (!a || !rt?.BrowserOpenURL || !/^https?:/i.test(a.href) || a.origin === location.origin) return;
  e.preventDefault();
  rt.BrowserOpenURL(a.href);
});

startRouter();
// A deep link to a picture asks for it now, alongside the status and the
// snapshot list, rather than once the page is shown (pages/lineage/request.ts).
if (route.value.path[0] === 'lineage') askEarly(api.lineage, route.value.query, Number(route.value.query.snap) || 0);
void app.load();
render(<App />, document.getElementById('app')!);
// Preload the Markdown and SQL renderers once the page has been left alone
// for a while (lib/idle.ts); a node page that needs them first loads them.
whenIdle(() => void loadRich(), 2000);
