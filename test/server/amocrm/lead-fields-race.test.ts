import { expect } from 'chai';
import { findAccount } from '../../../server/accounts/account-store.ts';
import { createAmocrmServices, type AmocrmServices } from '../../../server/amocrm/index.ts';
import { ensureLeadFields, LEAD_FIELDS_LEASE_MS, type LeadFieldIds } from '../../../server/amocrm/lead-fields.ts';
import type { AmocrmError } from '../../../server/amocrm/errors.ts';
import { acquireLease } from '../../../server/db/lease.ts';
import type { Store } from '../../../server/db/store.ts';
import { describeStores, openSharedStores } from '../../support/stores.ts';
import { installAccount } from '../widget-api/widget-fixture.ts';
import { startEmulatedApp, type EmulatedApp } from './support/emulated-app.ts';

const FIELDS_PATH = '/api/v4/leads/custom_fields';

/**
 * Several server instances on one database meet an account whose dramlink lead fields do not exist
 * yet (an install landing while the others drain, or all of them starting together): the lease on
 * the database lets one of them create the fields; the others wait, then find them, so amoCRM gets
 * one create and nobody fails on amoCRM's "code already exists".
 */
describeStores('lead fields: created once when several instances meet a new account at once', (kind) => {
  let e: EmulatedApp;
  let shared: { stores: Store[]; close(): Promise<void> };
  let instances: AmocrmServices[];

  beforeEach(async () => {
    shared = await openSharedStores(kind, 3);
    // The app runs on instance 0; the shared stores are closed below, not by the app.
    e = await startEmulatedApp({ store: { ...shared.stores[0], close: async () => undefined } });
    await installAccount(e.t, e.emu, e.account);
    const s = e.t.app.services;
    instances = shared.stores.map((store, i) =>
      i === 0
        ? s.amocrm
        : createAmocrmServices({
            config: s.config,
            store,
            clock: s.clock,
            http: s.http,
            logger: s.logger,
            secretBox: s.secretBox,
            processId: `instance-${i}`,
          }),
    );
  });
  afterEach(async () => {
    await e.close();
    await shared.close();
  });

  const ensureOn = async (i: number): Promise<LeadFieldIds> => {
    const amocrm = instances[i % instances.length];
    const account = (await shared.stores[i % instances.length].run((tx) => findAccount(tx, e.account.id)))!;
    return amocrm.ensureLeadFields({ account, amocrm: amocrm.client.forAccount(account) });
  };

  it('six calls at once over three instances: one create in amoCRM, one field per code, every call gets the same ids', async () => {
    const settled = await Promise.allSettled(Array.from({ length: 6 }, (_, i) => ensureOn(i)));
    const failures = settled.filter((r) => r.status === 'rejected').map((r) => String((r as PromiseRejectedResult).reason));
    expect(failures, 'no instance fails on amoCRM refusing a second create').to.deep.equal([]);
    const creates = e.emu.requests.filter((r) => r.method === 'POST' && r.path === FIELDS_PATH);
    expect(creates, 'POSTs to create the lead fields').to.have.length(1);
    const codes = e.emu
      .customFields(e.account.id)
      .map((f) => f.code)
      .filter((c) => c?.startsWith('DRAMLINK_'));
    expect(codes).to.have.length(6);
    expect(new Set(codes).size).to.equal(6);
    const ids = settled.map((r) => JSON.stringify((r as PromiseFulfilledResult<LeadFieldIds>).value));
    expect(new Set(ids).size, 'every caller the same ids').to.equal(1);
    const stored = (await shared.stores[2].run((tx) => findAccount(tx, e.account.id)))!.fieldIds;
    expect(JSON.stringify(stored)).to.equal(ids[0]);
  });

  it('a caller after the race finds the fields and creates nothing', async () => {
    await Promise.all([ensureOn(0), ensureOn(1), ensureOn(2)]);
    const before = e.emu.requests.filter((r) => r.method === 'POST' && r.path === FIELDS_PATH).length;
    await ensureOn(1);
    expect(e.emu.requests.filter((r) => r.method === 'POST' && r.path === FIELDS_PATH).length).to.equal(before);
  });

  it('waits for a holder that died, gives up with a retryable error, and once its lease expires another instance creates the fields', async () => {
    const s = e.t.app.services;
    expect(
      await acquireLease(shared.stores[1], {
        name: `lead-fields:${e.account.id}`,
        holder: 'died',
        now: e.clock.now(),
        ttlMs: LEAD_FIELDS_LEASE_MS,
      }),
    ).to.equal(true);
    const account = (await shared.stores[2].run((tx) => findAccount(tx, e.account.id)))!;
    const call = () =>
      ensureLeadFields(
        { store: shared.stores[2], clock: s.clock, logger: s.logger, maxLeaseWaitMs: 150 },
        { account, amocrm: instances[2].client.forAccount(account) },
      );
    const busy = await call().then(
      () => undefined,
      (err: AmocrmError) => err,
    );
    expect(busy?.code).to.equal('amocrm_lead_fields_busy');
    expect(busy?.retryable).to.equal(true);
    expect(e.emu.customFields(e.account.id).filter((f) => f.code?.startsWith('DRAMLINK_'))).to.have.length(0);
    e.clock.advance(LEAD_FIELDS_LEASE_MS);
    expect((await call()).DRAMLINK_STATUS?.id).to.be.a('number');
  });
});
