// For component tests under jsdom: a root element per test, rendered into
// and removed after it, and a wait for the answers of mocked API calls.
import { afterEach, beforeEach } from 'vitest';
import { render } from 'preact';
import { act } from 'preact/test-utils';

/** Gives each test a fresh root element; mount.root is the current one. */
export function useRoot(): { root: HTMLElement } {
  const mount = { root: null as unknown as HTMLElement };
  beforeEach(() => {
    mount.root = document.createElement('div');
    document.body.appendChild(mount.root);
  });
  afterEach(async () => {
    act(() => render(null, mount.root));
    mount.root.remove();
    await nextFrame();
  });
  return mount;
}

/** Lets pending promises (mocked API answers) settle and the component re-render. */
export const settle = () => act(async () => { await new Promise((r) => setTimeout(r, 0)); });

/**
 * Waits for the next frame. Preact runs effects at the next frame, with a
 * 100 ms timer as a fallback: a test's teardown waits for that frame while
 * the window is here, or the timer fires after the file's last test, when
 * jsdom's globals are gone ("cancelAnimationFrame is not defined", seen
 * under load).
 */
export const nextFrame = () => new Promise<void>((done) => requestAnimationFrame(() => setTimeout(done, 0)));
