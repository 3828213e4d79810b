import { isCurrency, isValidAmountMinor, MAX_AMOUNT_MINOR, type Currency } from '../../shared/money.ts';
import { accountExists } from '../accounts/account-store.ts';
import { NotFoundError, ValidationError } from '../errors/app-error.ts';
import { PROVIDER_NAMES, type ProviderName } from '../providers/provider.ts';
import type { Step } from '../db/step.ts';
import type { Tx } from '../db/tx.ts';
import type { LedgerDeps } from './deps.ts';
import { newId, newLinkToken } from './ids.ts';
import type { PaymentOrigin } from './ledger-events.ts';
import type { PaymentRow } from './payment-state.ts';
import { recordEvents } from './record-events.ts';

export interface CreatePaymentInput {
  accountId: number;
  leadId: number;
  amountMinor: unknown;
  currency: unknown;
  description?: string | null;
  providers: ProviderName[];
  expiresInHours: number;
  /** Who asked, as shown in history: "user:123" or "user:123 (Anna)". */
  createdBy: string;
  /** The creator's name for the note, when known. */
  createdByName?: string;
  /** PUBLIC_URL, for the link in the note. */
  publicUrl: string;
  /** What asked for it when not a manager on the card: an invoice page, a pipeline trigger, a bot, a bulk run. */
  origin?: PaymentOrigin;
}

export function validateAmount(amountMinor: unknown): number {
  if (!isValidAmountMinor(amountMinor)) {
    throw new ValidationError(
      'invalid_amount',
      `amountMinor must be a whole number of minor units between 1 and ${MAX_AMOUNT_MINOR} (e.g. 150000 for 1,500.00 AMD); got ${JSON.stringify(amountMinor)}`,
    );
  }
  return amountMinor;
}

export function validateCurrency(currency: unknown): Currency {
  if (!isCurrency(currency)) {
    throw new ValidationError('unsupported_currency', `currency must be one of AMD, USD, EUR, RUB; got ${JSON.stringify(currency)}`);
  }
  return currency;
}

export function paymentLink(publicUrl: string, linkToken: string): string {
  return `${publicUrl}/pay/${linkToken}`;
}

/**
 * Creates a payment request for a lead: amount and currency locked, an unguessable link token,
 * an expiry. Writes the audit entry, the "link created" note and the lead update in one transaction.
 */
export function createPayment(deps: LedgerDeps, input: CreatePaymentInput): Promise<PaymentRow> {
  const now = deps.clock.now();
  return deps.store.transaction((tx) => createPaymentInTx(tx, now, input));
}

/** The same inside the caller's transaction (a link made together with the request that asked for it). */
export function* createPaymentInTx(tx: Tx, now: number, input: CreatePaymentInput): Step<PaymentRow> {
  const amountMinor = validateAmount(input.amountMinor);
  const currency = validateCurrency(input.currency);
  // Lead 0: an invoice paid from amoCRM's invoice page that no lead links to; any other link is a lead's.
  const leadless = input.leadId === 0 && input.origin?.kind === 'invoice';
  if (!Number.isSafeInteger(input.leadId) || (input.leadId <= 0 && !leadless)) {
    throw new ValidationError('invalid_lead_id', `leadId must be a positive integer; got ${JSON.stringify(input.leadId)}`);
  }
  if (input.providers.length === 0 || input.providers.some((p) => !PROVIDER_NAMES.includes(p))) {
    throw new ValidationError('invalid_providers', `providers must be a non-empty list of ${PROVIDER_NAMES.join(', ')}`);
  }
  if (!Number.isFinite(input.expiresInHours) || input.expiresInHours <= 0) {
    throw new ValidationError('invalid_expiry', 'expiresInHours must be a positive number of hours');
  }
  const row = {
    id: newId('pay', now),
    accountId: input.accountId,
    leadId: input.leadId,
    linkToken: newLinkToken(),
    amountMinor,
    currency,
    description: input.description?.trim() || null,
    providers: JSON.stringify([...new Set(input.providers)]),
    status: 'awaiting' as const,
    refundedAmountMinor: 0,
    expiresAt: now + Math.round(input.expiresInHours * 3_600_000),
    createdAt: now,
    createdBy: input.createdBy,
    updatedAt: now,
  };
  if (!(yield* accountExists(tx, input.accountId)))
    throw new NotFoundError('account_not_found', `Account ${input.accountId} is not installed`);
  const inserted = (yield* tx.get(tx.insert(tx.t.payments).values(row).returning()))!;
  yield* recordEvents(
    tx,
    {
      payment: inserted,
      actor: input.createdBy,
      actorName: input.createdByName,
      now,
      link: paymentLink(input.publicUrl, inserted.linkToken),
    },
    [
      {
        type: 'created',
        amountMinor,
        currency,
        expiresAt: row.expiresAt,
        providers: input.providers,
        ...(input.origin ? { origin: input.origin } : {}),
      },
    ],
  );
  return inserted;
}
