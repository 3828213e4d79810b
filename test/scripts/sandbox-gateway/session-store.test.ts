import { expect } from 'chai';
import { InMemorySandboxSessionStore, type SandboxSession } from '../../../scripts/sandbox-gateway/index.ts';

const session = (): SandboxSession => ({
  id: 'ses_1',
  accountId: '31',
  orderNo: 'sbx-1',
  amountMinor: 100,
  currency: 'AMD',
  description: '',
  returnUrl: 'http://127.0.0.1/r',
  notifyUrl: 'http://127.0.0.1/webhooks/sandbox/31',
  status: 'pending',
  refundedMinor: 0,
  refunds: [],
  createdAt: 1,
  expiresAt: 2,
});

describe('sandbox in-memory session store', () => {
  it('hands out copies, so a caller mutating a session does not change the stored one', async () => {
    const store = new InMemorySandboxSessionStore();
    await store.create(session());
    const got = await store.get('ses_1');
    got!.status = 'paid';
    got!.refunds.push({ refundId: 'r', amountMinor: 1, createdAt: 1 });
    expect((await store.get('ses_1'))!.status).to.equal('pending');
    expect((await store.get('ses_1'))!.refunds).to.have.length(0);
  });

  it('refuses a second session with the same id instead of overwriting it', async () => {
    const store = new InMemorySandboxSessionStore();
    await store.create(session());
    const err = await store.create(session()).catch((e: unknown) => e);
    expect(err).to.be.instanceOf(Error);
  });

  it('applies concurrent updates one after the other (no lost update)', async () => {
    const store = new InMemorySandboxSessionStore();
    await store.create(session());
    await Promise.all([1, 2, 3].map(() => store.update('ses_1', (s) => ({ ...s, refundedMinor: s.refundedMinor + 10 }))));
    expect((await store.get('ses_1'))!.refundedMinor).to.equal(30);
    expect(await store.update('ses_missing', (s) => s)).to.equal(undefined);
  });
});
