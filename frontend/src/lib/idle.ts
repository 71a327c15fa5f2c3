// Background work (preloading a module, say) that must not land on what the
// user is doing: it waits until the page has had no key, pointer or wheel
// input for a while. Evaluating a module holds the main thread for tens of
// milliseconds, which the answer to a keystroke would otherwise wait for.
const inputs = ['keydown', 'pointerdown', 'wheel'] as const;

/**
 * Calls fn once there has been no input on target for idleMs, counting from
 * now (a page that just loaded is not idle yet). Returns a cancel function.
 */
export function whenIdle(fn: () => void, idleMs: number, target: EventTarget = globalThis, now: () => number = () => performance.now()): () => void {
  let last = now();
  const seen = () => (last = now());
  for (const type of inputs) target.addEventListener(type, seen, { capture: true, passive: true });
  let timer: ReturnType<typeof setTimeout>;
  const stop = () => {
    clearTimeout(timer);
    for (const type of inputs) target.removeEventListener(type, seen, { capture: true });
  };
  const check = () => {
    const idle = now() - last;
    if (idle < idleMs) {
      timer = setTimeout(check, idleMs - idle);
      return;
    }
    stop();
    fn();
  };
  timer = setTimeout(check, idleMs);
  return stop;
}
