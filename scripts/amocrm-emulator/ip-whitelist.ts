import { problem, type Reply } from './reply.ts';

/**
 * An account whose API security settings allow only listed IP addresses, this caller's not among
 * them: amoCRM answers 403 with error code 113 "Доступ к данному аккаунту запрещён с Вашего IP
 * адреса" (https://www.amocrm.ru/developers/content/crm_platform/error-codes). The body's exact
 * shape is not documented for API v4: amoCRM's problem+json with the code beside it.
 */
export class IpWhitelist {
  private readonly refused = new Set<number>();

  refuse(accountId: number): void {
    this.refused.add(accountId);
  }

  allow(accountId: number): void {
    this.refused.delete(accountId);
  }

  isRefused(accountId: number): boolean {
    return this.refused.has(accountId);
  }
}

export function ipRefusedReply(): Reply {
  return problem(403, 'Доступ к данному аккаунту запрещён с Вашего IP адреса', { error_code: 113 });
}
