// vite build empties dist/; the Go embed (//go:embed all:frontend/dist) needs the
// committed placeholder to exist even before the first build, so put it back.
import { writeFileSync, mkdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
const dist = fileURLToPath(new URL('../dist/', import.meta.url));
mkdirSync(dist, { recursive: true });
writeFileSync(dist + '.gitkeep', '');
