/**
 * A database step, written once for both stores (docs/architecture.md, The stores). A step is a
 * generator: every statement is `yield* tx.get(…)` / `tx.all(…)` / `tx.run(…)`, and a step calls
 * another with `yield*`. The store decides how the statements run:
 *
 * - SQLite (better-sqlite3) answers each statement at once, so the generator never yields and a
 *   step runs from start to end synchronously, inside one synchronous transaction: no `await`,
 *   no other request's code in between. `runSync` refuses a step that would wait.
 * - PostgreSQL answers later: each statement is yielded as a promise and `runAsync` resumes the
 *   step with its result, on the one connection of the step's transaction.
 */
export type Step<T> = Generator<Promise<unknown>, T, unknown>;

/** A value already known, as a step (a statement SQLite has already answered). */
// eslint-disable-next-line require-yield
export function* done<T>(value: T): Step<T> {
  return value;
}

/** A statement PostgreSQL will answer: the step waits here for it. */
export function* waitFor<T>(promise: Promise<T>): Step<T> {
  return (yield promise) as T;
}

/** Runs a step that must not wait (SQLite): its value, or the error it threw. */
export function runSync<T>(step: Step<T>): T {
  const next = step.next();
  if (!next.done) {
    // Never reached by the SQLite store's statements; a bug would otherwise leave the transaction open.
    step.return(undefined as never);
    throw new Error('a SQLite step tried to wait for something: a synchronous transaction cannot');
  }
  return next.value;
}

/** Runs a step whose statements are promises (PostgreSQL), resuming it with each result or error. */
export async function runAsync<T>(step: Step<T>): Promise<T> {
  let next = step.next();
  while (!next.done) {
    let value: unknown;
    try {
      value = await next.value;
    } catch (err) {
      next = step.throw(err);
      continue;
    }
    next = step.next(value);
  }
  return next.value;
}
