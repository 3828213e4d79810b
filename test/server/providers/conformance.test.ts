import { expect } from 'chai';
import nock from 'nock';
import { CURRENCY_CODES } from '../../../shared/money.ts';
import {
  InboundRejectedError,
  ProviderError,
  ProviderTimeoutError,
  ProviderUnreachableError,
  ProviderUnsupportedError,
} from '../../../server/providers/errors.ts';
import {
  PROVIDER_NAMES,
  type CreateSessionInput,
  type ProviderCapabilities,
  type ProviderRole,
} from '../../../server/providers/provider.ts';
import { createProviderRegistry } from '../../../server/providers/registry.ts';
import { NEVER_SENT_CODES } from '../../../server/providers/transport/never-sent.ts';
import { readInbound } from '../../../server/webhooks/read-inbound.ts';
import {
  CONFORMANCE_KITS,
  CONFORMANCE_TIMEOUT_MS,
  countingHttp,
  FORGER_SECRET,
  type CallRole,
  type CallSpec,
  type ConformanceKit,
} from './conformance-kits.ts';

/**
 * The provider template, as a table: every adapter runs the same rows. HTTP is intercepted by nock
 * below the real HttpClient; a counting client proves how many requests left.
 */

const ROLES: readonly ProviderRole[] = ['queryStatus', 'refund', 'cancel'];

function declares(caps: ProviderCapabilities, role: ProviderRole): boolean {
  return role === 'queryStatus' ? caps.statusQuery : role === 'refund' ? caps.refund !== 'none' : caps.cancel;
}

function createInput(kit: ConformanceKit): CreateSessionInput {
  return {
    attempt: { ...kit.attempt, providerPaymentId: null },
    description: 'Order 42',
    language: 'en',
    returnUrl: 'https://pay.example.test/pay/tok/return',
    failUrl: 'https://pay.example.test/pay/tok/return?fail=1',
    notifyUrl: `https://pay.example.test/webhooks/${kit.provider.name}/7`,
    ttlSec: 1200,
  };
}

/** Calls one role of the provider the way the server does. */
function run(kit: ConformanceKit, role: CallRole, http = countingHttp()): Promise<unknown> {
  const ctx = kit.ctx(http);
  switch (role) {
    case 'createSession':
      return kit.provider.createSession(ctx, createInput(kit));
    case 'queryStatus':
      return kit.provider.queryStatus(ctx, kit.attempt);
    case 'refund':
      return kit.provider.refund(ctx, kit.attempt, 1000, { refundId: 'rf_1' });
    case 'cancel':
      return kit.provider.cancel(ctx, kit.attempt);
  }
}

function intercept(kit: ConformanceKit, spec: CallSpec) {
  return nock(kit.host)[spec.method](spec.path, () => true);
}

async function failure(promise: Promise<unknown>): Promise<unknown> {
  return promise.then(
    (value) => expect.fail(`expected a rejection, got ${JSON.stringify(value)}`),
    (err: unknown) => err,
  );
}

function rejection(fn: () => unknown): InboundRejectedError {
  try {
    fn();
  } catch (err) {
    expect(err).to.be.instanceOf(InboundRejectedError);
    return err as InboundRejectedError;
  }
  return expect.fail('expected the request to be rejected');
}

/** The calls that move money or open an order at the provider: never retried, a timeout leaves the outcome unknown. */
const MONEY_MOVING: readonly CallRole[] = ['createSession', 'refund', 'cancel'];

describe('provider conformance table', () => {
  afterEach(() => nock.cleanAll());

  it('has a kit for every provider, driving the very adapter the registry hands out', () => {
    const registry = createProviderRegistry({ sandboxEnabled: true });
    expect(CONFORMANCE_KITS.map((kit) => kit.provider.name)).to.have.members(PROVIDER_NAMES);
    for (const kit of CONFORMANCE_KITS) expect(registry.get(kit.provider.name), kit.provider.name).to.equal(kit.provider);
  });

  for (const kit of CONFORMANCE_KITS) {
    const name = kit.provider.name;
    const calls = Object.entries(kit.calls) as Array<[CallRole, CallSpec]>;

    describe(name, () => {
      it('creates a session: a redirect the browser can follow and an expiry in the future, in one request at most', async () => {
        const spec = kit.calls.createSession;
        const scope = spec ? intercept(kit, spec).reply(spec.reply.status, spec.reply.body) : undefined;
        const http = countingHttp();
        const ctx = kit.ctx(http);
        const session = await kit.provider.createSession(ctx, createInput(kit));
        scope?.done();
        expect(http.calls).to.equal(spec ? 1 : 0);
        expect(session.redirect.url).to.match(/^https:\/\//);
        if (session.redirect.method === 'POST') expect(Object.keys(session.redirect.form)).to.not.be.empty;
        expect(session.sessionExpiresAt).to.be.greaterThan(ctx.clock.now());
      });

      const foreign = CURRENCY_CODES.find((c) => !kit.provider.caps.currencies.includes(c));
      if (foreign) {
        it(`refuses a ${foreign} payment (outside caps.currencies) before any request, with ${name}_currency_not_supported`, async () => {
          const http = countingHttp();
          const input = createInput(kit);
          const err = await failure(
            kit.provider.createSession(kit.ctx(http), { ...input, attempt: { ...input.attempt, currency: foreign } }),
          );
          expect(err).to.be.instanceOf(ProviderError);
          expect((err as ProviderError).code).to.equal(`${name}_currency_not_supported`);
          expect(http.calls).to.equal(0);
        });
      }

      const { signed } = kit;
      if (signed) {
        it('verifies a genuine notification: authenticated, with a paid fact for our order, amount and currency', () => {
          const ctx = kit.ctx(countingHttp());
          const req = signed.sign(signed.secret);
          expect(kit.provider.verifyInbound(ctx, req).authenticated).to.equal(true);
          const parsed = readInbound(kit.provider, ctx, req);
          expect(parsed.kind).to.equal('notification');
          expect(parsed.authenticated).to.equal(true);
          expect(parsed.fact).to.include({
            status: 'paid',
            amountMinor: kit.attempt.amountMinor,
            currency: kit.attempt.currency,
            providerOrderNo: kit.attempt.providerOrderNo,
          });
        });

        it('rejects a notification signed with another secret (401) in verifyInbound, before anything parses it', () => {
          const ctx = kit.ctx(countingHttp());
          const forged = signed.sign(FORGER_SECRET);
          const err = rejection(() => kit.provider.verifyInbound(ctx, forged));
          expect(err.status).to.equal(401);
          expect(err.code.startsWith(`${name}_`), err.code).to.equal(true);
          expect(rejection(() => readInbound(kit.provider, ctx, forged)).code).to.equal(err.code);
        });
      } else {
        it('signs nothing, so its inbound request is never authenticated and hands on no fact', () => {
          const ctx = kit.ctx(countingHttp());
          const req = kit.unsigned!;
          expect(kit.provider.verifyInbound(ctx, req).authenticated).to.equal(false);
          const parsed = readInbound(kit.provider, ctx, req);
          expect(parsed.authenticated).to.equal(false);
          expect(parsed.fact).to.equal(undefined);
        });
      }

      for (const role of ROLES) {
        if (declares(kit.provider.caps, role)) {
          it(`${role}: declared in caps, answered by the provider's API in exactly one request`, async () => {
            const spec = kit.calls[role];
            expect(spec, `a ${role} call for ${name}`).to.not.equal(undefined);
            const scope = intercept(kit, spec!).reply(spec!.reply.status, spec!.reply.body);
            const http = countingHttp();
            const result = (await run(kit, role, http)) as Record<string, unknown>;
            scope.done();
            expect(http.calls).to.equal(1);
            if (role === 'queryStatus') {
              expect(result).to.include({ status: 'paid', amountMinor: kit.attempt.amountMinor, currency: kit.attempt.currency });
            } else {
              expect(result.state).to.equal('succeeded');
            }
          });
        } else {
          it(`${role}: absent in caps, answered by ProviderUnsupportedError (${name}_not_supported) without a request`, async () => {
            const http = countingHttp();
            const err = await failure(run(kit, role, http));
            expect(err).to.be.instanceOf(ProviderUnsupportedError);
            expect(err).to.include({ code: `${name}_not_supported`, role });
            expect((err as Error).message).to.match(/: \S/);
            expect(http.calls).to.equal(0);
          });
        }
      }

      if (calls.length === 0) {
        it('calls no API at all, so nothing can be unreachable or time out', () => {
          expect(ROLES.filter((role) => declares(kit.provider.caps, role))).to.deep.equal([]);
        });
      }

      for (const [role, spec] of calls) {
        it(`${role}: every never-sent network failure is ProviderUnreachableError ${name}_unreachable, saying what to check`, async () => {
          for (const code of NEVER_SENT_CODES) {
            intercept(kit, spec).replyWithError(Object.assign(new Error(`simulated ${code}`), { code }));
            const http = countingHttp();
            const err = await failure(run(kit, role, http));
            expect(err, code).to.be.instanceOf(ProviderUnreachableError);
            expect(err, code).to.not.be.instanceOf(ProviderTimeoutError);
            expect((err as ProviderError).code, code).to.equal(`${name}_unreachable`);
            expect((err as Error).message, code)
              .to.contain(code)
              .and.contain('nothing was sent')
              .and.match(/\bcheck /i);
            expect(http.calls, code).to.equal(1);
          }
        });

        const what = MONEY_MOVING.includes(role) ? 'money-moving, never retried' : 'asked again later by the reconciler';
        it(`${role}: no answer after sending (read timeout, reset) is ProviderTimeoutError ${name}_timeout after one request (${what})`, async () => {
          const failures = [
            (s: nock.Interceptor) => s.delay(CONFORMANCE_TIMEOUT_MS * 4).reply(spec.reply.status, spec.reply.body),
            (s: nock.Interceptor) => s.replyWithError(Object.assign(new Error('socket hang up'), { code: 'ECONNRESET' })),
          ];
          for (const fail of failures) {
            let seen = 0;
            fail(nock(kit.host)[spec.method](spec.path, () => (seen += 1) > 0));
            const http = countingHttp();
            const err = await failure(run(kit, role, http));
            expect(err).to.be.instanceOf(ProviderTimeoutError);
            expect((err as ProviderError).code).to.equal(`${name}_timeout`);
            expect((err as Error).message).to.contain('outcome is unknown');
            expect([http.calls, seen]).to.deep.equal([1, 1]);
          }
        });
      }
    });
  }
});
