import { expect } from 'chai';
import type { Currency } from '../../../shared/money.ts';
import { createPayment } from '../../../server/payments/create-payment.ts';
import type { ProviderName } from '../../../server/providers/provider.ts';
import type { TestApp } from '../../support/test-app.ts';

/** A payment link on the seeded account, as a manager creates it from the lead card. */
export function newPayment(t: TestApp, accountId: number, over: { providers?: ProviderName[]; currency?: Currency } = {}) {
  return createPayment(t.app.services.ledger, {
    accountId,
    leadId: 55,
    amountMinor: 150000,
    currency: over.currency ?? 'AMD',
    description: 'Deposit for order 55',
    providers: over.providers ?? ['sandbox'],
    expiresInHours: 72,
    createdBy: 'user:7',
    publicUrl: t.url,
  });
}

/** The customer presses "Pay with <provider>" on the pay page. */
export function choose(t: TestApp, token: string, provider: string, lang = 'en'): Promise<Response> {
  return fetch(`${t.url}/pay/${token}?lang=${lang}`, {
    method: 'POST',
    body: new URLSearchParams({ provider }),
    redirect: 'manual',
  });
}

/** Chooses the sandbox, then pays or declines in its checkout; returns where the checkout sends the customer back. */
export async function payThroughSandbox(t: TestApp, token: string, outcome: 'pay' | 'decline'): Promise<string> {
  const chosen = await choose(t, token, 'sandbox');
  expect(chosen.status).to.equal(303);
  const done = await fetch(`${chosen.headers.get('location')!}/${outcome}`, { method: 'POST', redirect: 'manual' });
  expect(done.status).to.equal(303);
  await sandboxSettled(t);
  return done.headers.get('location')!;
}

/** The sandbox gateway (the fake bank) has delivered the notifications it owes. */
export function sandboxSettled(t: TestApp): Promise<void> {
  return t.sandboxGateway!.idle();
}
