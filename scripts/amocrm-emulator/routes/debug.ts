import { Router, type RequestHandler } from 'express';
import { paywallPage } from '../paywall-page.ts';
import { ok, problem } from '../reply.ts';
import { invoiceLink } from './catalogs.ts';
import type { AmocrmEmulator } from '../types.ts';
import { isRecord } from '../validation.ts';
import { idParam, type RouteDeps } from './deps.ts';

/** The playground runs on the server's origin and calls these from the browser. */
const cors: RequestHandler = (req, res, next) => {
  res.setHeader('access-control-allow-origin', '*');
  res.setHeader('access-control-allow-headers', 'content-type');
  res.setHeader('access-control-allow-methods', 'GET, POST, OPTIONS');
  if (req.method === 'OPTIONS') return void res.status(204).end();
  next();
};

/**
 * Not amoCRM's: what the playground and humans need to look inside. No auth, no rate limit, not
 * recorded: this is a local tool only.
 */
export function debugRoutes(deps: RouteDeps, emu: AmocrmEmulator): Router {
  const r = Router();
  const { responder, state, log, options } = deps;
  r.use('/__emulator', cors);

  r.get(
    '/__emulator/accounts',
    responder.route(() => ok({ accounts: state.all().map((a) => a.account) })),
  );

  r.get(
    '/__emulator/accounts/:id',
    responder.route((req) => {
      const acc = state.get(idParam(req.params.id) ?? -1);
      if (!acc) return problem(404, 'No such account');
      return ok({ ...acc.account, blocked: emu.isBlocked(acc.account.id), fields: acc.fields, leads: [...acc.leads.values()] });
    }),
  );

  r.get(
    '/__emulator/accounts/:id/leads/:leadId',
    responder.route((req) => {
      const accountId = idParam(req.params.id) ?? -1;
      const leadId = idParam(req.params.leadId) ?? -1;
      const lead = state.get(accountId) ? emu.getLead(accountId, leadId) : undefined;
      if (!lead) return problem(404, 'No such lead');
      const fields: Record<string, unknown> = {};
      const fieldNames: Record<string, string> = {};
      const defined = emu.customFields(accountId);
      for (const v of lead.custom_fields_values ?? []) {
        const key = v.field_code ?? String(v.field_id);
        fields[key] = v.values;
        // The field's current name, as amoCRM labels it in the card.
        fieldNames[key] = defined.find((f) => f.id === v.field_id)?.name ?? v.field_name ?? key;
      }
      const invoices = deps.invoices.invoicesOfLead(accountId, leadId).map((e) => ({
        id: e.id,
        name: e.name,
        status: deps.invoices.fieldValue(e, 'BILL_STATUS'),
        price: deps.invoices.fieldValue(e, 'BILL_PRICE') ?? null,
        paymentDate: deps.invoices.fieldValue(e, 'BILL_PAYMENT_DATE') ?? null,
        link: invoiceLink(req, e),
      }));
      return ok({
        lead,
        fields,
        fieldNames,
        invoices,
        notes: emu.notes(accountId, leadId),
        tasks: emu.tasks(accountId).filter((t) => t.entity_type === 'leads' && t.entity_id === leadId),
      });
    }),
  );

  // amoCRM's public invoice page (PayWall), as a customer opens it from the invoice link.
  r.get('/__emulator/paywall/:accountId/:invoiceId', (req, res) => {
    const invoice = deps.invoices.invoice(idParam(req.params.accountId) ?? -1, idParam(req.params.invoiceId) ?? -1);
    const page = paywallPage(deps.invoices, deps.paywall.setup, invoice);
    res.status(page.status).type('html').send(page.html);
  });

  r.get(
    '/__emulator/requests',
    responder.route((req) => {
      const since = Number(req.query.since ?? 0) || 0;
      const requests = log.since(since);
      return ok({ requests, last: requests.at(-1)?.seq ?? since });
    }),
  );

  r.post(
    '/__emulator/accounts/:id/disposable-token',
    responder.route((req) => {
      const acc = state.get(idParam(req.params.id) ?? -1);
      if (!acc) return problem(404, 'No such account');
      const b = isRecord(req.body) ? req.body : {};
      const userId = typeof b.userId === 'number' ? b.userId : state.adminUser(acc);
      const isAdmin = typeof b.isAdmin === 'boolean' ? b.isAdmin : undefined;
      // As $authorizedAjax would: a new token, or the same one again (emu.setDisposableTokens).
      return ok({ token: emu.authorizedAjaxToken(acc.account.id, { userId, isAdmin }) });
    }),
  );

  // One error answer for the next matching amoCRM request(s), e.g. a 500 on the Salesbot start (the playground's "amoCRM fails").
  r.post(
    '/__emulator/faults',
    responder.route((req) => {
      const b = isRecord(req.body) ? req.body : {};
      const times = b.times ?? 1;
      const method = b.method ?? 'POST';
      if (typeof b.path !== 'string' || !/^\/api\/[\w/.-]+$/.test(b.path)) return problem(400, 'path must be an amoCRM API path (/api/…)');
      if (!Number.isInteger(b.status) || (b.status as number) < 400 || (b.status as number) > 599)
        return problem(400, 'status must be 400 to 599');
      if (!Number.isInteger(times) || (times as number) < 1 || (times as number) > 10) return problem(400, 'times must be 1 to 10');
      if (typeof method !== 'string' || !['GET', 'POST', 'PATCH'].includes(method))
        return problem(400, 'method must be GET, POST or PATCH');
      emu.faults.add({ path: b.path, method, status: b.status as number, times: times as number });
      return ok({ pending: emu.faults.pending });
    }),
  );

  r.post(
    '/__emulator/accounts/:id/authorize',
    responder.route((req) => {
      const acc = state.get(idParam(req.params.id) ?? -1);
      if (!acc) return problem(404, 'No such account');
      const b = isRecord(req.body) ? req.body : {};
      const userId = typeof b.userId === 'number' ? b.userId : undefined;
      const code = emu.issueAuthCode(acc.account.id, { userId });
      const referer = acc.account.referer;
      const platform = acc.account.domain === 'amocrm.ru' ? 1 : 2;
      const callback = new URL(options.redirectUri);
      callback.search = new URLSearchParams({ code, referer, platform: String(platform), from_widget: '1' }).toString();
      return ok({ code, referer, platform, callbackUrl: callback.toString() });
    }),
  );
  return r;
}
