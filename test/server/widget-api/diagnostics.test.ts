import { expect } from 'chai';
import { eq } from 'drizzle-orm';
import { diagnosticsResponseSchema } from '../../../shared/api.ts';
import { accounts } from '../../../server/db/schema.ts';
import { doctorReport } from '../../../server/diagnostics/report.ts';
import { expectError, startWidgetFixture, type WidgetFixture } from './widget-fixture.ts';

describe('widget API: GET /diagnostics (what npm run doctor checks)', async () => {
  let f: WidgetFixture;
  beforeEach(async () => {
    f = await startWidgetFixture();
    f.t.db.update(accounts).set({ installedBy: f.adminId }).where(eq(accounts.id, f.accountId)).run();
  });
  afterEach(() => f.close());
  const checks = async () => {
    const res = await f.api('GET', '/diagnostics', { admin: true });
    expect(res.status, JSON.stringify(res.body)).to.equal(200);
    return diagnosticsResponseSchema.parse(res.body).checks;
  };
  const byName = async (name: string) => (await checks()).find((c) => c.name === name)!;

  it('answers the checks by their stable names, for admins only, changing nothing in amoCRM', async () => {
    const before = f.emu.requests.filter((r) => r.method !== 'GET').length;
    const list = await checks();
    expect(list.map((c) => c.name)).to.deep.equal([
      'tokens',
      'lead_fields',
      'stage_mapping',
      'installer_rights',
      'rate_budget',
      'provider:sandbox',
      'token_claims',
      'unverified:paywall',
      'unverified:invoice_sync',
      'unverified:digital_pipeline',
      'unverified:salesbot',
      'unverified:salesbot_designer',
      'unverified:bot_run',
    ]);
    expect(list.find((c) => c.name === 'tokens')!.ok).to.equal(true);
    expect(f.emu.requests.filter((r) => r.method !== 'GET').length).to.equal(before);
    expectError(await f.api('GET', '/diagnostics'), 403, 'admin_only');
  });

  it('fails lead_fields naming what is missing, with what to do (the fields were never created here)', async () => {
    const c = await byName('lead_fields');
    expect(c.ok).to.equal(false);
    expect(c.detail).to.contain('DRAMLINK_STATUS is missing');
    expect(c.fix).to.match(/created by the server/);
  });

  it('fails stage_mapping for a stage that no longer exists, and installer_rights for a non-admin installer', async () => {
    const settings = JSON.stringify({ stageMapping: { paid: { pipelineId: f.account.pipelines[0].id, statusId: 999999 } } });
    f.t.db.update(accounts).set({ settings, installedBy: f.managerId }).where(eq(accounts.id, f.accountId)).run();
    const list = await checks();
    const mapping = list.find((c) => c.name === 'stage_mapping')!;
    expect(mapping).to.include({ ok: false });
    expect(mapping.detail).to.contain('stage 999999 does not exist');
    const rights = list.find((c) => c.name === 'installer_rights')!;
    expect(rights.ok).to.equal(false);
    expect(rights.detail).to.contain('is not an account admin');
  });

  it('fails rate_budget when several Kommo accounts share the server without AMOCRM_SERVER_RPS', async () => {
    f.t.db.update(accounts).set({ baseDomain: 'kommo.com' }).run();
    await f.addAccount();
    f.t.db.update(accounts).set({ baseDomain: 'kommo.com' }).run();
    const c = await byName('rate_budget');
    expect(c.ok).to.equal(false);
    expect(c.fix).to.contain('AMOCRM_SERVER_RPS=7');
  });

  it('formats doctor’s report: a PASS/FAIL line per check, the fix under a failure, a summary', () => {
    const lines = doctorReport('account 1', [
      { name: 'tokens', ok: true, detail: 'fine' },
      { name: 'lead_fields', ok: false, detail: 'DRAMLINK_LINK is missing', fix: 'reinstall' },
    ]);
    expect(lines).to.deep.equal([
      'dramlink doctor: account 1',
      '',
      'PASS  tokens       fine',
      'FAIL  lead_fields  DRAMLINK_LINK is missing',
      '                   → reinstall',
      '',
      '1 of 2 checks failed',
    ]);
  });
});
