import { readFileSync } from 'node:fs';
import type { LeadPaymentsResponse, PaymentView } from '../../shared/api.ts';
import { createTranslator, type T } from '../../widget/src/i18n.ts';
import { initialPanelState, type PanelState } from '../../widget/src/panel/panel-state.ts';

export const LOCALES = ['ru', 'en', 'es', 'pt'] as const;

export function localeFile(code: string): Record<string, unknown> {
  return JSON.parse(readFileSync(new URL(`../../widget/i18n/${code}.json`, import.meta.url), 'utf8'));
}

/** The translator the widget builds in amoCRM, over a real locale file. */
export function translator(code = 'en'): T {
  const langs = localeFile(code);
  return createTranslator((section) => langs[section]);
}

export function payment(over: Partial<PaymentView> = {}): PaymentView {
  return {
    id: 'pay_1',
    leadId: 42,
    status: 'awaiting',
    crmStatus: 'awaiting_payment',
    needsReview: null,
    amountMinor: 190000,
    currency: 'AMD',
    description: 'Tour deposit',
    link: 'http://localhost:3000/pay/tok_1',
    expiresAt: '2030-01-04T10:00:00.000Z',
    createdAt: '2030-01-01T10:00:00.000Z',
    createdBy: 'user:7',
    paidAt: null,
    paidAmountMinor: null,
    refundedAmountMinor: 0,
    providerRef: null,
    providers: ['sandbox'],
    attempts: [],
    hold: null,
    history: [{ at: '2030-01-01T10:00:00.000Z', actor: 'user:7', action: 'created' }],
    sync: { state: 'synced', lastError: null, attempts: 0 },
    ...over,
  };
}

export function paidPayment(over: Partial<PaymentView> = {}): PaymentView {
  return payment({
    status: 'paid',
    crmStatus: 'paid',
    paidAt: '2030-01-01T11:00:00.000Z',
    paidAmountMinor: 190000,
    providerRef: 'RRN-123',
    attempts: [
      {
        id: 'att_1',
        provider: 'ameriabank',
        providerOrderNo: '2923001',
        providerPaymentId: 'PID-9',
        status: 'paid',
        amountMinor: 190000,
        createdAt: '2030-01-01T10:30:00.000Z',
        updatedAt: '2030-01-01T11:00:00.000Z',
      },
    ],
    ...over,
  });
}

export function leadResponse(
  payments: PaymentView[],
  ctx: Partial<NonNullable<LeadPaymentsResponse['context']>> = {},
): LeadPaymentsResponse {
  return {
    leadId: 42,
    crmStatus: payments[0]?.crmStatus ?? null,
    payments,
    context: {
      leadPriceMinor: 250000,
      defaultCurrency: 'AMD',
      linkTtlHours: 72,
      enabledProviders: ['ameriabank', 'idram'],
      isAdmin: false,
      accountState: 'active',
      exceptions: [],
      ...ctx,
    },
  };
}

export function readyState(data: LeadPaymentsResponse, over: Partial<PanelState> = {}): PanelState {
  return { ...initialPanelState('en', 'http://localhost:3000'), phase: 'ready', data, ...over };
}
