import type { LeadPaymentsResponse } from '../../../shared/api.ts';
import { esc, h } from '../html.ts';
import { labelOr, type T } from '../i18n.ts';

/**
 * What needs a person in this account, each with what to do. The account's connection state comes
 * first: while it is broken nothing reaches the lead, whatever the payments say.
 */
export function renderExceptions(data: LeadPaymentsResponse, t: T): string {
  const ctx = data.context;
  if (!ctx) return '';
  const items: string[] = [];
  const kinds: string[] = [];
  if (ctx.accountState !== 'active') {
    const kind = `account_${ctx.accountState}`;
    kinds.push(kind);
    items.push(h('li', '', esc(t(`exceptions.${kind}`))));
  }
  for (const e of ctx.exceptions) {
    // Other leads' problems belong on their cards; the account's connection state is said once.
    if ((e.leadId !== null && e.leadId !== data.leadId) || (e.kind.startsWith('account_') && kinds.includes(e.kind))) continue;
    kinds.push(e.kind);
    items.push(
      h('li', '', esc(labelOr(t, `exceptions.${e.kind}`, e.action)) + (e.message ? ' ' + h('span', 'muted', esc(e.message)) : '')),
    );
  }
  return items.length
    ? h('div', 'alert warn exceptions', `<strong>${esc(t('exceptions.title'))}</strong><ul>${items.join('')}</ul>`, ' role="alert"')
    : '';
}
