import { expect } from 'chai';
import { z } from 'zod';
import { ManualClock } from '../../../server/platform/clock.ts';
import { defineProvider, type ProviderDefinition } from '../../../server/providers/define-provider.ts';
import { ProviderError, ProviderUnsupportedError } from '../../../server/providers/errors.ts';
import type { CreateSessionInput, ProviderContext } from '../../../server/providers/provider.ts';

function definition(overrides: Partial<ProviderDefinition<Record<string, never>>> = {}): ProviderDefinition<Record<string, never>> {
  return {
    name: 'idram',
    caps: { statusQuery: false, refund: 'none', cancel: false, sessionTtlSec: 60, currencies: ['AMD'] },
    instead: { queryStatus: 'wait for the signed confirmation', refund: 'use the cabinet', cancel: 'use the cabinet' },
    credentialsSchema: z.strictObject({}),
    secretFields: [],
    orderNo: () => '1',
    createSession: async () => ({ redirect: { method: 'GET', url: 'https://pay.example/x' }, sessionExpiresAt: 1 }),
    verifyInbound: () => ({ authenticated: false }),
    parseInbound: () => ({ kind: 'return', dedupeKey: 'k', ref: {} }),
    replyFor: () => ({ status: 200, contentType: 'text/plain', body: 'OK' }),
    ...overrides,
  };
}

const ctx = { accountId: 1, mode: 'test', credentials: {}, clock: new ManualClock(), publicUrl: 'https://x' } as unknown as ProviderContext<
  Record<string, never>
>;
const input = (currency: 'AMD' | 'USD'): CreateSessionInput => ({
  attempt: { attemptId: 'a', providerOrderNo: '1', amountMinor: 100, currency },
  description: 'd',
  language: 'en',
  returnUrl: 'https://x/r',
  failUrl: 'https://x/r',
  notifyUrl: 'https://x/n',
  ttlSec: 60,
});

describe('defineProvider: the caps are the one place a provider says what it can do', () => {
  it('refuses, at load time, caps that declare a role the definition does not implement', () => {
    const caps = { statusQuery: true, refund: 'none' as const, cancel: false, sessionTtlSec: 60, currencies: ['AMD' as const] };
    expect(() => defineProvider(definition({ caps }))).to.throw(/caps declare queryStatus/);
  });

  it('refuses, at load time, an implemented role the caps deny', () => {
    expect(() => defineProvider(definition({ cancel: async () => ({ state: 'succeeded' }) }))).to.throw(/caps deny cancel/);
  });

  it('refuses, at load time, an absent role without a word on what to do instead', () => {
    expect(() => defineProvider(definition({ instead: { queryStatus: 'x', refund: 'y' } }))).to.throw(/cancel is absent/);
  });

  it('answers an absent role with ProviderUnsupportedError carrying the role and the alternative', async () => {
    const err = await defineProvider(definition())
      .refund(ctx, input('AMD').attempt, 100, { refundId: 'r' })
      .catch((e: unknown) => e);
    expect(err).to.be.instanceOf(ProviderUnsupportedError);
    expect(err).to.include({ code: 'idram_not_supported', role: 'refund' });
    expect((err as Error).message).to.contain('use the cabinet');
  });

  it('refuses a currency outside caps.currencies before the adapter runs', async () => {
    let ran = false;
    const provider = defineProvider(
      definition({
        createSession: async () => {
          ran = true;
          return { redirect: { method: 'GET', url: 'https://pay.example/x' }, sessionExpiresAt: 1 };
        },
      }),
    );
    const err = await provider.createSession(ctx, input('USD')).catch((e: unknown) => e);
    expect(err).to.be.instanceOf(ProviderError);
    expect(err).to.include({ code: 'idram_currency_not_supported' });
    expect(ran).to.equal(false);
    await provider.createSession(ctx, input('AMD'));
    expect(ran).to.equal(true);
  });
});
