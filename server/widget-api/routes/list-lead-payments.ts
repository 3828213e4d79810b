import { and, desc, eq } from 'drizzle-orm';
import type { Router } from 'express';
import type { LeadPaymentsResponse } from '../../../shared/api.ts';
import { leadCrmStatusOf } from '../../../shared/crm-status.ts';
import { NotFoundError } from '../../errors/app-error.ts';
import { authOf } from '../auth/middleware.ts';
import type { WidgetApiDeps } from '../deps.ts';
import { LEAD_READ_DEADLINE_MS, readLeadPrice } from '../lead-price.ts';
import { intParam } from '../validate.ts';
import { listExceptions } from '../views/exceptions.ts';
import { readerStrings } from '../views/reader-strings.ts';
import { paymentViews } from '../views/payment.ts';

/**
 * GET /leads/:leadId/payments[?lang=]: the lead's payments newest first, the lead's CRM status, and
 * the `context` the panel needs to open with this one request (lead price, currency, link lifetime,
 * enabled providers and the currencies each takes, the caller's admin flag, the account state, and
 * the exceptions of this lead and of the whole account, in the reader's language).
 */
export function listLeadPaymentsRoute(router: Router, deps: WidgetApiDeps): void {
  router.get('/leads/:leadId/payments', deps.auth, async (req, res) => {
    const auth = authOf(res);
    const leadId = intParam(req, 'leadId', 'invalid_lead_id');
    const { store, config, providers, registry } = deps.services;
    const rows = await store.run(function* (tx) {
      const { payments } = tx.t;
      return yield* tx.all(
        tx
          .select()
          .from(payments)
          .where(and(eq(payments.accountId, auth.accountId), eq(payments.leadId, leadId)))
          .orderBy(desc(payments.createdAt), desc(payments.id)),
      );
    });
    const { settings } = auth.account;
    // Both may ask amoCRM (the admin flag only when the token has no is_admin claim): at the same time.
    const [price, admin] = await Promise.all([
      readLeadPrice(deps, auth, leadId, settings.defaultCurrency, { deadlineMs: LEAD_READ_DEADLINE_MS }),
      deps.adminCheck.answer(auth),
    ]);
    if (price.kind === 'missing' && rows.length === 0) {
      throw new NotFoundError('lead_not_found', `Lead ${leadId} does not exist in this amoCRM account.`);
    }
    const strings = readerStrings(req, auth.account.account);
    const [views, exceptions] = await store.run(function* (tx) {
      return [
        yield* paymentViews(tx, config.publicUrl, rows),
        yield* listExceptions(tx, auth.account.account, { leadId, strings }),
      ] as const;
    });
    const enabled = await providers.enabledNames(auth.accountId);
    const body: LeadPaymentsResponse = {
      leadId,
      crmStatus: leadCrmStatusOf(rows.map((r) => ({ status: r.status, needsReview: r.reviewReason !== null }))),
      payments: views,
      context: {
        leadPriceMinor: price.kind === 'price' ? price.minor : null,
        defaultCurrency: settings.defaultCurrency,
        linkTtlHours: settings.linkTtlHours,
        enabledProviders: enabled,
        providerCurrencies: Object.fromEntries(enabled.map((name) => [name, [...(registry.get(name)?.caps.currencies ?? [])]])),
        isAdmin: admin.isAdmin,
        accountState: auth.account.state,
        exceptions,
      },
    };
    res.json(body);
  });
}
