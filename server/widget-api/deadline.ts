import { AppError } from '../errors/app-error.ts';

/**
 * Bounds how long a caller waits (the amoCRM client retries 5xx with back-off for several seconds;
 * a panel opening should not). The read itself goes on and is simply not waited for.
 */
export function withDeadline<T>(promise: Promise<T>, ms: number | undefined): Promise<T> {
  if (ms === undefined) return promise;
  promise.catch(() => undefined);
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new AppError('amocrm_timeout', 504, `amoCRM did not answer within ${ms} ms`)), ms);
    timer.unref();
  });
  return Promise.race([promise, deadline]).finally(() => clearTimeout(timer));
}
