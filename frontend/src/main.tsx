import { render } from 'preact';
import { App } from './App';
import { app } from './state';
import { startRouter } from './lib/router';
import './styles.css';

// serve mode: the printed URL carries ?token=; the server has answered it with
// a session cookie, so drop it from the address bar (and from history).
if (location.search.includes('token=')) {
  const u = new URL(location.href);
  u.searchParams.delete('token');
  history.replaceState(null, '', u.pathname + (u.search === '?' ? '' : u.search) + u.hash);
}

startRouter();
void app.load();
render(<App />, document.getElementById('app')!);
