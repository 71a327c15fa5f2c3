import { defineConfig } from 'vite';

// Preact's automatic JSX runtime via tsconfig (jsxImportSource) - no plugin needed.
export default defineConfig({
  base: './',
  build: {
    outDir: 'dist',
    // dist/.gitkeep is committed (the Go side embeds all:frontend/dist); keep emptying
    // but scripts/keep-placeholder.mjs recreates it after every build.
    emptyOutDir: true,
    target: 'es2022',
    chunkSizeWarningLimit: 800,
  },
  test: {
    environment: 'node',
    include: ['src/**/*.test.ts', 'src/**/*.test.tsx'],
  },
});
