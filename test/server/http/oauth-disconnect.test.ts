import { expect } from 'chai';
import { createHmac } from 'node:crypto';
import { eq } from 'drizzle-orm';
import { accounts, payments, syncJobs, tokens } from '../../../server/db/schema.ts';
import { CLIENT, installWithSandbox, newLeadPayment, startEmulatedApp, type EmulatedApp } from '../amocrm/support/emulated-app.ts';

function sign(secret: string, clientUuid: string, accountId: number | string): string {
  return createHmac('sha256', secret).update(`${clientUuid}|${accountId}`).digest('hex');
}

describe('GET /oauth/disconnect (revoke hook)', () => {
  let e: EmulatedApp;
  let accountId: number;
  beforeEach(async () => {
    e = await startEmulatedApp();
    accountId = await installWithSandbox(e);
    newLeadPayment(e);
  });
  afterEach(() => e.close());

  const hook = (params: Record<string, string>) => fetch(`${e.t.url}/oauth/disconnect?${new URLSearchParams(params)}`);
  const snapshot = () => {
    const { db } = e.t;
    return {
      account: db.select().from(accounts).where(eq(accounts.id, accountId)).get(),
      tokens: db.select().from(tokens).all(),
      jobs: db.select().from(syncJobs).all(),
      payments: db.select().from(payments).all(),
    };
  };

  for (const [name, params] of [
    [
      'a signature made with another secret',
      () => ({
        account_id: String(accountId),
        client_uuid: CLIENT.clientId,
        signature: sign('not-our-secret', CLIENT.clientId, accountId),
      }),
    ],
    [
      'a signature of another account',
      () => ({
        account_id: String(accountId),
        client_uuid: CLIENT.clientId,
        signature: sign(CLIENT.clientSecret, CLIENT.clientId, accountId + 1),
      }),
    ],
    [
      "another integration's client_uuid, correctly signed for it",
      () => ({
        account_id: String(accountId),
        client_uuid: 'other-client',
        signature: sign(CLIENT.clientSecret, 'other-client', accountId),
      }),
    ],
    ['no signature', () => ({ account_id: String(accountId), client_uuid: CLIENT.clientId })],
  ] as const) {
    it(`answers 401 and changes nothing for ${name}`, async () => {
      const before = await snapshot();
      const res = await hook(params());
      expect(res.status).to.equal(401);
      expect((await res.json()).error.code).to.equal('invalid_signature');
      expect(await snapshot()).to.deep.equal(before);
    });
  }

  it('on a good signature deletes the tokens, marks the account disconnected, keeps payments and jobs, and pauses sync', async () => {
    const before = await snapshot();
    const res = await hook({
      account_id: String(accountId),
      client_uuid: CLIENT.clientId,
      signature: sign(CLIENT.clientSecret, CLIENT.clientId, accountId),
    });
    expect(res.status).to.equal(200);
    expect(await res.json()).to.deep.equal({ status: 'disconnected', accountId });
    const after = await snapshot();
    expect(after.tokens).to.have.length(0);
    expect(after.account!.state).to.equal('disconnected');
    expect(after.payments).to.deep.equal(before.payments);
    expect(after.jobs.map((j) => j.state)).to.deep.equal(before.jobs.map((j) => j.state));
    expect(after.jobs.some((j) => j.state === 'pending')).to.equal(true);

    const requests = e.emu.requests.length;
    await e.t.app.services.syncWorker.runOnce();
    expect(e.emu.requests.length).to.equal(requests);
  });

  it('accepts the older parameter name client_id', async () => {
    const res = await hook({
      account_id: String(accountId),
      client_id: CLIENT.clientId,
      signature: sign(CLIENT.clientSecret, CLIENT.clientId, accountId),
    });
    expect(res.status).to.equal(200);
    expect((await snapshot()).account!.state).to.equal('disconnected');
  });

  it('resumes the paused jobs after the account installs again', async () => {
    await hook({
      account_id: String(accountId),
      client_uuid: CLIENT.clientId,
      signature: sign(CLIENT.clientSecret, CLIENT.clientId, accountId),
    });
    expect((await e.install()).status).to.equal(303);
    await e.t.app.services.syncWorker.runOnce();
    expect((await snapshot()).jobs.every((j) => j.state === 'done')).to.equal(true);
  });
});
