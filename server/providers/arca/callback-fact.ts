import { currencyFromNumeric, isCurrency, type Currency } from '../../../shared/money.ts';
import type { ProviderFact } from '../provider.ts';

/**
 * What an *authenticated* callback states. Paid ⇔ operation deposited with status 1. `approved` is
 * the authorization: a hold when two-stage is on ('authorized', captured later); on a one-stage
 * setup it says nothing by itself (undefined: the status query that follows decides).
 * A refund callback says the order was paid and something was refunded, but its amounts are per
 * operation, not totals: no amount and no refundedTotalMinor; a status query gives the totals.
 * Binding events and unknown operations say nothing about money: undefined.
 */
export function factFromArcaCallback(
  params: Record<string, string>,
  opts: { twoStage?: boolean; captureMode?: 'auto' | 'manual' } = {},
): ProviderFact | undefined {
  const operation = (params.operation ?? '').trim();
  const status = (params.status ?? '').trim();
  const ok = status === '1';
  const base = {
    providerOrderNo: params.orderNumber?.trim() || undefined,
    providerPaymentId: params.mdOrder?.trim() || undefined,
    rawStatus: `callback operation=${operation} status=${status}`,
  };
  const money = { amountMinor: minorAmount(params.amount), currency: currencyOf(params.currency) };
  switch (operation.toLowerCase()) {
    case 'approved':
      if (!ok) return { ...base, status: 'failed' };
      return opts.twoStage ? { ...base, ...money, status: 'authorized', captureMode: opts.captureMode ?? 'auto' } : undefined;
    case 'deposited':
      if (!ok) return { ...base, status: 'failed' };
      return { ...base, ...money, status: 'paid' };
    case 'refunded':
      return { ...base, status: 'paid' };
    case 'reversed':
      return ok ? { ...base, status: 'cancelled' } : { ...base, status: 'unknown', rawStatus: `${base.rawStatus}: the reversal failed` };
    case 'declinedbytimeout':
    case 'declinedcardpresent':
      return { ...base, status: 'failed' };
    default:
      return undefined;
  }
}

function minorAmount(value: string | undefined): number | undefined {
  if (value === undefined || !/^\d{1,16}$/.test(value.trim())) return undefined;
  const n = Number(value.trim());
  return Number.isSafeInteger(n) ? n : undefined;
}

function currencyOf(value: string | undefined): Currency | undefined {
  const v = value?.trim();
  if (!v) return undefined;
  return isCurrency(v) ? v : currencyFromNumeric(v);
}
