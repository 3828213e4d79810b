import type { Logger } from '../logging/logger.ts';
import type { Clock } from '../platform/clock.ts';
import type { HttpResponse } from '../platform/http-client.ts';
import { describeCall, isIdempotent, type AmocrmCall, type AmocrmResult } from './call.ts';
import { AmocrmError, type AmocrmErrorInit, type AmocrmValidationError } from './errors.ts';
import type { RateBudget } from './rate-budget.ts';
import { backoffMs, classify, parseRetryAfter, type Outcome, type PolicyRow } from './retry-policy.ts';
import type { Answer } from './transport.ts';

export interface AnswerDeps {
  clock: Clock;
  logger: Logger;
  budget: RateBudget;
  random: () => number;
}

function parseJson(text: string): unknown {
  if (!text.trim()) return undefined;
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

function success<T>(res: HttpResponse, what: string): AmocrmResult<T> {
  const data = parseJson(res.text);
  if (res.status !== 204 && res.text.trim() && data === undefined) {
    throw new AmocrmError('amocrm_bad_response', `${what} answered ${res.status} with a body that is not JSON`, {
      httpStatus: res.status,
      body: res.text.slice(0, 300),
    });
  }
  return { status: res.status, data: data as T | undefined };
}

/** A 429: the whole account waits out the back-off (Retry-After honoured), in every process. */
async function rateLimited(
  deps: AnswerDeps,
  budgetKey: number,
  res: HttpResponse,
  call: AmocrmCall,
  attempt: number,
): Promise<AmocrmErrorInit> {
  const now = deps.clock.now();
  const retryAfterMs = parseRetryAfter(res.headers['retry-after'], now);
  const delay = backoffMs(attempt, { retryAfterMs, random: deps.random });
  await deps.budget.pause(budgetKey, now + delay);
  deps.logger.warn('amocrm: 429, the account waits', { accountId: budgetKey, path: call.path, waitMs: delay, retryAfterMs });
  return { retryable: true, retryAfterMs: delay };
}

/** An HTTP answer as the retry table reads it: status, the body's first bytes, the call's path. */
export function outcomeOf(res: HttpResponse, call: AmocrmCall): Outcome {
  return { kind: 'status', status: res.status, body: res.text.slice(0, 2000), path: call.path };
}

async function failure(
  deps: AnswerDeps,
  budgetKey: number,
  res: HttpResponse,
  call: AmocrmCall,
  row: PolicyRow,
  attempt: number,
): Promise<AmocrmError> {
  const what = describeCall(call);
  const json = parseJson(res.text) as { 'validation-errors'?: AmocrmValidationError[]; detail?: string; title?: string } | undefined;
  const detail = json?.detail ?? json?.title ?? '';
  const base = { httpStatus: res.status, body: res.text.slice(0, 2000), ambiguous: row.ambiguous };
  switch (row.action) {
    case 'retry':
      if (row.pausesAccount)
        return new AmocrmError(row.code, `${what} answered 429`, { ...base, ...(await rateLimited(deps, budgetKey, res, call, attempt)) });
      return new AmocrmError(row.code, `${what} answered ${res.status}`, { ...base, retryable: !row.ambiguous || isIdempotent(call) });
    case 'block':
      return new AmocrmError(row.code, `${what} answered 403: amoCRM blocked the account`, { ...base, retryable: false });
    case 'ip_refused':
      return new AmocrmError(
        row.code,
        `${what} answered 403: amoCRM refuses API calls from this server's IP address (the account's API settings allow only listed addresses); an account admin must add it${detail ? ` (${detail})` : ''}`,
        { ...base, retryable: false },
      );
    case 'refresh_once':
      return new AmocrmError(row.code, `${what} answered 401 with a freshly refreshed token`, { ...base, retryable: false });
    case 'never':
      if (row.code === 'amocrm_forbidden') {
        return new AmocrmError(
          row.code,
          `${what} answered 403: the amoCRM user whose token dramlink uses (the one who installed it) has no rights for this call${detail ? ` (${detail})` : ''}; an account admin must install dramlink, or give that user admin rights`,
          { ...base, retryable: false },
        );
      }
      return new AmocrmError(row.code, `${what} answered ${res.status}${detail ? `: ${detail}` : ''}`, {
        ...base,
        retryable: false,
        validationErrors: json?.['validation-errors'],
      });
  }
}

/**
 * Turns one answer into data, or throws an AmocrmError whose `retryable` says what the retry table
 * (retry-policy.ts) says for it: the one place where an answer is judged.
 */
export async function interpretAnswer<T>(
  deps: AnswerDeps,
  budgetKey: number,
  answer: Answer,
  call: AmocrmCall,
  attempt: number,
): Promise<AmocrmResult<T>> {
  if ('transport' in answer) {
    const row = classify({ kind: 'network', timedOut: answer.transport.timedOut, errno: answer.transport.code })!;
    throw new AmocrmError(row.code, `${describeCall(call)}: ${answer.transport.message}`, {
      retryable: !row.ambiguous || isIdempotent(call),
      ambiguous: row.ambiguous,
    });
  }
  const row = classify(outcomeOf(answer.res, call));
  if (!row) return success<T>(answer.res, describeCall(call));
  throw await failure(deps, budgetKey, answer.res, call, row, attempt);
}
