import type { Api } from '../../widget/src/api-client.ts';

type Handler = (ev: unknown) => void;

/** An input as collectValues reads it (data-name, type, value, checked). */
export interface FakeInput {
  name: string;
  value?: string;
  checked?: boolean;
  type?: string;
}

/**
 * Just enough of an element for the widget's controllers in Node (there is no DOM library in the
 * project): what was rendered, listeners, inputs by data-name, and parts found by selector.
 */
export class FakeRoot {
  innerHTML = '';
  renders = 0;
  removed = false;
  focused = 0;
  readonly slot = { innerHTML: '' };
  readonly inputs: FakeInput[] = [];
  readonly parts: Record<string, unknown> = {};
  private readonly listeners = new Map<string, Set<Handler>>();

  constructor() {
    let html = '';
    Object.defineProperty(this, 'innerHTML', {
      get: () => html,
      set: (v: string) => {
        html = v;
        this.renders += 1;
      },
    });
  }

  querySelector(sel: string): unknown {
    if (sel === '.drl-notice-slot') return this.slot;
    if (sel === '[aria-invalid="true"]') return /aria-invalid="true"/.test(this.innerHTML) ? { focus: () => (this.focused += 1) } : null;
    return this.parts[sel] ?? null;
  }

  querySelectorAll(sel: string): { forEach(cb: (el: unknown) => void): void } {
    if (sel !== '[data-name]') throw new Error(`FakeRoot: unexpected selector ${sel}`);
    return this.inputs.map((i) => ({
      type: i.type ?? (i.checked === undefined ? 'text' : 'checkbox'),
      value: i.value ?? '',
      checked: i.checked ?? false,
      getAttribute: (n: string) => (n === 'data-name' ? i.name : null),
    }));
  }

  contains(): boolean {
    return true;
  }

  addEventListener(type: string, h: Handler): void {
    if (!this.listeners.has(type)) this.listeners.set(type, new Set());
    this.listeners.get(type)!.add(h);
  }

  removeEventListener(type: string, h: Handler): void {
    this.listeners.get(type)?.delete(h);
  }

  listenerCount(): number {
    return [...this.listeners.values()].reduce((n, s) => n + s.size, 0);
  }

  remove(): void {
    this.removed = true;
  }

  /** Fires an event whose target is `target` (a button from `button()`, or an input). */
  fire(type: string, target: unknown, extra: Record<string, unknown> = {}): void {
    for (const h of this.listeners.get(type) ?? []) h({ type, target, preventDefault() {}, ...extra });
  }

  /** A click on a button with this data-action (and data-id); `closest` finds what is around it. */
  click(action: string, id?: string, around: Record<string, unknown> = {}): void {
    this.fire('click', button(action, id, around));
  }

  asElement(): HTMLElement {
    return this as unknown as HTMLElement;
  }
}

export function button(action: string, id?: string, around: Record<string, unknown> = {}) {
  const el: { getAttribute(n: string): string | null; closest(sel: string): unknown } = {
    getAttribute: (n) => (n === 'data-action' ? action : n === 'data-id' ? (id ?? null) : null),
    closest: (sel) => (sel === '[data-action]' ? el : (around[sel] ?? null)),
  };
  return el;
}

/** A promise the test settles when it wants, to look at the panel while a request is in flight. */
export function deferred<V>() {
  let resolve!: (v: V) => void;
  let reject!: (e: unknown) => void;
  const promise = new Promise<V>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  return { promise, resolve, reject };
}

/** An Api whose methods record their calls and answer with what the test queued (a value, or a deferred). */
export function fakeApi<A extends object = Api>(answers: Partial<Record<NoInfer<keyof A>, (...args: unknown[]) => Promise<unknown>>>) {
  const calls: { method: keyof A; args: unknown[] }[] = [];
  const api = new Proxy({} as A, {
    get:
      (_t, name: string | symbol) =>
      (...args: unknown[]) => {
        const method = name as keyof A;
        calls.push({ method, args });
        const answer = answers[method];
        return answer ? answer(...args) : Promise.reject(new Error(`unexpected call ${String(method)}`));
      },
  });
  return { api, calls };
}

/** Lets pending promise callbacks (the controllers' awaits) run. */
export const settle = () => new Promise((r) => setTimeout(r, 0));

/** Manual timers, visibility and focus for the panel's live refresh (widget/src/panel/live.ts). */
export function fakeLiveEnv() {
  let now = 0;
  let timers: { at: number; fn: () => void; id: number }[] = [];
  let seq = 0;
  let wake: (() => void) | undefined;
  const env = {
    hiddenNow: false,
    typingNow: false,
    now: () => now,
    setTimeout: (fn: () => void, ms: number) => {
      timers.push({ at: now + ms, fn, id: ++seq });
      return seq;
    },
    clearTimeout: (id: unknown) => {
      timers = timers.filter((t) => t.id !== id);
    },
    hidden: () => env.hiddenNow,
    typing: () => env.typingNow,
    onWake: (fn: () => void) => {
      wake = fn;
      return () => {
        wake = undefined;
      };
    },
    /** Moves the clock, running the timers that fall due. */
    advance(ms: number) {
      now += ms;
      const due = timers.filter((t) => t.at <= now);
      timers = timers.filter((t) => t.at > now);
      for (const t of due) t.fn();
    },
    /** The next timer's delay from now, or undefined when none is set. */
    nextDelay: () => (timers.length ? Math.min(...timers.map((t) => t.at)) - now : undefined),
    wake: () => wake?.(),
    subscribed: () => wake !== undefined,
  };
  return env;
}
