import { expect } from 'chai';
import { and, eq, isNull } from 'drizzle-orm';
import { settingsResponseSchema, settingsSchema } from '../../../shared/api.ts';
import { accounts, auditEntries, providerConfigs } from '../../../server/db/schema.ts';
import { expectError, startWidgetFixture, type WidgetFixture } from './widget-fixture.ts';

const SANDBOX_SECRET = 'whsec_dGVzdC1zZWNyZXQtZm9yLXNhbmRib3g=';
const ARCA_PASSWORD = 'arca-Pa55word-long-enough';

describe('widget API: settings', () => {
  let f: WidgetFixture;
  beforeEach(async () => {
    f = await startWidgetFixture();
  });
  afterEach(() => f.close());

  const get = (admin = true) => f.api('GET', '/settings', { admin });
  const put = (body: unknown, admin = true) => f.api('PUT', '/settings', { body, admin });
  const audits = () =>
    f.t.db
      .select()
      .from(auditEntries)
      .where(and(eq(auditEntries.accountId, f.accountId), isNull(auditEntries.paymentId)))
      .all();
  const sandbox = { enabled: true, mode: 'test', webhookSecret: '••••b3g=' };

  describe('GET /settings', () => {
    it('answers the settings with every secret masked to at most its last 4 characters', async () => {
      const res = await get();
      expect(res.status, JSON.stringify(res.body)).to.equal(200);
      const { pipelines, providerUrls, ...settings } = settingsResponseSchema.parse(res.body);
      expect(providerUrls.sandbox).to.deep.equal({ notifyUrl: `${f.t.config.publicUrl}/webhooks/sandbox/${f.accountId}` });
      expect(settingsSchema.parse(settings)).to.deep.equal({
        providers: { sandbox: { enabled: true, mode: 'test', webhookSecret: '••••b3g=' } },
        defaultCurrency: 'AMD',
        linkTtlHours: 72,
      });
      expect(pipelines).to.be.an('array').that.is.not.empty;
      expect(JSON.stringify(res.body)).not.to.contain(SANDBOX_SECRET.slice(0, -4));
    });

    it("names the account's pipelines and stages so the stage mapping is picked by name", async () => {
      const body = settingsResponseSchema.parse((await get()).body);
      const main = f.account.pipelines[0];
      const shown = body.pipelines!.find((p) => p.id === main.id)!;
      expect(shown.name).to.equal(main.name);
      expect(shown.statuses.map((s) => s.id)).to.include.members(main.statuses.map((s) => s.id));
    });

    it('still opens without the pipelines when amoCRM cannot answer', async () => {
      f.emu.faults.add({ method: 'GET', path: '/api/v4/leads/pipelines', status: 503, times: Infinity });
      const res = await get();
      expect(res.status).to.equal(200);
      expect(res.body.pipelines).to.equal(undefined);
      expect(res.body.defaultCurrency).to.equal('AMD');
    });

    it('is for administrators only (403 admin_only)', async () => {
      expectError(await get(false), 403, 'admin_only');
    });
  });

  describe('PUT /settings', () => {
    it('is for administrators only (403 admin_only) and changes nothing for a manager', async () => {
      expectError(await put({ providers: {}, defaultCurrency: 'USD', linkTtlHours: 5 }, false), 403, 'admin_only');
      expect((await get()).body.defaultCurrency).to.equal('AMD');
    });

    it("stores a new provider's credentials encrypted, answers them masked, and audits who changed what without the secret", async () => {
      const res = await put({
        providers: {
          sandbox,
          arca: { enabled: true, mode: 'live', baseUrl: 'https://ipay.arca.am', userName: 'shop_api', password: ARCA_PASSWORD },
        },
        defaultCurrency: 'USD',
        linkTtlHours: 48,
        merchantName: 'Shop LLC',
      });
      expect(res.status, JSON.stringify(res.body)).to.equal(200);
      expect(res.body.providers.arca).to.deep.equal({
        enabled: true,
        mode: 'live',
        baseUrl: 'https://ipay.arca.am',
        userName: 'shop_api',
        password: '••••ough',
      });
      expect(res.body).to.include({ defaultCurrency: 'USD', linkTtlHours: 48, merchantName: 'Shop LLC' });

      const row = f.t.db
        .select()
        .from(providerConfigs)
        .where(and(eq(providerConfigs.accountId, f.accountId), eq(providerConfigs.provider, 'arca')))
        .get()!;
      expect(row.credentialsSealed).not.to.contain(ARCA_PASSWORD);
      expect(row.credentialsSealed).not.to.contain('shop_api');
      expect((await f.t.app.services.providers.get(f.accountId, 'arca'))!.credentials).to.deep.equal({
        userName: 'shop_api',
        password: ARCA_PASSWORD,
      });
      expect((await f.t.app.services.providers.get(f.accountId, 'sandbox'))!.credentials.webhookSecret).to.equal(SANDBOX_SECRET);

      const [audit] = audits();
      expect(audit).to.include({ actor: `user:${f.adminId}`, action: 'settings_changed' });
      const details = JSON.parse(audit.details!);
      expect(details.changes.map((c: { field: string }) => c.field)).to.have.members([
        'providers.arca.enabled',
        'providers.arca.mode',
        'providers.arca.baseUrl',
        'providers.arca.userName',
        'providers.arca.password',
        'defaultCurrency',
        'linkTtlHours',
        'merchantName',
      ]);
      expect(details.changes.find((c: { field: string }) => c.field === 'providers.arca.password')).to.deep.equal({
        field: 'providers.arca.password',
        secret: true,
        change: 'set',
      });
      expect(audit.details).not.to.contain(ARCA_PASSWORD);
      expect(f.t.logs().join('\n')).not.to.contain(ARCA_PASSWORD);

      const settings = JSON.parse(f.t.db.select().from(accounts).where(eq(accounts.id, f.accountId)).get()!.settings);
      expect(settings).to.deep.equal({ defaultCurrency: 'USD', linkTtlHours: 48, merchantName: 'Shop LLC' });
    });

    it('refuses a baseUrl the server would never call (not the provider host, http, a fragment) and stores nothing', async () => {
      for (const baseUrl of [
        'http://127.0.0.1:3999/internal#',
        'https://169.254.169.254/latest',
        'http://ipay.arca.am',
        'https://x@ipay.arca.am',
      ]) {
        const res = await put({
          providers: { arca: { enabled: true, mode: 'live', baseUrl, userName: 'shop_api', password: ARCA_PASSWORD } },
          defaultCurrency: 'AMD',
          linkTtlHours: 72,
        });
        expectError(res, 400, 'invalid_provider_credentials');
        expect(res.body.error.details.fields, baseUrl).to.deep.include.members([
          { field: 'providers.arca.baseUrl', code: 'base_url_not_allowed', message: res.body.error.details.fields[0].message },
        ]);
        expect(await f.t.app.services.providers.get(f.accountId, 'arca'), baseUrl).to.equal(undefined);
      }
    });

    it('keeps a stored secret that is omitted or sent back masked', async () => {
      expect((await put({ providers: { sandbox }, defaultCurrency: 'AMD', linkTtlHours: 72 })).status).to.equal(200);
      expect(
        (await put({ providers: { sandbox: { enabled: false, mode: 'test' } }, defaultCurrency: 'AMD', linkTtlHours: 72 })).status,
      ).to.equal(200);
      const config = (await f.t.app.services.providers.get(f.accountId, 'sandbox'))!;
      expect(config.credentials.webhookSecret).to.equal(SANDBOX_SECRET);
      expect(config.enabled).to.equal(false);
      const changes = audits().flatMap((a) => JSON.parse(a.details!).changes.map((c: { field: string }) => c.field));
      expect(changes).to.deep.equal(['providers.sandbox.enabled']);
    });

    it('replaces a secret sent in clear, auditing only that it was replaced', async () => {
      const res = await put({
        providers: { sandbox: { enabled: true, mode: 'test', webhookSecret: 'a-brand-new-sandbox-secret' } },
        defaultCurrency: 'AMD',
        linkTtlHours: 72,
      });
      expect(res.status, JSON.stringify(res.body)).to.equal(200);
      expect(res.body.providers.sandbox.webhookSecret).to.equal('••••cret');
      expect((await f.t.app.services.providers.get(f.accountId, 'sandbox'))!.credentials.webhookSecret).to.equal(
        'a-brand-new-sandbox-secret',
      );
      const [audit] = audits();
      expect(JSON.parse(audit.details!).changes).to.deep.equal([
        { field: 'providers.sandbox.webhookSecret', secret: true, change: 'replaced' },
      ]);
      expect(audit.details).not.to.contain('brand-new');
    });

    it('refuses missing and unknown credentials naming each field, and stores nothing of the request (invalid_provider_credentials)', async () => {
      const res = await put({
        providers: {
          arca: { enabled: true, mode: 'test', userName: 'shop_api', pin: '1234' },
          idram: { enabled: true, mode: 'test', recAccount: '110000601', secretKey: '••••abcd' },
        },
        defaultCurrency: 'USD',
        linkTtlHours: 72,
      });
      expectError(res, 400, 'invalid_provider_credentials');
      expect(res.body.error.details.fields.map((x: { field: string }) => x.field)).to.have.members([
        'providers.arca.password',
        'providers.arca.pin',
        'providers.idram.secretKey',
      ]);
      expect((await f.t.app.services.providers.list(f.accountId)).map((c) => c.provider)).to.deep.equal(['sandbox']);
      expect((await get()).body.defaultCurrency).to.equal('AMD');
      expect(audits()).to.have.length(0);
    });

    it('refuses an unknown mode or an unknown settings field (invalid_body naming it)', async () => {
      const mode = await put({ providers: { sandbox: { ...sandbox, mode: 'production' } }, defaultCurrency: 'AMD', linkTtlHours: 72 });
      expectError(mode, 400, 'invalid_body');
      expect(mode.body.error.details.fields[0].field).to.equal('providers.sandbox.mode');
      const unknown = await put({ providers: {}, defaultCurrency: 'AMD', linkTtlHours: 72, webhookUrl: 'x' });
      expectError(unknown, 400, 'invalid_body');
      expect(unknown.body.error.details.fields[0].field).to.equal('webhookUrl');
    });

    it("checks a stage mapping against the account's pipelines in amoCRM", async () => {
      const pipeline = f.account.pipelines[0];
      const status = pipeline.statuses.find((s) => s.type === 0)!;
      const ok = await put({
        providers: {},
        defaultCurrency: 'AMD',
        linkTtlHours: 72,
        stageMapping: { paid: { pipelineId: pipeline.id, statusId: status.id } },
      });
      expect(ok.status, JSON.stringify(ok.body)).to.equal(200);
      expect(ok.body.stageMapping).to.deep.equal({ paid: { pipelineId: pipeline.id, statusId: status.id } });

      const badStatus = await put({
        providers: {},
        defaultCurrency: 'AMD',
        linkTtlHours: 72,
        stageMapping: { paid: { pipelineId: pipeline.id, statusId: 999999 } },
      });
      expectError(badStatus, 400, 'invalid_stage_mapping');
      expect(badStatus.body.error.details.fields[0].field).to.equal('stageMapping.paid.statusId');
      const badPipeline = await put({
        providers: {},
        defaultCurrency: 'AMD',
        linkTtlHours: 72,
        stageMapping: { expired: { pipelineId: 999999, statusId: status.id } },
      });
      expectError(badPipeline, 400, 'invalid_stage_mapping');
      expect(badPipeline.body.error.details.fields[0].field).to.equal('stageMapping.expired.pipelineId');
      expect((await get()).body.stageMapping).to.deep.equal({ paid: { pipelineId: pipeline.id, statusId: status.id } });
    });
  });
});
