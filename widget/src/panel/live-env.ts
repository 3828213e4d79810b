/** Timers, visibility and focus: the browser's, or a test's. */
export interface LiveEnv {
  now(): number;
  setTimeout(fn: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
  hidden(): boolean;
  /** The manager is typing in the panel: a repaint now would take the field from under them. */
  typing(root: HTMLElement): boolean;
  /** Subscribes to focus/visibility changes; returns the unsubscribe. */
  onWake(fn: () => void): () => void;
}

export function browserEnv(): LiveEnv {
  return {
    now: () => Date.now(),
    setTimeout: (fn, ms) => setTimeout(fn, ms),
    clearTimeout: (h) => clearTimeout(h as ReturnType<typeof setTimeout>),
    hidden: () => document.visibilityState === 'hidden',
    typing: (root) => {
      const a = document.activeElement;
      return !!a && root.contains(a) && /^(INPUT|TEXTAREA|SELECT)$/.test(a.tagName) && !(a as HTMLInputElement).readOnly;
    },
    onWake: (fn) => {
      window.addEventListener('focus', fn);
      document.addEventListener('visibilitychange', fn);
      return () => {
        window.removeEventListener('focus', fn);
        document.removeEventListener('visibilitychange', fn);
      };
    },
  };
}
