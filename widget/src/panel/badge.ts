import type { PaymentView } from '../../../shared/api.ts';
import { esc, h } from '../html.ts';
import type { T } from '../i18n.ts';

/**
 * What the panel calls a payment: its CRM status, except that a link a manager cancelled is
 * "Cancelled", not "Expired" (the CRM field has seven fixed statuses and files both under
 * `expired`; docs/architecture.md, Status rules).
 */
export const displayStatus = (p: Pick<PaymentView, 'status' | 'crmStatus' | 'needsReview'>): string =>
  p.status === 'cancelled' && !p.needsReview ? 'cancelled' : p.crmStatus;

/** A status as a coloured pill; the colours are style.css `.drl-b-<status>`, each AA on its text. */
export function renderBadge(status: string, t: T): string {
  return h('span', `badge b-${esc(status)}`, esc(t(`status.${status}`)));
}
