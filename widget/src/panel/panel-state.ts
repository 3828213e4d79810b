import type { LeadPaymentsResponse, PaymentView } from '../../../shared/api.ts';
import { leadCrmStatusOf } from '../../../shared/crm-status.ts';
import { minorToMajorString, isCurrency } from '../../../shared/money.ts';
import type { ApiError } from '../api-client.ts';
import type { FormValues } from '../dom.ts';
import type { Msg, Notice } from '../notice.ts';

export type { Msg, Notice };

export type Confirm =
  | { kind: 'cancel' | 'capture' | 'void'; paymentId: string }
  | { kind: 'refund-amount'; paymentId: string; value: string; error?: Msg }
  | { kind: 'refund-confirm'; paymentId: string; amountMinor: number };

export interface PanelState {
  phase: 'loading' | 'error' | 'ready';
  locale: string;
  serverUrl: string;
  error?: ApiError;
  data?: LeadPaymentsResponse;
  /** An action is in flight: buttons render disabled so a double click cannot create two links. */
  busy: boolean;
  notice?: Notice;
  confirm?: Confirm;
  /** Older payments the manager expanded. */
  expanded: string[];
  createOpen: boolean;
  /** What the manager typed in the create form, kept across re-renders. */
  draft?: FormValues;
  createErrors?: Record<string, Msg>;
  /** Capture/void answered 404: this server has no two-stage payments, so the buttons go away. */
  noHoldActions?: boolean;
}

/** Funds a provider holds for a two-stage payment (the Payment JSON's `hold`, when the server sends it). */
export interface Hold {
  attemptId: string;
  amountMinor: number;
  currency: string;
  captureMode: 'auto' | 'manual';
  since: string;
}

export const holdOf = (p: PaymentView): Hold | null => (p as PaymentView & { hold?: Hold | null }).hold ?? null;

export function initialPanelState(locale: string, serverUrl: string): PanelState {
  return { phase: 'loading', locale, serverUrl, busy: false, expanded: [], createOpen: false };
}

/** The create form's starting values, all from the lead payments response's `context`. */
export function defaultDraft(data: LeadPaymentsResponse): FormValues {
  const ctx = data.context;
  const currency = ctx && isCurrency(ctx.defaultCurrency) ? ctx.defaultCurrency : 'AMD';
  const price = ctx?.leadPriceMinor;
  const draft: FormValues = {
    amount: price && price > 0 ? minorToMajorString(price, currency, { trim: true }) : '',
    currency,
    description: '',
    hours: String(ctx?.linkTtlHours ?? 72),
    // Another open link stays payable unless cancelled: offer to cancel it, ticked.
    replace: true,
  };
  for (const p of ctx?.enabledProviders ?? []) draft[`provider.${p}`] = true;
  return draft;
}

/** Re-render from the payments an action returned instead of re-fetching the lead. */
export function applyPayment(data: LeadPaymentsResponse, ...changed: PaymentView[]): LeadPaymentsResponse {
  let payments = data.payments;
  for (const payment of changed) {
    const known = payments.some((p) => p.id === payment.id);
    payments = known ? payments.map((p) => (p.id === payment.id ? payment : p)) : [payment, ...payments];
  }
  const crmStatus = leadCrmStatusOf(payments.map((p) => ({ status: p.status, needsReview: p.needsReview !== null })));
  return Object.assign({}, data, { payments, crmStatus });
}

/** What is left to refund: the verified paid amount minus refunds so far. */
export function refundableMinor(p: PaymentView): number {
  if (p.status !== 'paid' && p.status !== 'partially_refunded') return 0;
  return Math.max(0, (p.paidAmountMinor ?? p.amountMinor) - p.refundedAmountMinor);
}

export function isPayable(p: PaymentView): boolean {
  return p.status === 'awaiting' || p.status === 'failed';
}

/** A payment whose state can still change by itself (the customer may pay, funds are held): the panel keeps it fresh. */
export const canChange = (p: PaymentView): boolean => isPayable(p) || holdOf(p) !== null;

/**
 * An attempt the provider can be asked about: one it has a session for (pending, or created with the
 * provider's id) or the paid one (refunds made in its cabinet), with a provider that has a status
 * API (Idram has none). "Check status" is offered only then, so it never claims to have asked.
 */
export const canCheck = (p: PaymentView): boolean =>
  p.attempts.some(
    (a) =>
      a.provider !== 'idram' && (a.status === 'pending' || a.status === 'paid' || (a.status === 'created' && a.providerPaymentId !== null)),
  );
