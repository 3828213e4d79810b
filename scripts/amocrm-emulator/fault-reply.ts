import { htmlPage, problem, type Reply } from './reply.ts';
import type { FaultRule } from './types.ts';

/** What a fault answers: its own body, or what amoCRM would send for that status. */
export function faultReply(rule: FaultRule): Reply {
  const status = rule.status ?? 500;
  const headers = { ...(rule.headers ?? {}) };
  const hasType = Object.keys(headers).some((k) => k.toLowerCase() === 'content-type');
  if (rule.body !== undefined) {
    const looksJson = /^\s*[[{]/.test(rule.body);
    return {
      status,
      text: rule.body,
      headers,
      contentType: hasType ? undefined : looksJson ? 'application/problem+json' : 'text/html',
    };
  }
  if (status === 204) return { status, headers };
  const base = status >= 500 || status === 429 || status === 403 ? htmlPage(status) : problem(status);
  return { ...base, headers };
}
